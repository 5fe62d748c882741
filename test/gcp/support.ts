import * as pulumi from '@pulumi/pulumi';

/** One resource the mocked Pulumi run registered, with the options the component gave it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

const registered: Omit<Registered, 'protect' | 'retainOnDelete'>[] = [];
const options = new Map<string, { protect?: boolean; retainOnDelete?: boolean }>();
const subnetworks = { privateIpGoogleAccess: true as boolean | undefined };
export const invokes: { token: string; inputs: Record<string, any> }[] = [];

/** Outputs the provider computes that the component reads (a service account's `name`, `email`). */
function computedOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type !== 'gcp:serviceaccount/account:Account') return {};
  const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
  return { email, member: `serviceAccount:${email}`, name: `projects/${inputs.project}/serviceAccounts/${email}` };
}

/**
 * Installs the Pulumi mocks (once per test file: vitest runs each file in its own worker, and
 * setMocks is global to the process). Every resource is recorded with its inputs; the subnetwork
 * lookup answers with `privateIpGoogleAccess` as set by `subnetworkHasPrivateGoogleAccess`.
 */
export function installMocks(): void {
  pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computedOutputs(args.type, args.inputs) } };
    },
    call: (args) => {
      invokes.push({ token: args.token, inputs: args.inputs });
      if (args.token === 'gcp:compute/getSubnetwork:getSubnetwork') {
        return { ...args.inputs, privateIpGoogleAccess: subnetworks.privateIpGoogleAccess };
      }
      return args.inputs;
    },
  }, 'project', 'stack', false);
}

export function subnetworkHasPrivateGoogleAccess(value: boolean | undefined): void {
  subnetworks.privateIpGoogleAccess = value;
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
