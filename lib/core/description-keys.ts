import type * as Levenshtein from 'fastest-levenshtein';
import { Findings, quote } from './errors';
import type { DatasetRefreshSpec, DatasetSnapshotSpec, DatasetSpec } from './dataset-spec';
import type { FlightClientCertificateSpec } from './flight-client-certificate';
import type { FlightTlsSpec } from './flight-tls';
import type { RetentionSpec } from './retention';
import type { SecretRef } from './secret-ref';
import type { SnapshotStoreSpec } from './snapshot-store';
import type { SpiceCloudWriterSpec, SpiceCloudWriterTierSpec } from './spice-cloud';
import type { SpiceImageSpec } from './spice-image';
import type { SpiceCloudSplitSpec, SplitSpec } from './split';
import type { ReaderTierSpec, ResourceRange, ResourcesSpec, WriterTierSpec } from './tiers';
import type { UpgradeSpec } from './upgrade-check';
import { isMapping } from './mapping';

// A misspelt key is caught by TypeScript in an object literal, but not in JavaScript, in a spread
// or in a parsed file: without this check it would be ignored, and its default taken silently.

/** Every key of a split description (`SplitSpec` or `SpiceCloudSplitSpec`). */
export const SPLIT_KEYS: readonly (keyof SplitSpec | keyof SpiceCloudSplitSpec)[] = [
  'name', 'namespace', 'image', 'store', 'writer', 'reader', 'datasets', 'retention', 'acknowledgedWarnings', 'upgradeFrom',
];
/** Every key of a dataset (`DatasetSpec`). */
export const DATASET_KEYS: readonly (keyof DatasetSpec)[] = [
  'name', 'from', 'params', 'secretParams', 'readers', 'engine', 'engineParams', 'refresh', 'snapshots', 'timeColumn', 'description', 'expectedSize',
];
/** Every key of the objects inside a dataset, by the key that holds them. */
export const NESTED_DATASET_KEYS: { readonly [K in 'refresh' | 'snapshots']: readonly string[] } = {
  refresh: ['mode', 'checkInterval', 'cron', 'sql', 'dataWindow', 'onStartup'] satisfies (keyof DatasetRefreshSpec)[],
  snapshots: ['trigger', 'threshold', 'compaction', 'creationPolicy'] satisfies (keyof DatasetSnapshotSpec)[],
};
const SECRET_REF: readonly string[] = ['secretName', 'key'] satisfies (keyof SecretRef)[];
const RESOURCES: readonly string[] = ['cpu', 'memory'] satisfies (keyof ResourcesSpec)[];
const RANGE: readonly string[] = ['request', 'limit'] satisfies (keyof ResourceRange)[];
/**
 * Every key of the objects in a split description (datasets aside), by where they sit (`[]`: each
 * item of a list). Params maps are free-form, and the lock in `upgradeFrom` is checked as a lock.
 */
export const SPLIT_OBJECT_KEYS: Readonly<Record<string, readonly string[]>> = {
  'image': ['edition', 'repository', 'tag', 'digest', 'version', 'snapshotsFeature', 'snapshotFileFormat'] satisfies (keyof SpiceImageSpec)[],
  'store': ['cloud', 'region', 'prefix', 'bucket', 'account', 'container'] satisfies (keyof SnapshotStoreSpec)[],
  'writer': [
    'replicas', 'resources', 'storageSize', 'storageClass', 'acceptedApiKeys', 'flightEndpoint', 'externalFlightEndpoint', 'tls', 'flightClientCertificate', 'spiceCloud', 'apiKey',
  ] satisfies (keyof WriterTierSpec | keyof SpiceCloudWriterTierSpec)[],
  'reader': ['bootstrapOnFailure', 'allowSourceAccess', 'snapshotCheckInterval', 'resources', 'localDisk', 'namespaces'] satisfies (keyof ReaderTierSpec)[],
  'retention': ['refreshSnapshots', 'dailyArchive', 'abortIncompleteUploads'] satisfies (keyof RetentionSpec)[],
  'writer.resources': RESOURCES,
  'writer.resources.cpu': RANGE,
  'writer.resources.memory': RANGE,
  'writer.apiKey': SECRET_REF,
  'writer.acceptedApiKeys[]': SECRET_REF,
  'writer.tls': ['secretName', 'caCertificate'] satisfies (keyof FlightTlsSpec)[],
  'writer.flightClientCertificate': ['secretName'] satisfies (keyof FlightClientCertificateSpec)[],
  'writer.spiceCloud': ['region', 'endpoint'] satisfies (keyof SpiceCloudWriterSpec)[],
  'reader.resources': RESOURCES,
  'reader.resources.cpu': RANGE,
  'reader.resources.memory': RANGE,
  'upgradeFrom': ['lock', 'allow'] satisfies (keyof UpgradeSpec)[],
};
/** Every key of a dataset's Secret references (`secretParams`: each value). */
export const SECRET_PARAM_KEYS = SECRET_REF;
const SPLIT_KEY_SET: ReadonlySet<string> = new Set(SPLIT_KEYS);
const DATASET_KEY_SET: ReadonlySet<string> = new Set(DATASET_KEYS);
const keySets = (lists: Readonly<Record<string, readonly string[]>>) => Object.entries(lists).map(([key, keys]) => [key, new Set(keys)] as const);
const NESTED_DATASET_SETS = keySets(NESTED_DATASET_KEYS);
const SPLIT_OBJECT_SETS = keySets(SPLIT_OBJECT_KEYS).map(([at, keys]) => [at.split('.'), keys, at] as const);
/** Objects whose own checks refuse anything else, naming what they hold. */
const REFUSED_BY_OWN_CHECKS: ReadonlySet<string> = new Set([
  'store', 'writer.apiKey', 'writer.acceptedApiKeys[]', 'writer.tls', 'writer.flightClientCertificate', 'writer.spiceCloud', 'upgradeFrom',
]);
const SECRET_REF_SET: ReadonlySet<string> = new Set(SECRET_REF);

let levenshtein: typeof Levenshtein | undefined;

/** The allowed key closest to a misspelt one, when it is close enough to be what was meant. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  // Loaded only for a key to report: the core's import stays small.
  levenshtein ??= require('fastest-levenshtein') as typeof Levenshtein;
  const best = levenshtein.closest(key.toLowerCase(), allowed.map((name) => name.toLowerCase()));
  const original = allowed.find((name) => name.toLowerCase() === best)!;
  return levenshtein.distance(key.toLowerCase(), best) <= Math.max(2, Math.floor(key.length / 3)) ? original : undefined;
}

/** The fix for an unknown key: the key meant, or the keys there are. */
export function unknownKeyFix(key: string, allowed: readonly string[]): string {
  const near = didYouMean(key, allowed);
  return near ? `did you mean '${near}'?` : `use one of ${allowed.map((name) => `'${name}'`).join(', ')}`;
}

function checkKeys(value: object, known: ReadonlySet<string>, prefix: string, findings: Findings): void {
  for (const key in value) {
    if (known.has(key) || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    findings.problem(`${prefix}${key}`, 'is not a key of this description', unknownKeyFix(key, [...known]));
  }
}


/**
 * A value where the description holds an object: its keys are checked, and anything but an object
 * is refused (a default would otherwise be taken silently, e.g. for `retention: 24h`). Null is
 * absent, as YAML writes a key whose children are all commented out.
 */
function checkObject(value: unknown, known: ReadonlySet<string>, path: string, findings: Findings): void {
  if (isMapping(value)) {
    checkKeys(value, known, `${path}.`, findings);
  } else if (value !== undefined && value !== null && !findings.isLateBound(value)) {
    findings.problem(path, `${quote(value)} is not an object`, `give an object of ${[...known].map((key) => `'${key}'`).join(', ')}`);
  }
}

/** The objects held by `value`'s keys: each checked against its own keys. */
function checkNested(value: Readonly<Record<string, unknown>>, nested: readonly (readonly [string, ReadonlySet<string>])[], prefix: string, findings: Findings): void {
  for (const [key, known] of nested) checkObject(value[key], known, `${prefix}${key}`, findings);
}

/** The values at `steps` below `value` (a step ending in `[]` takes each item of a list), with their paths; none below a value that is no object. */
function valuesAt(value: unknown, steps: readonly string[], path: string): { readonly value: unknown; readonly path: string }[] {
  if (steps.length === 0) return [{ value, path }];
  if (!isMapping(value)) return [];
  const [step, ...rest] = steps;
  const key = step.endsWith('[]') ? step.slice(0, -2) : step;
  const inner = value[key];
  const at = path ? `${path}.${key}` : key;
  if (!step.endsWith('[]')) return valuesAt(inner, rest, at);
  return Array.isArray(inner) ? inner.flatMap((item, i) => valuesAt(item, rest, `${at}[${i}]`)) : [];
}

/**
 * Reports every key of the split description (and of the objects in it, datasets aside) that no
 * description has, and every value that is no object where the description holds one.
 */
export function checkSplitKeys(spec: object, findings: Findings): void {
  checkKeys(spec, SPLIT_KEY_SET, '', findings);
  for (const [steps, known, at] of SPLIT_OBJECT_SETS) {
    for (const found of valuesAt(spec, steps, '')) {
      if (isMapping(found.value)) checkKeys(found.value, known, `${found.path}.`, findings);
      else if (!REFUSED_BY_OWN_CHECKS.has(at)) checkObject(found.value, known, found.path, findings);
    }
  }
}

/** Reports every key of a dataset (and of its refresh, snapshots and Secret references) that no dataset has (`path` is the dataset's, e.g. `datasets[2]`). */
export function checkDatasetKeys(dataset: object, path: string, findings: Findings): void {
  checkKeys(dataset, DATASET_KEY_SET, `${path}.`, findings);
  checkNested(dataset as Readonly<Record<string, unknown>>, NESTED_DATASET_SETS, `${path}.`, findings);
  const secrets = (dataset as { readonly secretParams?: unknown }).secretParams;
  if (!isMapping(secrets)) return;
  for (const param in secrets) {
    const ref = secrets[param];
    if (isMapping(ref) && Object.prototype.hasOwnProperty.call(secrets, param)) checkKeys(ref, SECRET_REF_SET, `${path}.secretParams.${param}.`, findings);
  }
}
