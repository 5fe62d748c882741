import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReadWriteSplitAwsProps, SpiceReaderFargateTask, SpiceReaderFargateTaskProps } from '../../lib/aws';
import { awsStack } from '../support/aws';
import { awsSplit } from '../support/splits';

export const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-cluster-api-key-AbCdEf';
export const WRITERS = 'http://shop-writers.internal.example.com:50051';
export const ENV = { account: '111122223333', region: 'eu-west-1' };

/** The shop split with its writers behind an internal load balancer: a reader off the cluster may delegate. */
export const delegatingSplit = () => awsSplit({ writer: { flightEndpoint: WRITERS } });

export const storefront = (): ecs.ContainerDefinitionOptions => ({
  image: ecs.ContainerImage.fromRegistry('example.com/storefront:1.0'),
  portMappings: [{ containerPort: 8080 }],
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'storefront' }),
});

export interface ReaderTaskOptions {
  /** Props of the split construct. */
  readonly split?: Partial<ReadWriteSplitAwsProps>;
  /** Props of the reader task; a function receives its stack (for a secret of its own). */
  readonly task?: Partial<SpiceReaderFargateTaskProps> | ((stack: Stack) => Partial<SpiceReaderFargateTaskProps>);
  /** Put the task in a stack of its own (in eu-west-1 unless `region`). */
  readonly ownStack?: boolean;
  readonly region?: string;
  readonly app?: App;
}

/**
 * The shop split (delegating to its writers' load balancer) and a storefront task beside its
 * reader, with the cluster API key; the template is the task's stack.
 */
export function readerTask(options: ReaderTaskOptions = {}) {
  const app = options.app ?? new App();
  const split = awsStack({ split: delegatingSplit(), ...options.split }, app);
  const stack = options.ownStack || options.region
    ? new Stack(app, 'Storefront', { env: { ...ENV, region: options.region ?? ENV.region } })
    : split.stack;
  const key = secretsmanager.Secret.fromSecretCompleteArn(stack, 'ClusterApiKey', KEY_ARN);
  const extra = typeof options.task === 'function' ? options.task(stack) : options.task;
  const create = () => new SpiceReaderFargateTask(stack, 'Storefront', {
    split: split.construct, app: storefront(), clusterApiKey: { secret: key, field: 'key' }, ...extra,
  });
  return { app, stack, split, create, get template() { create(); return Template.fromStack(stack); } };
}

/** An app that validates with cdk-nag's AwsSolutions and strict CloudFormation validation, and its report. */
export function nagApp() {
  const outdir = mkdtempSync(join(tmpdir(), 'rws-fargate-nag-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, outdir, report: () => JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) };
}

/** The container definitions of the one task definition in a template, by name. */
export function containers(template: Template): Record<string, any> {
  const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  return Object.fromEntries(definition.Properties.ContainerDefinitions.map((c: any) => [c.Name, c]));
}

/** An environment value as ECS receives it: `Fn::Sub` with `${!` escapes renders `${`. */
export function deployedValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub !== 'string' || /\$\{(?!!)/.test(sub)) throw new Error(`not a literal value: ${JSON.stringify(value)}`);
  return sub.replace(/\$\{!/g, '${');
}
