import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  accessPlan, checkLiteralValues, checkSplit, Findings, formatWarning, isSpiceCloudSplit, ownershipFixCommand, READER_HELPER_IMAGES, readerDiskBytes, readerInstance, ReaderInstance,
  readyWaitCommand, SpiceCloudSplitSpec, splitNameOf, storedSplit, SynthesizedSplit,
} from '../core';
import { cdkFindings, TOKEN_IN_DESCRIPTION } from './checks';
import { acknowledgeEcrToken, containerImage } from './container-image';
import { appPortsOf, checkClusterApiKey, checkFargateReaderFit, checkFargateReaderModel, checkFargateReaderProps, checkTaskRegion, endpointSubnetProblems, endpointVpcProblems, FARGATE_EPHEMERAL_GIB } from './fargate-reader-checks';
import {
  FARGATE_READER_NAMES, fileDirs, initOptions, initScript, spicedOptions, waitOptions, writableVolumeName,
} from './fargate-reader-containers';
import { grantPrefix } from './prefix-grants';
import { ReadWriteSplitAws } from './read-write-split-aws';

/** A pinned public busybox: `sh`, `chown` and `wget` for the init and wait containers. */
const DEFAULT_HELPER_IMAGE = READER_HELPER_IMAGES.aws;
const GIB = 2 ** 30;

/** The writers' cluster API key in Secrets Manager. */
export interface SpiceReaderClusterApiKey {
  /** The secret holding the key. */
  readonly secret: secretsmanager.ISecret;
  /**
   * JSON field of the secret that holds the key.
   *
   * @default - the whole secret string
   */
  readonly field?: string;
}

/** Props of a Fargate task running an application beside its Spice reader. */
export interface SpiceReaderFargateTaskProps {
  /**
   * The AWS side of the split, in the same CDK app: the reader restores from its snapshot bucket,
   * which denies data access outside the split's S3 gateway endpoint, so the task must run in that
   * endpoint's VPC, in subnets it routes (checked at synthesis for the app's ECS services when
   * the split was given `vpc`; route tables when their ids are literal).
   *
   * Or, when the writer is a Spice Cloud app, the split's description (`SpiceCloudSplitSpec`):
   * the reader restores nothing and delegates every dataset to the app over TLS, with the app's
   * API key (`clusterApiKey`). The task role gets no grant, and the task needs a route to the
   * internet (a NAT gateway, or a public IP) on port 443.
   */
  readonly split: ReadWriteSplitAws | SpiceCloudSplitSpec;
  /**
   * The application's container. It starts once the reader is ready and reaches it on
   * `http://127.0.0.1:8090` and `grpc://127.0.0.1:50051`. Its container is named by
   * `containerName`, which may not be one of the reader's (`spice-reader`, `spice-reader-init`,
   * `spice-reader-wait`); its port mappings may not take the reader's ports. Without `logging`, it
   * logs with the reader's log driver (`logging`). The task definition
   * acknowledges cdk-nag's AwsSolutions-ECS2 (plain environment variables) for the reader's
   * containers: give the application's credentials as `secrets`, never in `environment`.
   */
  readonly app: ecs.ContainerDefinitionOptions;
  /**
   * The datasets this application reads.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * The reader's local disk: the acceleration files of the datasets it restores, part of the
   * task's ephemeral storage.
   *
   * @default - the description's `reader.localDisk` when given; otherwise twice the expectedSize
   * of the accelerated datasets this reader restores, at least 10Gi (1Gi when it restores none)
   */
  readonly localDisk?: string;
  /**
   * Port of the reader's Prometheus metrics (on loopback).
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * Where the Spice image is pulled from, without tag or digest: a mirror of the split's image
   * (the split's tag and digest are kept, so the reader runs the writers' release).
   *
   * @default - the split's image repository
   */
  readonly imageRepository?: string;
  /**
   * The writers' cluster API key (a Spice Cloud app's API key): required when the reader
   * delegates datasets, refused otherwise. The task's execution role may read it; spiced gets it
   * as `SPICE_CLUSTER_API_KEY`.
   *
   * @default - none
   */
  readonly clusterApiKey?: SpiceReaderClusterApiKey;
  /**
   * CPU units of the task (a Fargate size, with `memoryLimitMiB`): the application and the reader share it.
   *
   * @default 2048
   */
  readonly cpu?: number;
  /**
   * Memory of the task in MiB: at least the reader's memory limit (`split.reader.resources`).
   *
   * @default 8192
   */
  readonly memoryLimitMiB?: number;
  /**
   * GiB of ephemeral storage for the application and the container images, beside the reader's
   * disk (`localDisk`, HOME and scratch): the task gets both, at least 21 and at most
   * 200 GiB.
   *
   * @default 20 (what Fargate gives a task by default)
   */
  readonly appStorageGiB?: number;
  /**
   * Image of the init container (writes the reader's files, hands its volumes to spiced's user)
   * and the wait container (polls its readiness). It needs `sh`, `chown`, `chmod`, `printf` and
   * `wget`: tasks in private subnets without a NAT gateway need it mirrored to a private
   * registry (ECR) they reach.
   *
   * @default 'public.ecr.aws/docker/library/busybox:1.36.1'
   */
  readonly helperImage?: string;
  /**
   * How long the application waits for the reader to be ready (every dataset restored or
   * delegated). A reader not ready by then fails the task: the application never starts.
   *
   * @default Duration.minutes(10)
   */
  readonly readyTimeout?: Duration;
  /**
   * Log driver of the reader's containers.
   *
   * @default - awslogs, to a log group of this construct kept one month
   */
  readonly logging?: ecs.LogDriver;
  /**
   * Family of the task definition.
   *
   * @default - a name CDK derives from the construct path
   */
  readonly family?: string;
  /**
   * Operating system and CPU architecture: the Spice and helper images must exist for it.
   *
   * @default - Linux on x86_64 (Fargate's default)
   */
  readonly runtimePlatform?: ecs.RuntimePlatform;
}

/**
 * A Fargate task definition running an application beside a Spice reader: the same reader
 * Spicepod, image and sizing as the Kubernetes sidecar, restoring snapshots with a task role that
 * may only read them. The containers start in order: an init container writes the Spicepod and
 * hands the volumes to spiced's user; spiced starts; a wait container polls its readiness; the
 * application starts only once it succeeds. A reader never ready fails the task.
 *
 * A Spice Cloud split (its description as `split`) restores nothing: the task role gets no grant,
 * and the reader holds only the app's API key.
 *
 * @throws SplitValidationError at construction, listing every problem of the props
 */
export class SpiceReaderFargateTask extends Construct {
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The task role: read-only access to the split's snapshots, nothing else (nothing at all for a Spice Cloud split). */
  public readonly taskRole: iam.Role;
  public readonly appContainer: ecs.ContainerDefinition;
  public readonly readerContainer: ecs.ContainerDefinition;
  /** Where the application reaches the reader. */
  public readonly endpoints: { readonly http: string; readonly flight: string };

  constructor(scope: Construct, id: string, props: SpiceReaderFargateTaskProps) {
    super(scope, id);
    const { instance, synthesized } = checkedInstance(this, props);
    const task = taskSize(props);
    this.endpoints = instance.endpoints;
    this.taskRole = readerTaskRole(this, props.split, synthesized, instance);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: task.cpu,
      memoryLimitMiB: task.memoryLimitMiB,
      ephemeralStorageGiB: Math.max(FARGATE_EPHEMERAL_GIB.min, Math.ceil(readerDiskBytes(instance) / GIB) + task.appStorageGiB),
      taskRole: this.taskRole,
      family: props.family,
      runtimePlatform: props.runtimePlatform,
    });
    const logging = props.logging ?? ecs.LogDrivers.awsLogs({
      streamPrefix: 'spice',
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    const spice = containerImage(this, 'SpiceImage', instance.image);
    const helper = containerImage(this, 'HelperImage', props.helperImage ?? DEFAULT_HELPER_IMAGE);
    const { init, spiced, wait } = this.addReaderContainers(instance, props, { spice: spice.image, helper: helper.image }, logging);
    this.readerContainer = spiced;
    // An application container without a log driver logs with the reader's (to the same log group, its own stream).
    this.appContainer = this.taskDefinition.addContainer(props.app.containerName ?? 'app', { containerName: 'app', logging, ...props.app });
    // The execution role is this construct's: its one ECR token grant serves the app's image too.
    const appFromEcr = props.app.image instanceof ecs.EcrImage || props.app.image instanceof ecs.AssetImage;
    if (spice.ecr || helper.ecr || appFromEcr) acknowledgeEcrToken(this.taskDefinition);
    spiced.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
    wait.addContainerDependencies({ container: spiced, condition: ecs.ContainerDependencyCondition.START });
    this.appContainer.addContainerDependencies({ container: wait, condition: ecs.ContainerDependencyCondition.SUCCESS });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The reader\'s containers get plain variables only: spiced its HOME, the init container the reader Spicepod (and the writers\' public CA), which hold no credentials, only dataset names, snapshot locations and the writers\' endpoint; the cluster API key is a Secrets Manager secret.',
    });
    if (props.split instanceof ReadWriteSplitAws) {
      // Deployed after the split's bucket, wherever each lives.
      this.node.addDependency(props.split.snapshots);
      const { vpc, node: { path: splitPath } } = props.split;
      this.node.addValidation({ validate: () => [...endpointVpcProblems(this.taskDefinition, vpc, splitPath), ...endpointSubnetProblems(this.taskDefinition, vpc, splitPath)] });
    }
  }

  /** The init, spiced and wait containers with their volumes. */
  private addReaderContainers(instance: ReaderInstance, props: SpiceReaderFargateTaskProps, images: { spice: ecs.ContainerImage; helper: ecs.ContainerImage }, logging: ecs.LogDriver) {
    const td = this.taskDefinition;
    const writable = instance.writableDirs.map((dir) => ({ containerPath: dir.path, sourceVolume: writableVolumeName(dir.role) }));
    const files = fileDirs(instance).map(({ dir, volume }) => ({ containerPath: dir, sourceVolume: volume }));
    // Task volumes without a host path live on the task's ephemeral storage, owned by root.
    for (const { sourceVolume } of [...writable, ...files]) td.addVolume({ name: sourceVolume });

    // No container keeps a capability it does not use: spiced and the waiter none, the init only what chown and chmod need.
    const dropAll = (id: string) => {
      const parameters = new ecs.LinuxParameters(this, id);
      parameters.dropCapabilities(ecs.Capability.ALL);
      return parameters;
    };
    const initCapabilities = new ecs.LinuxParameters(this, 'InitCapabilities');
    initCapabilities.dropCapabilities(...Object.values(ecs.Capability).filter((capability) => ![ecs.Capability.ALL, ecs.Capability.CHOWN, ecs.Capability.FOWNER].includes(capability)));
    const init = td.addContainer(FARGATE_READER_NAMES.init, {
      ...initOptions(instance, images.helper, initScript(instance, ownershipFixCommand(instance)), logging), linuxParameters: initCapabilities,
    });
    init.addMountPoints(...[...writable, ...files].map((m) => ({ ...m, readOnly: false })));

    const secrets = Object.fromEntries(instance.secretEnv.map((binding) => [
      binding.envVar, ecs.Secret.fromSecretsManager(props.clusterApiKey!.secret, props.clusterApiKey!.field),
    ]));
    const spiced = td.addContainer(FARGATE_READER_NAMES.spiced, { ...spicedOptions(instance, images.spice, secrets, logging), linuxParameters: dropAll('SpicedCapabilities') });
    spiced.addMountPoints(...writable.map((m) => ({ ...m, readOnly: false })), ...files.map((m) => ({ ...m, readOnly: true })));

    const timeout = (props.readyTimeout ?? Duration.minutes(10)).toSeconds();
    const wait = td.addContainer(FARGATE_READER_NAMES.wait, { ...waitOptions(instance, images.helper, readyWaitCommand(instance, timeout), logging), linuxParameters: dropAll('WaitCapabilities') });
    return { init, spiced, wait };
  }
}

/** Every problem of the props at once, then the reader's model. */
function checkedInstance(scope: Construct, props: SpiceReaderFargateTaskProps): { instance: ReaderInstance; synthesized: SynthesizedSplit } {
  const findings = cdkFindings();
  const own = findings.under('props');
  const synthesized = readerSplit(scope, props.split, own);
  if (!synthesized) {
    // Every problem at once: the props that need no split are checked too.
    checkFargateReaderProps(props, own);
    if (isSpiceCloudDescription(props.split)) checkClusterApiKey(true, props, true, own);
    findings.throwIfProblems(splitNameOf(props.split), scope.node.path);
  }
  const splitName = synthesized!.split.name;
  const split = synthesized!;
  checkFargateReaderModel(split, props, own);
  checkFargateReaderProps(props, own);
  checkTaskRegion(Stack.of(scope).region, split, own);
  if (findings.problems.length > 0) findings.throwIfProblems(splitName, scope.node.path);
  const appPorts = appPortsOf(props.app).ports;
  const instance = readerInstance(split, 'ecs-fargate', { datasets: props.datasets, appPorts, metricsPort: props.metricsPort, imageRepository: props.imageRepository, localDisk: props.localDisk }, scope.node.path);
  for (const warning of instance.warnings) Annotations.of(scope).addWarningV2(`@read-write-split/${warning.id}`, formatWarning({ ...warning, path: `props.${warning.path}` }));
  checkFargateReaderFit(instance, props, taskSize(props), own, !(props.split instanceof ReadWriteSplitAws));
  findings.throwIfProblems(splitName, scope.node.path);
  return { instance, synthesized: split };
}

/**
 * The split the reader reads: the AWS side's (checked there), or a Spice Cloud split's
 * description, checked here with its warnings on this construct. Undefined when it is neither.
 */
/** The description of a split whose writer is a Spice Cloud app (not yet checked). */
function isSpiceCloudDescription(split: unknown): split is SpiceCloudSplitSpec {
  return split !== null && typeof split === 'object' && !Array.isArray(split) && !(split instanceof ReadWriteSplitAws) && isSpiceCloudSplit(split as SpiceCloudSplitSpec);
}

function readerSplit(scope: Construct, split: ReadWriteSplitAws | SpiceCloudSplitSpec, own: Findings): SynthesizedSplit | undefined {
  if (split instanceof ReadWriteSplitAws) return split.synthesized;
  if (!isSpiceCloudDescription(split)) {
    const ownStore = split !== null && typeof split === 'object' && 'store' in split;
    own.problem(
      'split',
      ownStore ? "is the description of a split with its own store, which the reader's task role is granted by the split's AWS side" : 'is not a ReadWriteSplitAws construct or a Spice Cloud split',
      "pass the split's ReadWriteSplitAws construct, from the same CDK app (or, when the writer is a Spice Cloud app, the split's description)",
    );
    return undefined;
  }
  const at = own.under('split');
  const problems = own.problems.length;
  checkLiteralValues(split, '', at, TOKEN_IN_DESCRIPTION);
  const synthesized = checkSplit(split, at);
  if (own.problems.length > problems) return undefined;
  for (const warning of at.warnings) Annotations.of(scope).addWarningV2(`@read-write-split/${warning.id}`, formatWarning(warning));
  return synthesized;
}

function taskSize(props: SpiceReaderFargateTaskProps) {
  return { cpu: props.cpu ?? 2048, memoryLimitMiB: props.memoryLimitMiB ?? 8192, appStorageGiB: props.appStorageGiB ?? 20 };
}

/**
 * The task role: trusted by ECS tasks of this account only (the confused-deputy conditions), and
 * granted only the reader's read of its refresh prefix, with KMS decrypt through S3 when the
 * bucket is encrypted with a key. Readers never read sources.
 */
function readerTaskRole(scope: Construct, split: ReadWriteSplitAws | SpiceCloudSplitSpec, synthesized: SynthesizedSplit, instance: ReaderInstance): iam.Role {
  const stack = Stack.of(scope);
  const cloud = !(split instanceof ReadWriteSplitAws);
  const role = new iam.Role(scope, 'TaskRole', {
    description: cloud
      ? `Task role beside a reader of the ${instance.splitName} Spice Cloud app: no grant, the reader holds only the app's API key`
      : `Read-only access to the ${instance.splitName} Spice snapshots, for the reader of an ECS task`,
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*' }) },
    }),
  });
  if (cloud) return role;
  // ReadWriteSplitAws refuses a split without a store.
  const stored = storedSplit(synthesized.split, 'SpiceReaderFargateTask');
  // The bucket by its name (a literal of the description), not by a reference: the task may live
  // in another stack than the split without a CloudFormation export of the bucket. A KMS key is
  // still referenced (its ARN is known only once deployed): across stacks, CDK exports it.
  const bucket = s3.Bucket.fromBucketAttributes(scope, 'SnapshotBucket', {
    bucketName: stored.store.bucket,
    encryptionKey: split.snapshots.bucket.encryptionKey,
  });
  const grants = accessPlan(stored).reader;
  for (const access of grants) {
    grantPrefix(bucket, role, access);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket.bucketName}/${access.prefix}*]`,
      reason: `Snapshot objects are named by spiced (month=/day=/dataset=/<name>_<timestamp>): the reader may only read objects under ${access.prefix}, the split's refresh prefix.`,
    });
  }
  return role;
}
