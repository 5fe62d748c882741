import * as pulumi from '@pulumi/pulumi';
import type { Registered } from '../../test/support/pulumi-mocks';

type Json = Record<string, any>;

/** A resource class of a provider SDK, by its type token. */
export type ResourceClasses = Readonly<Record<string, new (name: string, args: Json, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource>>;

/**
 * What a team would write by hand with the Pulumi SDK for the same resources: each one with its
 * inputs as literals, no component. Prepared (untimed) from what the library's component
 * registered under the same mocks, so both register the same resources.
 */
export function baselinePulumiProgram(resources: readonly Registered[], classes: ResourceClasses): void {
  for (const { type, name, inputs } of resources) {
    if (type.startsWith('read-write-split:')) continue;
    const Resource = classes[type];
    if (!Resource) throw new Error(`the baseline has no class for ${type}`);
    new Resource(name, inputs);
  }
}
