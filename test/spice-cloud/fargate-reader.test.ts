import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { SpiceReaderFargateTask, SpiceReaderFargateTaskProps } from '../../lib/aws';
import { containers, deployedValue, ENV, KEY_ARN, nagApp, storefront } from '../aws/fargate-reader-support';
import { componentProblems } from '../support/errors';
import { expectCloudReaderSpicepod, INSIGHTS, INSIGHTS_WITH_STORE } from './support';

/** A Fargate reader of a split whose writer is a Spice Cloud app. */
function fargateReader(props: Partial<SpiceReaderFargateTaskProps> = {}, app = new App()) {
  const stack = new Stack(app, 'Reporting', { env: ENV });
  const key = secretsmanager.Secret.fromSecretCompleteArn(stack, 'AppKey', KEY_ARN);
  const create = () => new SpiceReaderFargateTask(stack, 'Reporting', { split: INSIGHTS, app: storefront(), clusterApiKey: { secret: key, field: 'key' }, ...props });
  return { stack, create };
}

describe('a Fargate reader of a Spice Cloud split', () => {
  const { stack, create } = fargateReader();
  create();
  const template = Template.fromStack(stack);
  const byName = containers(template);

  it("delivers a Spicepod that delegates every dataset to the app, with the app's key and nothing restored", () => {
    expectCloudReaderSpicepod(deployedValue(byName['spice-reader-init'].Environment[0].Value));
    expect(byName['spice-reader'].Secrets).toEqual([{ Name: 'SPICE_CLUSTER_API_KEY', ValueFrom: `${KEY_ARN}:key::` }]);
    expect(byName.app.DependsOn).toEqual([{ ContainerName: 'spice-reader-wait', Condition: 'SUCCESS' }]);
  });

  it('gives the task role no grant: nothing of S3 anywhere in the stack', () => {
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any;
    const roleId = task.Properties.TaskRoleArn['Fn::GetAtt'][0];
    const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
    expect(attached).toEqual([]);
    expect(template.toJSON().Resources[roleId].Properties.Policies).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/s3:|AWS::S3::/);
  });

  it('finds nothing unacknowledged by cdk-nag', () => {
    const nag = nagApp();
    fargateReader({}, nag.app).create();
    nag.app.synth();
    expect(nag.report().pluginReports).toEqual([]);
  });

  it("refuses a reader without the app's key, and the description's own problems, at the props' paths, all at once", () => {
    expect(componentProblems(fargateReader({ clusterApiKey: undefined }).create, 'Reporting/Reporting')).toEqual([
      "props.clusterApiKey: is missing, but this reader delegates every dataset to the Spice Cloud app, which admits only callers with its API key; give the Secrets Manager secret holding the app's API key: clusterApiKey: { secret, field? }",
    ]);
    const problems = componentProblems(fargateReader({ split: INSIGHTS_WITH_STORE, clusterApiKey: undefined }).create, 'Reporting/Reporting');
    expect(problems).toEqual([expect.stringMatching(/^props\.split\.store: /), expect.stringMatching(/^props\.clusterApiKey: is missing, but this reader delegates every dataset to the Spice Cloud app/)]);
  });
});
