import type { App } from 'aws-cdk-lib';
import { AwsTarget, describedSplit, SplitFile } from './split-file';
import { optionalModule } from './optional-module';
import { ValidationProblem } from '../core/errors';
import { problemsOf } from './thrown-problems';

/** The CDK app of a file: one stack with the split's bucket, endpoint policy and roles. */
export interface AwsBuild {
  readonly app?: App;
  /** Whether cdk-nag checks the app (it is installed). */
  readonly nag: boolean;
  readonly problems: readonly ValidationProblem[];
}

/** The stack's name when the file gives none. */
export function defaultStackName(file: SplitFile): string {
  return `${file.split?.name ?? 'split'}-spice-split`;
}

function cdkNag(): typeof import('cdk-nag') | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('cdk-nag') as typeof import('cdk-nag');
  } catch {
    return undefined;
  }
}

/**
 * Builds (does not synthesize) the AWS side of a file with `ReadWriteSplitAws` in a stack of its
 * own, cdk-nag's AwsSolutions checks on when cdk-nag is installed; problems come back with paths
 * of the file (`aws.…`, `split.…`).
 */
export function buildAws(file: SplitFile): AwsBuild {
  const cdk = optionalModule<typeof import('aws-cdk-lib')>('aws-cdk-lib', 'aws');
  const { ReadWriteSplitAws } = optionalModule<typeof import('../aws')>('../aws', 'aws');
  if (!file.aws) {
    return { nag: false, problems: [{ path: 'aws', message: 'is missing, but the aws target was asked for', fix: 'add aws: { cluster: { region, trust }, vpcEndpointId } (docs/cli.md)' }] };
  }
  // A file cannot hold a VPC construct: its `vpc` key is reported as unknown, and not passed on.
  const { account, stackName, vpc: _construct, ...props } = file.aws as AwsTarget & { vpc?: unknown };
  const stackProblems = checkStack(account, stackName);
  const app = new cdk.App();
  const nag = cdkNag();
  if (nag) cdk.Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  try {
    const region = typeof props.cluster?.region === 'string' ? props.cluster.region : undefined;
    const stack = new cdk.Stack(app, stackProblems.length === 0 ? stackName ?? defaultStackName(file) : 'Stack', { env: { account: stackProblems.length === 0 ? account : undefined, region } });
    new ReadWriteSplitAws(stack, 'Split', { ...props, split: describedSplit(file) });
  } catch (error) {
    return { nag: nag !== undefined, problems: [...stackProblems, ...problemsOf(error, { props: 'aws' }).map(forFiles)] };
  }
  return { app: stackProblems.length === 0 ? app : undefined, nag: nag !== undefined, problems: stackProblems };
}

/** The stack's account and name, as CloudFormation takes them. */
function checkStack(account: unknown, stackName: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (account !== undefined && (typeof account !== 'string' || !/^\d{12}$/.test(account))) {
    problems.push({ path: 'aws.account', message: `${JSON.stringify(account)} is not an account id${typeof account === 'number' ? ' (YAML read it as a number)' : ''}`, fix: 'write the 12 digits in quotes, e.g. account: "111122223333"' });
  }
  if (stackName !== undefined && (typeof stackName !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName))) {
    problems.push({ path: 'aws.stackName', message: `${JSON.stringify(stackName)} is not a stack name`, fix: 'use letters, digits and -, starting with a letter (at most 128)' });
  }
  return problems;
}

/** The construct asks for its `vpc` or a `vpcEndpointId`; a file can give only the endpoint's id. */
function forFiles(problem: ValidationProblem): ValidationProblem {
  if (problem.path !== 'aws.vpc' || !problem.message.startsWith('is missing')) return problem;
  return {
    path: 'aws.vpcEndpointId',
    message: problem.message,
    fix: "give the id of the cluster VPC's S3 gateway endpoint (a file cannot create one: create it with the AWS CLI or console, or use the ReadWriteSplitAws construct with its vpc), or set allowAccessOutsideVpc: true to accept that",
  };
}
