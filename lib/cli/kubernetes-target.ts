import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Findings, SplitWarning, ValidationProblem } from '../core/errors';
import { checkSplit } from '../core/synthesize';
import { checkWorkloadIdentity } from '../core/workload-identity';
import { ApplicationManifest, ApplicationRestartSchedule, describedSplit, KubernetesTarget, SplitFile } from './split-file';

type KubernetesWorkloads = KubernetesTarget['workloads'];
import { optionalModule } from './optional-module';
import { problemsOf } from './thrown-problems';
import { isMapping } from '../core/mapping';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** A chart of the build and the file it is written to (`<name>.yaml`). */
export interface BuiltChart {
  readonly chart: Chart;
  readonly file: string;
}

/** A file written beside the manifests: a Helm release's values (`workloads: { type: 'helm' }`). */
export interface BuiltFile {
  readonly file: string;
  readonly content: string;
  /** What the file deploys, as an object whose Secret references `secretsToCreate` reads. */
  readonly deploys?: unknown;
}

/** An application whose workload got the reader sidecar: the ServiceAccount its pod runs as, and the identity given. */
export interface AppReader {
  /** The application's entry in the file: `kubernetes.apps[i]`. */
  readonly at: string;
  /** Undefined when neither the entry nor the manifest names one (it is given at apply time). */
  readonly namespace?: string;
  readonly serviceAccount: string;
  /** Where the namespace was given: the entry's `namespace`, or the manifest. */
  readonly namespaceFrom: 'namespace' | 'manifest';
  readonly identity?: ApplicationManifest['identity'];
}

/** The cdk8s app of a file: the split's chart, and a chart per application manifest with the sidecar added. */
export interface KubernetesBuild {
  readonly app?: App;
  readonly charts: readonly BuiltChart[];
  /** The applications that got the sidecar. */
  readonly readers?: readonly AppReader[];
  /** The writer roles' Helm values files, with Helm workloads. */
  readonly files?: readonly BuiltFile[];
  readonly problems: readonly ValidationProblem[];
  /** The warnings the constructs raised of their own props, at the file's paths (the description's are the command's). */
  readonly warnings?: readonly SplitWarning[];
}

type Cdk8s = typeof import('cdk8s');

function workloadOf(objects: readonly ApiObject[], app: ApplicationManifest, at: string): ApiObject | ValidationProblem {
  const workloads = objects.filter((object) => WORKLOAD_KINDS.includes(object.kind));
  const chosen = app.workload === undefined ? workloads : workloads.filter((object) => object.name === app.workload);
  if (chosen.length === 1) return chosen[0];
  const names = workloads.map((object) => `${object.kind}/${object.name}`).join(', ') || 'none';
  return chosen.length === 0 && app.workload !== undefined
    ? { path: `${at}.workload`, message: `${JSON.stringify(app.workload)} is not a workload of ${app.manifest} (it holds ${names})`, fix: 'name one of them' }
    : { path: `${at}.manifest`, message: `${JSON.stringify(app.manifest)} holds ${chosen.length === 0 ? 'no' : 'several'} workloads (${names})`, fix: 'name the one that gets the sidecar with workload, or give a Deployment, StatefulSet or DaemonSet' };
}

/**
 * The manifest's objects, read here rather than by cdk8s `Include` (which loads in a child
 * process that prints its own stack traces): a file that is missing or not YAML is a problem at
 * `…manifest`. Objects keep `Include`'s ids, so the output is the same.
 */
function includeManifest(cdk8s: Cdk8s, chart: Chart, path: string, at: string): ApiObject[] | ValidationProblem {
  const { Construct } = optionalModule<typeof import('constructs')>('constructs', 'k8s');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { path: `${at}.manifest`, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, fix: 'give the path of the manifest, relative to the description file, with / between folders' };
  }
  const parsed = parseAllDocuments(text);
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const broken = documents.flatMap((document) => document.errors);
  if (broken.length > 0) return { path: `${at}.manifest`, message: `${path} is not YAML: ${broken[0].message.split('\n')[0]}`, fix: 'correct the manifest' };
  const objects = documents.map((document) => document.toJS()).filter((object) => object !== null);
  const invalid = objects.findIndex((object) => typeof object?.kind !== 'string' || typeof object?.apiVersion !== 'string');
  if (invalid >= 0) return { path: `${at}.manifest`, message: `document ${invalid + 1} of ${path} is not a Kubernetes object (apiVersion and kind)`, fix: 'give a manifest of Kubernetes objects' };
  let order = 0;
  const include = new Construct(chart, 'manifest');
  return objects.map((object) => {
    const name = object.metadata?.name ?? `object${order++}`;
    return new cdk8s.ApiObject(include, [name, object.kind.toLowerCase(), object.metadata?.namespace].filter(Boolean).join('-'), object);
  });
}

/** `<name>.yaml` file names, unique in the build (a second `app.yaml` becomes `app-2.yaml`). */
function uniqueName(wanted: string, taken: Set<string>): string {
  const base = wanted.toLowerCase().replace(/[^a-z0-9.-]+/g, '-') || 'app';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}


/** The apps' entries that can be built: each a mapping with a manifest path (the others are problems). */
function appEntries(apps: unknown, problems: ValidationProblem[]): [ApplicationManifest, number][] {
  if (apps === undefined) return [];
  if (!Array.isArray(apps)) {
    problems.push({ path: 'kubernetes.apps', message: 'is not a list', fix: 'list the applications: - manifest: path/to/app.yaml' });
    return [];
  }
  return apps.flatMap((app, i): [ApplicationManifest, number][] => {
    if (isMapping(app) && typeof app.manifest === 'string') return [[app as unknown as ApplicationManifest, i]];
    problems.push({ path: `kubernetes.apps[${i}]${isMapping(app) ? '.manifest' : ''}`, message: 'names no manifest', fix: 'give manifest: path/to/app.yaml' });
    return [];
  });
}

/**
 * Builds (does not synthesize) the Kubernetes side of a file with the same constructs a cdk8s app
 * uses; their problems come back with paths of the file (`kubernetes.…`, `split.…`). The chart's
 * own printout of the description's warnings is left out: the command prints each once, at its line.
 */
export function buildKubernetes(file: SplitFile, fileDir: string): KubernetesBuild {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return buildCharts(file, fileDir);
  } finally {
    console.warn = warn;
  }
}

/** Adds the reader sidecar to an application's workload (the split chart's `readerSidecar`, or one built from the description alone). */
type AddSidecar = (chart: Chart, options: ReaderOptions, workload: ApiObject) => void;
type ReaderOptions = Omit<ApplicationManifest, 'manifest' | 'workload' | 'restartSchedule'>;

function buildCharts(file: SplitFile, fileDir: string): KubernetesBuild {
  const cdk8s = optionalModule<Cdk8s>('cdk8s', 'k8s');
  const { ReadWriteSplitChart, ReaderRestartSchedule, SpiceReaderSidecar, WARNING_METADATA } = optionalModule<typeof import('../k8s')>('../k8s', 'k8s');
  const addRestartSchedule: AddRestartSchedule = (chart, workload, schedule) => {
    new ReaderRestartSchedule(chart, 'restart', { ...schedule, workload });
  };
  const app = new cdk8s.App();
  const { apps, ...props } = file.kubernetes ?? {};
  const problems: ValidationProblem[] = [];
  const entries = appEntries(apps, problems);
  const splitName = typeof file.split?.name === 'string' ? file.split.name : 'split';
  const built = (add: AddSidecar) => buildApps({ cdk8s, addRestartSchedule, app, splitName, fileDir, entries }, add);
  let split: InstanceType<typeof ReadWriteSplitChart>;
  try {
    split = new ReadWriteSplitChart(app, splitName, { ...props, workloads: withFilePaths(props.workloads, fileDir), split: describedSplit(file) });
  } catch (error) {
    const chartProblems = problemsOf(error, { props: 'kubernetes' });
    // When only the chart's props are wrong, the applications' sidecars are still checked (from
    // the description alone), so that every problem is reported at once.
    const synthesized = checkSplit(describedSplit(file), new Findings());
    // Without a valid description there is no sidecar to add: what an application's entry holds on
    // its own (its manifest and workload, its identity's shape) is still checked.
    const apps = built(synthesized
      ? (chart, options, workload) => new SpiceReaderSidecar(chart, 'reader', { ...options, synthesized }).addToManifest(workload)
      : (_chart, options) => checkAppAlone(options));
    return { charts: [], readers: synthesized ? apps.readers : undefined, problems: [...chartProblems, ...problems, ...apps.problems] };
  }
  const taken = new Set<string>();
  // With a Spice Cloud writer the split's chart holds the readers' monitoring at most: without it, only the applications' charts are written.
  const cloudWriter = split.synthesized.split.writer.spiceCloud !== undefined;
  const own: BuiltChart[] = cloudWriter && !props.observability ? [] : [{ chart: split, file: `${uniqueName(splitName, taken)}.yaml` }];
  const withSidecars = built((chart, options, workload) => split.readerSidecar(chart, 'reader', options).addToManifest(workload));
  const charts = [...own, ...withSidecars.charts.map(({ chart, manifest }) => ({ chart, file: `${uniqueName(basename(manifest, extname(manifest)), taken)}.yaml` }))];
  return {
    app, charts, readers: withSidecars.readers, files: cloudWriter ? [] : helmValuesFiles(split, taken), problems: [...problems, ...withSidecars.problems],
    warnings: constructWarnings(app, splitName, WARNING_METADATA),
  };
}

/**
 * The warnings the chart and the sidecars recorded of their own props (`props.…`), moved to the
 * file's paths: the chart's under `kubernetes`, a sidecar's under its application's entry.
 */
function constructWarnings(app: App, splitName: string, metadataType: string): SplitWarning[] {
  return app.node.findAll().flatMap((construct) => {
    const chartId = construct.node.scopes[1]?.node.id;
    const entry = /-app-(\d+)$/.exec(chartId ?? '')?.[1];
    const root = chartId === splitName ? 'kubernetes' : entry === undefined ? undefined : `kubernetes.apps[${entry}]`;
    return construct.node.metadata.flatMap((metadata) => {
      const warning = metadata.data as SplitWarning;
      if (metadata.type !== metadataType || root === undefined || !warning.path.startsWith('props.')) return [];
      return [{ ...warning, path: `${root}.${warning.path.slice('props.'.length)}` }];
    });
  });
}

/** What an application's entry holds that needs no description: its identity's shape. */
function checkAppAlone(options: ReaderOptions): void {
  const findings = new Findings();
  checkWorkloadIdentity(options.identity, 'props.identity', findings);
  findings.throwIfProblems('split', 'app');
}

/** Rolls an application's workload on a schedule (`ReaderRestartSchedule`). */
type AddRestartSchedule = (chart: Chart, workload: ApiObject, schedule: ApplicationRestartSchedule) => void;

/** What the applications' charts are built in. */
interface AppsContext {
  readonly cdk8s: Cdk8s;
  readonly addRestartSchedule: AddRestartSchedule;
  readonly app: App;
  readonly splitName: string;
  readonly fileDir: string;
  readonly entries: readonly (readonly [ApplicationManifest, number])[];
}

/** One chart per application: its manifest included, the reader sidecar added to its workload. */
function buildApps(context: AppsContext, add: AddSidecar): { charts: { chart: Chart; manifest: string }[]; readers: AppReader[]; problems: ValidationProblem[] } {
  const { cdk8s, app, splitName, fileDir, entries, addRestartSchedule } = context;
  const charts: { chart: Chart; manifest: string }[] = [];
  const readers: AppReader[] = [];
  const problems: ValidationProblem[] = [];
  const given = new Map<string, string>();
  for (const [spec, i] of entries) {
    const at = `kubernetes.apps[${i}]`;
    const chart = new cdk8s.Chart(app, `${splitName}-app-${i}`, { namespace: spec.namespace });
    const objects = includeManifest(cdk8s, chart, resolve(fileDir, spec.manifest), at);
    const workload = Array.isArray(objects) ? workloadOf(objects, spec, at) : objects;
    if (!(workload instanceof cdk8s.ApiObject)) {
      problems.push(workload);
      continue;
    }
    // Refused, and its own options still checked: every problem at once.
    const twice = givenTwice(workload, spec, at, given);
    if (twice) problems.push(twice);
    const { manifest: _manifest, workload: _workload, restartSchedule, ...options } = spec;
    const before = problems.length;
    try {
      add(chart, { ...options, namespace: spec.namespace ?? workload.metadata.namespace }, workload);
      readers.push({ ...runsAs(workload), at, namespaceFrom: spec.namespace === undefined ? 'manifest' : 'namespace', identity: spec.identity });
    } catch (error) {
      problems.push(...problemsOf(error, { props: at, other: at }));
    }
    if (restartSchedule !== undefined) problems.push(...restartScheduleProblems(() => addRestartSchedule(chart, workload, restartSchedule), restartSchedule, `${at}.restartSchedule`));
    if (problems.length === before && !twice) charts.push({ chart, manifest: spec.manifest });
  }
  return { charts, readers, problems };
}

/**
 * Two entries of one workload would write it twice, each with its own sidecar: the one applied
 * last would replace the other. Undefined for the first entry of a workload.
 */
function givenTwice(workload: ApiObject, spec: ApplicationManifest, at: string, given: Map<string, string>): ValidationProblem | undefined {
  const namespace = spec.namespace ?? workload.metadata.namespace ?? '(the namespace applied to)';
  const id = `${workload.kind} ${namespace}/${workload.name}`;
  const first = given.get(id);
  if (first === undefined) {
    given.set(id, at);
    return undefined;
  }
  return {
    path: `${at}.${spec.workload === undefined ? 'manifest' : 'workload'}`,
    message: `is the ${id} that ${first} gives the sidecar already: both would be written, and the one applied last would replace the other`,
    fix: `give each workload one entry, with every dataset it reads in its datasets (remove this one, or merge it into ${first})`,
  };
}

/** The problems of an application's restart schedule: one that is no mapping, or what the schedule refuses. */
function restartScheduleProblems(add: () => void, schedule: unknown, at: string): ValidationProblem[] {
  if (!isMapping(schedule)) return [{ path: at, message: 'is not a mapping', fix: "give schedule and kubectlImage, e.g. { schedule: '0 */6 * * *', kubectlImage: 'registry.k8s.io/kubectl:v1.31.0' }" }];
  try {
    add();
    return [];
  } catch (error) {
    return problemsOf(error, { props: at, other: at });
  }
}

/** The namespace and ServiceAccount of a workload's pod, as rendered with the sidecar. */
function runsAs(workload: ApiObject): { namespace?: string; serviceAccount: string } {
  const json = workload.toJson();
  return { namespace: json.metadata?.namespace, serviceAccount: json.spec?.template?.spec?.serviceAccountName ?? 'default' };
}

/** A CRD file named in the description file is read from the description file's folder. */
function withFilePaths(workloads: KubernetesWorkloads, fileDir: string): KubernetesWorkloads {
  return workloads?.type === 'spicepodset' && typeof workloads.crdFile === 'string' ? { ...workloads, crdFile: resolve(fileDir, workloads.crdFile) } : workloads;
}

/** Each writer role's Helm values (`<release>.values.yaml`), when the chart renders the writers as Helm releases. */
function helmValuesFiles(chart: { readonly writer: { readonly owner: object; readonly replicas?: object } }, taken: Set<string>): BuiltFile[] {
  return [chart.writer.owner, chart.writer.replicas].flatMap((role) => {
    // Duck-typed: HelmWriterRelease is in read-write-split/k8s, which this module loads only with cdk8s.
    if (!role || !('valuesYaml' in role) || !('releaseName' in role) || !('values' in role) || !('namespace' in role)) return [];
    const deploys = { kind: 'HelmRelease', metadata: { name: role.releaseName, namespace: role.namespace }, values: role.values };
    return [{ file: `${uniqueName(`${String(role.releaseName)}.values`, taken)}.yaml`, content: String(role.valuesYaml), deploys }];
  });
}
