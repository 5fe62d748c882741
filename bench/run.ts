/**
 * `npm run bench`: what the library adds to its users' synths, side by side with hand-written
 * equivalents (bench/baseline/). Prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coldImport, COLD_IMPORTS } from './cold-import';
import { typeCheckCost, TYPE_CHECKS } from './type-check';
import { pairedTiming, retainedMiB } from './measure';
import { awsSides, installBenchMocks, k8sSides, pulumiSides, PulumiTarget } from './sides';

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
  const sides = k8sSides(datasets, apps);
  const timing = await pairedTiming(sides.library, sides.handWritten);
  return { target: 'kubernetes', datasets, apps, ...timing, libraryMiB: retainedMiB(sides.buildLibrary), baselineMiB: retainedMiB(sides.buildHandWritten) };
}

async function awsCell(datasets: number, apps: number): Promise<Cell> {
  const sides = awsSides(datasets, apps);
  return {
    target: 'aws', datasets, apps, ...(await pairedTiming(sides.library, sides.handWritten)),
    libraryMiB: retainedMiB(sides.buildLibrary),
    baselineMiB: retainedMiB(sides.buildHandWritten),
    floorRatio: (await pairedTiming(sides.library, sides.asLiterals)).ratio,
  };
}

async function pulumiCell(target: PulumiTarget, datasets: number, apps: number): Promise<Cell> {
  const sides = await pulumiSides(target, datasets, apps);
  return {
    target, datasets, apps, ...(await pairedTiming(sides.library, sides.handWritten)),
    floorRatio: (await pairedTiming(sides.library, sides.flat)).ratio,
  };
}

function row(cell: Cell): string {
  const mib = (value?: number) => (value === undefined ? '-' : value.toFixed(1));
  const floor = cell.floorRatio === undefined ? '-' : `${cell.floorRatio.toFixed(2)}x`;
  return [cell.target, cell.datasets, cell.apps, cell.libraryMs.toFixed(1), cell.baselineMs.toFixed(1), `${cell.ratio.toFixed(2)}x`, floor, mib(cell.libraryMiB), mib(cell.baselineMiB), cell.pairs]
    .map(String).join(' | ');
}

async function main(): Promise<void> {
  installBenchMocks();
  const cells: Cell[] = [];
  console.log('target | datasets | apps | library ms | baseline ms | ratio | ratio to the floor | library MiB | baseline MiB | pairs');
  for (const datasets of DATASETS) {
    for (const apps of APPS) {
      const targets = {
        kubernetes: () => k8sCell(datasets, apps), aws: () => awsCell(datasets, apps),
        gcp: () => pulumiCell('gcp', datasets, apps),
        azure: () => pulumiCell('azure', datasets, apps),
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
