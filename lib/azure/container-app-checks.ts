import { checkReaderDisk, Findings, formatVersion, pinnedImageProblems, quote, READER_HELPER_IMAGES, ReaderInstance, readerDiskBytes, SynthesizedSplit } from '../core';
import { parseQuantity } from '../core/quantity';

// What SpiceReaderContainerApp refuses: Container Apps settings that would deploy but never work.

const GI = 2 ** 30;

/** The busybox image of the init container that hands the reader's volumes to spiced's user. */
export const DEFAULT_HELPER_IMAGE = READER_HELPER_IMAGES.default;

/** Names this component gives containers, volumes and secrets of the app: the user's must differ. */
export const READER_CONTAINER = 'spice-reader';
export const READER_INIT_CONTAINER = 'spice-reader-init';
export const RESERVED_PREFIX = 'spice-reader';

/** One container's CPU and memory on Container Apps: vCPU with at most two decimals, memory in `Gi`. */
export interface ContainerAppAllocation {
  /** vCPU, e.g. `0.5`. */
  readonly cpu: number;
  /** Memory in gibibytes, e.g. `'1Gi'` or `'1.5Gi'`. */
  readonly memory: string;
}

/** The kind of Container Apps environment the app runs in, which sets the largest Consumption allocation. */
export type ContainerAppsEnvironmentType = 'workload-profiles' | 'consumption-only';

const MEMORY = /^(\d+(?:\.\d{1,2})?)Gi$/;
const MANAGED_ENVIRONMENT_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.App\/managedEnvironments\/[-\w]+$/i;
const KEY_VAULT_SECRET_URL = /^https:\/\/([a-z0-9-]{3,24})\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[A-Za-z0-9-]{1,127}(\/[0-9a-f]{32})?\/?$/i;
const KEY_VAULT_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]+\/providers\/Microsoft\.KeyVault\/vaults\/[-\w]{3,24}$/i;
/** Container app names: 2-32 lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, no '--'. */
const CONTAINER_APP_NAME = /^(?!.*--)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const IDENTITY_NAME = /^[A-Za-z0-9][-\w]{2,127}$/;

/** Hundredths of a vCPU or GiB: the two decimals Container Apps accepts, compared without float error. */
const hundredths = (value: number): number => Math.round(value * 100);
const formatGi = (h: number): string => `${h / 100}Gi`;

/** The memory of an allocation in hundredths of a GiB; undefined when it is no `<n>Gi` value. */
export function memoryHundredths(memory: unknown): number | undefined {
  const match = typeof memory === 'string' ? MEMORY.exec(memory) : null;
  return match ? hundredths(Number(match[1])) : undefined;
}

/** A vCPU count Container Apps accepts: more than 0, at most two decimals. */
function isCpu(cpu: unknown): cpu is number {
  return typeof cpu === 'number' && Number.isFinite(cpu) && cpu > 0 && Math.abs(cpu * 100 - Math.round(cpu * 100)) < 1e-9;
}

/** One container's allocation: reports what Container Apps would refuse; returns it in hundredths when usable. */
export function checkAllocation(value: unknown, path: string, at: Findings): { cpu: number; memory: number } | undefined {
  const keyPath = (key: string) => (path === '' ? key : `${path}.${key}`);
  const given = value as { cpu?: unknown; memory?: unknown } | undefined;
  if (!given || typeof given !== 'object') {
    at.problem(path, `${quote(value)} is not a CPU and memory allocation`, "give { cpu, memory }, e.g. { cpu: 0.5, memory: '1Gi' }");
    return undefined;
  }
  let ok = true;
  for (const key of ['cpu', 'memory'] as const) {
    if (at.isLateBound(given[key])) {
      at.problem(keyPath(key), "is a Pulumi Output, but Container Apps accepts only fixed CPU and memory combinations, which are checked when the program runs", 'write the value itself');
      ok = false;
    }
  }
  if (!ok) return undefined;
  if (!isCpu(given.cpu)) {
    at.problem(keyPath('cpu'), `${quote(given.cpu)} is not a Container Apps vCPU count`, 'use a number above 0 with at most two decimals, e.g. 0.5');
    ok = false;
  }
  const memory = memoryHundredths(given.memory);
  if (memory === undefined || memory <= 0) {
    at.problem(keyPath('memory'), `${quote(given.memory)} is not a Container Apps memory size`, "use gibibytes above 0 with at most two decimals, e.g. '1Gi' or '1.5Gi'");
    ok = false;
  }
  return ok ? { cpu: hundredths(given.cpu as number), memory: memory! } : undefined;
}

/** The reader's allocation from the split's reader limits (Container Apps has no burst above it), rounded up to two decimals. */
export function readerAllocationOf(instance: ReaderInstance): { cpu: number; memory: number } {
  const cpu = parseQuantity(instance.resources.cpu.limit) ?? 0;
  const memory = (parseQuantity(instance.resources.memory.limit) ?? 0) / GI;
  return { cpu: Math.ceil(cpu * 100 - 1e-9), memory: Math.ceil(memory * 100 - 1e-9) };
}

/**
 * The replica's total on the Consumption plan must be one of Microsoft's combinations: 0.25 vCPU
 * and 0.5Gi, then steps of 0.25 vCPU with twice as many GiB, up to 4 vCPU / 8Gi (the Consumption
 * profile of a workload profiles environment) or 2 vCPU / 4Gi (a Consumption-only environment).
 * https://learn.microsoft.com/azure/container-apps/containers#allocations
 */
export function checkConsumptionTotal(
  total: { cpu: number; memory: number },
  parts: string,
  environment: ContainerAppsEnvironmentType,
  at: Findings,
): void {
  const maxCpu = environment === 'consumption-only' ? 200 : 400;
  const valid = total.cpu % 25 === 0 && total.cpu >= 25 && total.cpu <= maxCpu && total.memory === total.cpu * 2;
  if (valid) return;
  const needed = Math.max(25, Math.ceil(Math.max(total.cpu, total.memory / 2) / 25) * 25);
  const limit = environment === 'consumption-only' ? '2 vCPU / 4Gi in a Consumption-only environment' : '4 vCPU / 8Gi on the Consumption profile';
  const fix = needed <= maxCpu
    ? `make the replica's totals a Consumption combination (0.25 vCPU per 0.5Gi, up to ${limit}), e.g. cpu: ${needed / 100}, memory: '${formatGi(needed * 2)}'`
    : `lower readerResources or the app's share: the Consumption plan allows at most ${limit}; or run the app on a Dedicated workload profile (workloadProfileName)`;
  at.problem('cpu', `the replica's total of ${total.cpu / 100} vCPU and ${formatGi(total.memory)} (${parts}) is not a Container Apps Consumption combination`, fix);
}

/**
 * Ephemeral storage of one replica (its containers' and EmptyDir volumes' together), by the
 * replica's total vCPU: 1 GiB up to 0.25, 2 GiB up to 0.5, 4 GiB up to 1, 8 GiB above.
 * https://learn.microsoft.com/azure/container-apps/storage-mounts (ephemeral storage)
 */
export function ephemeralStorageBytes(totalCpuHundredths: number): number {
  if (totalCpuHundredths <= 25) return GI;
  if (totalCpuHundredths <= 50) return 2 * GI;
  if (totalCpuHundredths <= 100) return 4 * GI;
  return 8 * GI;
}

/** The reader's disk (acceleration files, HOME, scratch) must fit the replica's ephemeral storage. */
export function checkContainerAppDisk(instance: ReaderInstance, totalCpuHundredths: number, ownDisk: boolean, at: Findings): void {
  const limit = ephemeralStorageBytes(totalCpuHundredths);
  const room = Math.floor((limit - (readerDiskBytes(instance) - instance.localDiskBytes)) / 2 ** 20);
  const more = totalCpuHundredths <= 100 ? ', give the replica more vCPU (8 GiB above 1 vCPU)' : '';
  const restores = instance.spicepod.spicepod.datasets.some((dataset) => dataset.acceleration !== undefined);
  const disk = ownDisk ? 'localDisk' : "this reader's localDisk";
  checkReaderDisk(
    readerDiskBytes(instance),
    limit,
    `the ephemeral storage Container Apps gives a replica of ${totalCpuHundredths / 100} vCPU`,
    restores
      ? `give this reader fewer accelerated datasets (datasets), set ${disk} to at most ${room}Mi (it must still hold twice the accelerated datasets' size)${more}, or keep this reader a Kubernetes sidecar`
      : `set ${disk} to at most ${room}Mi (this reader restores nothing)${more}, or keep this reader a Kubernetes sidecar`,
    at,
    ownDisk ? 'args.localDisk' : undefined,
  );
}

/**
 * Spice 1.x opens `abfss://` snapshot locations with object_store's default Azure builder, which
 * reads no environment and asks IMDS (169.254.169.254) for a token. Container Apps serves managed
 * identity tokens at IDENTITY_ENDPOINT with IDENTITY_HEADER and does not document IMDS: such a
 * reader could never restore a snapshot. 2.0.0-rc.5 and later (spiceai PR #10486) build the store
 * from the environment, which reads IDENTITY_ENDPOINT.
 */
export function checkObjectStoreIdentity(synthesized: SynthesizedSplit, at: Findings): void {
  const { image } = synthesized.split;
  if (image.capabilities.objectStoreCredentials) return;
  at.problem(
    'split.image',
    `${quote(image.reference)} is Spice ${formatVersion(image.version)}, which opens abfss:// snapshot locations with object_store's default builder: it reads no environment and asks IMDS (169.254.169.254) for a token, `
    + "but Container Apps serves the app's managed identity at IDENTITY_ENDPOINT/IDENTITY_HEADER only, so this reader could never restore a snapshot",
    'use a Spice 2.x image (2.0.0-rc.5 or later, which builds the store from the environment, IDENTITY_ENDPOINT included), or keep this reader a Kubernetes sidecar on AKS',
  );
}

/** The managed environment the app runs in, when its id is plain. */
export function checkManagedEnvironmentId(id: unknown, at: Findings): void {
  if (at.isLateBound(id)) return;
  if (typeof id !== 'string' || !MANAGED_ENVIRONMENT_ID.test(id)) {
    at.problem('managedEnvironmentId', `${quote(id)} is not a Container Apps environment id`, "use the environment's resource id: '/subscriptions/<subscription GUID>/resourceGroups/<rg>/providers/Microsoft.App/managedEnvironments/<name>'");
  }
}

/** The Container App's name (from the component's name when not given). */
export function checkContainerAppName(name: unknown, given: boolean, at: Findings): void {
  if (typeof name === 'string' && CONTAINER_APP_NAME.test(name)) return;
  at.problem(
    'containerAppName',
    `${quote(name)}${given ? '' : " (the component's name)"} is not a container app name`,
    given ? "use 2-32 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit" : "set containerAppName: 2-32 lowercase letters, digits and '-', starting with a letter",
  );
}

/** The app's managed identity name, when given. */
export function checkIdentityName(name: unknown, at: Findings): void {
  if (name === undefined || (typeof name === 'string' && IDENTITY_NAME.test(name))) return;
  at.problem('identityName', `${quote(name)} is not a managed identity name`, "use 3-128 letters, digits, '-' and '_', starting with a letter or digit");
}

/**
 * The cluster API key: required when the reader delegates (spiced reads it from the model's env
 * variable), refused otherwise (a reader holds no secret it does not use).
 */
export function checkClusterApiKey(key: unknown, delegates: boolean | undefined, spiceCloud: boolean, at: Findings): void {
  if (delegates === undefined) return;
  if (!delegates) {
    if (key !== undefined) at.problem('clusterApiKey', "is not used: this reader delegates no dataset to the writers, so it holds no cluster API key", 'remove it');
    return;
  }
  if (key === undefined) {
    at.problem(
      'clusterApiKey',
      spiceCloud
        ? "is missing: this reader delegates every dataset to the Spice Cloud app over Arrow Flight and must present the app's API key"
        : "is missing: this reader delegates datasets to the writers over Arrow Flight and must present the writers' API key",
      "give { secretUrl } of the Key Vault secret holding it (https://<vault>.vault.azure.net/secrets/<name>), read with the app's identity; add keyVaultId to grant that identity Key Vault Secrets User on the secret",
    );
    return;
  }
  const given = key as { secretUrl?: unknown; keyVaultId?: unknown };
  if (typeof given !== 'object' || given === null) {
    at.problem('clusterApiKey', `${quote(key)} is not a Key Vault secret reference`, "give { secretUrl: 'https://<vault>.vault.azure.net/secrets/<name>' }");
    return;
  }
  if (!at.isLateBound(given.secretUrl) && (typeof given.secretUrl !== 'string' || !KEY_VAULT_SECRET_URL.test(given.secretUrl))) {
    at.problem('clusterApiKey.secretUrl', `${quote(given.secretUrl)} is not a Key Vault secret URL`, "use 'https://<vault>.vault.azure.net/secrets/<name>' (optionally with '/<version>'): a vault name of 3-24 letters, digits and '-', a secret name of letters, digits and '-'");
  }
  if (given.keyVaultId !== undefined && !at.isLateBound(given.keyVaultId) && (typeof given.keyVaultId !== 'string' || !KEY_VAULT_ID.test(given.keyVaultId))) {
    at.problem('clusterApiKey.keyVaultId', `${quote(given.keyVaultId)} is not a Key Vault resource id`, "use '/subscriptions/<subscription GUID>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault name, 3-24 characters>', or leave it out and grant the identity yourself");
  }
}

/** The secret's name in a Key Vault secret URL (known at deploy time). */
export function keyVaultSecretName(url: string): string | undefined {
  const match = /\/secrets\/([A-Za-z0-9-]+)/.exec(url);
  return match?.[1];
}

/** The helper image: pinned, like every image the library renders. */
export function checkHelperImage(image: unknown, at: Findings): void {
  if (image === undefined) return;
  for (const problem of pinnedImageProblems(image, DEFAULT_HELPER_IMAGE)) at.problem('helperImage', problem.message, problem.fix);
}

/** Names the user gives containers, volumes and secrets must not be the reader's. */
export function checkReservedName(name: unknown, path: string, at: Findings): void {
  if (typeof name === 'string' && name.startsWith(RESERVED_PREFIX)) {
    at.problem(path, `${quote(name)} starts with '${RESERVED_PREFIX}', which names the reader's containers, volumes and secrets`, 'use another name');
  }
}
