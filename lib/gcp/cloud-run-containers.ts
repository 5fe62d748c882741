import { sha256Hex } from '../core/digest';
import * as pulumi from '@pulumi/pulumi';
import type { cloudrunv2 } from '@pulumi/gcp/types/input';
import { parseQuantity, readerDiskBytes, ReaderFile, ReaderInstance, ReaderWritableDir } from '../core';
import { CloudRunSecretRef, DEFAULT_APP_CONTAINER, READER_CONTAINER, STARTUP_BUDGET_SECONDS } from './cloud-run-reader-args';

// The reader model of the core, mapped onto Cloud Run's containers and volumes: plain functions.

const MI = 2 ** 20;
/** A byte count as Cloud Run writes memory: whole mebibytes, rounded up. */
export const mebibytes = (bytes: number): string => `${Math.max(1, Math.ceil(bytes / MI))}Mi`;

/**
 * The reader container's memory limit: its own, plus every in-memory volume it writes. On Cloud
 * Run an in-memory volume holds no memory of its own; what a container writes to it counts
 * against that container's memory, so the acceleration files, HOME and scratch come on top.
 */
export function readerMemoryBytes(instance: ReaderInstance): number {
  return (parseQuantity(instance.resources.memory.limit) ?? 0) + readerDiskBytes(instance);
}

/** vCPU values Cloud Run takes above 1 (whole numbers), and the memory each needs at least (its table of minimum vCPU by memory). */
const CPU_STEPS = [1, 2, 4, 6, 8] as const;
const MIN_CPU_BY_MEMORY: readonly (readonly [number, number])[] = [[24 * 2 ** 30, 8], [16 * 2 ** 30, 6], [8 * 2 ** 30, 4], [4 * 2 ** 30, 2]];

/**
 * The reader container's vCPU: the split's reader limit, raised to what Cloud Run requires for
 * its memory (more than 4 GiB needs 2 vCPU, more than 8 GiB 4, more than 16 GiB 6, more than
 * 24 GiB 8), and up to a value Cloud Run takes (1, 2, 4, 6 or 8; below 1 as given).
 */
export function readerCpu(instance: ReaderInstance): number {
  const given = parseQuantity(instance.resources.cpu.limit) ?? 1;
  const memory = readerMemoryBytes(instance);
  const forMemory = MIN_CPU_BY_MEMORY.find(([bytes]) => memory > bytes)?.[1] ?? 1;
  const wanted = Math.max(given, forMemory);
  if (wanted < 1) return wanted;
  return CPU_STEPS.find((step) => step >= wanted) ?? wanted;
}

/** The memory Cloud Run requires at least for a container's vCPU: 2 GiB at 4 vCPU, 4 GiB at 6 and 8. */
const MIN_MEMORY_BY_CPU: readonly (readonly [number, number])[] = [[6, 4 * 2 ** 30], [4, 2 * 2 ** 30]];

/**
 * The reader container's memory limit: its memory limit and in-memory volumes, raised to what Cloud
 * Run requires for its vCPU (`readerCpu`).
 */
export function readerContainerMemoryBytes(instance: ReaderInstance): number {
  const cpu = readerCpu(instance);
  return Math.max(readerMemoryBytes(instance), MIN_MEMORY_BY_CPU.find(([atLeast]) => cpu >= atLeast)?.[1] ?? 0);
}

/** A volume of the reader's: `spice-reader-local`, `spice-reader-spicepod`, ... */
export const volumeName = (suffix: string): string => `${READER_CONTAINER}-${suffix}`;
const fileVolumeName = (file: ReaderFile): string => volumeName(file.purpose);
const dirVolumeName = (dir: ReaderWritableDir): string => volumeName(dir.role);

/** A file of the reader's in Secret Manager: the secret and the version the revision mounts. */
export interface FileSecret {
  readonly file: ReaderFile;
  /** The secret's id in the service's project. */
  readonly secretId: pulumi.Input<string>;
  readonly version: pulumi.Input<string>;
}

/**
 * The service account id of a reader service (6-30 characters): its name and a hash of its region
 * and name, so the same service in two regions of a project gets two accounts.
 */
export function readerAccountId(serviceName: string, location: string): string {
  const hash = sha256Hex(`${location}/${serviceName}`).slice(0, 6);
  const head = serviceName.slice(0, 30 - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** The Secret Manager id of one of the reader's files: per service and region (secret ids are per project). */
export function fileSecretId(serviceName: string, location: string, file: ReaderFile): string {
  return `${serviceName}-${location}-${file.purpose}`;
}

/** In-memory volumes for the directories spiced writes (sized), and Secret Manager volumes for the files it reads. */
export function readerVolumes(instance: ReaderInstance, secrets: readonly FileSecret[]): cloudrunv2.ServiceTemplateVolume[] {
  const files = secrets.map((entry): cloudrunv2.ServiceTemplateVolume => ({
    name: fileVolumeName(entry.file),
    // 0444 (Cloud Run's default mode): spiced runs as uid 65534 and the volume is root's.
    secret: { secret: entry.secretId, items: [{ path: entry.file.name, version: entry.version }] },
  }));
  const dirs = instance.writableDirs.map((dir): cloudrunv2.ServiceTemplateVolume => ({
    name: dirVolumeName(dir),
    emptyDir: { medium: 'MEMORY', sizeLimit: mebibytes(dir.sizeBytes) },
  }));
  return [...files, ...dirs];
}

function readerEnvs(instance: ReaderInstance, clusterApiKey: CloudRunSecretRef | undefined): cloudrunv2.ServiceTemplateContainerEnv[] {
  const plain = Object.entries(instance.env).map(([name, value]) => ({ name, value }));
  // The core gives readers one secret only, the cluster API key, and only when they delegate (checked: clusterApiKey is set then).
  const secret = instance.secretEnv.map((binding) => ({
    name: binding.envVar,
    valueSource: { secretKeyRef: { secret: clusterApiKey!.secret, version: clusterApiKey!.version ?? 'latest' } },
  }));
  return [...plain, ...secret];
}

/**
 * The startup probe: `/v1/ready`, which answers once every dataset is loaded, so the application
 * (which depends on the reader) starts on a reader that serves. Cloud Run allows 240 s in all: a
 * first restore that takes longer gets the instance restarted.
 */
function startupProbe(instance: ReaderInstance): cloudrunv2.ServiceTemplateContainerStartupProbe {
  const periodSeconds = 10;
  return {
    httpGet: { path: instance.probes.readiness.path, port: instance.ports.http },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: STARTUP_BUDGET_SECONDS / periodSeconds,
  };
}

function livenessProbe(instance: ReaderInstance): cloudrunv2.ServiceTemplateContainerLivenessProbe {
  const { path, periodSeconds, failureThreshold } = instance.probes.liveness;
  return { httpGet: { path, port: instance.ports.http }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/** The `spice-reader` sidecar: the core's command, args, env, resources, probes and mounts; no port (only the ingress container has one). */
export function readerContainer(instance: ReaderInstance, image: string, clusterApiKey: CloudRunSecretRef | undefined): cloudrunv2.ServiceTemplateContainer {
  return {
    name: READER_CONTAINER,
    image,
    commands: [...instance.command],
    args: [...instance.args],
    workingDir: instance.workingDir,
    envs: readerEnvs(instance, clusterApiKey),
    resources: {
      // Raised by the in-memory volumes' sizes (they count against this container's memory), and to Cloud Run's minimum for the vCPU.
      limits: { cpu: String(readerCpu(instance)), memory: mebibytes(readerContainerMemoryBytes(instance)) },
      // spiced restores and swaps snapshots in the background, between requests too.
      cpuIdle: false,
      startupCpuBoost: true,
    },
    startupProbe: startupProbe(instance),
    livenessProbe: livenessProbe(instance),
    volumeMounts: [
      ...instance.files.map((file) => ({ name: fileVolumeName(file), mountPath: file.dir })),
      ...instance.writableDirs.map((dir) => ({ name: dirVolumeName(dir), mountPath: dir.path })),
    ],
  };
}

/** The application as the ingress container, started once the reader passed its startup probe. */
export function appContainer(app: cloudrunv2.ServiceTemplateContainer): cloudrunv2.ServiceTemplateContainer {
  const withReader = (names: readonly string[]) => [...names.filter((n) => n !== READER_CONTAINER), READER_CONTAINER];
  const given = app.dependsOns;
  const dependsOns = given === undefined || (Array.isArray(given) && given.every((n) => typeof n === 'string'))
    ? withReader((given ?? []) as string[])
    : pulumi.output(given).apply((names) => withReader(names ?? []));
  return { ...app, name: app.name ?? DEFAULT_APP_CONTAINER, dependsOns };
}
