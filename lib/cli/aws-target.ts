import type { App } from 'aws-cdk-lib';
import { SplitFile } from './split-file';
import { optionalModule } from './optional-module';
import { PathedProblem, problemsOf } from './thrown-problems';

/** The CDK app of a file: one stack with the split's bucket, endpoint policy and roles. */
export interface AwsBuild {
  readonly app?: App;
  /** Whether cdk-nag checks the app (it is installed). */
  readonly nag: boolean;
  readonly problems: readonly PathedProblem[];
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
export function buildAws(file: SplitFile, outdir?: string): AwsBuild {
  const cdk = optionalModule<typeof import('aws-cdk-lib')>('aws-cdk-lib', 'aws');
  const { ReadWriteSplitAws } = optionalModule<typeof import('../aws')>('../aws', 'aws');
  if (!file.aws) {
    return { nag: false, problems: [{ path: 'aws', message: 'is missing, but the aws target was asked for', fix: 'add aws: { cluster: { region, trust }, vpcEndpointId } (docs/cli.md)' }] };
  }
  const { account, stackName, ...props } = file.aws;
  const app = new cdk.App({ outdir });
  const nag = cdkNag();
  if (nag) cdk.Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  const stack = new cdk.Stack(app, stackName ?? defaultStackName(file), { env: { account, region: props.cluster?.region } });
  try {
    new ReadWriteSplitAws(stack, 'Split', { ...props, split: file.split });
  } catch (error) {
    return { nag: nag !== undefined, problems: problemsOf(error, { props: 'aws' }) };
  }
  return { app, nag: nag !== undefined, problems: [] };
}
