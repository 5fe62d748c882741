import * as pulumi from '@pulumi/pulumi';
import type { Registered } from '../../test/support/pulumi-mocks';

type Json = Record<string, any>;

/** A resource class of a provider SDK, by its type token. */
export type ResourceClasses = Readonly<Record<string, new (name: string, args: Json, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource>>;

/** The component the library's resources are children of, as a hand-written one would be named. */
export interface BaselineComponent {
  readonly type: string;
  readonly name: string;
}

/** A hand-written component: a type token and children, its outputs registered when they are. */
class HandWrittenComponent extends pulumi.ComponentResource {
  public done(): void {
    this.registerOutputs({});
  }
}

/**
 * What a team would write by hand with the Pulumi SDK for the same resources, each with its
 * inputs as literals, prepared (untimed) from what the library's component registered under the
 * same mocks. With `component`, the resources are children of a component of the same type and
 * name, with the same `protect` and `retainOnDelete`: the same stack state (URNs) as the library.
 * Without it, they are registered flat: the floor below any program of the same resources.
 */
export function baselinePulumiProgram(
  resources: readonly Registered[], classes: ResourceClasses, component?: BaselineComponent, opts?: pulumi.ComponentResourceOptions,
): void {
  const parent = component && new HandWrittenComponent(component.type, component.name, {}, opts);
  for (const { type, name, inputs, protect, retainOnDelete } of resources) {
    if (type.startsWith('read-write-split:')) continue;
    const Resource = classes[type];
    if (!Resource) throw new Error(`the baseline has no class for ${type}`);
    new Resource(name, inputs, parent ? { parent, protect, retainOnDelete } : undefined);
  }
  parent?.done();
}
