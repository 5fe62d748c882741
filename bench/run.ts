/**
 * `npm run bench`: what the library adds to its users' synths, side by side with hand-written
 * equivalents (bench/baseline/). Prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineAwsApp, prepareAwsBaseline } from './baseline/aws';
import { baselineAwsL2App, prepareAwsL2Baseline } from './baseline/aws-l2';
import { baselineK8sApp, prepareK8sBaseline } from './baseline/k8s';
import { coldImport, COLD_IMPORTS } from './cold-import';
import { typeCheckCost, TYPE_CHECKS } from './type-check';
import { mockAzureResource } from '../examples/azure/mock-cloud';
import type * as pulumi from '@pulumi/pulumi';
import { installCloudMocks, recordOptions, Registered, registeredSince, registeredUrns } from '../test/support/pulumi-mocks';
import { BaselineComponent, baselinePulumiProgram } from './baseline/pulumi';
import { PULUMI_CLASSES } from './baseline/pulumi-classes';
import { BENCH_CLUSTER, BENCH_ENDPOINT, libraryAwsApp, libraryAzureProgram, libraryGcpProgram, libraryK8sApp } from './library';
import { benchApps, benchSplit } from './workload';
import type { ReadWriteSplitAws } from '../dist/aws';
import type { SplitSpec } from '../dist/core';
import { pairedTiming, retainedMiB } from './measure';
import { expectSameManifests } from './same-manifests';

const DATASETS = [1, 10, 100, 1000];
/** `BENCH_TARGETS=aws,gcp npm run bench` times only those columns of the grid, and writes no results. */
const ONLY = process.env.BENCH_TARGETS?.split(',');
const APPS = [1, 10, 50];

interface Cell {
  readonly target: string;
  readonly datasets: number;
  readonly apps: number;
  readonly libraryMs: number;
  readonly baselineMs: number;
  readonly ratio: number;
  readonly pairs: number;
  readonly libraryMiB?: number;
  readonly baselineMiB?: number;
  /**
   * The ratio to the floor below any program of the same output: AWS, the same template as L1
   * literals; GCP and Azure, the same resources registered flat, without their component.
   */
  readonly floorRatio?: number;
}

async function k8sCell(datasets: number, apps: number): Promise<Cell> {
  const split = benchSplit(datasets);
  const baseline = prepareK8sBaseline(libraryK8sApp(split, apps));
  const library = () => libraryK8sApp(split, apps).synthYaml();
  const handWritten = () => baselineK8sApp(baseline).synthYaml();
  expectSameManifests(`kubernetes ${datasets}x${apps}`, library(), handWritten());
  const timing = await pairedTiming(library, handWritten);
  return {
    target: 'kubernetes', datasets, apps, ...timing,
    libraryMiB: retainedMiB(() => libraryK8sApp(split, apps)),
    baselineMiB: retainedMiB(() => baselineK8sApp(baseline)),
  };
}

/** A synthesized template, as `cdk synth` writes it. */
const templateOf = (app: ReturnType<typeof libraryAwsApp>) => JSON.stringify(app.synth().getStackByName('Bench').template);

async function awsCell(datasets: number, apps: number): Promise<Cell> {
  const description = benchSplit(datasets);
  const reference = libraryAwsApp(description, apps);
  const split = reference.node.findChild('Bench').node.findChild('Split') as ReadWriteSplitAws;
  const l2 = prepareAwsL2Baseline(split.synthesized, benchApps(apps).map((app) => app.namespace), BENCH_ENDPOINT, BENCH_CLUSTER);
  const literals = prepareAwsBaseline(JSON.parse(templateOf(reference)));
  const library = () => templateOf(libraryAwsApp(description, apps));
  const handWritten = () => templateOf(baselineAwsL2App(l2));
  const asLiterals = () => templateOf(baselineAwsApp(literals));
  if (library() !== handWritten()) throw new Error(`aws ${datasets}x${apps}: the L2 baseline does not synthesize the same template`);
  if (library() !== asLiterals()) throw new Error(`aws ${datasets}x${apps}: the L1 baseline does not synthesize the same template`);
  return {
    target: 'aws', datasets, apps, ...(await pairedTiming(library, handWritten)),
    libraryMiB: retainedMiB(() => libraryAwsApp(description, apps)),
    baselineMiB: retainedMiB(() => baselineAwsL2App(l2)),
    floorRatio: (await pairedTiming(library, asLiterals)).ratio,
  };
}

/** What a Pulumi program registered, comparable between the component and the hand-written program. */
const resourceSet = (resources: readonly Registered[]) => resources
  .filter((r) => !r.type.startsWith('read-write-split:'))
  .map((r) => JSON.stringify([r.type, r.name, r.inputs, r.protect ?? false, r.retainOnDelete ?? false]))
  .sort();

/** URNs the mock monitor holds: the baseline registering the same ones adds none. */
const urnCount = () => registeredUrns().length;

type PulumiProgram = (split: SplitSpec, apps: number, opts?: pulumi.ComponentResourceOptions) => void;

async function pulumiCell(target: 'gcp' | 'azure', program: PulumiProgram, component: BaselineComponent, datasets: number, apps: number): Promise<Cell> {
  const split = benchSplit(datasets, target);
  program(split, apps, { transformations: [recordOptions] });
  const reference = await registeredSince();
  const urns = urnCount();
  baselinePulumiProgram(reference, PULUMI_CLASSES, component, { transformations: [recordOptions] });
  const sameResources = JSON.stringify(resourceSet(await registeredSince())) === JSON.stringify(resourceSet(reference));
  if (!sameResources || urnCount() !== urns) throw new Error(`${target} ${datasets}x${apps}: the baseline does not register the same resources and URNs`);
  const timed = (run: () => void) => async () => {
    run();
    await registeredSince();
  };
  const library = timed(() => program(split, apps));
  return {
    target, datasets, apps, ...(await pairedTiming(library, timed(() => baselinePulumiProgram(reference, PULUMI_CLASSES, component)))),
    floorRatio: (await pairedTiming(library, timed(() => baselinePulumiProgram(reference, PULUMI_CLASSES)))).ratio,
  };
}

function row(cell: Cell): string {
  const mib = (value?: number) => (value === undefined ? '-' : value.toFixed(1));
  const floor = cell.floorRatio === undefined ? '-' : `${cell.floorRatio.toFixed(2)}x`;
  return [cell.target, cell.datasets, cell.apps, cell.libraryMs.toFixed(1), cell.baselineMs.toFixed(1), `${cell.ratio.toFixed(2)}x`, floor, mib(cell.libraryMiB), mib(cell.baselineMiB), cell.pairs]
    .map(String).join(' | ');
}

async function main(): Promise<void> {
  // Every resource answered with its inputs (Azure's with its ids), the subnetwork lookup with Private Google Access.
  installCloudMocks({
    resource: (type, name, inputs) => (type.startsWith('azure-native:') ? mockAzureResource(type, name, inputs) : { id: `${name}-id`, state: inputs }),
    call: (_token, inputs) => ({ ...inputs, privateIpGoogleAccess: true }),
  });
  const cells: Cell[] = [];
  console.log('target | datasets | apps | library ms | baseline ms | ratio | ratio to the floor | library MiB | baseline MiB | pairs');
  for (const datasets of DATASETS) {
    for (const apps of APPS) {
      const targets = {
        kubernetes: () => k8sCell(datasets, apps), aws: () => awsCell(datasets, apps),
        gcp: () => pulumiCell('gcp', libraryGcpProgram, { type: 'read-write-split:index:ReadWriteSplitGcp', name: 'bench' }, datasets, apps),
        azure: () => pulumiCell('azure', libraryAzureProgram, { type: 'read-write-split:index:ReadWriteSplitAzure', name: 'bench' }, datasets, apps),
      };
      for (const [target, measure] of Object.entries(targets)) {
        if (ONLY && !ONLY.includes(target)) continue;
        const cell = await measure();
        cells.push(cell);
        console.log(row(cell));
      }
    }
  }
  if (ONLY) return;
  console.log('\nsubpath | cold import ms | framework alone ms | ratio | modules | framework modules');
  const imports = COLD_IMPORTS.map(({ subpath, baseline }) => {
    const result = coldImport(subpath, baseline, join(__dirname, '..'));
    console.log([subpath, result.libraryMs.toFixed(1), result.baselineMs.toFixed(1), `${result.ratio.toFixed(2)}x`, result.libraryModules, result.baselineModules].join(' | '));
    return result;
  });
  console.log('\nsubpath | type-check s | framework alone s | ratio | peak MiB | framework peak MiB');
  const typeChecks = TYPE_CHECKS.map((check) => {
    const result = typeCheckCost(join(__dirname, '..'), check);
    console.log([check.subpath, result.librarySeconds, result.frameworkSeconds, `${result.ratio.toFixed(2)}x`, result.libraryMiB.toFixed(0), result.frameworkMiB.toFixed(0)].join(' | '));
    return result;
  });
  const results = { node: process.version, date: new Date().toISOString(), grid: cells, coldImports: imports, typeChecks };
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
