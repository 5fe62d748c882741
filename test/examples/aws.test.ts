import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { awsRoleName, readerInstance, synthesizeSplit } from '../../lib';
import { inventory } from '../../examples/splits/inventory';
import { orders } from '../../examples/splits/orders';
import { deployedValue } from '../aws/fargate-reader-support';
import { bin, ROOT, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';

/**
 * Runs the example CDK app with the real aws-cdk CLI, offline: the `synth:aws` task's own command
 * (what `npm run synth` runs), with only `--output` moved to a temp dir. Runs against the compiled
 * dist/ (the example imports the package by name).
 */
const task = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks['synth:aws'];
const [command, ...args]: string[] = task.steps[0].exec.split(/\s+/);
const outputFlag = args.indexOf('--output');
const cwd = join(ROOT, task.cwd);

let out: string;
let result: ReturnType<typeof run>;
const read = (file: string) => JSON.parse(readFileSync(join(out, file), 'utf8'));
const template = (stack: string) => read(`${stack}.template.json`);
const resources = (stack: string, type: string) => Object.values(template(stack).Resources as Record<string, any>).filter((r) => r.Type === type);

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-aws-'));
  result = run(bin(command), args.map((arg, i) => (i === outputFlag + 1 ? out : arg)), { cwd, env: task.env });
}, 240_000);

describe('the example CDK app (cdk synth)', () => {
  it('synthesizes both stacks offline', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['OrdersSnapshots.template.json', 'InventorySnapshots.template.json']));
  });

  it('runs a reporting app beside a reader of the insights Spice Cloud app: its key from Secrets Manager, no grant to its task role', () => {
    const [task] = resources('InsightsFargateReader', 'AWS::ECS::TaskDefinition');
    const reader = task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'spice-reader');
    expect(reader.Secrets).toEqual([{ Name: 'SPICE_CLUSTER_API_KEY', ValueFrom: expect.stringContaining(':secret:insights-spice-cloud-api-key-Q1w2E3') }]);
    const init = task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'spice-reader-init');
    const spicepod = parse(deployedValue(init.Environment[0].Value));
    expectValidSpicepod(spicepod);
    expect(spicepod.datasets.map((d: any) => [d.from, d.params.spiceai_region])).toEqual([['spice.ai:daily_revenue', 'us-east-1'], ['spice.ai:top_products', 'us-east-1']]);
    const taskRole = task.Properties.TaskRoleArn['Fn::GetAtt'][0];
    const policies = resources('InsightsFargateReader', 'AWS::IAM::Policy').filter((p) => p.Properties.Roles.some((r: any) => r.Ref === taskRole));
    expect(policies).toEqual([]);
    expect(JSON.stringify(template('InsightsFargateReader'))).not.toMatch(/"s3:/);
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  });

  it('writes the cdk-nag report into out/aws/ with npm run synth: the cloud assembly\'s validation report', () => {
    expect([command, args[0]]).toEqual(['cdk', 'synth']);
    expect(resolve(cwd, args[outputFlag + 1])).toBe(join(ROOT, 'out', 'aws'));
    expect(read('validation-report.json')).toEqual({ version: read('manifest.json').version, title: 'Validation Report', pluginReports: [] });
  });

  it('lets the orders writer read its s3://acme-lake/orders/ source, acknowledged with its reason', () => {
    const statements = resources('OrdersSnapshots', 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Sid: 'ReadSources', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-lake/orders/*']] },
    });
    const metadata = read('OrdersSnapshots.metadata.json');
    const acknowledged = (metadata['/OrdersSnapshots/Orders/Writer/Role'] as any[]).filter((e) => e.type === 'aws:cdk:acknowledged-rules');
    expect(Object.assign({}, ...acknowledged.map((e) => e.data))).toMatchObject({
      'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-lake/orders/*]': expect.stringContaining('orders'),
    });
  });

  it('names the roles the Kubernetes example binds its ServiceAccounts to', () => {
    const names = resources('OrdersSnapshots', 'AWS::IAM::Role').map((r) => r.Properties.RoleName).sort();
    expect(names).toEqual([awsRoleName('orders', 'eu-west-1', 'reader'), awsRoleName('orders', 'eu-west-1', 'writer')]);
  });

  it('keeps each bucket in its split\'s region, named by the split', () => {
    for (const [stack, split] of [['OrdersSnapshots', orders], ['InventorySnapshots', inventory]] as const) {
      const [bucket] = resources(stack, 'AWS::S3::Bucket');
      expect(bucket.Properties.BucketName).toBe((split.store as { bucket: string }).bucket);
    }
    expect(resources('InventorySnapshots', 'AWS::EKS::PodIdentityAssociation')).toHaveLength(2);
    expect(resources('InventorySnapshots', 'AWS::KMS::Key')).toHaveLength(1);
  });

  it("runs the storefront on Fargate beside the core's orders reader: the app waits for /v1/ready, the task reads the refresh prefix only", () => {
    const [task] = resources('OrdersFargateReader', 'AWS::ECS::TaskDefinition');
    const containers = Object.fromEntries((task.Properties.ContainerDefinitions as any[]).map((c) => [c.Name, c]));
    expect(Object.keys(containers).sort()).toEqual(['app', 'spice-reader', 'spice-reader-init', 'spice-reader-wait']);
    expect(containers.app.DependsOn).toEqual([{ ContainerName: 'spice-reader-wait', Condition: 'SUCCESS' }]);
    expect(containers['spice-reader-wait'].DependsOn).toEqual([{ ContainerName: 'spice-reader', Condition: 'START' }]);
    expect(containers['spice-reader'].DependsOn).toEqual([{ ContainerName: 'spice-reader-init', Condition: 'SUCCESS' }]);
    // No capability beyond need: none for spiced and the waiter, CHOWN and FOWNER only for the init.
    expect(containers['spice-reader'].LinuxParameters.Capabilities).toEqual({ Drop: ['ALL'] });
    expect(containers['spice-reader-wait'].LinuxParameters.Capabilities).toEqual({ Drop: ['ALL'] });
    const initDropped: string[] = containers['spice-reader-init'].LinuxParameters.Capabilities.Drop;
    expect(initDropped).toEqual(expect.arrayContaining(['DAC_OVERRIDE', 'SETUID', 'NET_RAW', 'SYS_ADMIN']));
    expect(initDropped).not.toEqual(expect.arrayContaining(['CHOWN']));
    expect(initDropped).not.toContain('FOWNER');
    const reader = readerInstance(synthesizeSplit(orders), 'ecs-fargate', { datasets: ['orders'], imageRepository: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror/spiceai' });
    expect(containers['spice-reader'].Command).toEqual(reader.args);
    const spicepod = (containers['spice-reader-init'].Environment as any[]).find((e) => e.Name === 'READER_FILE_SPICEPOD').Value;
    expect(spicepod).toBe(reader.spicepodYaml);
    expectValidSpicepod(parse(spicepod));
    const statements = resources('OrdersFargateReader', 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    const readSnapshots = statements.find((statement) => statement.Sid === 'ReadSnapshots');
    expect(readSnapshots.Action).toBe('s3:GetObject');
    expect(JSON.stringify(readSnapshots.Resource)).toContain(':s3:::acme-orders-snapshots/orders/refresh/*');
    // No source credential anywhere, and no grant on the source (the 1.x reader names it, credential-less).
    expect(JSON.stringify(template('OrdersFargateReader'))).not.toMatch(/orders-db|pg_pass/);
    expect(JSON.stringify(statements)).not.toContain('acme-lake');
  });

  it('makes no telemetry or notice lookups', () => {
    expect(result.output).not.toMatch(/telemetry|NOTICES/i);
  });
});
