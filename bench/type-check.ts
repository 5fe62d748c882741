import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './measure';

/** A consumer file that uses a subpath, and the same file with its framework alone. */
export const TYPE_CHECKS: readonly { readonly subpath: string; readonly library: string; readonly framework: string }[] = [
  {
    subpath: 'read-write-split',
    framework: "import { stringify } from 'yaml';\nexport const out = stringify({ a: 1 });\n",
    library: "import { stringify } from 'yaml';\nimport { synthesizeSplit, type SplitSpec } from 'read-write-split';\nexport const out = stringify({ a: 1 });\nexport const render = (spec: SplitSpec) => synthesizeSplit(spec);\n",
  },
  {
    subpath: 'read-write-split/k8s',
    framework: "import { App, Chart } from 'cdk8s';\nimport * as kplus from 'cdk8s-plus-28';\nexport const app = new App();\nexport const d = new kplus.Deployment(new Chart(app, 'c'), 'd');\n",
    library: "import { App, Chart } from 'cdk8s';\nimport * as kplus from 'cdk8s-plus-28';\nimport { ReadWriteSplitChart, type ReadWriteSplitChartProps } from 'read-write-split/k8s';\nexport const app = new App();\nexport const d = new kplus.Deployment(new Chart(app, 'c'), 'd');\nexport const chart = (props: ReadWriteSplitChartProps) => new ReadWriteSplitChart(app, 's', props);\n",
  },
  {
    subpath: 'read-write-split/aws',
    framework: "import { App, Stack } from 'aws-cdk-lib';\nimport * as s3 from 'aws-cdk-lib/aws-s3';\nexport const b = new s3.Bucket(new Stack(new App(), 's'), 'b');\n",
    library: "import { App, Stack } from 'aws-cdk-lib';\nimport * as s3 from 'aws-cdk-lib/aws-s3';\nimport { ReadWriteSplitAws, type ReadWriteSplitAwsProps } from 'read-write-split/aws';\nexport const stack = new Stack(new App(), 's');\nexport const b = new s3.Bucket(stack, 'b');\nexport const split = (props: ReadWriteSplitAwsProps) => new ReadWriteSplitAws(stack, 'x', props);\n",
  },
  {
    subpath: 'read-write-split/gcp',
    framework: "import * as pulumi from '@pulumi/pulumi';\nimport { Bucket } from '@pulumi/gcp/storage';\nexport const b = new Bucket('b', { location: 'EU' });\nexport const o: pulumi.Output<string> = b.name;\n",
    library: "import * as pulumi from '@pulumi/pulumi';\nimport { Bucket } from '@pulumi/gcp/storage';\nimport { ReadWriteSplitGcp, type ReadWriteSplitGcpArgs } from 'read-write-split/gcp';\nexport const b = new Bucket('b', { location: 'EU' });\nexport const o: pulumi.Output<string> = b.name;\nexport const split = (args: ReadWriteSplitGcpArgs) => new ReadWriteSplitGcp('s', args);\n",
  },
  {
    subpath: 'read-write-split/azure',
    framework: "import * as pulumi from '@pulumi/pulumi';\nimport { StorageAccount } from '@pulumi/azure-native/storage';\nexport const a = new StorageAccount('a', { resourceGroupName: 'rg', kind: 'StorageV2', sku: { name: 'Standard_ZRS' } });\nexport const o: pulumi.Output<string> = a.name;\n",
    library: "import * as pulumi from '@pulumi/pulumi';\nimport { StorageAccount } from '@pulumi/azure-native/storage';\nimport { ReadWriteSplitAzure, type ReadWriteSplitAzureArgs } from 'read-write-split/azure';\nexport const a = new StorageAccount('a', { resourceGroupName: 'rg', kind: 'StorageV2', sku: { name: 'Standard_ZRS' } });\nexport const o: pulumi.Output<string> = a.name;\nexport const split = (args: ReadWriteSplitAzureArgs) => new ReadWriteSplitAzure('s', args);\n",
  },
];

const COMPILER_OPTIONS = { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', skipLibCheck: false, types: ['node'] };

/**
 * Type-checks a consumer file with the repository's tsc, as a project beside the package (it
 * imports `read-write-split` by the package's own name, from the built dist/): seconds and peak
 * memory (MiB), from /usr/bin/time.
 */
function typeCheckOnce(root: string, name: string, source: string): { seconds: number; mib: number } {
  const dir = join(root, 'bench', '.type-check', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), source);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: ['index.ts'] }));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, tsc, '-p', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed on ${name}:\n${result.stdout}${result.stderr}`);
  const [seconds, kib] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, mib: kib / 1024 };
}

/** Medians of `runs` type-checks of the consumer with the subpath and with its framework alone, alternately. */
export function typeCheckCost(root: string, check: (typeof TYPE_CHECKS)[number], runs = 5) {
  const library: { seconds: number; mib: number }[] = [];
  const framework: { seconds: number; mib: number }[] = [];
  const name = check.subpath.replace(/\W+/g, '-');
  try {
    for (let i = 0; i < runs; i++) {
      library.push(typeCheckOnce(root, `${name}-library`, check.library));
      framework.push(typeCheckOnce(root, `${name}-framework`, check.framework));
    }
  } finally {
    rmSync(join(root, 'bench', '.type-check'), { recursive: true, force: true });
  }
  return {
    subpath: check.subpath,
    librarySeconds: median(library.map((r) => r.seconds)),
    frameworkSeconds: median(framework.map((r) => r.seconds)),
    ratio: median(library.map((r, i) => r.seconds / framework[i].seconds)),
    libraryMiB: Math.max(...library.map((r) => r.mib)),
    frameworkMiB: Math.max(...framework.map((r) => r.mib)),
  };
}
