import { CREDENTIAL_PARAM, databasePasswordParam, DATASET_NAME, ENGINE_FILES, SOURCE_FROM } from './dataset';
import { AccelerationEngine, DatasetSpec, ReaderPlacement } from './dataset-spec';
import { quote } from './errors';
import { datasetSecretEnv, SecretRef } from './secret-ref';
import { ParamValue } from './snapshot-store';
import type { ImportedSecret, ImportedSecretKind, ImportNote } from './spicepod-import';

/** An object of a parsed Spicepod. */
export type PodObject = Record<string, unknown>;

/** Whether a parsed YAML value is a map. */
export function isPodObject(value: unknown): value is PodObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field the importer set in a DatasetSpec (e.g. `['refresh', 'checkInterval']`) and where it came from in the Spicepod. */
export interface MappedField {
  readonly segments: readonly string[];
  readonly source: string;
}

/** One Spicepod dataset as a DatasetSpec, with where each of its fields came from. */
export interface ImportedDataset {
  /** Mutable while the import checks it against the library. */
  readonly spec: { -readonly [K in keyof DatasetSpec]: DatasetSpec[K] };
  /** Index in the Spicepod's `datasets`. */
  readonly index: number;
  readonly fields: MappedField[];
}

/** What importing datasets shares: the notes, the source Secret's keys and the secret stores references may name. */
export interface DatasetImportContext {
  readonly notes: ImportNote[];
  readonly secrets: SourceSecretKeys;
  /** `secrets`, `env` and the names of the Spicepod's own secret stores. */
  readonly stores: ReadonlySet<string>;
}

const REFERENCE = /\$\{\s*([A-Za-z0-9_.-]+)\s*:\s*([^{}\s][^{}]*?)\s*\}/g;
/**
 * With the default (1.x) image, a reader builds an accelerated dataset's source connector, and
 * only `s3` does no I/O then (see reader-dataset-form.ts): other sources are delegated.
 */
const RESTORABLE_CONNECTORS = new Set(['s3']);
const FILE_MODES = new Set(['file', 'file_create', 'file_update']);
const FILE_PARAMS = new Set(Object.values(ENGINE_FILES).flatMap((file) => (file ? [file.param] : [])));
const UNRENDERED_ENGINES: Readonly<Record<string, string>> = {
  cayenne: 'it accelerates into a data directory plus a metastore that this library does not lay out',
  postgres: 'it accelerates into an external Postgres that needs its own credentials and storage',
};
const REFRESH_KEYS = [
  ['refresh_mode', 'mode'], ['refresh_check_interval', 'checkInterval'], ['refresh_cron', 'cron'],
  ['refresh_sql', 'sql'], ['refresh_data_window', 'dataWindow'], ['refresh_on_startup', 'onStartup'],
] as const;
const SNAPSHOT_KEYS = [
  ['snapshots_trigger', 'trigger'], ['snapshots_trigger_threshold', 'threshold'],
  ['snapshots_compaction', 'compaction'], ['snapshots_creation_policy', 'creationPolicy'],
] as const;
const ACCELERATION_KEYS = ['enabled', 'engine', 'mode', 'params', 'snapshots', ...REFRESH_KEYS.map(([key]) => key), ...SNAPSHOT_KEYS.map(([key]) => key)];
const DATASET_KEYS = ['from', 'name', 'description', 'time_column', 'params', 'acceleration'];
const UNRENDERED = 'the split description has no field for it, so the rendered Spicepods leave it at spiced\'s default; if the dataset depends on it, keep the dataset out of the split or add the setting to the rendered Spicepods yourself';

/**
 * Keys of the one Kubernetes Secret that holds the split's source credentials: one key per
 * secret reference (the same reference in several datasets shares its key), and one per
 * credential written inline or missing.
 */
export class SourceSecretKeys {
  private readonly byOrigin = new Map<string, string>();
  private readonly origins = new Map<string, { from: string; kind: ImportedSecretKind }>();

  constructor(public readonly secretName: string) {}

  /** The reference for a value; `origin` identifies the value, `wantedKey` is the key to use when still free. */
  public ref(origin: string, wantedKey: string, from: string, kind: ImportedSecretKind): SecretRef {
    let key = this.byOrigin.get(origin);
    if (key === undefined) {
      key = this.freeKey(wantedKey);
      this.byOrigin.set(origin, key);
      this.origins.set(key, { from, kind });
    }
    return { secretName: this.secretName, key };
  }

  /** The keys the datasets read, each with the datasets that read it. */
  public list(datasets: readonly DatasetSpec[]): ImportedSecret[] {
    return [...this.origins].flatMap(([key, origin]) => {
      const readers = datasets.filter((dataset) => Object.values(dataset.secretParams ?? {}).some((ref) => ref.key === key));
      return readers.length > 0 ? [{ secretName: this.secretName, key, ...origin, datasets: readers.map((dataset) => dataset.name) }] : [];
    });
  }

  private freeKey(wanted: string): string {
    const cleaned = wanted.replace(/[^-._a-zA-Z0-9]/g, '_').slice(0, 240);
    const base = /^\.*$/.test(cleaned) ? 'secret' : cleaned;
    let key = base;
    for (let n = 2; this.origins.has(key); n++) key = `${base}_${n}`;
    return key;
  }
}

function note(ctx: DatasetImportContext, path: string, reason: string): void {
  ctx.notes.push({ path, reason });
}

function isParamValue(value: unknown): value is ParamValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function set(dataset: ImportedDataset, segments: readonly string[], value: unknown, source: string): void {
  let target = dataset.spec as PodObject;
  for (const segment of segments.slice(0, -1)) target = (target[segment] ??= {}) as PodObject;
  target[segments[segments.length - 1]] = value;
  dataset.fields.push({ segments, source });
}

/** Notes every key of a Spicepod object that the importer does not map. */
function noteOtherKeys(raw: PodObject, path: string, known: readonly string[], ctx: DatasetImportContext): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) note(ctx, `${path}.${key}`, UNRENDERED);
  }
}

/** The secret references to known stores in a value, e.g. `${secrets:PG_PASS}`. */
function referencesIn(value: string, stores: ReadonlySet<string>): { text: string; origin: string; name: string }[] {
  return [...value.matchAll(REFERENCE)]
    .filter(([, store]) => stores.has(store))
    // `secrets` reads every store, `env` by default: both name the same environment variable.
    .map(([text, store, name]) => ({ text, name, origin: store === 'secrets' || store === 'env' ? name : `${store}:${name}` }));
}

function secretParamOf(param: string, value: ParamValue, at: string, dataset: string, ctx: DatasetImportContext): SecretRef | undefined {
  const refs = typeof value === 'string' ? referencesIn(value, ctx.stores) : [];
  const { secrets } = ctx;
  if (refs.length === 1 && refs[0].text === String(value).trim()) return secrets.ref(refs[0].origin, refs[0].name, refs[0].text, 'reference');
  const own = datasetSecretEnv(dataset, param);
  if (refs.length > 0) {
    const ref = secrets.ref(`template:${at}`, own, refs.map((r) => r.text).join(' '), 'template');
    note(ctx, at, `its value embeds secret references (${refs.map((r) => r.text).join(', ')}) in other text: the whole value moves to key '${ref.key}' of Secret '${ref.secretName}'; store it there with the references replaced by their values`);
    return ref;
  }
  if (!CREDENTIAL_PARAM.test(param)) return undefined;
  const ref = secrets.ref(`inline:${at}`, own, at, 'inline');
  note(ctx, at, `is a credential written inline: its value was not copied; the writer reads it from key '${ref.key}' of Secret '${ref.secretName}': create that key with the value, and rotate the credential if the Spicepod was shared`);
  return ref;
}

function importParams(raw: unknown, path: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  if (raw === undefined || raw === null) return;
  if (!isPodObject(raw)) {
    note(ctx, path, `${quote(raw)} is not a map of params: not imported; write params as 'name: value' pairs`);
    return;
  }
  for (const [param, value] of Object.entries(raw)) {
    const at = `${path}.${param}`;
    if (!isParamValue(value)) {
      const shown = CREDENTIAL_PARAM.test(param) ? 'the value (a credential, not shown)' : quote(value);
      note(ctx, at, `${shown} is not a param value: not imported; use a string, number or boolean`);
      continue;
    }
    const secret = secretParamOf(param, value, at, dataset.spec.name, ctx);
    set(dataset, secret ? ['secretParams', param] : ['params', param], secret ?? value, at);
  }
}

/** A database source given no credentials at all: the split requires its password, from the Secret. */
function requireCredentials(connector: string, path: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  const param = databasePasswordParam(connector);
  if (param === undefined || Object.keys(dataset.spec.secretParams ?? {}).length > 0) return;
  const at = `${path}.params.${param}`;
  const ref = ctx.secrets.ref(`missing:${at}`, datasetSecretEnv(dataset.spec.name, param), at, 'missing');
  set(dataset, ['secretParams', param], ref, at);
  note(ctx, at, `is not set, and the split refuses a ${connector} source without credentials (the writer logs in at every refresh): the writer reads it from key '${ref.key}' of Secret '${ref.secretName}'; store the password there (empty if the database needs none)`);
}

/** Why a reader could not restore a dataset of this source: it would build the connector. */
function unrestorableWhy(connector: string): string {
  return `a reader builds the ${quote(connector)} connector, which contacts the source when it registers the dataset and, without credentials, never becomes ready`;
}

/**
 * What to do to restore a delegated dataset on readers, or why readers could not restore it at
 * all; `firstChange` is what else must change first, e.g. "set engine 'duckdb'".
 */
function restoreAdvice(connector: string, firstChange?: string): string {
  return RESTORABLE_CONNECTORS.has(connector)
    ? `${firstChange === undefined ? 'set' : `${firstChange} and`} readers 'accelerated' to restore it on readers`
    : `readers could not restore it anyway: ${unrestorableWhy(connector)} (unless the image ships file_format: snapshot: image.snapshotFileFormat)`;
}

function importEngine(raw: PodObject, at: string, connector: string, dataset: ImportedDataset, ctx: DatasetImportContext): AccelerationEngine | undefined {
  // spiced's default engine is arrow; the library's is duckdb, so it is always written out.
  const engine = raw.engine ?? 'arrow';
  if (typeof engine === 'string' && Object.prototype.hasOwnProperty.call(ENGINE_FILES, engine)) {
    set(dataset, ['engine'], engine, raw.engine === undefined ? at : `${at}.engine`);
    return engine as AccelerationEngine;
  }
  const why = typeof engine === 'string' ? UNRENDERED_ENGINES[engine] : undefined;
  note(ctx, `${at}.engine`, `${quote(engine)} is not an engine this library renders${why ? ` (${why})` : ''}: the writer accelerates the dataset with duckdb (the library's default) and readers query it on the writer, and its acceleration params are not imported; ${restoreAdvice(connector, "set engine 'duckdb', 'sqlite' or 'turso'")}`);
  if (raw.params !== undefined && raw.params !== null) note(ctx, `${at}.params`, `params of the ${quote(engine)} engine, which is not rendered: not imported; give the new engine's params as engineParams`);
  return undefined;
}

function placementOf(raw: PodObject, engine: AccelerationEngine | undefined, connector: string, path: string, ctx: DatasetImportContext): ReaderPlacement {
  const at = `${path}.acceleration`;
  const mode = raw.mode ?? 'memory';
  if (engine === undefined) return 'delegated';
  if (ENGINE_FILES[engine] === undefined) {
    if (FILE_MODES.has(String(mode))) note(ctx, `${at}.mode`, `${quote(mode)} has no effect: ${engine} accelerates in memory; readers query the dataset on the writer`);
    return 'delegated';
  }
  if (!FILE_MODES.has(String(mode))) {
    note(ctx, raw.mode === undefined ? at : `${at}.mode`, `${engine} accelerates in memory here (mode ${quote(mode)}): the library accelerates ${engine} into a file on the writer's volume, and readers query the dataset on the writer (readers 'delegated'); ${restoreAdvice(connector)}`);
    return 'delegated';
  }
  if (mode !== 'file') note(ctx, `${at}.mode`, `${quote(mode)} is rendered as 'file': each tier keeps its own file, which readers restore from a snapshot`);
  if (!RESTORABLE_CONNECTORS.has(connector)) {
    note(ctx, `${path}.from`, `readers could not restore it: ${unrestorableWhy(connector)}; imported as readers 'delegated' (readers query it on the writer); to serve it from readers' own copies, use an s3:// source (e.g. a parquet export), or an image that ships file_format: snapshot (image.snapshotFileFormat)`);
    return 'delegated';
  }
  return 'accelerated';
}

function importText(value: unknown, segments: readonly string[], at: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string') set(dataset, segments, value, at);
  else note(ctx, at, `${quote(value)} is not a string: not imported; quote it as a string`);
}

function importRefresh(raw: PodObject, at: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  for (const [key, field] of REFRESH_KEYS) importText(raw[key], ['refresh', field], `${at}.${key}`, dataset, ctx);
}

function snapshotValue(field: string, value: unknown): unknown {
  if (field === 'compaction') return value === 'enabled' ? true : value === 'disabled' ? false : undefined;
  if (field === 'threshold' && typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

function importSnapshots(raw: PodObject, at: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  if (raw.snapshots !== undefined && raw.snapshots !== 'enabled') {
    note(ctx, `${at}.snapshots`, `${quote(raw.snapshots)} is decided by the split: every accelerated dataset is snapshotted by the writers' snapshot owner ('enabled') and bootstrapped by the others ('bootstrap_only'); to keep it off readers, set readers 'delegated' or 'writer-only'`);
  }
  for (const [key, field] of SNAPSHOT_KEYS) {
    if (raw[key] === undefined || raw[key] === null) continue;
    const value = snapshotValue(field, raw[key]);
    if (value === undefined) note(ctx, `${at}.${key}`, `${quote(raw[key])} is not a value of ${key}: not imported; see spiced's snapshot settings`);
    else set(dataset, ['snapshots', field], value, `${at}.${key}`);
  }
}

function noteSnapshotKeys(raw: PodObject, at: string, ctx: DatasetImportContext): void {
  for (const key of ['snapshots', ...SNAPSHOT_KEYS.map(([snapshotKey]) => snapshotKey)]) {
    if (raw[key] !== undefined) note(ctx, `${at}.${key}`, 'not imported: only datasets that readers restore (readers \'accelerated\') are snapshotted, and this one is delegated');
  }
}

function importEngineParams(raw: unknown, at: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  if (raw === undefined || raw === null) return;
  if (!isPodObject(raw)) {
    note(ctx, at, `${quote(raw)} is not a map of params: not imported`);
    return;
  }
  for (const [param, value] of Object.entries(raw)) {
    const path = `${at}.${param}`;
    if (FILE_PARAMS.has(param)) note(ctx, path, 'not imported: the library gives each dataset its own file on each tier\'s volume');
    else if (!isParamValue(value)) note(ctx, path, `${quote(value)} is not a param value: not imported; use a string, number or boolean`);
    else if (CREDENTIAL_PARAM.test(param) || (typeof value === 'string' && referencesIn(value, ctx.stores).length > 0)) {
      note(ctx, path, 'is a credential, and engine params reach every reader: not imported; the library renders no engine credentials');
    } else set(dataset, ['engineParams', param], value, path);
  }
}

const NOW_ACCELERATED = "the split's writer accelerates every dataset, so it now refreshes this one into duckdb (a full refresh every 10m by default) and readers query it on the writer (readers 'delegated'); set refresh (e.g. mode 'caching', or another checkInterval) to suit the source, or keep the dataset out of the split";

function importAcceleration(raw: unknown, path: string, connector: string, dataset: ImportedDataset, ctx: DatasetImportContext): void {
  const at = `${path}.acceleration`;
  if (!isPodObject(raw) || raw.enabled === false) {
    set(dataset, ['readers'], 'delegated', path);
    if (raw === undefined || raw === null) note(ctx, path, `is not accelerated in the Spicepod (queried live from its source): ${NOW_ACCELERATED}`);
    else if (!isPodObject(raw)) note(ctx, at, `${quote(raw)} is not an acceleration block: ${NOW_ACCELERATED}`);
    else note(ctx, at, `is disabled (its other keys are not imported): ${NOW_ACCELERATED}`);
    return;
  }
  const engine = importEngine(raw, at, connector, dataset, ctx);
  const readers = placementOf(raw, engine, connector, path, ctx);
  set(dataset, ['readers'], readers, at);
  importRefresh(raw, at, dataset, ctx);
  if (readers === 'accelerated') importSnapshots(raw, at, dataset, ctx);
  else noteSnapshotKeys(raw, at, ctx);
  if (engine !== undefined) importEngineParams(raw.params, `${at}.params`, dataset, ctx);
  noteOtherKeys(raw, at, ACCELERATION_KEYS, ctx);
}

/** A valid dataset name for a Spicepod's: lowercase, `_` for other characters. */
function datasetNameOf(raw: unknown, path: string, ctx: DatasetImportContext): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    note(ctx, `${path}.name`, `${quote(raw)} is not a dataset name: the dataset is not imported; give it a name`);
    return undefined;
  }
  if (DATASET_NAME.test(raw)) return raw;
  const name = `${/^[a-z_]/i.test(raw) ? '' : '_'}${raw.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
  note(ctx, `${path}.name`, `${quote(raw)} is not a dataset name of the split (lowercase letters, digits and _, at most 63): imported as ${quote(name)}; queries must use the new name`);
  return name;
}

/** Maps one Spicepod dataset, or notes why it cannot be; the description still has to be checked. */
export function importDataset(raw: unknown, index: number, ctx: DatasetImportContext): ImportedDataset | undefined {
  const path = `datasets[${index}]`;
  if (!isPodObject(raw)) {
    note(ctx, path, `${quote(raw)} is not a dataset: not imported`);
    return undefined;
  }
  if (raw.ref !== undefined) {
    note(ctx, path, `refers to a dataset in another file (${quote(raw.ref)}): not imported; import that Spicepod too and add its datasets to the description`);
    return undefined;
  }
  const name = datasetNameOf(raw.name, path, ctx);
  const connector = typeof raw.from === 'string' ? SOURCE_FROM.exec(raw.from)?.[1] : undefined;
  if (connector === undefined) {
    note(ctx, `${path}.from`, `${quote(raw.from)} is not a source the split can render ('<connector>:<path>', e.g. 's3://lake/orders/' or 'postgres:public.orders'): the dataset is not imported`);
  }
  if (name === undefined || connector === undefined) return undefined;
  const dataset: ImportedDataset = { spec: { name, from: raw.from as string }, index, fields: [] };
  importText(raw.description, ['description'], `${path}.description`, dataset, ctx);
  importText(raw.time_column, ['timeColumn'], `${path}.time_column`, dataset, ctx);
  importParams(raw.params, `${path}.params`, dataset, ctx);
  importAcceleration(raw.acceleration, path, connector, dataset, ctx);
  requireCredentials(connector, path, dataset, ctx);
  noteOtherKeys(raw, path, DATASET_KEYS, ctx);
  return dataset;
}
