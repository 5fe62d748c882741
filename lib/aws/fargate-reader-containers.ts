import { Fn } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { parseQuantity, ReaderFile, ReaderInstance } from '../core';

// How the reader model (`readerInstance`) maps onto ECS container definitions: plain values only,
// so the construct stays a list of containers and their order.

/** Names of the reader's containers and volumes in the task definition. */
export const FARGATE_READER_NAMES = {
  spiced: 'spice-reader',
  init: 'spice-reader-init',
  wait: 'spice-reader-wait',
} as const;

/** Every container name the reader takes: the application's container may not use one. */
export const READER_CONTAINER_NAMES: readonly string[] = Object.values(FARGATE_READER_NAMES);

/** ECS gives a vCPU as 1024 CPU units. */
const CPU_UNITS_PER_VCPU = 1024;
const MIB = 2 ** 20;

/** The reader's resources in ECS units: CPU units from the request, memory reservation and hard limit in MiB. */
export interface FargateReaderSize {
  readonly cpu: number;
  readonly memoryReservationMiB: number;
  readonly memoryLimitMiB: number;
}

/**
 * The split's reader resources as ECS container settings. Fargate enforces CPU only for the whole
 * task, so the CPU limit has no per-container form: the request becomes the container's CPU share.
 */
export function fargateReaderSize(instance: ReaderInstance): FargateReaderSize {
  const { cpu, memory } = instance.resources;
  return {
    cpu: Math.ceil((parseQuantity(cpu.request) ?? 0) * CPU_UNITS_PER_VCPU),
    memoryReservationMiB: Math.ceil((parseQuantity(memory.request) ?? 0) / MIB),
    memoryLimitMiB: Math.ceil((parseQuantity(memory.limit) ?? 0) / MIB),
  };
}

/** The task volume of a writable directory (`local`, `home`, `tmp`). */
export function writableVolumeName(role: string): string {
  return `${FARGATE_READER_NAMES.spiced}-${role}`;
}

/** The task volume of a file's directory (`spicepod`, `flight-ca`). */
export function fileVolumeName(file: ReaderFile): string {
  return `${FARGATE_READER_NAMES.spiced}-${file.purpose}`;
}

/** The environment variable that carries a file's content to the init container. */
export function fileEnvName(file: ReaderFile): string {
  return `READER_FILE_${file.purpose.toUpperCase().replace(/-/g, '_')}`;
}

/** Bytes of the files the init container receives in its environment (the task definition's size counts them). */
export function readerFileBytes(instance: ReaderInstance): number {
  return instance.files.reduce((sum, file) => sum + Buffer.byteLength(file.content, 'utf8') + fileEnvName(file).length, 0);
}

/** One `sh` script: write each file from its variable, then hand the writable directories to spiced's user. */
export function initScript(instance: ReaderInstance, ownershipFix: readonly string[]): string {
  // Readable by spiced's user whatever the volume's mode: the files hold nothing secret.
  const writes = instance.files.map((file) => `printf '%s' "$${fileEnvName(file)}" > ${file.dir}/${file.name} && chmod 0755 ${file.dir} && chmod 0444 ${file.dir}/${file.name}`);
  return [...writes, shellScript(ownershipFix)].join(' && ');
}

/** The script of a `['sh', '-c', script]` command. */
export function shellScript(command: readonly string[]): string {
  const [shell, flag, script] = command;
  if (shell !== 'sh' || flag !== '-c' || command.length !== 3) throw new Error(`expected ['sh', '-c', script], got ${JSON.stringify(command)}`);
  return script;
}

/** The directories spiced reads its files from, once each, with the volume of each. */
export function fileDirs(instance: ReaderInstance): { readonly dir: string; readonly volume: string }[] {
  const seen = new Map<string, string>();
  for (const file of instance.files) if (!seen.has(file.dir)) seen.set(file.dir, fileVolumeName(file));
  return [...seen].map(([dir, volume]) => ({ dir, volume }));
}

/** spiced as the model runs it: its command and args, HOME, its user, a read-only root filesystem, no port mappings (it listens on loopback). */
export function spicedOptions(instance: ReaderInstance, image: ecs.ContainerImage, secrets: Record<string, ecs.Secret>, logging: ecs.LogDriver): ecs.ContainerDefinitionOptions {
  const size = fargateReaderSize(instance);
  return {
    containerName: FARGATE_READER_NAMES.spiced,
    image,
    entryPoint: [...instance.command],
    command: [...instance.args],
    workingDirectory: instance.workingDir,
    environment: { ...instance.env },
    secrets,
    user: `${instance.user.uid}:${instance.user.gid}`,
    readonlyRootFilesystem: true,
    essential: true,
    cpu: size.cpu,
    memoryReservationMiB: size.memoryReservationMiB,
    memoryLimitMiB: size.memoryLimitMiB,
    logging,
  };
}

/** The init container: root (volumes are root-owned), runs once and exits; spiced waits for its success. */
export function initOptions(instance: ReaderInstance, image: ecs.ContainerImage, script: string, logging: ecs.LogDriver): ecs.ContainerDefinitionOptions {
  return {
    containerName: FARGATE_READER_NAMES.init,
    image,
    entryPoint: ['sh', '-c'],
    command: [script],
    environment: Object.fromEntries(instance.files.map((file) => [fileEnvName(file), literalValue(file.content)])),
    user: '0',
    readonlyRootFilesystem: true,
    essential: false,
    logging,
  };
}

/** The waiter: polls the reader's readiness from inside the task and exits 0 once it is ready, 1 after the timeout. */
export function waitOptions(instance: ReaderInstance, image: ecs.ContainerImage, command: readonly string[], logging: ecs.LogDriver): ecs.ContainerDefinitionOptions {
  return {
    containerName: FARGATE_READER_NAMES.wait,
    image,
    entryPoint: ['sh', '-c'],
    command: [shellScript(command)],
    user: `${instance.user.uid}:${instance.user.gid}`,
    readonlyRootFilesystem: true,
    essential: false,
    logging,
  };
}

/**
 * A value CloudFormation passes as written. spiced's own `${secrets:...}` placeholders look like
 * CloudFormation parameters to its linter, so such a value goes through `Fn::Sub` with each `${`
 * escaped as `${!`, which CloudFormation renders back as `${`.
 */
export function literalValue(value: string): string {
  return value.includes('${') ? Fn.sub(value.replace(/\$\{/g, '${!')) : value;
}
