import * as pulumi from '@pulumi/pulumi';

/** One resource the mocked Pulumi run registered, with what the mocked cloud answered and the options the component gave it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  /** What the mocked cloud answered: the inputs plus what the provider computes. */
  readonly state: Record<string, any>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

/** How a mocked cloud answers a resource and a lookup. */
export interface MockCloud {
  resource(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> };
  call(token: string, inputs: Record<string, any>): Record<string, any>;
}

const registered: Omit<Registered, 'protect' | 'retainOnDelete'>[] = [];
const options = new Map<string, { protect?: boolean; retainOnDelete?: boolean }>();

/**
 * Installs the Pulumi mocks (once per test file: vitest runs each file in its own worker, and
 * setMocks is global to the process). Every resource is recorded with its inputs and answered as
 * `cloud` answers.
 */
export function installCloudMocks(cloud: MockCloud): void {
  pulumi.runtime.setMocks({
    newResource: (args) => {
      const answer = cloud.resource(args.type, args.name, args.inputs);
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, state: answer.state });
      return answer;
    },
    call: (args) => cloud.call(args.token, args.inputs),
  }, 'project', 'stack', false);
}

/**
 * The mock monitor sees no resource options, so they are read where the SDK applies them: a
 * transformation on the component receives every child's options.
 */
export const recordOptions: pulumi.ResourceTransformation = (args) => {
  options.set(args.name, { protect: args.opts.protect, retainOnDelete: args.opts.retainOnDelete });
  return undefined;
};

/** Waits until every registration so far has reached the mocks, then returns what was registered since the last call. */
export async function registeredSince(): Promise<Registered[]> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const found = registered.splice(0).map((resource) => ({ ...resource, ...options.get(resource.name) }));
  options.clear();
  return found;
}

/** URNs of every resource the mock monitor registered in this process. */
export function registeredUrns(): string[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return [...monitor.getRegisteredResources().keys()].sort();
}

/** An Output's value under mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
