import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import { ownershipFixCommand, readerInstance, readyWaitCommand, synthesizeSplit } from '../../lib/core';
import { componentProblems } from '../support/errors';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { containers, delegatingSplit, deployedValue, KEY_ARN, nagApp, readerTask, storefront, WRITERS } from './fargate-reader-support';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n';
const model = readerInstance(synthesizeSplit(delegatingSplit()), 'ecs-fargate', { appPorts: [8080] });
const WHERE = 'Shop/Storefront';

/** A build context for a Docker asset (CDK only stages it at synth). */
function mkdtempWithDockerfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rws-app-image-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

describe('the Fargate task of an application beside its Spice reader', () => {
  const { template } = readerTask();
  const byName = containers(template);

  it('starts in order: init succeeds, then spiced starts, then the wait succeeds, then the application starts', () => {
    expect(Object.keys(byName).sort()).toEqual(['app', 'spice-reader', 'spice-reader-init', 'spice-reader-wait']);
    expect(byName['spice-reader'].DependsOn).toEqual([{ ContainerName: 'spice-reader-init', Condition: 'SUCCESS' }]);
    expect(byName['spice-reader-wait'].DependsOn).toEqual([{ ContainerName: 'spice-reader', Condition: 'START' }]);
    expect(byName.app.DependsOn).toEqual([{ ContainerName: 'spice-reader-wait', Condition: 'SUCCESS' }]);
    expect(byName['spice-reader-init'].DependsOn).toBeUndefined();
    // The helpers exit; spiced and the application keep the task alive, and a reader that dies stops it.
    expect(Object.fromEntries(Object.entries(byName).map(([name, c]) => [name, c.Essential]))).toEqual({
      'spice-reader-init': false, 'spice-reader': true, 'spice-reader-wait': false, 'app': true,
    });
  });

  it("runs spiced as the core's model says: command, args on loopback, HOME, nobody, a read-only root filesystem", () => {
    const spiced = byName['spice-reader'];
    expect(spiced).toMatchObject({
      Image: model.image,
      EntryPoint: [...model.command],
      Command: [...model.args],
      WorkingDirectory: '/app',
      Environment: [{ Name: 'HOME', Value: '/app' }],
      User: '65534:65534',
      ReadonlyRootFilesystem: true,
    });
    expect(spiced.Command.slice(0, 6)).toEqual(['--http', '127.0.0.1:8090', '--flight', '127.0.0.1:50051', '--metrics', '127.0.0.1:9090']);
    expect(spiced.PortMappings).toBeUndefined();
  });

  it("sizes spiced from the split's reader resources: CPU units from the request, memory reservation and limit", () => {
    // 500m / 512Mi / 4Gi: the reader's defaults.
    expect(byName['spice-reader']).toMatchObject({ Cpu: 512, MemoryReservation: 512, Memory: 4096 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '8192', RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc' });
  });

  it('gives spiced the cluster API key from Secrets Manager, and no other secret', () => {
    expect(byName['spice-reader'].Secrets).toEqual([{ Name: 'SPICE_CLUSTER_API_KEY', ValueFrom: `${KEY_ARN}:key::` }]);
    for (const name of ['spice-reader-init', 'spice-reader-wait', 'app']) expect(byName[name].Secrets).toBeUndefined();
  });

  it("delivers the core's reader Spicepod, which validates, through the init container into a volume spiced reads only", () => {
    const init = byName['spice-reader-init'];
    const [variable] = init.Environment;
    expect(variable.Name).toBe('READER_FILE_SPICEPOD');
    const yaml = deployedValue(variable.Value);
    expect(yaml).toBe(model.spicepodYaml);
    expect(yaml).toContain('${secrets:SPICE_CLUSTER_API_KEY}');
    expect(yaml).toContain(WRITERS);
    expectValidSpicepod(yaml);
    expect(init.Command[0]).toContain(`printf '%s' "$READER_FILE_SPICEPOD" > /spicepod/spicepod.yaml`);
    expect(byName['spice-reader'].MountPoints).toContainEqual({ ContainerPath: '/spicepod', SourceVolume: 'spice-reader-spicepod', ReadOnly: true });
    expect(init.MountPoints).toContainEqual({ ContainerPath: '/spicepod', SourceVolume: 'spice-reader-spicepod', ReadOnly: false });
  });

  it('hands the root-owned task volumes to spiced\'s user in the init container, as root', () => {
    const init = byName['spice-reader-init'];
    expect(init).toMatchObject({ User: '0', EntryPoint: ['sh', '-c'], Image: 'public.ecr.aws/docker/library/busybox:1.36.1', ReadonlyRootFilesystem: true });
    expect(init.Command[0].endsWith(` && ${ownershipFixCommand(model)[2]}`)).toBe(true);
    const writable = ['/local', '/app', '/tmp'].map((path) => ({ ContainerPath: path, ReadOnly: false }));
    expect(init.MountPoints).toEqual(expect.arrayContaining(writable.map((m) => expect.objectContaining(m))));
    expect(byName['spice-reader'].MountPoints).toEqual(expect.arrayContaining(writable.map((m) => expect.objectContaining(m))));
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [{ Name: 'spice-reader-local' }, { Name: 'spice-reader-home' }, { Name: 'spice-reader-tmp' }, { Name: 'spice-reader-spicepod' }],
    });
  });

  it("waits for the reader's readiness as the core's command does, as nobody", () => {
    expect(byName['spice-reader-wait']).toMatchObject({
      EntryPoint: ['sh', '-c'], Command: [readyWaitCommand(model, 600)[2]], User: '65534:65534', ReadonlyRootFilesystem: true,
    });
    expect(byName['spice-reader-wait'].Command[0]).toContain('http://127.0.0.1:8090/v1/ready');
  });

  it("gives the task the reader's disk and the application's allowance as ephemeral storage", () => {
    // reader: localDisk 10Gi (at least), HOME 256Mi, scratch 1Gi -> 12 GiB; the application: 20 GiB.
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 32 } });
    const { template: roomier } = readerTask({ task: { appStorageGiB: 50 } });
    roomier.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 62 } });
  });

  it("gives the reader its own localDisk: 30Gi with HOME and scratch makes 32 GiB beside the application's 20", () => {
    const { template: own, stack } = readerTask({ task: { localDisk: '30Gi' } });
    own.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 52 } });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('reader-disk-small'))).toEqual([]);
    // orders (1Gi) is restored: 512Mi cannot hold it and the next snapshot beside it.
    const { template: small, stack: smallStack } = readerTask({ task: { localDisk: '512Mi' } });
    small.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 22 } });
    expect(Annotations.fromStack(smallStack).findWarning('/Shop/Storefront', Match.stringLikeRegexp('^props\\.localDisk: 512Mi is less than twice the accelerated datasets the reader restores \\(1Gi by their expectedSize\\).*raise it to at least 2Gi'))).toHaveLength(1);
  });

  it('logs every reader container with awslogs by default', () => {
    for (const name of ['spice-reader-init', 'spice-reader', 'spice-reader-wait']) expect(byName[name].LogConfiguration.LogDriver).toBe('awslogs');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it("logs an application container that names no log driver with the reader's (cdk-nag's ECS7 asks every container to log)", () => {
    const { image, portMappings } = storefront();
    const quiet = containers(readerTask({ task: { app: { image, portMappings } } }).template);
    expect(quiet.app.LogConfiguration).toEqual(quiet['spice-reader'].LogConfiguration);
    expect(byName.app.LogConfiguration.Options['awslogs-stream-prefix']).toBe('storefront');
  });
});

describe('the task role', () => {
  const { template, stack } = readerTask({ ownStack: true });
  const task = () => Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any;
  const roleId = () => task().Properties.TaskRoleArn['Fn::GetAtt'][0];
  const policies = () => Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId())) as any[];
  const bucketArn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::shop-snapshots${suffix}`]] });

  it('is assumed by ECS tasks of this account and region only (the confused-deputy conditions)', () => {
    const role = template.toJSON().Resources[roleId()];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:eu-west-1:111122223333:*']] } },
      },
    }]);
    expect(stack.stackName).toBe('Storefront');
  });

  it("may only read the split's refresh prefix and list its bucket: nothing of the sources, no write", () => {
    expect(policies().flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Sid: 'ReadSnapshots', Effect: 'Allow', Action: 's3:GetObject', Resource: bucketArn('/shop/refresh/*') },
      { Sid: 'ListSnapshotBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn('') },
    ]);
  });

  it('may decrypt through S3 when the bucket is encrypted with a KMS key', () => {
    const { template: kms } = readerTask({ split: { bucket: { encryption: 'kms' } }, ownStack: true });
    const statements = Object.values(kms.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'SnapshotEncryption', Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    }));
  });

  it('holds no source credential anywhere in the task stack', () => {
    const text = JSON.stringify(template.toJSON());
    for (const secret of ['shop-db', 'pg_pass', 'PG_PASS', 'customers']) expect(text).not.toContain(secret);
    expect(JSON.stringify(policies())).not.toContain('lake');
  });
});

describe('a reader that reads accelerated datasets only', () => {
  it('needs no cluster API key, and runs with the in-cluster writer address', () => {
    const { template } = readerTask({ split: { split: awsSplit() }, task: { datasets: ['orders'], clusterApiKey: undefined } });
    const byName = containers(template);
    expect(byName['spice-reader'].Secrets).toBeUndefined();
    const yaml = byName['spice-reader-init'].Environment[0].Value;
    expect(yaml).toBe(readerInstance(synthesizeSplit(awsSplit()), 'ecs-fargate', { datasets: ['orders'] }).spicepodYaml);
    expect(yaml).not.toContain('spice.ai:');
  });
});

describe("a reader that delegates over TLS", () => {
  it("gets the writers' CA in a volume of its own, written by the init container", () => {
    const tls = { image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: CA }, flightEndpoint: 'https://shop-writers.internal.example.com:50051' } };
    const { template } = readerTask({ split: { split: awsSplit(tls) } });
    const byName = containers(template);
    const init = byName['spice-reader-init'];
    expect(deployedValue(init.Environment.find((e: any) => e.Name === 'READER_FILE_FLIGHT_CA').Value)).toBe(CA);
    expect(init.Command[0]).toContain(`printf '%s' "$READER_FILE_FLIGHT_CA" > /etc/spice/flight-ca/ca.crt`);
    expect(byName['spice-reader'].MountPoints).toContainEqual({ ContainerPath: '/etc/spice/flight-ca', SourceVolume: 'spice-reader-flight-ca', ReadOnly: true });
  });
});

describe('images in ECR (a mirrored helper, the Enterprise Spice image)', () => {
  const MIRROR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/busybox:1.36.1';
  const enterprise = { edition: 'enterprise', repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol', tag: '2.0.1-enterprise' } as const;

  it('are pulled with the execution role, granted on their repositories only', () => {
    const { template } = readerTask({ split: { split: { ...delegatingSplit(), image: enterprise } }, task: { helperImage: MIRROR } });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const pulls = statements.filter((s: any) => JSON.stringify(s.Action).includes('ecr:BatchGetImage')).map((s: any) => s.Resource);
    expect(pulls).toEqual([
      'arn:aws:ecr:eu-west-1:111122223333:repository/mirror/busybox',
      'arn:aws:ecr:us-east-1:709825985650:repository/spice-ai/spiceai-enterprise-byol',
    ]);
    expect(containers(template)['spice-reader'].Image['Fn::Join'][1].join('')).toMatch(/spice-ai\/spiceai-enterprise-byol:2\.0\.1-enterprise$/);
  });

  it('find nothing unacknowledged by cdk-nag', () => {
    const nag = nagApp();
    readerTask({ app: nag.app, task: { helperImage: MIRROR } }).create();
    nag.app.synth();
    expect(nag.report().pluginReports).toEqual([]);
  });

  it.each([
    ['an ECR repository', (stack: Stack) => ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'storefront'), '1.0')],
    ['a Docker asset', () => ecs.ContainerImage.fromAsset(mkdtempWithDockerfile())],
  ])("find nothing unacknowledged by cdk-nag when only the application's image is in ECR (%s): the execution role's token grant serves it", (_name, image) => {
    const nag = nagApp();
    readerTask({ app: nag.app, task: (stack) => ({ app: { ...storefront(), image: image(stack) } }) }).create();
    nag.app.synth();
    expect(nag.report().pluginReports).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions checks and CloudFormation validation', () => {
  it.each([['in the split\'s stack', false], ['in a stack of its own', true]])('find nothing unacknowledged %s', (_name, ownStack) => {
    const nag = nagApp();
    readerTask({ app: nag.app, ownStack }).create();
    nag.app.synth();
    expect(nag.report().pluginReports).toEqual([]);
  });

  it('find nothing unacknowledged with a KMS bucket and an accelerated-only reader', () => {
    const nag = nagApp();
    readerTask({ app: nag.app, ownStack: true, split: { split: awsSplit(), bucket: { encryption: 'kms' } }, task: { datasets: ['orders'], clusterApiKey: undefined } }).create();
    nag.app.synth();
    expect(nag.report().pluginReports).toEqual([]);
  });
});

describe('the VPC of the services that run the task', () => {
  const clusterIn = (stack: any, vpcId: string) => new ecs.Cluster(stack, `Cluster-${vpcId}`, {
    vpc: ec2.Vpc.fromVpcAttributes(stack, `Vpc-${vpcId}`, { vpcId, availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'] }),
  });

  it("must be the split's: its bucket denies data access outside the split's gateway endpoint", () => {
    const { app, stack, create } = readerTask({ ownStack: true });
    const reader = create();
    new ecs.FargateService(stack, 'Elsewhere', { cluster: clusterIn(stack, 'vpc-0fffffffffffffff0'), taskDefinition: reader.taskDefinition });
    expect(() => app.synth()).toThrow(/Storefront\/Elsewhere: runs the Spice reader in vpc-0fffffffffffffff0, but the snapshot bucket of Shop\/Shop denies data access outside the S3 gateway endpoint of vpc-0123456789abcdef0/);
  });

  it("is accepted when it is the split's", () => {
    const { app, stack, create } = readerTask({ ownStack: true });
    new ecs.FargateService(stack, 'Service', { cluster: clusterIn(stack, 'vpc-0123456789abcdef0'), taskDefinition: create().taskDefinition });
    expect(() => app.synth()).not.toThrow();
  });

  it("must run in subnets routed through the split's gateway endpoint: public subnets of the same VPC reach S3 another way", () => {
    const withPublic = (stack: any) => new ecs.Cluster(stack, 'Cluster', {
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'],
        privateSubnetIds: ['subnet-0123'], privateSubnetRouteTableIds: ['rtb-0123'],
        publicSubnetIds: ['subnet-0456'], publicSubnetRouteTableIds: ['rtb-0456'],
      }),
    });
    const publicRun = readerTask({ ownStack: true });
    new ecs.FargateService(publicRun.stack, 'Public', {
      cluster: withPublic(publicRun.stack), taskDefinition: publicRun.create().taskDefinition, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, assignPublicIp: true,
    });
    expect(() => publicRun.app.synth()).toThrow(/Storefront\/Public: runs the Spice reader in subnet-0456 \(route table rtb-0456\), whose route tables lack the S3 gateway endpoint of Shop\/Shop \(it routes rtb-0123\)/);
    // A subnet given to the service by id, beside the split's own VPC object, is looked up too.
    const byId = readerTask({ ownStack: true });
    const splitVpc = byId.split.construct.vpc!;
    const foreign = ec2.Subnet.fromSubnetAttributes(byId.stack, 'Foreign', { subnetId: 'subnet-0999', routeTableId: 'rtb-0999' });
    new ecs.FargateService(byId.stack, 'ById', {
      cluster: new ecs.Cluster(byId.stack, 'SplitVpcCluster', { vpc: splitVpc }), taskDefinition: byId.create().taskDefinition, vpcSubnets: { subnets: [foreign] },
    });
    expect(() => byId.app.synth()).toThrow(/Storefront\/ById: runs the Spice reader in subnet-0999 \(route table rtb-0999\), whose route tables lack the S3 gateway endpoint/);
    // The private subnets, which the split's VPC lists, are routed through it.
    const privateRun = readerTask({ ownStack: true });
    new ecs.FargateService(privateRun.stack, 'Private', { cluster: withPublic(privateRun.stack), taskDefinition: privateRun.create().taskDefinition });
    expect(() => privateRun.app.synth()).not.toThrow();
  });
});

describe('the problems of a Fargate reader, all at once', () => {
  it("refuses the reader's names and ports for the application, a missing key, a bad allowance and wait", () => {
    const { create } = readerTask({
      task: {
        app: { image: ecs.ContainerImage.fromRegistry('example.com/storefront:1.0'), containerName: 'spice-reader', portMappings: [{ containerPort: 8080 }, { containerPort: 8090 }] },
        clusterApiKey: undefined,
        appStorageGiB: 0,
        readyTimeout: Duration.seconds(5),
        helperImage: 'busy box',
      },
    });
    expect(componentProblems(create, WHERE)).toEqual([
      "props.app.portMappings[1].containerPort: 8090 is the reader's HTTP port: the application and spiced share one network namespace on ECS Fargate; move the application to another port",
      'props.app.containerName: "spice-reader" is the name of one of the reader\'s containers (spice-reader, spice-reader-init, spice-reader-wait); give the application\'s container another name, e.g. \'app\'',
      'props.helperImage: "busy box" is not an image reference; give a busybox image, e.g. \'public.ecr.aws/docker/library/busybox:1.36.1\' or its copy in your registry',
      'props.appStorageGiB: 0 is not a size in GiB from 1 to 199; give the GiB the application and the images need, e.g. 20',
      'props.readyTimeout: 5 seconds is shorter than 10 seconds; give the time spiced needs to restore its snapshots, e.g. Duration.minutes(10)',
    ]);
  });

  it('refuses a delegating reader without the cluster API key, and a key a reader never uses', () => {
    expect(componentProblems(readerTask({ task: { clusterApiKey: undefined } }).create, WHERE)).toEqual([
      'props.clusterApiKey: is missing, but this reader delegates datasets to the writers, which admit only callers with the cluster API key; '
        + 'give the Secrets Manager secret holding the key: clusterApiKey: { secret, field? }, or give this reader accelerated datasets only (datasets)',
    ]);
    expect(componentProblems(readerTask({ task: { datasets: ['orders'] } }).create, WHERE)).toEqual([
      'props.clusterApiKey: is set, but this reader delegates no dataset, so it would hold a key it never uses; remove it',
    ]);
  });

  it("refuses the writers' in-cluster address for a delegating reader, and a writer-only dataset", () => {
    expect(componentProblems(readerTask({ split: { split: awsSplit() } }).create, WHERE)).toEqual([
      expect.stringMatching(/^props\.split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address "http:\/\/shop-writer\.shop\.svc\.cluster\.local:50051", which a reader on ECS Fargate cannot resolve/),
    ]);
    expect(componentProblems(readerTask({ task: { datasets: ['customers'] } }).create, WHERE)).toEqual([
      expect.stringMatching(/^props\.datasets\[0\]: "customers" is writer-only/),
    ]);
  });

  it("refuses a reader disk over Fargate's 200 GiB, naming the property, the size and the fix", () => {
    const { create } = readerTask({ split: { split: { ...delegatingSplit(), reader: { localDisk: '190Gi' } } } });
    expect(componentProblems(create, WHERE)).toEqual([
      'props.split.reader.localDisk: needs 191.3 GiB with HOME and scratch, more than the 200 GiB of ephemeral storage a Fargate task may have, less appStorageGiB (20 GiB) (180 GiB); '
        + 'give this reader fewer or smaller datasets (datasets), a localDisk of its own (props.localDisk), or lower appStorageGiB',
    ]);
    expect(componentProblems(readerTask({ task: { localDisk: '190Gi' } }).create, WHERE)).toEqual([
      expect.stringMatching(/^props\.localDisk: needs 191\.3 GiB with HOME and scratch, more than the 200 GiB/),
    ]);
    expect(componentProblems(readerTask({ task: { localDisk: '10 GB' } }).create, WHERE)).toEqual([
      "props.localDisk: \"10 GB\" is not a size; use a Kubernetes quantity, e.g. '4Gi'",
    ]);
  });

  it('refuses a Spicepod too large for the task definition', () => {
    const datasets = Array.from({ length: 120 }, (_, i) => ({ name: `table_${i}`, from: `s3://lake/warehouse/tables/table_${i}/`, params: { file_format: 'parquet' } }));
    const { create } = readerTask({ split: { split: awsSplit({ datasets }) }, task: { clusterApiKey: undefined } });
    expect(componentProblems(create, WHERE)).toEqual([
      expect.stringMatching(/^props\.datasets: make the reader's files \(its Spicepod, and the writers' CA if any\) \d+ KiB, more than the 32 KiB it may take of the 64 KiB an ECS task definition may have; give this reader fewer datasets \(datasets\)$/),
    ]);
  });

  it("refuses a task smaller than the reader, and a stack outside the store's region", () => {
    expect(componentProblems(readerTask({ task: { cpu: 512, memoryLimitMiB: 2048, app: { image: ecs.ContainerImage.fromRegistry('x'), cpu: 256 } } }).create, WHERE)).toEqual([
      "props.memoryLimitMiB: 2048 MiB is less than the reader's memory limit (4Gi, 4096 MiB); give the task at least 4096 MiB plus what the application needs, or lower split.reader.resources.memory.limit",
      "props.cpu: 512 CPU units are less than the reader's request (500m, 512 units) and the application's (256) together; give the task more CPU: a Fargate size (256, 512, 1024, 2048, 4096, 8192 or 16384 units), with memory in its range",
    ]);
    expect(componentProblems(readerTask({ region: 'us-east-1' }).create, 'Storefront/Storefront')).toEqual([
      "props.split: keeps its snapshots in eu-west-1, but this task's stack deploys to us-east-1: the bucket admits data requests only through the split's S3 gateway endpoint, in a VPC of eu-west-1; deploy this stack to 'eu-west-1'",
    ]);
  });

  it('refuses what is not a split construct', () => {
    const { create } = readerTask({ task: { split: { synthesized: synthesizeSplit(delegatingSplit()) } as never } });
    expect(componentProblems(create, WHERE)).toEqual([
      "props.split: is not a ReadWriteSplitAws construct or a Spice Cloud split; pass the split's ReadWriteSplitAws construct, from the same CDK app (or, when the writer is a Spice Cloud app, the split's description)",
    ]);
    // With the props' own problems, all at once.
    const both = readerTask({ task: { split: {} as never, readyTimeout: Duration.seconds(0) } });
    const problems = componentProblems(both.create, WHERE);
    expect(problems[0]).toMatch(/^props\.split: is not a ReadWriteSplitAws construct/);
    expect(problems.slice(1)).toEqual([expect.stringMatching(/^props\.readyTimeout: /)]);
    // A description with its own store: its AWS side grants the reader.
    const described = readerTask({ task: { split: delegatingSplit() as never } });
    expect(componentProblems(described.create, WHERE)).toEqual([
      "props.split: is the description of a split with its own store, which the reader's task role is granted by the split's AWS side; pass the split's ReadWriteSplitAws construct, from the same CDK app (or, when the writer is a Spice Cloud app, the split's description)",
    ]);
  });
});
