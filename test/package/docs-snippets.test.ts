import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, typeCheckConsumer } from '../support/consumer-project';
import { ROOT } from '../support/run';

/**
 * The TypeScript snippets of the README and docs/, type-checked against the compiled package as a
 * user who copies them would: a stale prop name, a missing import or a value of the wrong kind
 * fails here. A snippet may use what the document defines elsewhere (an `app`, a split
 * description); those names and their types are listed per document below. A block preceded by an
 * `<!-- fragment ... -->` comment leaves fields out on purpose and is skipped.
 */
const SPEC = "import('read-write-split').SplitSpec";
const APP = "import('cdk8s').App";
const CHART = "import('cdk8s').Chart";
const DEPLOYMENT = "import('cdk8s-plus-28').Deployment";
const CHART_CLASS = "typeof import('read-write-split/k8s').ReadWriteSplitChart";
const STACK = "import('aws-cdk-lib').Stack";

const DEFINED_ELSEWHERE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'README.md': {},
  'docs/aws.md': { orders: SPEC, stack: STACK },
  'docs/azure.md': { telemetry: SPEC, nodeSubnet: "import('@pulumi/azure-native/network').Subnet", app: APP, devices: CHART, deviceApi: DEPLOYMENT },
  'docs/gcp.md': { catalog: SPEC, app: APP, shop: CHART, web: DEPLOYMENT, ReadWriteSplitChart: CHART_CLASS },
  'docs/kubernetes.md': {
    ordersSpec: SPEC, inventorySpec: SPEC, app: APP, orders: "import('read-write-split/k8s').ReadWriteSplitChart", shop: CHART, web: DEPLOYMENT,
    writerIdentity: "import('read-write-split/k8s').WorkloadIdentity", ReadWriteSplitChart: CHART_CLASS,
  },
  'docs/off-kubernetes.md': {
    stack: STACK, ecs: "typeof import('aws-cdk-lib/aws-ecs')", cluster: "import('aws-cdk-lib/aws-ecs').ICluster",
    insights: "import('read-write-split').SpiceCloudSplitSpec", catalog: SPEC,
    ordersAws: "import('read-write-split/aws').ReadWriteSplitAws", catalogGcp: "import('read-write-split/gcp').ReadWriteSplitGcp",
    telemetryAzure: "import('read-write-split/azure').ReadWriteSplitAzure",
    SpiceReaderFargateTask: "typeof import('read-write-split/aws').SpiceReaderFargateTask",
    SpiceReaderCloudRun: "typeof import('read-write-split/gcp').SpiceReaderCloudRun",
    SpiceReaderContainerApp: "typeof import('read-write-split/azure').SpiceReaderContainerApp",
    appKey: "import('aws-cdk-lib/aws-secretsmanager').ISecret", app: "import('read-write-split/gcp').SpiceReaderCloudRunArgs['app']",
    resourceGroupName: 'string', managedEnvironmentId: 'string', container: "import('read-write-split/azure').SpiceReaderContainerAppArgs['container']",
    secretUrl: 'string', keyVaultId: 'string',
    environment: "import('@pulumi/azure-native/app').ManagedEnvironment", registry: "import('@pulumi/azure-native/containerregistry').Registry",
  },
  'docs/split-description.md': { spec: SPEC },
  'docs/upgrades.md': {},
  'docs/writer-targets.md': {
    app: APP, catalog: SPEC, ordersSpec: SPEC, insights: "import('read-write-split').SpiceCloudSplitSpec",
    reportingChart: CHART, reportingDeployment: DEPLOYMENT, dashboards: DEPLOYMENT, ReadWriteSplitChart: CHART_CLASS,
  },
};

interface Snippet {
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly source: string;
  readonly fragment: boolean;
}

function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const end = lines.indexOf('```', i + 1);
    snippets.push({ doc, line: i + 1, source: lines.slice(i + 1, end).join('\n'), fragment: /^<!-- fragment\b/.test(lines[i - 1] ?? '') });
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

/** The source reads `name` itself: not a property (`x.name`, `'name'`), though a spread (`...name`) is. */
function uses(source: string, name: string): boolean {
  return [...source.matchAll(new RegExp(`(?<![\\w'"/-])${name}\\b`, 'g'))].some(({ index }) => source[index - 1] !== '.' || source.slice(index - 3, index) === '...');
}

/** The snippet as a module, after declarations of what its document defines elsewhere and it uses. */
function moduleOf(snippet: Snippet): string {
  const elsewhere = DEFINED_ELSEWHERE[snippet.doc] ?? {};
  const declared = declaredIn(snippet.source);
  const ambient = Object.entries(elsewhere)
    .filter(([name]) => !declared.has(name) && uses(snippet.source, name))
    .map(([name, type]) => `declare const ${name}: ${type};`);
  return `${ambient.join('\n')}\n${snippet.source}\nexport {};\n`;
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const snippets = DOCS.flatMap(snippetsOf);
const checked = snippets.filter((s) => !s.fragment);
const fileOf = (snippet: Snippet) => `${snippet.doc.replace(/\W+/g, '-')}-${snippet.line}.ts`;

afterAll(removeTempDirs);

describe('the TypeScript snippets of the README and docs/', { timeout: 120_000 }, () => {
  it('are found: every document with snippets is listed with what it defines elsewhere', () => {
    expect(checked.length).toBeGreaterThanOrEqual(25);
    expect(snippets.filter((s) => s.fragment).map((s) => `${s.doc}:${s.line}`)).toEqual(['docs/aws.md:225', 'docs/upgrades.md:33']);
    expect([...new Set(snippets.map((s) => s.doc))].filter((doc) => !(doc in DEFINED_ELSEWHERE))).toEqual([]);
  });

  it('type-check against the compiled package, as a user copying them compiles them', () => {
    const files = Object.fromEntries(checked.map((snippet) => [fileOf(snippet), moduleOf(snippet)]));
    const result = typeCheckConsumer({ files, compilerOptions: { module: 'node16', moduleResolution: 'node16', types: ['node'] } });
    // Each error names the document and the line of the snippet's fence in its file name.
    expect(result.errors).toEqual([]);
    expect(result.status, result.output).toBe(0);
  });
});
