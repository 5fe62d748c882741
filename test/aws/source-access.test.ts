import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAwsProps, SpiceWorkloadRole } from '../../lib/aws';
import { accessPlan, DatasetSpec, s3SourceLocation } from '../../lib/core';
import { synthesizeSplit } from '../../lib/core/synthesize';
import { awsStack, policyStatements } from '../support/aws';
import { awsSplit, resolveStoredSplit } from '../support/splits';
import { thrown } from '../support/errors';

const WRITER = 'shop-eu-west-1-spice-writer';
const READER = 'shop-eu-west-1-spice-reader';

/** An ARN as the template writes it: the partition is the stack's. */
const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${resource}`]] });

const parquet = { file_format: 'parquet' };
const withDatasets = (datasets: DatasetSpec[]) => awsSplit({ datasets });
const statements = (props: Partial<ReadWriteSplitAwsProps>, role = WRITER) => policyStatements(awsStack(props).template, role);
const sourceStatements = (props: Partial<ReadWriteSplitAwsProps>) => statements(props).filter((s) => /Source/.test(s.Sid));

/** Every acknowledgement recorded on the writer role, by id. */
function writerAcknowledgements(props: Partial<ReadWriteSplitAwsProps>): Record<string, string> {
  const { construct } = awsStack(props);
  return Object.assign({}, ...construct.writer.role.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data));
}


describe('the writer role reads the s3:// sources it authenticates to with its own identity', () => {
  it('gets each source folder the description names, and lists its bucket only under that folder', () => {
    // awsSplit: orders from s3://lake/orders/, s3_auth unset: the writer's Spicepod says iam_role.
    expect(sourceStatements({})).toEqual([
      { Sid: 'ReadSources', Effect: 'Allow', Action: 's3:GetObject', Resource: arn('lake/orders/*') },
      { Sid: 'ListSourceBucket0', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn('lake'), Condition: { StringLike: { 's3:prefix': ['orders/', 'orders/*'] } } },
    ]);
  });

  it('the reader role gets no source access at all', () => {
    const reader = statements({}, READER);
    expect(JSON.stringify(reader)).not.toMatch(/lake|AWS::Partition|Source/);
    expect(reader.every((s) => JSON.stringify(s.Resource).includes('ShopSnapshotsBucket'))).toBe(true);
  });

  it('with s3_auth iam_role or unset, whatever the placement: delegated and writer-only datasets are read on the writer', () => {
    const split = withDatasets([
      { name: 'orders', from: 's3://acme-lake/orders/', params: { ...parquet, s3_auth: 'iam_role' } },
      { name: 'events', from: 's3://acme-events/raw/', params: parquet, readers: 'delegated' },
      { name: 'audit', from: 's3://acme-audit/2026/', params: parquet, readers: 'writer-only' },
    ]);
    const [read, ...lists] = sourceStatements({ split });
    expect(read.Resource).toEqual([arn('acme-lake/orders/*'), arn('acme-events/raw/*'), arn('acme-audit/2026/*')]);
    expect(lists.map((s) => [s.Resource, s.Condition.StringLike['s3:prefix']])).toEqual([
      [arn('acme-lake'), ['orders/', 'orders/*']],
      [arn('acme-events'), ['raw/', 'raw/*']],
      [arn('acme-audit'), ['2026/', '2026/*']],
    ]);
    expect(JSON.stringify(statements({ split }, READER))).not.toMatch(/acme-/);
  });

  it('not for sources with access keys or public ones, nor for other connectors', () => {
    const split = withDatasets([
      {
        name: 'orders', from: 's3://acme-lake/orders/', params: { ...parquet, s3_auth: 'key', s3_region: 'eu-west-1' },
        secretParams: { s3_key: { secretName: 'lake', key: 'id' }, s3_secret: { secretName: 'lake', key: 'secret' } },
      },
      { name: 'taxi', from: 's3://spiceai-demo-datasets/taxi_trips/2024/', params: { ...parquet, s3_auth: 'public' } },
      { name: 'history', from: 'postgres:public.history', secretParams: { pg_pass: { secretName: 'db', key: 'password' } }, readers: 'delegated' },
    ]);
    expect(sourceStatements({ split })).toEqual([]);
    expect(Object.keys(writerAcknowledgements({ split })).filter((id) => id.includes('s3:::'))).toEqual([]);
  });

  it('a file, a glob, a whole bucket, and a source inside another one\'s folder', () => {
    const split = withDatasets([
      { name: 'orders', from: 's3://lake/orders/', params: parquet },
      { name: 'orders_2026', from: 's3://lake/orders/year=2026/', params: parquet },
      { name: 'customers', from: 's3://lake/customers.parquet' },
      { name: 'events', from: 's3://lake/events/*.parquet' },
      { name: 'archive', from: 's3://acme-archive', params: parquet },
    ]);
    const [read, lake, archive] = sourceStatements({ split });
    expect(read.Resource).toEqual([
      arn('lake/orders/*'), arn('lake/customers.parquet/*'), arn('lake/customers.parquet'), arn('lake/events/*'), arn('acme-archive/*'),
    ]);
    // spiced lists a folder with its trailing '/', and a key without one as the folder it may be.
    expect(lake.Condition).toEqual({ StringLike: { 's3:prefix': ['orders/', 'orders/*', 'customers.parquet/', 'customers.parquet/*', 'events/', 'events/*'] } });
    expect(archive).toEqual({ Sid: 'ListSourceBucket1', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn('acme-archive') });
    expect(writerAcknowledgements({ split })).toMatchObject({
      'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::lake/orders/*]': expect.stringMatching(/^The writer refreshes orders, orders_2026 from s3:\/\/lake\/orders\/: /),
    });
  });

  it('nothing extra for a source under the split\'s own prefix of the snapshot bucket, which the writer already reads', () => {
    const own = withDatasets([{ name: 'exports', from: 's3://shop-snapshots/shop/exports/', params: parquet }]);
    expect(sourceStatements({ split: own })).toEqual([]);
    const beside = withDatasets([{ name: 'imports', from: 's3://shop-snapshots/imports/', params: parquet }]);
    expect(sourceStatements({ split: beside })[0]).toMatchObject({ Sid: 'ReadSources', Resource: arn('shop-snapshots/imports/*') });
  });

  it('writes a literal $ as IAM\'s ${$}, so a key never becomes a policy variable', () => {
    const split = withDatasets([{ name: 'odd', from: 's3://lake/${aws:username}/', params: parquet }]);
    expect(sourceStatements({ split })[0].Resource).toEqual(arn('lake/${$}{aws:username}/*'));
  });

  it('with sourceAccess \'external\' adds no source grant and nothing to acknowledge', () => {
    expect(sourceStatements({ sourceAccess: 'external' })).toEqual([]);
    expect(Object.keys(writerAcknowledgements({ sourceAccess: 'external' })).filter((id) => id.includes('s3:::'))).toEqual([]);
    expect(statements({ sourceAccess: 'external' }).map((s) => s.Sid)).toEqual(['ReadWriteSnapshots', 'ListSnapshotBucket']);
  });

  it('leaves cdk-nag nothing unacknowledged, whatever the sources', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'rws-sources-'));
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    awsStack({
      split: withDatasets([
        { name: 'orders', from: 's3://lake/orders/', params: parquet },
        { name: 'customers', from: 's3://lake/customers.parquet' },
        { name: 'archive', from: 's3://acme-archive', params: parquet, readers: 'delegated' },
        { name: 'odd', from: 's3://lake/$odd/', params: parquet, readers: 'writer-only' },
      ]),
    }, app);
    app.synth();
    expect(JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  });
});

describe('SpiceWorkloadRole on its own', () => {
  const synthesized = synthesizeSplit(awsSplit());
  const role = (props: { tier: 'writer' | 'reader'; sourceAccess?: 'grant' | 'external' }) => {
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'shop-snapshots');
    return () => new SpiceWorkloadRole(stack, 'Role', { synthesized, bucket, trust: { type: 'aws-pod-identity', clusterName: 'prod' }, namespaces: ['shop'], ...props });
  };

  it('grants the writer its sources by default, and refuses sourceAccess on the reader', () => {
    const writer = role({ tier: 'writer' })();
    const policy = Template.fromStack(Stack.of(writer)).findResources('AWS::IAM::Policy');
    const sids = Object.values(policy).flatMap((p: any) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Sid));
    expect(sids).toEqual(['ReadWriteSnapshots', 'ListSnapshotBucket', 'ReadSources', 'ListSourceBucket0']);
    const error = thrown(role({ tier: 'reader', sourceAccess: 'grant' }));
    expect(error.message).toContain('props.sourceAccess: "grant" is set on the reader role, but readers never read sources: they restore snapshots; remove it');
  });

  it('roots the description\'s paths at props.synthesized', () => {
    const bad = synthesizeSplit(withDatasets([{ name: 'orders', from: 's3://Acme Lake/orders/', params: parquet }]));
    const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
    const error = thrown(() => new SpiceWorkloadRole(stack, 'Role', {
      synthesized: bad, tier: 'writer', bucket: s3.Bucket.fromBucketName(stack, 'B', 'shop-snapshots'), trust: { type: 'aws-pod-identity', clusterName: 'prod' }, namespaces: ['shop'],
    }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.synthesized.split.datasets[0].from']);
  });
});

describe('refused: what the grant cannot name', () => {
  const refused = (props: Partial<ReadWriteSplitAwsProps>) => thrown(() => awsStack(props));

  it('an unknown sourceAccess', () => {
    const error = refused({ sourceAccess: 'none' as never });
    expect(error.message).toContain(`props.sourceAccess: "none" is not a source access; use 'grant' (the writer role may read each s3:// source) or 'external'`);
  });

  it('sources that name no S3 bucket, and an s3_auth spiced does not know, listed with the other problems', () => {
    const split = withDatasets([
      { name: 'a', from: 's3://Acme Lake/orders/', params: parquet },
      { name: 'b', from: 's3:orders/', params: parquet },
      { name: 'c', from: 's3://lake-*/orders/', params: parquet },
      { name: 'd', from: 's3://lake/orders/', params: { ...parquet, s3_auth: 'iam' } },
      { name: 'e', from: 's3://Acme Lake/keyed/', params: { ...parquet, s3_auth: 'public' } },
    ]);
    const error = refused({ split, cluster: { region: 'us-east-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } } });
    expect(error.problems.map((p) => p.path)).toEqual(['props.cluster.region', 'split.datasets[0].from', 'split.datasets[1].from', 'split.datasets[2].from', 'split.datasets[3].params.s3_auth']);
    expect(error.message).toContain(`split.datasets[2].from: "s3://lake-*/orders/" names no S3 bucket, so the writer role cannot be granted read on it; write 's3://<bucket>/<folder>/' with the bucket's name, or set sourceAccess: 'external'`);
    expect(error.message).toContain(`split.datasets[3].params.s3_auth: "iam" is not an S3 auth method; use 'iam_role'`);
  });

  it('nothing of the sources with sourceAccess \'external\': the grant is the user\'s', () => {
    const split = withDatasets([{ name: 'a', from: 's3://Acme Lake/orders/', params: parquet }]);
    expect(() => awsStack({ split, sourceAccess: 'external' })).not.toThrow();
  });
});

describe('the access plan (core): where spiced reads an s3:// source', () => {
  it.each([
    ['s3://lake/orders/', { bucket: 'lake', prefix: 'orders/' }],
    ['s3://lake/orders', { bucket: 'lake', prefix: 'orders/', key: 'orders' }],
    ['s3://lake/a/b.parquet', { bucket: 'lake', prefix: 'a/b.parquet/', key: 'a/b.parquet' }],
    ['s3://lake/events/*.parquet', { bucket: 'lake', prefix: 'events/' }],
    ['s3://lake/events/2026-0[1-6]/', { bucket: 'lake', prefix: 'events/' }],
    ['s3://lake/*', { bucket: 'lake', prefix: '' }],
    ['s3://lake', { bucket: 'lake', prefix: '' }],
    ['s3://lake/my%20data/', { bucket: 'lake', prefix: 'my data/' }],
    ['s3://Legacy_Bucket/x/', { bucket: 'Legacy_Bucket', prefix: 'x/' }],
  ])('%s', (from, location) => {
    expect(s3SourceLocation(from)).toEqual(location);
  });

  it.each(['s3://', 's3:orders/', 's3://lake*/x/', 's3://arn:aws:s3:eu-west-1:111122223333:accesspoint/ap/x/', 's3://l/x/', 's3://lake/%E0%A4%A/'])('%s names no bucket', (from) => {
    expect(s3SourceLocation(from)).toBeUndefined();
  });

  it('lists the writer\'s sources once each (a key without its \'/\' also reads the folder), and none for readers', () => {
    const split = resolveStoredSplit(withDatasets([
      { name: 'a', from: 's3://lake/orders/', params: parquet },
      { name: 'b', from: 's3://lake/orders/', params: parquet, readers: 'delegated' },
      { name: 'c', from: 's3://lake/orders/x/', params: parquet },
      { name: 'd', from: 's3://lake/orders', params: parquet },
    ]));
    const plan = accessPlan(split);
    expect(plan.writerSources).toEqual([{ bucket: 'lake', prefix: 'orders/', key: 'orders', datasets: [0, 1, 2, 3] }]);
    expect(plan).not.toHaveProperty('readerSources');
  });
});
