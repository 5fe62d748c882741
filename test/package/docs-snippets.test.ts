import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, typeCheckConsumer } from '../support/consumer-project';
import { ROOT } from '../support/run';

/**
 * The TypeScript snippets of the README and docs/, type-checked against the compiled package as a
 * user who copies them would: a stale prop name, a missing import or a value of the wrong kind
 * fails here. A snippet imports what it uses from the library and the frameworks; it may assume
 * what a program around it holds (an `app`, a split description, the application's Deployment):
 * those names and their types are listed per document below. A block preceded by an
 * `<!-- fragment ... -->` comment leaves fields out on purpose and is skipped.
 */
const SPEC = "import('read-write-split').SplitSpec";
const APP = "import('cdk8s').App";
const CHART = "import('cdk8s').Chart";
const DEPLOYMENT = "import('cdk8s-plus-28').Deployment";
const SPLIT_CHART = "import('read-write-split/k8s').ReadWriteSplitChart";
const STACK = "import('aws-cdk-lib').Stack";

const ASSUMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'README.md': {},
  'docs/aws.md': { orders: SPEC, stack: STACK },
  'docs/azure.md': { telemetry: SPEC, nodeSubnet: "import('@pulumi/azure-native/network').Subnet", app: APP, devices: CHART, deviceApi: DEPLOYMENT },
  'docs/gcp.md': { catalog: SPEC, app: APP, shop: CHART, web: DEPLOYMENT },
  'docs/kubernetes.md': {
    ordersSpec: SPEC, inventorySpec: SPEC, app: APP, orders: SPLIT_CHART, chart: SPLIT_CHART, shop: CHART, web: DEPLOYMENT,
    writerIdentity: "import('read-write-split/k8s').WorkloadIdentity",
  },
  'docs/off-kubernetes.md': {
    stack: STACK, vpc: "import('aws-cdk-lib/aws-ec2').IVpc",
    insights: "import('read-write-split').SpiceCloudSplitSpec", catalog: SPEC,
    ordersAws: "import('read-write-split/aws').ReadWriteSplitAws", catalogGcp: "import('read-write-split/gcp').ReadWriteSplitGcp",
    telemetryAzure: "import('read-write-split/azure').ReadWriteSplitAzure",
    appKey: "import('aws-cdk-lib/aws-secretsmanager').ISecret", app: "import('read-write-split/gcp').SpiceReaderCloudRunArgs['app']",
    resourceGroupName: 'string', managedEnvironmentId: 'string', container: "import('read-write-split/azure').SpiceReaderContainerAppArgs['container']",
    secretUrl: 'string', keyVaultId: 'string',
    environment: "import('@pulumi/azure-native/app').ManagedEnvironment", registry: "import('@pulumi/azure-native/containerregistry').Registry",
  },
  'docs/split-description.md': { spec: SPEC },
  'docs/upgrades.md': {},
  'docs/writer-targets.md': {
    app: APP, catalog: SPEC, ordersSpec: SPEC, insights: "import('read-write-split').SpiceCloudSplitSpec",
    reportingChart: CHART, reportingDeployment: DEPLOYMENT, dashboards: DEPLOYMENT,
  },
};

interface Snippet {
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly source: string;
  readonly fragment: boolean;
}

/** The ```ts blocks of a document, indented ones (in a list) included. */
function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(?:ts|typescript)\b/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end < 0) throw new Error(`${doc}:${i + 1}: the snippet's fence is never closed`);
    const source = lines.slice(i + 1, end).map((line) => line.slice(fence[1].length)).join('\n');
    snippets.push({ doc, line: i + 1, source, fragment: /^\s*<!-- fragment\b/.test(lines[i - 1] ?? '') });
    i = end;
  }
  return snippets;
}

/** Names a snippet declares or imports itself. */
function declaredIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of list.split(',')) names.add(item.replace(/^\s*type\s+/, '').split(/\s+as\s+/).pop()!.trim());
  }
  for (const [, name] of source.matchAll(/import\s+(?:\*\s+as\s+)?(\w+)\s+from/g)) names.add(name);
  for (const [, name] of source.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)) names.add(name);
  return names;
}

/**
 * The source reads `name` itself: not a property (`x.name`, `'name'`, a key `name:`), though a
 * spread (`...name`) and a shorthand property (`{ name }`) are.
 */
function uses(source: string, name: string): boolean {
  return [...source.matchAll(new RegExp(`(?<![\\w'"/-])${name}\\b(?!\\s*:(?!:))`, 'g'))]
    .some(({ index }) => source[index - 1] !== '.' || source.slice(index - 3, index) === '...');
}

/**
 * The snippet as a module, after one line declaring what it assumes: line N + 1 of the file is
 * line N of the snippet, the fence's line + N of the document.
 */
function moduleOf(snippet: Snippet): string {
  const declared = declaredIn(snippet.source);
  const assumed = Object.entries(ASSUMED[snippet.doc] ?? {})
    .filter(([name]) => !declared.has(name) && uses(snippet.source, name))
    .map(([name, type]) => `declare const ${name}: ${type};`);
  return `${assumed.join(' ')}\n${snippet.source}\nexport {};\n`;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const snippets = DOCS.flatMap(snippetsOf);
const checked = snippets.filter((s) => !s.fragment);
const fileOf = (snippet: Snippet) => `${snippet.doc.replace(/\W+/g, '-')}-${snippet.line}.ts`;

afterAll(removeTempDirs);

describe('the TypeScript snippets of the README and docs/', { timeout: 120_000 }, () => {
  it('are found: every document with snippets is listed with what it assumes', () => {
    expect(checked).toHaveLength(29);
    // Pinned by the snippet's first line, which moves less than its line number does.
    const fragments = snippets.filter((s) => s.fragment).map((s) => `${s.doc}: ${s.source.split('\n')[0].trim()}`);
    expect(fragments).toEqual([
      "docs/aws.md: export const orders: SplitSpec = { name: 'orders', /* … */ acknowledgedWarnings: ['no-hot-swap'] };",
      "docs/upgrades.md: import { join } from 'node:path';",
      'docs/upgrades.md: upgradeFrom: {',
    ]);
    expect([...new Set(snippets.map((s) => s.doc))].filter((doc) => !(doc in ASSUMED))).toEqual([]);
  });

  it('type-check against the compiled package, as a user copying them compiles them', () => {
    const files = Object.fromEntries(checked.map((snippet) => [fileOf(snippet), moduleOf(snippet)]));
    const result = typeCheckConsumer({ files, compilerOptions: { module: 'node16', moduleResolution: 'node16', types: ['node'] } });
    // Each error names the document and the line of the snippet's fence in its file name.
    expect(result.errors).toEqual([]);
    expect(result.status, result.output).toBe(0);
  });
});
