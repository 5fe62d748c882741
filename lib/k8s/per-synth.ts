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

/**
 * A rendering handed from the workload to the NetworkPolicy rendered after it in the same chart
 * rendering, so the workload renders once for both. cdk8s validates the whole app before it
 * renders any chart, and `clear` runs as a validation: a hand-off never outlives the chart
 * rendering it was made in, and a reader that finds none (rendered first) renders for itself.
 */
export class RenderHandOff<T> {
  private handed?: { readonly value: T };

  public give(value: T): T {
    this.handed = { value };
    return value;
  }

  /** The value handed since the last validation, taken once; else `render()`. */
  public take(render: () => T): T {
    const handed = this.handed;
    this.handed = undefined;
    return handed ? handed.value : render();
  }

  public clear(): void {
    this.handed = undefined;
  }
}
