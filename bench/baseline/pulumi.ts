import * as pulumi from '@pulumi/pulumi';

type Json = Record<string, any>;

/** One resource a Pulumi program registered, as the mock monitor saw it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Json;
}

const registered: RegisteredResource[] = [];

/**
 * Pulumi's mocks for both clouds: every resource answered with its inputs (and an id), the
 * lookups with what the components check (a subnetwork with Private Google Access, an AKS issuer).
 */
export function installBenchMocks(answer: (type: string, name: string, inputs: Json) => { id: string; state: Json }): void {
  pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return answer(args.type, args.name, args.inputs);
    },
    call: (args) => ({ ...args.inputs, privateIpGoogleAccess: true }),
  }, 'bench', 'bench', false);
}

/** Waits for every registration to reach the mocks; returns what was registered since the last call. */
export async function registeredSince(): Promise<RegisteredResource[]> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return registered.splice(0);
}

/** A resource class of a provider SDK, by its type token. */
export type ResourceClasses = Readonly<Record<string, new (name: string, args: Json, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource>>;

/**
 * What a team would write by hand with the Pulumi SDK for the same resources: each one with its
 * inputs as literals, no component. Prepared (untimed) from what the library's component
 * registered under the same mocks, so both register the same resources.
 */
export function baselinePulumiProgram(resources: readonly RegisteredResource[], classes: ResourceClasses): void {
  for (const { type, name, inputs } of resources) {
    if (type.startsWith('read-write-split:')) continue;
    const Resource = classes[type];
    if (!Resource) throw new Error(`the baseline has no class for ${type}`);
    new Resource(name, inputs);
  }
}
