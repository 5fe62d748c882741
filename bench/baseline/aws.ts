import { App, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';

type Json = Record<string, any>;

/** The stack's environment, the same on both sides. */
export const BENCH_ENV = { account: '111122223333', region: 'eu-west-1' } as const;

/** The resources and outputs of a template, as literals. */
export interface AwsBaseline {
  readonly resources: readonly [string, Json][];
  readonly outputs: readonly [string, Json][];
}

/**
 * What a team would write by hand with aws-cdk-lib for the same template: every resource as an
 * L1 literal with its logical id and policies, every output. Prepared (untimed) from the library's
 * own template, so both synthesize the same one.
 */
export function prepareAwsBaseline(template: Json): AwsBaseline {
  return { resources: Object.entries(template.Resources ?? {}), outputs: Object.entries(template.Outputs ?? {}) };
}

/** Builds the hand-written stack. */
export function baselineAwsApp(baseline: AwsBaseline): App {
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: BENCH_ENV });
  for (const [id, resource] of baseline.resources) {
    const cfn = new CfnResource(stack, id, { type: resource.Type, properties: resource.Properties });
    cfn.overrideLogicalId(id);
    if (resource.UpdateReplacePolicy) cfn.addOverride('UpdateReplacePolicy', resource.UpdateReplacePolicy);
    if (resource.DeletionPolicy) cfn.addOverride('DeletionPolicy', resource.DeletionPolicy);
    if (resource.DependsOn) cfn.addOverride('DependsOn', resource.DependsOn);
  }
  for (const [id, output] of baseline.outputs) {
    new CfnOutput(stack, id, { value: output.Value, description: output.Description, exportName: output.Export?.Name }).overrideLogicalId(id);
  }
  return app;
}
