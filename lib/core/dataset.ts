import { boundedMemo } from './bounded-memo';
import { parseDurationSeconds } from './duration';
import { Findings, quote } from './errors';
import {
  AccelerationEngine,
  DatasetSpec,
  ReaderPlacement,
  RefreshMode,
  SnapshotCreationPolicy,
  SnapshotTrigger,
} from './dataset-spec';
import { parseQuantity } from './quantity';
import { checkSecretRef, SecretRef } from './secret-ref';
import { ParamValue } from './snapshot-store';
import { checkSpiceCloudDataset } from './spice-cloud';

/** A file-backed engine: where its file goes and under which param. */
export interface EngineFile {
  readonly param: string;
  readonly extension: string;
}

/**
 * Engines this library renders, and the file param of the file-backed ones. spiced refuses a file
 * whose extension its engine does not list (duckdb: db, ddb, duckdb; sqlite: sqlite, db; turso:
 * turso, db, sqlite, sqlite3). Turso's param is `turso_file` in spiced, although the schema
 * generator prints it as `turso_turso_file`.
 */
export const ENGINE_FILES: Readonly<Record<AccelerationEngine, EngineFile | undefined>> = {
  duckdb: { param: 'duckdb_file', extension: '.duckdb' },
  sqlite: { param: 'sqlite_file', extension: '.sqlite' },
  turso: { param: 'turso_file', extension: '.turso' },
  arrow: undefined,
};

/** Why the engines the schema allows beyond ENGINE_FILES are refused. */
const UNSUPPORTED_ENGINES: Readonly<Record<string, string>> = {
  cayenne: 'it accelerates into a data directory plus a metastore that this library does not lay out yet',
  postgres: 'it accelerates into an external Postgres that needs its own credentials and storage',
};

/** A dataset after defaults. */
export interface ResolvedDataset {
  readonly name: string;
  readonly from: string;
  /** Connector name: what stands before the first `:` of `from` (`s3`, `postgres`, `spice.ai`). */
  readonly connector: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly secretParams: Readonly<Record<string, SecretRef>>;
  readonly readers: ReaderPlacement;
  readonly engine: AccelerationEngine;
  /** File param and extension; undefined for in-memory engines. */
  readonly engineFile?: EngineFile;
  readonly engineParams: Readonly<Record<string, ParamValue>>;
  readonly refresh: ResolvedRefresh;
  /** Snapshot settings; only accelerated datasets are snapshotted. */
  readonly snapshots?: ResolvedDatasetSnapshots;
  readonly timeColumn?: string;
  readonly description?: string;
  readonly expectedSizeBytes?: number;
}

/** Refresh settings after defaults. */
export interface ResolvedRefresh {
  readonly mode: RefreshMode;
  readonly checkInterval?: string;
  readonly cron?: string;
  readonly sql?: string;
  readonly dataWindow?: string;
  readonly onStartup: 'auto' | 'always';
}

/** Snapshot settings after defaults. */
export interface ResolvedDatasetSnapshots {
  readonly trigger: SnapshotTrigger;
  readonly threshold?: string;
  readonly compaction: boolean;
  readonly creationPolicy: SnapshotCreationPolicy;
}

/** Dataset names spiced accepts as table names here. */
export const DATASET_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const CONNECTOR_NAME = '[a-z][a-z0-9_.]*';
/** `<connector>:<path>`; the connector is the first group. */
export const SOURCE_FROM = new RegExp(`^(${CONNECTOR_NAME}):`);
const CONNECTOR = new RegExp(`^${CONNECTOR_NAME}$`);
/** Every reader placement. */
export const PLACEMENTS: readonly ReaderPlacement[] = ['accelerated', 'delegated', 'writer-only'];
const REFRESH_MODES: readonly RefreshMode[] = ['full', 'append', 'changes', 'caching'];
const TRIGGERS_BY_MODE: Readonly<Record<RefreshMode, readonly SnapshotTrigger[]>> = {
  full: ['refresh_complete', 'time_interval'],
  append: ['refresh_complete', 'time_interval', 'stream_batches'],
  changes: ['time_interval', 'stream_batches'],
  caching: ['time_interval'],
};
/** Param names that carry credentials in spiced's connectors (`pg_pass`, `s3_secret`, `spiceai_api_key`, …). */
export const CREDENTIAL_PARAM = /(^|_)(pass|password|passwd|passphrase|secret|token|key|api_key|connection_string|client_secret|private_key)$/;
/** A URL with credentials in it: `scheme://user:password@host`. */
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@/i;
const SECRET_VALUE = /\$\{\s*(secrets|env):/;
/** Database connectors: they log in, so a source without credentials fails at its first refresh. */
export const DATABASE_PASSWORDS: Readonly<Record<string, string>> = {
  postgres: 'pg_pass', mysql: 'mysql_pass', mssql: 'mssql_password', clickhouse: 'clickhouse_pass',
  oracle: 'oracle_password', snowflake: 'snowflake_password', databricks: 'databricks_token', dremio: 'dremio_password',
};
const DEFAULT_CHECK_INTERVAL = '10m';
const PASSWORD_PARAMS: ReadonlyMap<string, string> = new Map(Object.entries(DATABASE_PASSWORDS));

/** The password param of a database connector; undefined for connectors that do not log in (and for `toString:` and the like). */
export function databasePasswordParam(connector: string): string | undefined {
  return PASSWORD_PARAMS.get(connector);
}

/** Checks one dataset and applies its defaults; a dataset of a Spice Cloud app (`spiceCloud`) is delegated to it. */
export function resolveDataset(spec: DatasetSpec, path: string, findings: Findings, spiceCloud = false): ResolvedDataset {
  // Paths below `path` are built only when a problem is reported: this runs once per dataset of every split.
  const name = checkName(spec.name, path, findings);
  const connector = checkFrom(spec.from, path, findings);
  if (spiceCloud) checkSpiceCloudDataset(spec, connector, path, findings);
  const readers = spec.readers ?? (spiceCloud ? 'delegated' : 'accelerated');
  if (!PLACEMENTS.includes(readers)) {
    findings.problem(`${path}.readers`, `${quote(readers)} is not a placement`, "use 'accelerated', 'delegated' or 'writer-only'");
  }
  const engine = resolveEngine(spec, readers, path, findings);
  const refresh = resolveRefresh(spec, path, findings);
  const params = spec.params ?? NO_PARAMS;
  const secretParams = spec.secretParams ?? NO_SECRETS;
  const engineParams = spec.engineParams ?? NO_PARAMS;
  checkParams(params, path, 'params', findings, true);
  checkParams(engineParams, path, 'engineParams', findings, false);
  let hasSecrets = false;
  for (const param in secretParams) {
    if (!Object.prototype.hasOwnProperty.call(secretParams, param)) continue;
    hasSecrets = true;
    checkSecretRef(secretParams[param], `${path}.secretParams.${param}`, findings);
  }
  const password = databasePasswordParam(connector);
  if (password !== undefined && !hasSecrets && !spiceCloud) {
    findings.problem(
      `${path}.secretParams`,
      `is empty: the writer would log in to the ${connector} source ${quote(spec.from)} without credentials, and every refresh would fail`,
      `give its credentials as Secret references, e.g. secretParams: { ${password}: { secretName: '<secret>', key: 'password' } }`,
    );
  }
  return {
    name,
    from: withoutUrlCredentials(spec.from),
    connector,
    params,
    secretParams,
    readers,
    engine,
    engineFile: ENGINE_FILES[engine],
    engineParams,
    refresh,
    snapshots: readers === 'accelerated' ? resolveSnapshots(spec, engine, refresh, path, findings) : undefined,
    timeColumn: spec.timeColumn,
    description: spec.description,
    expectedSizeBytes: resolveSize(spec.expectedSize, path, findings),
  };
}

const NO_PARAMS: Readonly<Record<string, ParamValue>> = Object.freeze({});
const NO_SECRETS: Readonly<Record<string, SecretRef>> = Object.freeze({});

/** Checks after the source's own quote it: never with the password a URL carried (refused by checkFrom). */
function withoutUrlCredentials(from: string): string {
  if (typeof from !== 'string' || !from.includes('@')) return from;
  return from.replace(URL_CREDENTIALS, (found) => found.replace(/\/\/[^@]*@$/, '//<user:password>@'));
}

function checkName(name: unknown, path: string, findings: Findings): string {
  if (typeof name !== 'string' || !DATASET_NAME.test(name)) {
    findings.problem(`${path}.name`, `${quote(name)} is not a dataset name`, 'use lowercase letters, digits and _ (at most 63, not starting with a digit)');
  }
  return String(name);
}

function checkFrom(from: unknown, path: string, findings: Findings): string {
  // SOURCE_FROM, without a match array per dataset: the connector is what stands before the first ':'.
  const colon = typeof from === 'string' ? from.indexOf(':') : -1;
  const connector = colon > 0 ? (from as string).slice(0, colon) : '';
  if (!CONNECTOR.test(connector)) {
    findings.problem(`${path}.from`, `${quote(from)} is not a source`, "write it as spiced does, '<connector>:<path>', e.g. 's3://lake/orders/' or 'postgres:public.orders'");
    return '';
  }
  if ((from as string).includes('@') && URL_CREDENTIALS.test(from as string)) {
    // The source is rendered into readers' Spicepods too: a password there reaches every reader.
    findings.problem(`${path}.from`, 'carries a user and password in its URL, which would reach every reader', "remove them from the URL and give them as secretParams (the connector's user and password params)");
  }
  return connector;
}

function resolveEngine(spec: DatasetSpec, readers: ReaderPlacement, path: string, findings: Findings): AccelerationEngine {
  const engine = spec.engine ?? 'duckdb';
  if (!Object.prototype.hasOwnProperty.call(ENGINE_FILES, engine)) {
    const why = UNSUPPORTED_ENGINES[engine];
    findings.problem(
      `${path}.engine`,
      why ? `${quote(engine)} is not rendered by this library: ${why}` : `${quote(engine)} is not an engine this library renders`,
      "use 'duckdb', 'sqlite' or 'turso' (file-backed, snapshot-capable) or 'arrow' (in memory)",
    );
    return 'duckdb';
  }
  if (readers === 'accelerated' && ENGINE_FILES[engine] === undefined) {
    findings.problem(
      `${path}.engine`,
      `${quote(engine)} accelerates in memory and cannot be snapshotted to readers`,
      "use 'duckdb', 'sqlite' or 'turso', or set 'readers' to 'delegated'",
    );
  }
  return engine;
}

/** The refresh of a dataset that gives none: one object for every such dataset of every split. */
const DEFAULT_REFRESH: ResolvedRefresh = Object.freeze({ mode: 'full', checkInterval: DEFAULT_CHECK_INTERVAL, cron: undefined, sql: undefined, dataWindow: undefined, onStartup: 'auto' });

function resolveRefresh(spec: DatasetSpec, path: string, findings: Findings): ResolvedRefresh {
  if (spec.refresh === undefined || spec.refresh === null) return DEFAULT_REFRESH;
  const given = spec.refresh;
  const mode = given.mode ?? 'full';
  if (!REFRESH_MODES.includes(mode)) {
    findings.problem(`${path}.refresh.mode`, `${quote(mode)} is not a refresh mode`, "use 'full', 'append', 'changes' or 'caching'");
  }
  if (given.checkInterval !== undefined && parseDurationSeconds(given.checkInterval) === undefined) {
    findings.problem(`${path}.refresh.checkInterval`, `${quote(given.checkInterval)} is not a duration`, "use e.g. '30s', '10m' or '1h'");
  }
  if (given.checkInterval !== undefined && given.cron !== undefined) {
    findings.problem(`${path}.refresh.cron`, 'is set together with refresh.checkInterval', 'set only one of them');
  }
  if (given.dataWindow !== undefined && spec.timeColumn === undefined) {
    findings.problem(`${path}.refresh.dataWindow`, `${quote(given.dataWindow)} needs a time column`, `set '${path}.timeColumn'`);
  }
  const scheduled = mode === 'full' || mode === 'append';
  const checkInterval = given.checkInterval ?? (scheduled && given.cron === undefined ? DEFAULT_CHECK_INTERVAL : undefined);
  return { mode, checkInterval, cron: given.cron, sql: given.sql, dataWindow: given.dataWindow, onStartup: given.onStartup ?? 'auto' };
}

function defaultTrigger(mode: RefreshMode, timeColumn: string | undefined): SnapshotTrigger {
  if (mode === 'full' || (mode === 'append' && timeColumn !== undefined)) return 'refresh_complete';
  return 'time_interval';
}

function resolveSnapshots(
  spec: DatasetSpec,
  engine: AccelerationEngine,
  refresh: ResolvedRefresh,
  path: string,
  findings: Findings,
): ResolvedDatasetSnapshots {
  const given = spec.snapshots ?? {};
  const trigger = given.trigger ?? defaultTrigger(refresh.mode, spec.timeColumn);
  const allowed = TRIGGERS_BY_MODE[refresh.mode] ?? [];
  if (!allowed.includes(trigger)) {
    const known = Object.values(TRIGGERS_BY_MODE).some((triggers) => triggers.includes(trigger));
    findings.problem(
      `${path}.snapshots.trigger`,
      known ? `${quote(trigger)} does not work with refresh mode ${quote(refresh.mode)}` : `${quote(trigger)} is not a snapshot trigger`,
      `use one of ${allowed.map((t) => `'${t}'`).join(', ')}${known ? '' : ` (with refresh mode ${quote(refresh.mode)})`}`,
    );
  }
  if (given.threshold !== undefined && trigger === 'refresh_complete') {
    findings.problem(`${path}.snapshots.threshold`, `${quote(given.threshold)} has no effect with trigger 'refresh_complete'`, "remove it, or set trigger 'time_interval'");
  }
  if (given.threshold !== undefined && trigger === 'time_interval' && parseDurationSeconds(given.threshold) === undefined) {
    findings.problem(`${path}.snapshots.threshold`, `${quote(given.threshold)} is not a duration`, "use e.g. '30m'");
  }
  if (given.compaction === true && engine !== 'duckdb') {
    findings.problem(`${path}.snapshots.compaction`, `compaction works only with DuckDB, not ${quote(engine)}`, 'remove it or use the duckdb engine');
  }
  const policy = given.creationPolicy ?? 'on_change';
  if (policy !== 'on_change' && policy !== 'always') {
    findings.problem(`${path}.snapshots.creationPolicy`, `${quote(policy)} is not a creation policy`, "use 'on_change' or 'always'");
  }
  return { trigger, threshold: given.threshold, compaction: given.compaction ?? engine === 'duckdb', creationPolicy: policy };
}

function checkParams(params: Readonly<Record<string, ParamValue>>, path: string, key: 'params' | 'engineParams', findings: Findings, secretsElsewhere: boolean): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    findings.problem(`${path}.${key}`, `${quote(params)} is not a map of params`, "use e.g. { file_format: 'parquet' }");
    return;
  }
  for (const param in params) {
    if (!Object.prototype.hasOwnProperty.call(params, param)) continue;
    const value = params[param];
    const type = typeof value;
    if (isCredentialParam(param) || (type === 'string' && (value as string).includes('${') && SECRET_VALUE.test(value as string))) {
      findings.problem(
        `${path}.${key}.${param}`,
        'is a credential and would reach every reader',
        secretsElsewhere ? `move it to '${path}.secretParams.${param}' as { secretName, key }` : 'engine params cannot hold credentials',
      );
    } else if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      findings.problem(`${path}.${key}.${param}`, `${quote(value)} is not a param value`, 'use a string, number or boolean');
    }
  }
}

/** Whether a param name carries credentials, remembered per name: every dataset of a split repeats a few. */
const isCredentialParam = boundedMemo((param) => CREDENTIAL_PARAM.test(param));

function resolveSize(size: string | undefined, path: string, findings: Findings): number | undefined {
  if (size === undefined) return undefined;
  const bytes = parseQuantity(size);
  if (bytes === undefined || bytes <= 0) {
    findings.problem(`${path}.expectedSize`, `${quote(size)} is not a size`, "use a Kubernetes quantity, e.g. '4Gi'");
  }
  return bytes;
}

/**
 * Seconds between a dataset's snapshots: its refresh interval for `refresh_complete`, its threshold
 * (spiced's default 10m) otherwise. Undefined when not snapshotted or not on an interval (cron).
 */
export function snapshotIntervalSeconds(dataset: ResolvedDataset): number | undefined {
  const snapshots = dataset.snapshots;
  if (!snapshots) return undefined;
  const every = snapshots.trigger === 'refresh_complete' ? dataset.refresh.checkInterval : (snapshots.threshold ?? '10m');
  return parseDurationSeconds(every);
}
