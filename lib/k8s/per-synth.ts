/**
 * A value computed at most once per synthesis. cdk8s validates the whole app again for every
 * chart it synthesizes (`Chart.toJson` validates the app), so a validation that renders its
 * workload would run once per chart: with many application charts, quadratic. A synthesis is
 * one synchronous run, so the value is kept until that run ends (the next microtask).
 */
export function oncePerSynth<T>(compute: () => T): () => T {
  let cached: { readonly value: T } | undefined;
  return () => {
    if (cached === undefined) {
      cached = { value: compute() };
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}
