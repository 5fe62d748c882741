import { Duration, Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkReaderDisk, Findings, quote, readerDiskBytes, ReaderInstance, SynthesizedSplit } from '../core';
import { checkReaderInstance } from '../core/reader-instance-checks';
import { fargateReaderSize, READER_CONTAINER_NAMES, readerFileBytes } from './fargate-reader-containers';
import type { SpiceReaderFargateTaskProps } from './fargate-reader';

// What the Fargate reader refuses: values that would deploy but never work.

const GIB = 2 ** 30;
/** Fargate's task ephemeral storage: 21 to 200 GiB (`ephemeralStorageGiB`). */
export const FARGATE_EPHEMERAL_GIB = { min: 21, max: 200 } as const;
/**
 * ECS refuses a task definition over 64 KiB (a service quota, not adjustable). The reader's files
 * travel in the init container's environment: they may take half, the rest is left to the
 * application's container and the reader's other settings.
 */
export const READER_FILES_BUDGET_BYTES = 32 * 1024;
/** The waiter polls every 2 seconds: a shorter wait gives spiced no chance to restore anything. */
const MIN_READY_TIMEOUT_SECONDS = 10;

/** Ports of the application's port mappings, with where each sits (a token is skipped: known at deploy time only). */
export function appPortsOf(app: ecs.ContainerDefinitionOptions | undefined): { readonly ports: number[]; readonly paths: string[] } {
  const ports: number[] = [];
  const paths: string[] = [];
  (app?.portMappings ?? []).forEach((mapping, i) => {
    if (Token.isUnresolved(mapping.containerPort)) return;
    ports.push(mapping.containerPort);
    paths.push(`app.portMappings[${i}].containerPort`);
  });
  return { ports, paths };
}

/**
 * The core's reader checks (datasets, ports, the writers' endpoint, the store's cloud), reported
 * at the paths of this construct's props: `datasets`, the app's port mappings, `split`.
 */
export function checkFargateReaderModel(synthesized: SynthesizedSplit, props: SpiceReaderFargateTaskProps, own: Findings): void {
  const appPorts = appPortsOf(props.app);
  const inner = new Findings();
  checkReaderInstance(synthesized, 'ecs-fargate', { datasets: props.datasets, appPorts: appPorts.ports, metricsPort: props.metricsPort, imageRepository: props.imageRepository, localDisk: props.localDisk }, inner);
  for (const problem of inner.problems) own.problem(propPath(problem.path, appPorts.paths), problem.message, problem.fix);
}

function propPath(path: string, appPortPaths: readonly string[]): string {
  const port = /^appPorts\[(\d+)\]$/.exec(path);
  if (port) return appPortPaths[Number(port[1])] ?? path;
  return path.replace(/^reader\.datasets/, 'datasets');
}

/** The props the reader's model does not read: the app container, the helper image, the storage allowance, the wait. */
export function checkFargateReaderProps(props: SpiceReaderFargateTaskProps, own: Findings): void {
  if (!props.app || typeof props.app !== 'object' || !props.app.image) {
    own.problem('app', `${quote(props.app)} is not a container`, "give the application's container options, e.g. { image: ecs.ContainerImage.fromRegistry('my-app:1.0') }");
  } else if (READER_CONTAINER_NAMES.includes(props.app.containerName as string)) {
    own.problem('app.containerName', `${quote(props.app.containerName)} is the name of one of the reader's containers (${READER_CONTAINER_NAMES.join(', ')})`, "give the application's container another name, e.g. 'app'");
  }
  const helper = props.helperImage;
  if (helper !== undefined && !Token.isUnresolved(helper) && (typeof helper !== 'string' || !/^\S+$/.test(helper))) {
    own.problem('helperImage', `${quote(helper)} is not an image reference`, "give a busybox image, e.g. 'public.ecr.aws/docker/library/busybox:1.36.1' or its copy in your registry");
  }
  const storage = props.appStorageGiB;
  if (storage !== undefined && !(Number.isInteger(storage) && storage >= 1 && storage < FARGATE_EPHEMERAL_GIB.max)) {
    own.problem('appStorageGiB', `${quote(storage)} is not a size in GiB from 1 to ${FARGATE_EPHEMERAL_GIB.max - 1}`, 'give the GiB the application and the images need, e.g. 20');
  }
  const timeout = props.readyTimeout;
  if (timeout !== undefined && (!(timeout instanceof Duration) || timeout.toSeconds() < MIN_READY_TIMEOUT_SECONDS)) {
    own.problem('readyTimeout', `${timeout instanceof Duration ? timeout.toHumanString() : quote(timeout)} is shorter than ${MIN_READY_TIMEOUT_SECONDS} seconds`, 'give the time spiced needs to restore its snapshots, e.g. Duration.minutes(10)');
  }
}

/** The task's size as the construct gives it to Fargate. */
export interface FargateTaskSize {
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly appStorageGiB: number;
}

/**
 * The cluster API key (a Spice Cloud app's API key): given exactly when the reader delegates. A
 * Spice Cloud split's reader delegates every dataset, known even when its description has problems.
 */
export function checkClusterApiKey(delegates: boolean, props: SpiceReaderFargateTaskProps, spiceCloud: boolean, own: Findings): void {
  if (delegates && !props.clusterApiKey) {
    own.problem(
      'clusterApiKey',
      spiceCloud
        ? 'is missing, but this reader delegates every dataset to the Spice Cloud app, which admits only callers with its API key'
        : 'is missing, but this reader delegates datasets to the writers, which admit only callers with the cluster API key',
      spiceCloud
        ? "give the Secrets Manager secret holding the app's API key: clusterApiKey: { secret, field? }"
        : "give the Secrets Manager secret holding the key: clusterApiKey: { secret, field? }, or give this reader accelerated datasets only (datasets)",
    );
  } else if (!delegates && props.clusterApiKey) {
    own.problem('clusterApiKey', 'is set, but this reader delegates no dataset, so it would hold a key it never uses', 'remove it');
  }
}

/** What depends on the reader itself: its key, its disk, its files and its share of the task. */
export function checkFargateReaderFit(instance: ReaderInstance, props: SpiceReaderFargateTaskProps, task: FargateTaskSize, own: Findings, spiceCloud = false): void {
  checkClusterApiKey(instance.delegates, props, spiceCloud, own);
  const allowance = task.appStorageGiB * GIB;
  checkReaderDisk(
    readerDiskBytes(instance),
    FARGATE_EPHEMERAL_GIB.max * GIB - allowance,
    `the ${FARGATE_EPHEMERAL_GIB.max} GiB of ephemeral storage a Fargate task may have, less appStorageGiB (${task.appStorageGiB} GiB)`,
    `give this reader fewer or smaller datasets (datasets), ${props.localDisk === undefined ? 'a localDisk of its own (props.localDisk)' : 'a smaller localDisk'}, or lower appStorageGiB`,
    own,
    props.localDisk === undefined ? undefined : 'localDisk',
  );
  const fileBytes = readerFileBytes(instance);
  if (fileBytes > READER_FILES_BUDGET_BYTES) {
    own.problem(
      'datasets',
      `make the reader's files (its Spicepod, and the writers' CA if any) ${Math.ceil(fileBytes / 1024)} KiB, more than the ${READER_FILES_BUDGET_BYTES / 1024} KiB it may take of the 64 KiB an ECS task definition may have`,
      'give this reader fewer datasets (datasets)',
    );
  }
  checkTaskSize(instance, props.app, task, own);
}

/** The reader's memory limit must fit the task, and the reservations of both containers together. */
function checkTaskSize(instance: ReaderInstance, app: ecs.ContainerDefinitionOptions | undefined, task: FargateTaskSize, own: Findings): void {
  const reader = fargateReaderSize(instance);
  if (Token.isUnresolved(task.memoryLimitMiB) || Token.isUnresolved(task.cpu)) return;
  if (reader.memoryLimitMiB > task.memoryLimitMiB) {
    own.problem('memoryLimitMiB', `${task.memoryLimitMiB} MiB is less than the reader's memory limit (${instance.resources.memory.limit}, ${reader.memoryLimitMiB} MiB)`, `give the task at least ${reader.memoryLimitMiB} MiB plus what the application needs, or lower split.reader.resources.memory.limit`);
  }
  const appMemory = app?.memoryReservationMiB ?? app?.memoryLimitMiB ?? 0;
  if (reader.memoryReservationMiB + appMemory > task.memoryLimitMiB) {
    own.problem('memoryLimitMiB', `${task.memoryLimitMiB} MiB is less than the reader's reservation (${reader.memoryReservationMiB} MiB) and the application's (${appMemory} MiB) together`, 'give the task more memory');
  }
  const appCpu = app?.cpu ?? 0;
  if (reader.cpu + appCpu > task.cpu) {
    own.problem('cpu', `${task.cpu} CPU units are less than the reader's request (${instance.resources.cpu.request}, ${reader.cpu} units) and the application's (${appCpu}) together`, 'give the task more CPU: a Fargate size (256, 512, 1024, 2048, 4096, 8192 or 16384 units), with memory in its range');
  }
}

/**
 * At synthesis: the services of the app that run this task definition must run in the VPC whose
 * gateway endpoint the snapshot bucket requires, or every restore is denied. Known only when the
 * split was given `vpc` and the service's cluster names a VPC id; an endpoint given by id is not checked.
 */
export function endpointVpcProblems(taskDefinition: ecs.TaskDefinition, splitVpc: { readonly vpcId: string } | undefined, splitPath: string): string[] {
  if (!splitVpc || Token.isUnresolved(splitVpc.vpcId)) return [];
  return servicesOf(taskDefinition)
    .filter((service) => {
      const vpcId = service.cluster.vpc.vpcId;
      return service.cluster.vpc !== splitVpc && !Token.isUnresolved(vpcId) && vpcId !== splitVpc.vpcId;
    })
    .map((service) => `${service.node.path}: runs the Spice reader in ${service.cluster.vpc.vpcId}, but the snapshot bucket of ${splitPath} denies data access outside `
      + `the S3 gateway endpoint of ${splitVpc.vpcId}; run the service in a cluster of ${splitVpc.vpcId}, in subnets whose route tables have the endpoint`);
}

/** The services of the app that run this task definition. */
function servicesOf(taskDefinition: ecs.TaskDefinition): ecs.BaseService[] {
  return taskDefinition.node.root.node.findAll().filter((c): c is ecs.BaseService => c instanceof ecs.BaseService && c.taskDefinition === taskDefinition);
}

/** A literal id (an imported VPC's): a token of a construct is compared by the construct, not here. */
const literal = (value: unknown): value is string => typeof value === 'string' && !Token.isUnresolved(value);

/**
 * At synthesis: a service of the endpoint's VPC must run in subnets whose route tables have the
 * endpoint, or S3 is reached another way (a NAT gateway, public addresses) and the bucket denies
 * every restore. The split's endpoint routes every subnet of the VPC object it was given; a
 * service in a subnet whose route table is not among them (a subnet the split's VPC object does
 * not list: imported again with more subnets, or given to the service by id) is refused. Known
 * for subnets of the app whose subnet and route table ids are literal.
 */
export function endpointSubnetProblems(taskDefinition: ecs.TaskDefinition, splitVpc: ec2.IVpc | undefined, splitPath: string): string[] {
  if (!splitVpc || !literal(splitVpc.vpcId)) return [];
  const routed = new Set(subnetsOf(splitVpc).map((subnet) => subnet.routeTable?.routeTableId));
  // Route tables known only at deploy time cannot be compared.
  if (![...routed].every(literal)) return [];
  const routeTables = literalRouteTables(taskDefinition);
  return servicesOf(taskDefinition)
    .filter((service) => service.cluster.vpc === splitVpc || service.cluster.vpc.vpcId === splitVpc.vpcId)
    .flatMap((service) => {
      const configuration = Stack.of(service).resolve((service.node.defaultChild as ecs.CfnService).networkConfiguration);
      const ids: unknown[] = configuration?.awsvpcConfiguration?.subnets ?? [];
      const unrouted = ids.filter(literal).filter((id) => routeTables.has(id) && ![...routeTables.get(id)!].some((table) => routed.has(table)));
      return unrouted.length === 0 ? [] : [`${service.node.path}: runs the Spice reader in ${unrouted.map((id) => `${id} (route table ${[...routeTables.get(id)!].join(', ')})`).join(', ')}, `
        + `whose route tables lack the S3 gateway endpoint of ${splitPath} (it routes ${[...routed].join(', ')}): the bucket denies data access that does not come through it; `
        + 'run the service in subnets whose route tables have the endpoint, or give the split a VPC object that lists these subnets'];
    });
}

/** The subnets of the app with literal ids (imported ones), by id: their route tables (a subnet imported twice may name two). */
function literalRouteTables(scope: ecs.TaskDefinition): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const construct of scope.node.root.node.findAll()) {
    const subnet = construct as Partial<ec2.ISubnet>;
    const table = subnet.routeTable?.routeTableId;
    if (!literal(subnet.subnetId) || !literal(table)) continue;
    const tables = found.get(subnet.subnetId) ?? new Set<string>();
    found.set(subnet.subnetId, tables.add(table));
  }
  return found;
}

function subnetsOf(vpc: ec2.IVpc): ec2.ISubnet[] {
  return [...vpc.privateSubnets, ...vpc.publicSubnets, ...vpc.isolatedSubnets];
}

/** The split's gateway endpoint serves its own region: a task elsewhere never reaches the bucket. */
export function checkTaskRegion(region: string, synthesized: SynthesizedSplit, own: Findings): void {
  const storeRegion = synthesized.split.store?.region;
  if (storeRegion === undefined || Token.isUnresolved(region) || region === storeRegion) return;
  own.problem(
    'split',
    `keeps its snapshots in ${storeRegion}, but this task's stack deploys to ${region}: the bucket admits data requests only through the split's S3 gateway endpoint, in a VPC of ${storeRegion}`,
    `deploy this stack to '${storeRegion}'`,
  );
}
