import { parseDurationSeconds } from './duration';
import { Findings, quote } from './errors';
import { checkFlightClientCertificate, FlightClientCertificateSpec } from './flight-client-certificate';
import { checkFlightTls, flightEndpointParts, FlightTlsSpec, isClusterOnlyHost, isFlightEndpoint, isPlaintextFlightEndpoint, sameFlightEndpoint, warnPlaintextEndpoint } from './flight-tls';
import { checkNamespaces } from './kubernetes-names';
import { defaultApiKeySecretName, defaultFlightEndpoint } from './naming';
import { parseQuantity } from './quantity';
import { checkSecretRef, SecretRef } from './secret-ref';
import { isSpiceCloudWriter, ResolvedSpiceCloud, resolveSpiceCloud, SpiceCloudWriterTierSpec } from './spice-cloud';
import { ResolvedSpiceImage } from './spice-image';

/** A request and a limit, as Kubernetes quantities. */
export interface ResourceRange {
  /** @default - the tier's default request */
  readonly request?: string;
  /** @default - the tier's default limit */
  readonly limit?: string;
}

/** CPU and memory of one `spiced` container. */
export interface ResourcesSpec {
  /** @default - the tier's default */
  readonly cpu?: ResourceRange;
  /** @default - the tier's default */
  readonly memory?: ResourceRange;
}

/** Resources after defaults. */
export interface ResolvedResources {
  readonly cpu: { readonly request: string; readonly limit: string };
  readonly memory: { readonly request: string; readonly limit: string };
}

/** The writer cluster: a StatefulSet that owns refresh, acceleration and the source credentials. */
export interface WriterTierSpec {
  /**
   * Replicas. Exactly one of them (the snapshot owner) uploads snapshots; the others bootstrap
   * from them and serve delegated queries.
   *
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Resources of each writer. Memory is sized for the largest accelerated dataset.
   *
   * @default - cpu 2 / 4, memory 8Gi / 8Gi
   */
  readonly resources?: ResourcesSpec;
  /**
   * Size of each replica's persistent volume, as a Kubernetes quantity.
   *
   * @default - twice the datasets' expectedSize, at least 20Gi
   */
  readonly storageSize?: string;
  /**
   * Storage class of the persistent volumes.
   *
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * The cluster API key: the writer requires it (spiced's `spice.ai` connector fails "Unauthorized"
   * against a writer without auth) and readers present it for delegated queries. (In a description
   * file with `spiceCloud`: the Spice Cloud app's API key.)
   *
   * @default - key `api-key` of the Secret `<split>-cluster-api-key`
   */
  readonly apiKey?: SecretRef;
  /**
   * Further keys the writers accept besides `apiKey`, for a rotation without downtime: add the new
   * key here (writers restart and accept both), then make it `apiKey` and list the old one here
   * (readers roll to the new key), then remove the old one. spiced reads keys at startup only.
   *
   * @default - none
   */
  readonly acceptedApiKeys?: readonly SecretRef[];
  /**
   * Flight endpoint readers use for delegated datasets (`http://`, `https://` or `grpc+tls://`).
   *
   * @default - `http://<split>-writer.<namespace>.svc.cluster.local:50051`
   */
  readonly flightEndpoint?: string;
  /**
   * The Flight endpoint readers outside the cluster dial (ECS, Cloud Run, Container Apps,
   * Compose): an internal load balancer in front of the writers' Flight port (the chart's
   * `flightLoadBalancer`), while readers in the cluster and the archiver keep dialing
   * `flightEndpoint`. With `tls`, the writers' certificate must name its host too (the chart's
   * `flightCertificate` does).
   *
   * @default - `flightEndpoint`
   */
  readonly externalFlightEndpoint?: string;
  /**
   * TLS on the writers' endpoints: readers and the archiver dial `https://` and trust the given CA
   * only. Needs a Spice 2.x image.
   *
   * @default - plaintext Flight inside the cluster (NetworkPolicies admit only the split's readers and archiver)
   */
  readonly tls?: FlightTlsSpec;
  /**
   * A client certificate readers and the archiver present when they dial `flightEndpoint`, beside
   * the cluster API key: for a writer endpoint behind a gateway or mesh that requires client
   * certificates. The writers themselves never ask for one. Needs a TLS endpoint and a Spice 2.x
   * image.
   *
   * @default - none: readers and the archiver present the cluster API key only
   */
  readonly flightClientCertificate?: FlightClientCertificateSpec;
}

/** What a reader does when no snapshot loads. */
export type BootstrapOnFailure = 'fallback' | 'retry' | 'warn';

/** The read tier: `spiced` sidecars that restore snapshots and hold no source credentials. */
export interface ReaderTierSpec {
  /**
   * When a snapshot fails to load. `retry` keeps retrying the download, so the reader stays
   * unready instead of serving nothing (fail closed). `fallback` moves to an older snapshot only
   * when the newest is corrupt (checksum, size, schema); on any other error (403, 404, 5xx) it
   * starts empty, as `warn` does. `warn` boots empty and refreshes from the source, so it needs
   * `allowSourceAccess`. With no snapshot published yet, every behaviour starts empty.
   *
   * @default 'retry'
   */
  readonly bootstrapOnFailure?: BootstrapOnFailure;
  /**
   * Let readers contact sources themselves (they still never receive source credentials).
   *
   * @default false
   */
  readonly allowSourceAccess?: boolean;
  /**
   * How often readers look for a newer snapshot and hot-swap it (Enterprise 2.x only).
   *
   * @default '1m' where hot swap exists; not rendered otherwise
   */
  readonly snapshotCheckInterval?: string;
  /**
   * Resources of each sidecar.
   *
   * @default - cpu 500m / 2, memory 512Mi / 4Gi (the seed's read-instance shape)
   */
  readonly resources?: ResourcesSpec;
  /**
   * Size limit of the local disk holding the restored files, as a Kubernetes quantity. When
   * given, every reader gets it unless the reader gives its own `localDisk`; when derived, a
   * reader of some datasets (`datasets`) gets what the ones it restores need.
   *
   * @default - twice the accelerated datasets' expectedSize, at least 10Gi (1Gi when no dataset is accelerated: nothing is restored)
   */
  readonly localDisk?: string;
  /**
   * The Kubernetes namespaces the reader sidecars run in, said once for both sides: the cloud
   * components trust the reader ServiceAccount of each (their `readerNamespaces` default), the
   * chart's writers admit readers from these only, and a sidecar in another namespace is refused
   * at synth instead of being denied every restore after deploy.
   *
   * @default - each side's own: the cloud components trust the split's namespace, the writers admit readers of any namespace
   */
  readonly namespaces?: readonly string[];
}

/** Defaults from the seed's sizing table. */
export const WRITER_RESOURCES: ResolvedResources = {
  cpu: { request: '2', limit: '4' },
  memory: { request: '8Gi', limit: '8Gi' },
};
export const READER_RESOURCES: ResolvedResources = {
  cpu: { request: '500m', limit: '2' },
  memory: { request: '512Mi', limit: '4Gi' },
};

/** How to write a CPU or memory quantity; a number, as YAML reads `2`, goes in quotes. */
function quantityFix(kind: 'cpu' | 'memory', given: unknown): string {
  const example = kind === 'cpu' ? "'500m' or '2'" : "'512Mi' or '4Gi'";
  return typeof given === 'number' ? `write it as a string, in quotes ('${given}'), e.g. ${example}` : `use e.g. ${example}`;
}

/** Checks resources and fills what is missing from the tier defaults. */
export function resolveResources(
  spec: ResourcesSpec | undefined,
  defaults: ResolvedResources,
  path: string,
  findings: Findings,
): ResolvedResources {
  const resolved: ResolvedResources = {
    cpu: { request: spec?.cpu?.request ?? defaults.cpu.request, limit: spec?.cpu?.limit ?? defaults.cpu.limit },
    memory: { request: spec?.memory?.request ?? defaults.memory.request, limit: spec?.memory?.limit ?? defaults.memory.limit },
  };
  for (const kind of ['cpu', 'memory'] as const) {
    const request = parseQuantity(resolved[kind].request);
    const limit = parseQuantity(resolved[kind].limit);
    if (request === undefined) findings.problem(`${path}.${kind}.request`, `${quote(resolved[kind].request)} is not a quantity`, quantityFix(kind, resolved[kind].request));
    if (limit === undefined) findings.problem(`${path}.${kind}.limit`, `${quote(resolved[kind].limit)} is not a quantity`, quantityFix(kind, resolved[kind].limit));
    if (request !== undefined && limit !== undefined && request > limit) {
      findings.problem(
        `${path}.${kind}.request`,
        `${quote(resolved[kind].request)} is more than the limit ${quote(resolved[kind].limit)}`,
        `lower the request or raise '${path}.${kind}.limit'`,
      );
    }
  }
  return resolved;
}

/** Writer tier settings after checks (sizes are filled in by sizing). */
export interface ResolvedWriterSettings {
  readonly replicas: number;
  readonly resources: ResolvedResources;
  readonly storageClass?: string;
  readonly apiKey: SecretRef;
  /** Keys the writers accept besides `apiKey` (a rotation in progress). */
  readonly acceptedApiKeys: readonly SecretRef[];
  readonly flightEndpoint: string;
  /** What readers outside the cluster dial: `flightEndpoint` unless the description gives another. */
  readonly externalFlightEndpoint: string;
  /** TLS on the writers' endpoints; undefined for plaintext. */
  readonly tls?: FlightTlsSpec;
  /** The client certificate readers and the archiver present; undefined for none. */
  readonly flightClientCertificate?: FlightClientCertificateSpec;
  /** The Spice Cloud app that is the writer; undefined for a writer cluster of your own. */
  readonly spiceCloud?: ResolvedSpiceCloud;
}

const FLIGHT_ENDPOINT_FIX = "use 'http://host:50051', 'https://host:50051' or 'grpc+tls://host:50051'";

/** The endpoint of readers outside the cluster: a Flight endpoint they can resolve, encrypted when the writers serve TLS. */
function checkExternalFlightEndpoint(endpoint: unknown, flightEndpoint: string, tls: boolean, namespace: string, findings: Findings): void {
  const path = 'writer.externalFlightEndpoint';
  if (!isFlightEndpoint(endpoint)) {
    findings.problem(path, `${quote(endpoint)} is not a Flight endpoint spiced accepts (grpc:// and grpcs:// are rejected)`, FLIGHT_ENDPOINT_FIX);
  } else if (isClusterOnlyHost(flightEndpointParts(endpoint)!.host, namespace)) {
    findings.problem(path, `${quote(endpoint)} is a cluster Service name, which readers outside the cluster cannot resolve`, "give the address of an internal load balancer in front of the writers' Flight port (the chart's flightLoadBalancer renders one), or leave it out if no reader runs outside the cluster");
  } else if (tls && isPlaintextFlightEndpoint(endpoint)) {
    findings.problem(path, `${quote(endpoint)} is plaintext, but the writers serve TLS (writer.tls)`, "use 'https://' or 'grpc+tls://'");
  } else if (!tls && !sameFlightEndpoint(endpoint, flightEndpoint)) {
    warnPlaintextEndpoint(endpoint, namespace, { path, dialers: 'delegating readers outside the cluster' }, findings);
  }
}

/** The endpoint readers outside the cluster dial: the cluster's own when both name the same address. */
function externalFlightEndpointOf(external: string | undefined, flightEndpoint: string): string {
  // A value of another type is reported by the check; the default stands in for it meanwhile.
  return typeof external !== 'string' || sameFlightEndpoint(external, flightEndpoint) ? flightEndpoint : external;
}

/** Checks the writer tier and applies defaults. */
export function resolveWriterSettings(
  spec: WriterTierSpec | SpiceCloudWriterTierSpec | undefined,
  splitName: string,
  namespace: string,
  image: ResolvedSpiceImage,
  findings: Findings,
): ResolvedWriterSettings {
  if (isSpiceCloudWriter(spec)) return resolveSpiceCloudWriter(spec, splitName, findings);
  const replicas = spec?.replicas ?? 3;
  if (!Number.isInteger(replicas) || replicas < 1) {
    findings.problem('writer.replicas', `${quote(replicas)} is not a replica count`, 'use a whole number, 3 or more for production');
  } else if (replicas < 3) {
    findings.warn('few-writer-replicas', 'writer.replicas', `${replicas} writer replica(s): the pattern runs 3 or more so that delegated queries survive a node loss`);
  }
  const apiKey = spec?.apiKey ?? { secretName: defaultApiKeySecretName(splitName), key: 'api-key' };
  checkSecretRef(apiKey, 'writer.apiKey', findings);
  const acceptedApiKeys = checkAcceptedApiKeys(spec?.acceptedApiKeys, apiKey, findings);
  const tls = checkFlightTls(spec?.tls, image, spec?.flightEndpoint, findings);
  const flightEndpoint = spec?.flightEndpoint ?? defaultFlightEndpoint(splitName, namespace, tls !== undefined);
  if (!isFlightEndpoint(flightEndpoint)) {
    findings.problem(
      'writer.flightEndpoint',
      `${quote(flightEndpoint)} is not a Flight endpoint spiced accepts (grpc:// and grpcs:// are rejected)`,
      FLIGHT_ENDPOINT_FIX,
    );
  }
  if (spec?.tls === undefined) warnPlaintextEndpoint(spec?.flightEndpoint, namespace, { path: 'writer.flightEndpoint', dialers: 'delegating readers and the archiver' }, findings);
  if (spec?.externalFlightEndpoint !== undefined) checkExternalFlightEndpoint(spec.externalFlightEndpoint, flightEndpoint, tls !== undefined, namespace, findings);
  const flightClientCertificate = checkFlightClientCertificate(spec?.flightClientCertificate, image, tls, flightEndpoint, findings);
  return {
    replicas,
    resources: resolveResources(spec?.resources, WRITER_RESOURCES, 'writer.resources', findings),
    storageClass: spec?.storageClass,
    apiKey,
    acceptedApiKeys,
    flightEndpoint,
    externalFlightEndpoint: externalFlightEndpointOf(spec?.externalFlightEndpoint, flightEndpoint),
    tls,
    flightClientCertificate,
  };
}

/** A Spice Cloud app as the writer: no replicas of your own; readers dial the app with its API key. */
function resolveSpiceCloudWriter(spec: SpiceCloudWriterTierSpec, splitName: string, findings: Findings): ResolvedWriterSettings {
  const spiceCloud = resolveSpiceCloud(spec.spiceCloud, findings);
  const apiKey = spec.apiKey ?? { secretName: defaultApiKeySecretName(splitName), key: 'api-key' };
  checkSecretRef(apiKey, 'writer.apiKey', findings);
  return { replicas: 0, resources: WRITER_RESOURCES, apiKey, acceptedApiKeys: [], flightEndpoint: spiceCloud.endpoint, externalFlightEndpoint: spiceCloud.endpoint, spiceCloud };
}

const sameSecret = (a: SecretRef, b: SecretRef) => a?.secretName === b?.secretName && a?.key === b?.key;

/** The rotation's further keys: valid references, none of them `apiKey` itself, each once. */
function checkAcceptedApiKeys(keys: readonly SecretRef[] | undefined, apiKey: SecretRef, findings: Findings): readonly SecretRef[] {
  if (keys === undefined) return [];
  if (!Array.isArray(keys)) {
    findings.problem('writer.acceptedApiKeys', `${quote(keys)} is not a list`, "list secret references, e.g. [{ secretName: 'orders-cluster-api-key-next', key: 'api-key' }]");
    return [];
  }
  keys.forEach((key, i) => {
    checkSecretRef(key, `writer.acceptedApiKeys[${i}]`, findings);
    if (sameSecret(key, apiKey) || keys.slice(0, i).some((other) => sameSecret(other, key))) {
      findings.problem(`writer.acceptedApiKeys[${i}]`, `${quote(`${key?.secretName}/${key?.key}`)} is listed already`, 'list each key once, and never writer.apiKey itself');
    }
  });
  return keys;
}

/** Reader tier settings after checks (the local disk is filled in by sizing). */
export interface ResolvedReaderSettings {
  readonly bootstrapOnFailure: BootstrapOnFailure;
  readonly allowSourceAccess: boolean;
  readonly snapshotCheckInterval?: string;
  readonly resources: ResolvedResources;
  /** `reader.namespaces`, when given. */
  readonly namespaces?: readonly string[];
}

/** Checks the reader tier and applies defaults. */
export function resolveReaderSettings(spec: ReaderTierSpec | undefined, findings: Findings): ResolvedReaderSettings {
  const bootstrapOnFailure = spec?.bootstrapOnFailure ?? 'retry';
  const allowSourceAccess = spec?.allowSourceAccess ?? false;
  if (!['fallback', 'retry', 'warn'].includes(bootstrapOnFailure)) {
    findings.problem('reader.bootstrapOnFailure', `${quote(bootstrapOnFailure)} is not a behaviour`, "use 'fallback' or 'retry'");
  } else if (bootstrapOnFailure === 'warn' && !allowSourceAccess) {
    findings.problem(
      'reader.bootstrapOnFailure',
      "'warn' boots an empty reader that refreshes from the source, but readers hold no source access",
      "use 'fallback' or 'retry', or set 'reader.allowSourceAccess: true' if readers may reach sources",
    );
  }
  const interval = spec?.snapshotCheckInterval;
  if (interval !== undefined && parseDurationSeconds(interval) === undefined) {
    findings.problem('reader.snapshotCheckInterval', `${quote(interval)} is not a duration`, "use e.g. '30s' or '1m'");
  }
  if (spec?.namespaces !== undefined) checkNamespaces(spec.namespaces, 'reader.namespaces', findings, 'no reader could run anywhere: leave it out to decide it per side');
  return {
    bootstrapOnFailure,
    allowSourceAccess,
    snapshotCheckInterval: interval,
    resources: resolveResources(spec?.resources, READER_RESOURCES, 'reader.resources', findings),
    ...(spec?.namespaces === undefined ? {} : { namespaces: spec.namespaces }),
  };
}
