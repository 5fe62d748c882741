import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAwsProps } from '../../lib/aws';
import { awsStack } from '../support/aws';

function nagApp() {
  const outdir = mkdtempSync(join(tmpdir(), 'rws-nag-'));
  // Strict: aws-cdk-lib's own CloudFormation validation fails synthesis on any error or warning
  // instead of downgrading them, so a passing synth proves it found nothing either.
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, outdir };
}

const variants: [string, Partial<ReadWriteSplitAwsProps>][] = [
  ['IRSA', {}],
  ['Pod Identity', { cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } } }],
  ['KMS and versioning', { bucket: { encryption: 'kms', versioned: true } }],
];

describe('cdk-nag AwsSolutions checks and CloudFormation validation', () => {
  it.each(variants)('find nothing unacknowledged with %s', (_name, props) => {
    const { app, outdir } = nagApp();
    awsStack(props, app);
    app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  it('record every acknowledgement in the construct, each with its reason', () => {
    const { app, outdir } = nagApp();
    awsStack({}, app);
    app.synth();
    const metadata = JSON.parse(readFileSync(join(outdir, 'Shop.metadata.json'), 'utf8'));
    const acknowledged = Object.entries(metadata).flatMap(([path, entries]) => (entries as any[])
      .filter((e) => e.type === 'aws:cdk:acknowledged-rules')
      .flatMap((e) => Object.entries(e.data).map(([id, reason]) => ({ path, id, reason: String(reason) }))));
    expect(acknowledged.map((a) => [a.path, a.id])).toEqual([
      ['/Shop/Shop/Snapshots/Bucket', 'Annotation::AwsSolutions-S1'],
      ['/Shop/Shop/Writer/Role', expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<ShopSnapshotsBucket\w+\.Arn>\/shop\/\*\]$/)],
      // The writer reads the split's s3://lake/orders/ source with its own role.
      ['/Shop/Shop/Writer/Role', 'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::lake/orders/*]'],
      ['/Shop/Shop/Reader/Role', expect.stringMatching(/^Annotation::AwsSolutions-IAM5\[Resource::<ShopSnapshotsBucket\w+\.Arn>\/shop\/refresh\/\*\]$/)],
    ]);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
  });

  it('CloudFormation validation does run strictly: an invalid property fails synthesis', () => {
    const { app } = nagApp();
    const { stack } = awsStack({}, app);
    new CfnResource(stack, 'Broken', { type: 'AWS::S3::Bucket', properties: { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 'three' }] } } });
    expect(() => app.synth()).toThrow(/ExpirationInDays: 'three' is not of type 'integer'/);
  });

  it('do run: a plain bucket beside the construct fails synthesis', () => {
    const { app } = nagApp();
    const { stack } = awsStack({}, app);
    new s3.Bucket(stack, 'Plain');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
