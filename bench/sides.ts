/**
 * The two sides of each grid cell: the library's program and its hand-written equivalent, each
 * checked to build the same output before anything is timed. test/bench/sides.test.ts runs the
 * checks on small cells, so a change of the library's output that a baseline does not follow fails
 * the tests, not the next `npm run bench`.
 */
import type * as pulumi from '@pulumi/pulumi';
import { mockAzureResource } from '../examples/azure/mock-cloud';
import { installCloudMocks, recordOptions, Registered, registeredSince, registeredUrns } from '../test/support/pulumi-mocks';
import type { ReadWriteSplitAws } from '../dist/aws';
import type { SplitSpec } from '../dist/core';
import { baselineAwsApp, prepareAwsBaseline } from './baseline/aws';
import { baselineAwsL2App, prepareAwsL2Baseline } from './baseline/aws-l2';
import { baselineK8sApp, prepareK8sBaseline } from './baseline/k8s';
import { BaselineComponent, baselinePulumiProgram } from './baseline/pulumi';
import { PULUMI_CLASSES } from './baseline/pulumi-classes';
import { BENCH_CLUSTER, BENCH_ENDPOINT, libraryAwsApp, libraryAzureProgram, libraryGcpProgram, libraryK8sApp } from './library';
import { expectSameManifests } from './same-manifests';
import { benchApps, benchSplit } from './workload';

/** The Kubernetes sides: each synthesizes its app to YAML, as `cdk8s synth` does. */
export function k8sSides(datasets: number, apps: number) {
  const split = benchSplit(datasets);
  const baseline = prepareK8sBaseline(libraryK8sApp(split, apps));
  const sides = {
    library: () => libraryK8sApp(split, apps).synthYaml(),
    handWritten: () => baselineK8sApp(baseline).synthYaml(),
    buildLibrary: () => libraryK8sApp(split, apps),
    buildHandWritten: () => baselineK8sApp(baseline),
  };
  expectSameManifests(`kubernetes ${datasets}x${apps}`, sides.library(), sides.handWritten());
  return sides;
}

/** A synthesized template, as `cdk synth` writes it. */
const templateOf = (app: ReturnType<typeof libraryAwsApp>) => JSON.stringify(app.synth().getStackByName('Bench').template);

/** The AWS sides: the library's construct, the same stack written with L2 constructs, and as L1 literals (the floor). */
export function awsSides(datasets: number, apps: number) {
  const description = benchSplit(datasets);
  const reference = libraryAwsApp(description, apps);
  const split = reference.node.findChild('Bench').node.findChild('Split') as ReadWriteSplitAws;
  const l2 = prepareAwsL2Baseline(split.synthesized, benchApps(apps).map((app) => app.namespace), BENCH_ENDPOINT, BENCH_CLUSTER);
  const literals = prepareAwsBaseline(JSON.parse(templateOf(reference)));
  const sides = {
    library: () => templateOf(libraryAwsApp(description, apps)),
    handWritten: () => templateOf(baselineAwsL2App(l2)),
    asLiterals: () => templateOf(baselineAwsApp(literals)),
    buildLibrary: () => libraryAwsApp(description, apps),
    buildHandWritten: () => baselineAwsL2App(l2),
  };
  const template = sides.library();
  if (template !== sides.handWritten()) throw new Error(`aws ${datasets}x${apps}: the L2 baseline does not synthesize the same template`);
  if (template !== sides.asLiterals()) throw new Error(`aws ${datasets}x${apps}: the L1 baseline does not synthesize the same template`);
  return sides;
}

/** Every resource answered with its inputs (Azure's with its ids), the subnetwork lookup with Private Google Access. */
export function installBenchMocks(): void {
  installCloudMocks({
    resource: (type, name, inputs) => (type.startsWith('azure-native:') ? mockAzureResource(type, name, inputs) : { id: `${name}-id`, state: inputs }),
    call: (_token, inputs) => ({ ...inputs, privateIpGoogleAccess: true }),
  });
}

/** What a Pulumi program registered, comparable between the component and the hand-written program. */
const resourceSet = (resources: readonly Registered[]) => resources
  .filter((r) => !r.type.startsWith('read-write-split:'))
  .map((r) => JSON.stringify([r.type, r.name, r.inputs, r.protect ?? false, r.retainOnDelete ?? false]))
  .sort();

export type PulumiTarget = 'gcp' | 'azure';

type PulumiProgram = (split: SplitSpec, apps: number, opts?: pulumi.ComponentResourceOptions) => void;

const PULUMI_PROGRAMS: Record<PulumiTarget, { readonly program: PulumiProgram; readonly component: BaselineComponent }> = {
  gcp: { program: libraryGcpProgram, component: { type: 'read-write-split:index:ReadWriteSplitGcp', name: 'bench' } },
  azure: { program: libraryAzureProgram, component: { type: 'read-write-split:index:ReadWriteSplitAzure', name: 'bench' } },
};

/**
 * The Pulumi sides (under `installBenchMocks`): the library's component, the same resources as
 * children of a hand-written component of the same type and name (the same URNs), and registered
 * flat (the floor). Each run waits until the mocks have answered every registration.
 */
export async function pulumiSides(target: PulumiTarget, datasets: number, apps: number) {
  const { program, component } = PULUMI_PROGRAMS[target];
  const split = benchSplit(datasets, target);
  program(split, apps, { transformations: [recordOptions] });
  const reference = await registeredSince();
  const urns = registeredUrns().length;
  baselinePulumiProgram(reference, PULUMI_CLASSES, component, { transformations: [recordOptions] });
  const sameResources = JSON.stringify(resourceSet(await registeredSince())) === JSON.stringify(resourceSet(reference));
  // The baseline registering the same URNs adds none to what the mock monitor holds.
  if (!sameResources || registeredUrns().length !== urns) throw new Error(`${target} ${datasets}x${apps}: the baseline does not register the same resources and URNs`);
  const timed = (run: () => void) => async () => {
    run();
    await registeredSince();
  };
  return {
    library: timed(() => program(split, apps)),
    handWritten: timed(() => baselinePulumiProgram(reference, PULUMI_CLASSES, component)),
    flat: timed(() => baselinePulumiProgram(reference, PULUMI_CLASSES)),
  };
}
