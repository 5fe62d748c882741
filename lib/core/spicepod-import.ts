import { Findings, quote, SplitValidationError, ValidationProblem } from './errors';
import { resolveSnapshotStore, SnapshotStoreSpec } from './snapshot-store';
import { checkResolvedSplit, SplitSpec } from './split';
import { SPLIT_NAME, SPLIT_NAME_FIX, splitNameProblem } from './split-name';
import { DatasetImportContext, importDataset, ImportedDataset, isPodObject, PodObject, SourceSecretKeys } from './spicepod-import-dataset';

/**
 * Something of the Spicepod that the split description does not carry as it was written: a
 * component the split has no place for, a setting it renders otherwise, a value it moved.
 */
export interface ImportNote {
  /** Where it is in the Spicepod, e.g. `datasets[3].acceleration.engine`. */
  readonly path: string;
  /** Why it could not be mapped as written, what the description holds instead, and what to do. */
  readonly reason: string;
}

/**
 * How an imported secret was written in the Spicepod.
 * - `reference`: the whole param was a reference, e.g. `${secrets:PG_PASS}`.
 * - `template`: references inside other text, e.g. `postgres://app:${secrets:PG_PASS}@db/orders`.
 * - `inline`: a credential param written as a plain value (never copied).
 * - `missing`: a database password the split requires and the Spicepod does not set.
 */
export type ImportedSecretKind = 'reference' | 'template' | 'inline' | 'missing';

/** A key of the Kubernetes Secret the writers read source credentials from: create it before deploying. */
export interface ImportedSecret {
  /** The Secret, `<split>-sources`, in the split's namespace. */
  readonly secretName: string;
  /** The key inside it. */
  readonly key: string;
  /**
   * What the Spicepod had: the reference as written (`reference`), the references the value
   * embeds (`template`), or the Spicepod path of the param (`inline`, `missing`: no value is copied).
   */
  readonly from: string;
  readonly kind: ImportedSecretKind;
  /** Names (in the description) of the datasets that read the key. */
  readonly datasets: readonly string[];
}

/** Options of `importSpicepod`. */
export interface SpicepodImportOptions {
  /**
   * Name of the split.
   *
   * @default - the Spicepod's name, made a split name (lowercase letters, digits and '-', at most 37)
   */
  readonly name?: string;
}

/** A single-tier Spicepod as a split description, with what did not map and the Secret keys to create. */
export interface SpicepodImport {
  /** A description that `resolveSplit` accepts. */
  readonly description: SplitSpec;
  /** Everything the description does not carry as the Spicepod wrote it, and what to do about each. */
  readonly unmapped: readonly ImportNote[];
  /** The keys of the sources Secret the writers read, one per distinct credential. */
  readonly secrets: readonly ImportedSecret[];
  /** Paths of the description that hold placeholders, not values of the Spicepod (`store.bucket`, `store.region`): set them before deploying. */
  readonly placeholders: readonly string[];
}

/** The root of the Spicepod in problem paths. */
const POD_ROOT = '(spicepod)';
const PLACEHOLDER_REGIONS = { aws: 'us-east-1', gcp: 'us-central1', azure: 'eastus' } as const;
const NOT_A_SPLIT_COMPONENT = 'the split renders datasets only, so it is not imported: serve it from a separate spiced deployment, or keep the Spicepod single-tier';
const TOP_LEVEL_REASONS: Readonly<Record<string, string>> = {
  runtime: "runtime settings are not imported: the library renders each tier's runtime (API-key auth with the cluster key, TLS with writer.tls); add what you rely on to the rendered Spicepods yourself",
  secrets: "secret stores are not imported: the writers read secrets from their environment only, filled from Kubernetes Secrets; store the values this store held under the keys listed in the import's secrets",
  catalogs: "catalogs register tables dynamically, which the split cannot snapshot or delegate one by one: not imported; list the tables you need as datasets ('<connector>:<schema>.<table>')",
  views: "views are not rendered (spiced does not snapshot them): not imported; run the view's SQL in your queries over the imported datasets",
  models: NOT_A_SPLIT_COMPONENT, embeddings: NOT_A_SPLIT_COMPONENT, tools: NOT_A_SPLIT_COMPONENT, workers: NOT_A_SPLIT_COMPONENT, evals: NOT_A_SPLIT_COMPONENT,
  management: 'Spice Cloud management is not rendered: not imported; connect the tiers to Spice Cloud yourself if you need it',
  dependencies: "dependent Spicepods are not imported: import each one and add its datasets to the description",
  extensions: 'extensions are not rendered: not imported',
  metadata: 'not imported: the library writes its own metadata (generated-by, split, tier)',
};
const IMPORTED_TOP_LEVEL = ['version', 'kind', 'name', 'datasets', 'snapshots'];

/** The store of the description and where its parts came from in the Spicepod (nothing for a placeholder). */
interface StoreDraft {
  spec: { -readonly [K in keyof SnapshotStoreSpec]: SnapshotStoreSpec[K] };
  locationPath?: string;
  regionPath?: string;
  /** The store's parts that are placeholders: the whole store, or its region. */
  placeholder?: 'store' | 'region';
}

interface SplitDraft {
  readonly name: string;
  store: StoreDraft;
  datasets: ImportedDataset[];
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}

/** The split name: the option, or the Spicepod's name made one. */
function splitNameFor(pod: PodObject, options: SpicepodImportOptions, findings: Findings, notes: ImportNote[]): string {
  if (options.name !== undefined) {
    const problem = splitNameProblem(options.name);
    if (problem !== undefined) findings.problem('options.name', problem, SPLIT_NAME_FIX);
    return String(options.name);
  }
  if (typeof pod.name !== 'string') {
    findings.problem('name', pod.name === undefined ? 'is missing' : `${quote(pod.name)} is not a name`, 'give the Spicepod a name, or pass options.name');
    return '';
  }
  const name = pod.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 37).replace(/-+$/, '');
  if (!SPLIT_NAME.test(name)) findings.problem('name', `${quote(pod.name)} cannot be made a split name`, `pass options.name; ${SPLIT_NAME_FIX}`);
  else if (name !== pod.name) notes.push({ path: 'name', reason: `${quote(pod.name)} is not a split name: imported as ${quote(name)}; pass another name (options.name; --name on the command line)` });
  return name;
}

/** Checks what the import cannot do without, reporting every problem at once. */
function checkSpicepod(spicepod: unknown, options: SpicepodImportOptions, notes: ImportNote[]): { pod: PodObject; name: string } {
  const findings = new Findings();
  if (!isPodObject(spicepod)) {
    findings.problem(POD_ROOT, `${kindOf(spicepod)} is not a Spicepod`, 'pass the parsed YAML of a spicepod.yaml: a map with name, version, kind and datasets');
    throw new SplitValidationError(options.name ?? '<unnamed>', findings.problems);
  }
  const name = splitNameFor(spicepod, options, findings, notes);
  const datasets = spicepod.datasets;
  if (!Array.isArray(datasets) || datasets.length === 0) {
    const what = datasets === undefined ? 'is missing' : Array.isArray(datasets) ? 'is empty' : `${kindOf(datasets)} is not a list of datasets`;
    findings.problem('datasets', what, 'a split serves datasets: import a Spicepod that lists at least one under datasets');
  }
  findings.throwIfProblems(name || '<unnamed>');
  return { pod: spicepod, name };
}

/** `secrets`, `env`, and the names of the Spicepod's own secret stores: what `${<store>:<key>}` may name. */
function secretStores(stores: unknown): Set<string> {
  const names = Array.isArray(stores) ? stores.flatMap((store) => (isPodObject(store) && typeof store.name === 'string' ? [store.name] : [])) : [];
  return new Set(['secrets', 'env', ...names]);
}

/** Maps every dataset; a name already taken is not imported (spiced refuses it too). */
function importDatasets(datasets: readonly unknown[], ctx: DatasetImportContext): ImportedDataset[] {
  const firstIndex = new Map<string, number>();
  return datasets.flatMap((raw, index) => {
    const noted = ctx.notes.length;
    const dataset = importDataset(raw, index, ctx);
    if (!dataset) return [];
    const first = firstIndex.get(dataset.spec.name);
    if (first === undefined) {
      firstIndex.set(dataset.spec.name, index);
      return [dataset];
    }
    // What was noted about the dataset no longer matters: it is not imported.
    ctx.notes.splice(noted);
    ctx.notes.push({ path: `datasets[${index}].name`, reason: `${quote(dataset.spec.name)} is already the name of datasets[${first}]: not imported; give it its own name and add it to the description` });
    return [];
  });
}

function placeholderStore(name: string, notes: ImportNote[], path: string, why: string): StoreDraft {
  const spec = { cloud: 'aws' as const, bucket: `${name}-snapshots`, region: PLACEHOLDER_REGIONS.aws };
  notes.push({ path, reason: `${why}: the description holds a placeholder store (S3 bucket ${quote(spec.bucket)} in ${spec.region}); set store to the bucket both tiers share, e.g. { cloud: 'aws', bucket, region }` });
  return { spec, placeholder: 'store' };
}

/** The store a snapshot location names: `s3://bucket/prefix/`, `gs://bucket/prefix/` or `abfss://container@account.dfs.core.windows.net/prefix/`. */
function storeAt(location: string): StoreDraft['spec'] | undefined {
  const bucket = /^(s3|gs):\/\/([^/?#]+)\/?([^?#]*)$/.exec(location);
  const azure = /^abfss?:\/\/([^@/]+)@([^./]+)\.dfs\.core\.windows\.net\/?([^?#]*)$/.exec(location);
  const folder = (bucket?.[3] ?? azure?.[3] ?? '').replace(/^\/+|\/+$/g, '');
  const prefix = folder === '' ? {} : { prefix: folder };
  if (bucket) return { cloud: bucket[1] === 's3' ? 'aws' : 'gcp', bucket: bucket[2], region: '', ...prefix };
  if (azure) return { cloud: 'azure', container: azure[1], account: azure[2], region: '', ...prefix };
  return undefined;
}

/** Notes the snapshots block's settings that the split sets itself. */
function noteSnapshotsBlock(block: PodObject, regionKey: string | undefined, notes: ImportNote[]): void {
  if (block.enabled === false) notes.push({ path: 'snapshots.enabled', reason: 'snapshots were disabled: the split always snapshots its accelerated datasets, so readers can restore them' });
  if (block.bootstrap_on_failure_behavior !== undefined) {
    notes.push({ path: 'snapshots.bootstrap_on_failure_behavior', reason: "set per tier by the split: writers 'warn' (start empty and refresh from the source), readers reader.bootstrapOnFailure (default 'retry': unready until a snapshot loads); set reader.bootstrapOnFailure to 'fallback' to let readers try older snapshots" });
  }
  for (const key of Object.keys(block)) {
    if (!['enabled', 'location', 'bootstrap_on_failure_behavior', 'params'].includes(key)) notes.push({ path: `snapshots.${key}`, reason: 'not a snapshots key the split renders: not imported' });
  }
  const params = isPodObject(block.params) ? block.params : {};
  for (const [key, value] of Object.entries(params)) {
    if (key === regionKey || (key === 's3_auth' && value === 'iam_role')) continue;
    notes.push({ path: `snapshots.params.${key}`, reason: 'not imported: both tiers reach the bucket with their own workload identities, and the library renders the location params itself (s3_region and s3_auth: iam_role on S3, none elsewhere)' });
  }
}

/** The store from the Spicepod's top-level `snapshots` block, or a placeholder. */
function importStore(block: unknown, name: string, notes: ImportNote[]): StoreDraft {
  if (block === undefined || block === null) return placeholderStore(name, notes, 'snapshots', 'the Spicepod has no top-level snapshots block');
  if (!isPodObject(block)) return placeholderStore(name, notes, 'snapshots', `${kindOf(block)} is not a snapshots block`);
  const spec = typeof block.location === 'string' ? storeAt(block.location) : undefined;
  const params = isPodObject(block.params) ? block.params : {};
  const regionKey = spec?.cloud === 'aws' && params.s3_region !== undefined ? 's3_region' : 'region';
  noteSnapshotsBlock(block, spec ? regionKey : undefined, notes);
  if (!spec) return placeholderStore(name, notes, 'snapshots.location', `${quote(block.location)} is not an s3://, gs:// or abfss:// location the split can share between tiers`);
  const store: StoreDraft = { spec, locationPath: 'snapshots.location' };
  if (typeof params[regionKey] === 'string') {
    spec.region = params[regionKey] as string;
    store.regionPath = `snapshots.params.${regionKey}`;
  } else {
    spec.region = PLACEHOLDER_REGIONS[spec.cloud];
    store.placeholder = 'region';
    notes.push({ path: 'snapshots.params', reason: `names no region of the bucket: the description holds the placeholder ${quote(spec.region)}; set store.region to the bucket's region` });
  }
  return store;
}

/** Notes every top-level key that is not imported: per item of a list, per key of `runtime`. */
function noteTopLevel(pod: PodObject, notes: ImportNote[]): void {
  if (pod.version !== undefined && pod.version !== 'v1') notes.push({ path: 'version', reason: `${quote(pod.version)}: the split renders version v1 Spicepods; check that the imported settings mean the same there` });
  if (pod.kind !== undefined && pod.kind !== 'Spicepod') notes.push({ path: 'kind', reason: `${quote(pod.kind)} is not 'Spicepod': imported as one` });
  for (const [key, value] of Object.entries(pod)) {
    if (IMPORTED_TOP_LEVEL.includes(key)) continue;
    const reason = TOP_LEVEL_REASONS[key] ?? 'not a Spicepod key the import knows: not imported; carry it over yourself if it matters';
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        // The env store is the one the writers use.
        if (key === 'secrets' && isPodObject(item) && item.from === 'env') return;
        notes.push({ path: `${key}[${i}]`, reason: isPodObject(item) && typeof item.name === 'string' ? `${quote(item.name)}: ${reason}` : reason });
      });
    } else if (key === 'runtime' && isPodObject(value)) {
      for (const setting of Object.keys(value)) notes.push({ path: `runtime.${setting}`, reason });
    } else {
      notes.push({ path: key, reason });
    }
  }
}

function describe(draft: SplitDraft): SplitSpec {
  return { name: draft.name, store: { ...draft.store.spec }, datasets: draft.datasets.map((dataset) => dataset.spec) };
}

function removeField(target: PodObject, segments: readonly string[]): void {
  const [head, ...rest] = segments;
  if (rest.length === 0) {
    delete target[head];
    return;
  }
  const child = target[head];
  if (!isPodObject(child)) return;
  removeField(child, rest);
  if (Object.keys(child).length === 0) delete target[head];
}

/** Removes the imported field a problem is about; false when the import did not set it. */
function removeMappedField(dataset: ImportedDataset, field: string, problem: ValidationProblem, notes: ImportNote[]): boolean {
  const index = dataset.fields.findIndex(({ segments }) => field === segments.join('.') || field.startsWith(`${segments.join('.')}.`));
  if (index < 0) return false;
  const [mapped] = dataset.fields.splice(index, 1);
  removeField(dataset.spec as PodObject, mapped.segments);
  notes.push({ path: mapped.source, reason: `not imported: ${problem.message}; ${problem.fix}` });
  return true;
}

/** Drops the imported fields the library refuses, or the dataset when the problem is not about one of them. */
function repairDatasets(problems: readonly ValidationProblem[], draft: SplitDraft, notes: ImportNote[]): boolean {
  const byDataset = new Map<ImportedDataset, { field: string; problem: ValidationProblem }[]>();
  for (const problem of problems) {
    const match = /^datasets\[(\d+)\](?:\.(.*))?$/.exec(problem.path);
    const dataset = match ? draft.datasets[Number(match[1])] : undefined;
    if (dataset) byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), { field: match![2] ?? '', problem }]);
  }
  for (const [dataset, found] of byDataset) {
    if (found.filter(({ field, problem }) => removeMappedField(dataset, field, problem, notes)).length > 0) continue;
    const why = found.map(({ field, problem }) => `${field ? `${field}: ` : ''}${problem.message}; ${problem.fix}`).join('; ');
    notes.push({ path: `datasets[${dataset.index}]`, reason: `not imported: the split refuses it (${why})` });
    draft.datasets = draft.datasets.filter((kept) => kept !== dataset);
  }
  return byDataset.size > 0;
}

/** Replaces the parts of an imported store the library refuses. */
function repairStore(problems: readonly ValidationProblem[], draft: SplitDraft, notes: ImportNote[]): boolean {
  const problem = problems.find(({ path }) => path.startsWith('store.'));
  const { store } = draft;
  if (!problem || !store.locationPath) return false;
  const because = `${problem.message}; ${problem.fix}`;
  if (problem.path === 'store.prefix' && store.spec.prefix !== undefined) {
    delete store.spec.prefix;
    notes.push({ path: store.locationPath, reason: `its folder is not imported (${because}): the split keeps its snapshots under the folder ${quote(draft.name)}` });
  } else if (problem.path === 'store.region' && store.regionPath) {
    store.spec.region = PLACEHOLDER_REGIONS[store.spec.cloud];
    store.placeholder = 'region';
    notes.push({ path: store.regionPath, reason: `not imported (${because}): the description holds the placeholder ${quote(store.spec.region)}; set store.region to the bucket's region` });
    store.regionPath = undefined;
  } else {
    draft.store = placeholderStore(draft.name, notes, store.locationPath, `not imported (${because})`);
  }
  return true;
}

function nothingImported(draft: SplitDraft, total: number, notes: readonly ImportNote[]): SplitValidationError {
  const reasons = notes.filter(({ path }) => path.startsWith('datasets[')).map(({ path, reason }) => ({ path, message: 'is not importable', fix: reason }));
  return new SplitValidationError(draft.name, [
    { path: 'datasets', message: `none of the Spicepod's ${total} datasets can be imported`, fix: 'fix what the problems below say, or import another Spicepod' },
    ...reasons,
  ]);
}

/**
 * Checks the description with the library itself and takes out what it refuses (noting each),
 * until it is accepted: every rule of the description holds, including ones this import does not
 * know about.
 */
function settle(draft: SplitDraft, total: number, notes: ImportNote[]): SplitSpec {
  let problems: readonly ValidationProblem[] = [];
  for (let pass = 0; pass <= total + 8; pass++) {
    if (draft.datasets.length === 0) throw nothingImported(draft, total, notes);
    const findings = new Findings();
    const description = describe(draft);
    checkResolvedSplit(description, findings);
    problems = findings.problems;
    if (problems.length === 0) return description;
    const storeRepaired = repairStore(problems, draft, notes);
    if (!repairDatasets(problems, draft, notes) && !storeRepaired) break;
  }
  throw new SplitValidationError(draft.name, problems);
}

/** The store's layout under the split, which differs from a single-tier Spicepod's location. */
function noteLayout(draft: SplitDraft, location: unknown, notes: ImportNote[]): void {
  if (!draft.store.locationPath) return;
  const store = resolveSnapshotStore(draft.store.spec, draft.name, new Findings());
  if (!store) return;
  notes.push({
    path: draft.store.locationPath,
    reason: `the split keeps refresh snapshots under ${store.refresh.uri} and the daily archive under ${store.archive.uri}, not at ${quote(location)} itself: snapshots already there are not restored, so the first writer starts empty and refreshes from its sources once`,
  });
}

/**
 * Turns a single-tier Spicepod (the parsed YAML of a spicepod.yaml) into a split description.
 * Accelerated file datasets of restorable sources become `readers: 'accelerated'`, every other
 * dataset `delegated`; secret references and inline credentials move to one Secret,
 * `<split>-sources`; what the description cannot express is listed in `unmapped`.
 *
 * @throws SplitValidationError when the Spicepod is not a map, has no datasets or no usable
 * name, or none of its datasets can be imported
 */
export function importSpicepod(spicepod: unknown, options: SpicepodImportOptions = {}): SpicepodImport {
  const notes: ImportNote[] = [];
  const { pod, name } = checkSpicepod(spicepod, options, notes);
  const secrets = new SourceSecretKeys(`${name}-sources`);
  const store = importStore(pod.snapshots, name, notes);
  const datasets = pod.datasets as unknown[];
  const draft: SplitDraft = { name, store, datasets: importDatasets(datasets, { notes, secrets, stores: secretStores(pod.secrets) }) };
  noteTopLevel(pod, notes);
  const description = settle(draft, datasets.length, notes);
  noteLayout(draft, isPodObject(pod.snapshots) ? pod.snapshots.location : undefined, notes);
  const placeholder = draft.store.placeholder;
  const placeholders = placeholder === undefined ? [] : placeholder === 'store' ? ['store.bucket', 'store.region'] : ['store.region'];
  return { description, unmapped: notes, secrets: secrets.list(description.datasets), placeholders };
}
