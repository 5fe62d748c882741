import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * A value computed at most once per turn of the event loop: `perSynthCall`'s fallback outside an
 * app synth call. cdk8s validates the whole app again for every chart it synthesizes
 * (`Chart.toJson` validates the app), so a validation that renders its workload would run once per
 * chart: with many application charts rendered one by one, quadratic. The value is kept until the
 * turn ends (the next microtask).
 */
function oncePerSynth<T>(compute: () => T): () => T {
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

/** The synth calls of one app: how many run now, and a number for each call. */
interface SynthCalls {
  running: number;
  call: number;
}

const synthCalls = new WeakMap<App, SynthCalls>();

/**
 * Counts the synth calls (`synth`, `synthYaml`) of the app that holds `scope`, wrapping both on the
 * app instance the first time (as the sidecar wraps its workload's `toJson`: cdk8s has no hook for
 * a synthesis). Undefined when the root is not a cdk8s App.
 */
function synthCallsOf(scope: IConstruct): SynthCalls | undefined {
  const app = App.of(scope);
  if (!(app instanceof App)) return undefined;
  let calls = synthCalls.get(app);
  if (calls === undefined) {
    const counted: SynthCalls = { running: 0, call: 0 };
    for (const method of ['synth', 'synthYaml'] as const) {
      const original = app[method] as (this: App) => unknown;
      app[method] = function synthCall(this: App) {
        counted.running++;
        counted.call++;
        try {
          return original.call(this);
        } finally {
          counted.running--;
        }
      } as never;
    }
    synthCalls.set(app, calls = counted);
  }
  return calls;
}

/**
 * A value kept for the rest of the app synth call it was computed in (`app.synth()`,
 * `app.synthYaml()`: what `cdk8s synth` runs), and computed afresh in the next call, even one of
 * the same turn. cdk8s validates the whole app again before each chart it renders, so a check
 * that renders its workload would otherwise run once per chart. Outside a call
 * (`Testing.synth(chart)`, `chart.toJson()`), it is kept for the rest of the turn.
 */
export function perSynthCall<T>(scope: IConstruct, compute: () => T): () => T {
  const outside = oncePerSynth(compute);
  let kept: { readonly call: number; readonly value: T } | undefined;
  // Counted from construction: the app's synth calls are wrapped before any of them runs.
  const calls = synthCallsOf(scope);
  return () => {
    if (calls === undefined || calls.running === 0) return outside();
    if (kept?.call !== calls.call) kept = { call: calls.call, value: compute() };
    return kept.value;
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
