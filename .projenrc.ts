import { javascript, typescript } from 'projen';

/**
 * The source of package.json, tsconfig*.json and .projen/tasks.json.
 * Change this file, then run `npx projen` and commit what it generates.
 */

/** Framework versions known to work together here (see docs/toolchain.md). */
const frameworks: Record<string, string> = {
  'aws-cdk-lib': '2.276.0',
  'constructs': '10.8.1',
  'cdk8s': '2.70.106',
  'cdk8s-plus-28': '2.5.6',
  '@pulumi/pulumi': '3.270.0',
  '@pulumi/gcp': '9.37.0',
  '@pulumi/azure-native': '3.28.0',
  // The command line's aws target runs it when installed (its report beside the template).
  'cdk-nag': '3.0.2',
};

/** One subpath export per adapter, so a cdk8s-only user never loads aws-cdk-lib or Pulumi. */
const subpaths = ['k8s', 'aws', 'gcp', 'azure', 'compose'];

const project = new typescript.TypeScriptProject({
  name: 'read-write-split',
  description:
    'Constructs that deploy Spice (spiced) in its read/write separation pattern: a writer cluster, read sidecars and a shared snapshot bucket.',
  license: 'Apache-2.0',
  copyrightOwner: 'read-write-split authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.19.0',
  projenrcTs: true,
  projenrcTsOptions: { filename: '.projenrc.ts' },
  runner: typescript.TypeScriptRunner.tsx(),
  typescriptVersion: '5.9.3',
  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  artifactsDirectory: 'dist-package',
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',
  sampleCode: false,
  jest: false,
  eslint: false,
  prettier: false,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  vscode: false,
  // The CLI's (lib/cli): commander 14 (15 is ESM-only, for Node 22), ajv for the description's schema.
  deps: ['yaml@2.9.1', 'commander@14.0.3', 'ajv@8.20.0', 'fastest-levenshtein@1.0.16'],
  peerDeps: Object.entries(frameworks).map(([name, version]) => `${name}@^${version}`),
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    ...Object.entries(frameworks).map(([name, version]) => `${name}@${version}`),
    'projen@0.103.25',
    'tsx@4.23.15',
    'vitest@4.1.12',
    // Writes schemas/split-file.schema.json from the CLI's types (2.5+ needs Node 22).
    'ts-json-schema-generator@2.4.0',
    'fast-check@4.10.2',
    'kubernetes-models@5.1.0',
    '@kubernetes-models/prometheus-operator@6.0.0',
    '@kubernetes-models/cert-manager@6.0.0',
    '@kubernetes-models/external-secrets@2.0.0',
    'cdk8s-cli@2.207.60',
    'aws-cdk@2.1148.1',
    '@types/node@20.19.43',
  ],
  tsconfig: {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'node16',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE16,
      skipLibCheck: true,
      esModuleInterop: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      strict: true,
      // No source maps: the package ships no .ts sources for a map to point into, and inline maps
      // with their sources made the JavaScript in dist/ more than three times larger.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts', '../vitest.config.mts'],
    compilerOptions: {},
  },
  gitignore: ['/out/', '/test-results/', '/cdk.out/', '*.tsbuildinfo'],
  npmignoreEnabled: true,
});

project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  ...Object.fromEntries(
    subpaths.map((subpath) => [
      `./${subpath}`,
      { types: `./dist/${subpath}/index.d.ts`, default: `./dist/${subpath}/index.js` },
    ]),
  ),
  './package.json': './package.json',
  // The command line's description file schema, for editors and validators (`require.resolve`).
  './schemas/split-file.schema.json': './schemas/split-file.schema.json',
  // The Spice Helm chart's values as its templates read them (the chart ships no schema of its own).
  './schemas/spice-helm-values.schema.json': './schemas/spice-helm-values.schema.json',
});
// TypeScript's node10 resolution (`"module": "commonjs"`, common in older CDK apps) ignores
// `exports`: typesVersions maps each subpath to its declarations there.
project.package.addField('typesVersions', {
  '*': Object.fromEntries(subpaths.map((subpath) => [subpath, [`dist/${subpath}/index.d.ts`]])),
});
// Ship what a user needs: the compiled JavaScript and its declarations (npm always adds
// package.json, README.md and LICENSE). An allow-list, so that new folders stay out by default.
// The description file's schema too: editors read it from node_modules (docs/cli.md).
// The docs ship too: the README links to them, and users read them offline beside the code.
// The command line's example files ship too: the README links one, and `validate` runs on them as installed.
// So does the Helm values schema that docs/writer-targets.md checks the writers' values against.
project.package.addField('files', ['dist/**/*.js', 'dist/**/*.d.ts', 'schemas/split-file.schema.json', 'schemas/spice-helm-values.schema.json', 'schemas/spicepodset-v2.schema.json', 'schemas/README.md', 'docs/*.md', 'examples/**/*.ts', 'examples/**/*.yaml', 'examples/**/*.json',
  // What running an example leaves beside it (cdk synth, cdk8s synth, an install) is not published.
  '!examples/**/cdk.out/**', '!examples/**/dist/**', '!examples/**/imports/**', '!examples/**/node_modules/**']);
project.package.addField('bin', { 'read-write-split': 'dist/cli/main.js' });
// projen ignores `dist` for jsii's artifacts; here dist/ is the libdir, so that line only contradicts
// the `!/dist/**` lines above it (the `files` allow-list decides what ships either way).
project.npmignore?.removePatterns('dist');
project.package.addField(
  'peerDependenciesMeta',
  Object.fromEntries(Object.keys(frameworks).map((name) => [name, { optional: true }])),
);

const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests, examples and benchmarks',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.reset();
project.testTask.spawn(project.compileTask);
project.testTask.spawn(typecheck);
project.testTask.exec('vitest run');

const synth = project.addTask('synth', {
  description: 'Synthesize every example into out/ with the real tools',
});
// Examples import the package by its name, as users do, so they run against the compiled dist/.
synth.spawn(project.compileTask);
const synthSpicepods = project.addTask('synth:spicepods', {
  description: 'Render the writer and reader Spicepods of every example split into out/spicepods/',
  exec: 'tsx examples/spicepods/main.ts out/spicepods',
});
synth.spawn(synthSpicepods);
const synthGcp = project.addTask('synth:gcp', {
  description: 'Run the example Pulumi program under mocks and write its resources to out/gcp/resources.json',
  exec: 'tsx examples/gcp/synth.ts out/gcp',
});
synth.spawn(synthGcp);
// The cdk8s app reads the Azure stack's outputs (the identities' client ids): Azure first.
const synthAzure = project.addTask('synth:azure', {
  description: 'Run the example Pulumi program under mocks: resources to out/azure/resources.json, outputs to out/azure/stack-outputs.json',
  exec: 'tsx examples/azure/synth.ts out/azure',
});
synth.spawn(synthAzure);
const synthK8s = project.addTask('synth:k8s', {
  description: 'Synthesize the example cdk8s app with cdk8s-cli into out/k8s/',
  cwd: 'examples/k8s',
  exec: 'cdk8s synth --no-check-upgrade --output ../../out/k8s',
});
synth.spawn(synthK8s);
const synthAws = project.addTask('synth:aws', {
  description: 'Synthesize the example CDK app with the aws-cdk CLI (offline) into out/aws/',
  cwd: 'examples/aws',
  env: { CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  exec: 'cdk synth --quiet --no-notices --output ../../out/aws',
});
synth.spawn(synthAws);
const synthHelm = project.addTask('synth:helm', {
  description: 'Write the orders example split with its writer roles as Spice Helm chart releases: the library\'s manifests and one values file per release, into out/helm/<split>/',
  exec: 'tsx examples/helm/synth.ts out/helm',
});
synth.spawn(synthHelm);
const synthOperator = project.addTask('synth:operator', {
  description: 'Synthesize the catalog example split with its writer roles as SpicepodSets (Enterprise operator) into out/operator/',
  exec: 'tsx examples/operator/synth.ts out/operator',
});
synth.spawn(synthOperator);
const synthCompose = project.addTask('synth:compose', {
  description: 'Write the laptop reader (Docker Compose) of the orders and catalog example splits into out/compose/<split>/',
  exec: 'tsx examples/compose/synth.ts out/compose',
});
synth.spawn(synthCompose);
// The command line on its example description file, as a user without TypeScript runs it.
const synthCli = project.addTask('synth:cli', {
  description: 'Run the command line (read-write-split synth) on each description file of examples/cli/ into out/cli/<split>/',
});
for (const split of ['orders', 'catalog', 'telemetry', 'insights']) {
  synthCli.exec(`node dist/cli/main.js synth examples/cli/${split}.split.yaml --out out/cli/${split}`);
}
synth.spawn(synthCli);

// After a deploy: every synth checks the example descriptions against these locks (docs/upgrades.md).
const lock = project.addTask('lock', {
  description: 'After a deploy: write the lock of every example split (examples/splits/locks/) from its current description',
});
lock.spawn(project.compileTask);
lock.exec('tsx examples/lock/main.ts');

project.addTask('schema', {
  description: 'Write schemas/split-file.schema.json (the command line\'s description file) from lib/cli/split-file.ts',
  exec: 'tsx scripts/split-file-schema.ts',
});

const bench = project.addTask('bench', { description: 'Benchmarks: the library against hand-written equivalents (bench/run.ts, writes bench/results.json), then the core micro-benchmarks' });
bench.spawn(project.compileTask);
bench.exec('node --expose-gc --import tsx bench/run.ts');
bench.exec('vitest bench --run');

project.gitignore.exclude('/bench/.type-check/');

project.synth();
