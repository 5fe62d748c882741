import { sha256Hex } from './digest';
import { Findings, SplitWarning } from './errors';
import { FLIGHT_CA_DIR, FLIGHT_CA_KEY } from './flight-tls';
import { READER_DATA_DIR, SPICE_PORTS } from './naming';
import { parseQuantity } from './quantity';
import { readerLocalDiskFor } from './sizing';
import { checkReaderInstance, ReaderPlatform, readerImageReference } from './reader-instance-checks';
import { renderReaderSpicepod } from './reader-spicepod';
import { SecretEnvBinding } from './secret-ref';
import {
  SPICE_HOME, SPICE_HOME_ENV, SPICE_TMP, SPICED_COMMAND, SPICED_PROBES, SPICED_USER, spicedListenArgs, SpicedListenHosts, SPICEPOD_DIR, SPICEPOD_FILE,
} from './spiced-process';
import { spicepodToYaml, TierSpicepod } from './spicepod';
import { SynthesizedSplit } from './synthesize';
import type { ResolvedSplit } from './split';
import { ResolvedResources } from './tiers';

export { ReaderPlatform } from './reader-instance-checks';

/** Options of one reader beside an application, on any platform. */
export interface ReaderInstanceOptions {
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * Ports the application's own containers listen on: none may be one of the reader's.
   *
   * @default - none
   */
  readonly appPorts?: readonly number[];
  /**
   * Port of the reader's Prometheus metrics.
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * Where the platform pulls the Spice image from, without tag or digest: a mirror of the split's
   * image (the split's tag and digest are kept, so the reader runs the writers' release).
   *
   * @default - the split's image repository
   */
  readonly imageRepository?: string;
  /**
   * The local disk of this reader: the acceleration files of the datasets it restores (HOME and
   * scratch come on top). On Cloud Run the disk is memory, billed as memory.
   *
   * @default - the description's `reader.localDisk` when given; otherwise twice the expectedSize
   * of the accelerated datasets this reader restores, at least 10Gi (1Gi when it restores none)
   */
  readonly localDisk?: string;
}

/** A file the reader reads at start (its Spicepod, the writers' CA), delivered by the platform. */
export interface ReaderFile {
  /** Directory spiced reads it from. */
  readonly dir: string;
  readonly name: string;
  readonly content: string;
  /** What it is: the platform may deliver each kind its own way (a Secret volume, a config). */
  readonly purpose: 'spicepod' | 'flight-ca';
}

/** A directory spiced writes, on a volume of the platform's. */
export interface ReaderWritableDir {
  /** Volume name suffix: `local`, `home` or `tmp`. */
  readonly role: 'local' | 'home' | 'tmp';
  readonly path: string;
  /** The size the volume is given (bytes). */
  readonly sizeBytes: number;
}

/**
 * The `spiced` reader of a split as one platform runs it beside an application: the same reader
 * Spicepod, image, sizing and secrets as the Kubernetes sidecar, in plain values. The platform
 * adapters (ECS Fargate, Cloud Run, Container Apps, Compose) only map it.
 */
export interface ReaderInstance {
  readonly platform: ReaderPlatform;
  readonly splitName: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly workingDir: string;
  /** Plain environment variables (HOME). */
  readonly env: Readonly<Record<string, string>>;
  /** The one secret a reader may hold: the cluster API key, when it delegates. */
  readonly secretEnv: readonly SecretEnvBinding[];
  readonly user: typeof SPICED_USER;
  /** The address each server listens on: loopback unless the platform reaches it from outside the container. */
  readonly listenHosts: SpicedListenHosts;
  readonly ports: { readonly http: number; readonly flight: number; readonly metrics: number };
  /** Where the application reaches the reader. */
  readonly endpoints: { readonly http: string; readonly flight: string };
  readonly probes: typeof SPICED_PROBES;
  /** The reader Spicepod (the core's), its YAML and the YAML's SHA-256. */
  readonly spicepod: TierSpicepod;
  readonly spicepodYaml: string;
  readonly spicepodChecksum: string;
  /** Files spiced reads: the Spicepod, and the writers' CA when it delegates over TLS. */
  readonly files: readonly ReaderFile[];
  /** Directories spiced writes: acceleration files, HOME and scratch. */
  readonly writableDirs: readonly ReaderWritableDir[];
  /** The split's reader resources (requests and limits). */
  readonly resources: ResolvedResources;
  /** Bytes of acceleration files the reader keeps (its `localDisk`, or the description's `reader.localDisk`). */
  readonly localDiskBytes: number;
  /** The reader delegates datasets to the writers over Flight. */
  readonly delegates: boolean;
  /** What the options would deploy but may not serve (a `localDisk` below its datasets' size), for the platform to report. */
  readonly warnings: readonly SplitWarning[];
}

/** Scratch and HOME sizes beside the acceleration files. */
const TMP_BYTES = 2 ** 30;
const HOME_BYTES = 256 * 2 ** 20;

const LOOPBACK = '127.0.0.1';
const INSTANCE = '0.0.0.0';

/**
 * Where each server listens. Loopback unless something outside the container must reach it:
 * Cloud Run's and Container Apps' probes reach HTTP on the instance's address (they do not reach
 * 127.0.0.1), and Compose publishes HTTP and Flight on the laptop's 127.0.0.1 through the
 * container's address. Metrics stay on loopback everywhere: nothing scrapes them off Kubernetes.
 */
const LISTEN_HOSTS: Readonly<Record<ReaderPlatform, SpicedListenHosts>> = {
  'ecs-fargate': { http: LOOPBACK, flight: LOOPBACK, metrics: LOOPBACK },
  'cloud-run': { http: INSTANCE, flight: LOOPBACK, metrics: LOOPBACK },
  'container-apps': { http: INSTANCE, flight: LOOPBACK, metrics: LOOPBACK },
  'compose': { http: INSTANCE, flight: INSTANCE, metrics: LOOPBACK },
};

function readerFiles(synthesized: SynthesizedSplit, yaml: string, delegates: boolean): ReaderFile[] {
  const files: ReaderFile[] = [{ dir: SPICEPOD_DIR, name: SPICEPOD_FILE, content: yaml, purpose: 'spicepod' }];
  const tls = synthesized.split.writer.tls;
  if (delegates && tls) files.push({ dir: FLIGHT_CA_DIR, name: FLIGHT_CA_KEY, content: tls.caCertificate, purpose: 'flight-ca' });
  return files;
}

/** The split as a reader outside the cluster sees it: the writers at their external endpoint. */
function offClusterView(split: ResolvedSplit): ResolvedSplit {
  const { writer } = split;
  return writer.externalFlightEndpoint === writer.flightEndpoint ? split : { ...split, writer: { ...writer, flightEndpoint: writer.externalFlightEndpoint } };
}

/**
 * The reader of a split beside an application on `platform`, checked for it: every problem (a
 * dataset readers cannot see, a port the application takes, a writer endpoint the platform cannot
 * reach, a client certificate it cannot deliver) is reported at once.
 *
 * @throws SplitValidationError listing every problem
 */
export function readerInstance(synthesized: SynthesizedSplit, platform: ReaderPlatform, options: ReaderInstanceOptions = {}, where?: string): ReaderInstance {
  const { split } = synthesized;
  const findings = new Findings();
  checkReaderInstance(synthesized, platform, options, findings);
  findings.throwIfProblems(split.name, where);

  const view = offClusterView(split);
  const spicepod = options.datasets === undefined && view === split ? synthesized.reader : renderReaderSpicepod(view, { datasets: options.datasets });
  const yaml = spicepodToYaml(spicepod.spicepod);
  const delegates = spicepod.secretEnv.some((binding) => binding.purpose === 'cluster-api-key');
  const ports = { http: SPICE_PORTS.http, flight: SPICE_PORTS.flight, metrics: options.metricsPort ?? SPICE_PORTS.metrics };
  const listenHosts = LISTEN_HOSTS[platform];
  const localDiskBytes = parseQuantity(readerLocalDiskFor(split.reader, split.datasets, options.datasets, options.localDisk)) ?? 0;
  return {
    platform,
    splitName: split.name,
    image: readerImageReference(synthesized, options.imageRepository),
    command: SPICED_COMMAND,
    args: spicedListenArgs(listenHosts, ports),
    workingDir: SPICE_HOME,
    env: { [SPICE_HOME_ENV]: SPICE_HOME },
    secretEnv: spicepod.secretEnv,
    user: SPICED_USER,
    listenHosts,
    ports,
    endpoints: { http: `http://127.0.0.1:${ports.http}`, flight: `grpc://127.0.0.1:${ports.flight}` },
    probes: SPICED_PROBES,
    spicepod,
    spicepodYaml: yaml,
    spicepodChecksum: sha256Hex(yaml),
    files: readerFiles(synthesized, yaml, delegates),
    writableDirs: [
      { role: 'local', path: READER_DATA_DIR, sizeBytes: localDiskBytes },
      { role: 'home', path: SPICE_HOME, sizeBytes: HOME_BYTES },
      { role: 'tmp', path: SPICE_TMP, sizeBytes: TMP_BYTES },
    ],
    resources: split.reader.resources,
    localDiskBytes,
    delegates,
    warnings: findings.warnings.filter((warning) => !split.acknowledgedWarnings.has(warning.id)),
  };
}

/**
 * The helper image of the init and wait containers (busybox 1.36.1: `sh`, `chown`, `chmod`, `date`
 * and `wget`), pinned. AWS pulls it from ECR Public (no Docker Hub rate limit); mirror it where
 * the platform reaches no public registry.
 */
export const READER_HELPER_IMAGES = {
  aws: 'public.ecr.aws/docker/library/busybox:1.36.1',
  default: 'busybox:1.36.1',
} as const;

/** Bytes the reader writes in all: acceleration files, HOME and scratch. */
export function readerDiskBytes(instance: ReaderInstance): number {
  return instance.writableDirs.reduce((sum, dir) => sum + dir.sizeBytes, 0);
}

/**
 * A `sh` command (busybox) that hands the reader's directories, mounted at the same paths, to
 * spiced's user: fresh volumes are root-owned, and the image has no shell to do it itself.
 */
export function ownershipFixCommand(instance: ReaderInstance): string[] {
  const dirs = instance.writableDirs.map((dir) => dir.path).join(' ');
  return ['sh', '-c', `chown -R ${instance.user.uid}:${instance.user.gid} ${dirs} && chmod 0700 ${dirs}`];
}

/**
 * A `sh` command (busybox `wget`) that returns once the reader answers `/v1/ready` with 2xx, and
 * fails after `timeoutSeconds`: what an application waits for where the platform cannot probe a
 * `FROM scratch` image itself.
 */
export function readyWaitCommand(instance: ReaderInstance, timeoutSeconds: number): string[] {
  const url = `http://127.0.0.1:${instance.ports.http}${instance.probes.readiness.path}`;
  const deadline = `end=$(($(date +%s) + ${timeoutSeconds}))`;
  const fail = `echo "spiced not ready after ${timeoutSeconds}s" >&2; exit 1`;
  return ['sh', '-c', `${deadline}; until wget -q -T 2 -O /dev/null ${url}; do [ "$(date +%s)" -ge "$end" ] && { ${fail}; }; sleep 2; done`];
}
