import { App } from 'cdk8s';
import { Construct, IConstruct, IValidation, Node } from 'constructs';

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
  /** Whether the app held no validation but the library's, as found in a call. */
  onlyLibraryValidations?: { readonly call: number; readonly value: boolean };
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

/** The validations the library adds: each reads the app and changes nothing in it. */
const libraryValidations = new WeakSet<IValidation>();

/** Adds a validation of the library's own: one that reads the app and changes nothing in it. */
export function addLibraryValidation(scope: IConstruct, validate: () => string[]): void {
  const validation: IValidation = { validate };
  libraryValidations.add(validation);
  scope.node.addValidation(validation);
}

/**
 * A node's validations. constructs keeps them in a field of its own (`_validations`, made on the
 * first one): `validationsOf` is trusted only if a probe finds it so when this module loads, and
 * answers undefined otherwise (then the app is taken to hold validations of its users).
 */
const readValidations = (node: Node): unknown => (node as unknown as { _validations?: unknown })._validations;
const VALIDATIONS_READABLE = (() => {
  const probe = new Construct(undefined as never, 'probe');
  const bare = readValidations(probe.node);
  const validation: IValidation = { validate: () => [] };
  probe.node.addValidation(validation);
  const held = readValidations(probe.node);
  return (bare === undefined || (Array.isArray(bare) && bare.length === 0)) && Array.isArray(held) && held.length === 1 && held[0] === validation;
})();

function validationsOf(node: Node): readonly IValidation[] | undefined {
  if (!VALIDATIONS_READABLE) return undefined;
  return (readValidations(node) as IValidation[] | undefined) ?? [];
}

/** Whether every validation of the app is the library's, found once per synth call. */
function onlyLibraryValidations(scope: IConstruct, calls: SynthCalls): boolean {
  if (calls.onlyLibraryValidations?.call !== calls.call) {
    const value = scope.node.root.node.findAll().every((c) => validationsOf(c.node)?.every((v) => libraryValidations.has(v)) ?? false);
    calls.onlyLibraryValidations = { call: calls.call, value };
  }
  return calls.onlyLibraryValidations.value;
}

/**
 * A workload's rendering made for its checks in an app synth call, and taken by its output in the
 * same call when nothing can have changed the workload in between: inside a synth call, only
 * validations run before the output (cdk8s runs every validation of the app again before each
 * chart it renders), so the checks' rendering is reused only while the app holds no validation but
 * the library's, which change nothing. Otherwise, and outside an app synth call (`Testing.synth`,
 * `chart.toJson()`, after which the user's code may change the workload), the output renders
 * afresh.
 */
export class CheckedRendering<T> {
  private readonly calls?: SynthCalls;
  private kept?: { readonly call: number; readonly value: T };

  constructor(private readonly scope: IConstruct, private readonly render: () => T) {
    this.calls = synthCallsOf(scope);
  }

  /** A rendering for the checks, kept for the output of the same synth call. */
  public forChecks(): T {
    const value = this.render();
    this.kept = this.calls !== undefined && this.calls.running > 0 ? { call: this.calls.call, value } : undefined;
    return value;
  }

  /** The checks' rendering of this synth call when nothing can have changed the workload since; else afresh. */
  public forOutput(): T {
    const { kept, calls } = this;
    this.kept = undefined;
    const current = kept !== undefined && calls !== undefined && calls.running > 0 && kept.call === calls.call;
    return current && onlyLibraryValidations(this.scope, calls) ? kept.value : this.render();
  }
}
