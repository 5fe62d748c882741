import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAws } from '../../lib/aws';
import { awsSplit } from '../support/splits';
import { awsStack, ISSUER, policyStatements } from '../support/aws';

const WRITER = 'shop-eu-west-1-spice-writer';
const READER = 'shop-eu-west-1-spice-reader';

describe('the snapshot bucket', () => {
  const { template } = awsStack();

  it('is private, encrypted, owner-enforced and named by the split', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'shop-snapshots',
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: Match.absent(),
    });
  });

  it('is retained on stack deletion and replacement, with its policy (the TLS and endpoint denies)', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::S3::BucketPolicy', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('expires refresh snapshots and the daily archive from the retention plan, and aborts stale uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          { Id: 'expire-refresh-snapshots', Prefix: 'shop/refresh/month=', ExpirationInDays: 3, Status: 'Enabled' },
          { Id: 'expire-daily-archive', Prefix: 'shop/archive/month=', ExpirationInDays: 30, Status: 'Enabled' },
          { Id: 'abort-incomplete-uploads', Prefix: 'shop/', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        ],
      },
    });
  });

  it('matches every snapshot spiced writes with a literal prefix, and never metadata.json', () => {
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket')) as any[];
    const rules: { Prefix: string; ExpirationInDays?: number }[] = bucket.Properties.LifecycleConfiguration.Rules;
    const expiry = (key: string) => rules.filter((r) => r.ExpirationInDays && key.startsWith(r.Prefix)).map((r) => r.ExpirationInDays);
    // <location>/month=YYYY-MM/day=YYYY-MM-DD/dataset=<name>/<name>_<timestamp>.<ext>, location = s3://shop-snapshots/shop/refresh/
    expect(expiry('shop/refresh/month=2026-11/day=2026-11-24/dataset=orders/orders_20261124T101500Z.duckdb')).toEqual([3]);
    expect(expiry('shop/archive/month=2026-11/day=2026-11-24/dataset=orders/orders_20261124T000000Z.duckdb')).toEqual([30]);
    expect(expiry('shop/refresh/metadata.json')).toEqual([]);
    expect(expiry('shop/archive/metadata.json')).toEqual([]);
  });

  it('requires TLS and denies data access from outside the VPC endpoint, but for exempt roles', () => {
    const { template: exempt } = awsStack({ exemptPrincipalArns: ['arn:aws:iam::111122223333:role/BreakGlass'] });
    exempt.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'DenyDataAccessOutsideVpcEndpoint',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: Match.arrayWith(['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:ListBucket*']),
            Condition: {
              StringNotEquals: { 'aws:SourceVpce': { Ref: Match.stringLikeRegexp('S3Endpoint') } },
              ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/BreakGlass'] },
            },
          }),
        ]),
      },
    });
    exempt.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', VpcId: 'vpc-0123456789abcdef0' });
  });

  it('uses an existing endpoint by id', () => {
    const { template: existing } = awsStack({ vpc: undefined, vpcEndpointId: 'vpce-0abc' });
    existing.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(JSON.stringify(existing.toJSON())).toContain('"aws:SourceVpce":"vpce-0abc"');
  });

  it('with KMS uses a rotating, retained key', () => {
    const { template: kms } = awsStack({ bucket: { encryption: 'kms' } });
    kms.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    kms.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    kms.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }), BucketKeyEnabled: true })] },
    });
  });

  it('with KMS lets writers encrypt and readers decrypt, with that key only and only through S3', () => {
    const { template: kms } = awsStack({ bucket: { encryption: 'kms' } });
    const via = { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } };
    const encryption = (role: string) => policyStatements(kms, role).find((s) => s.Sid === 'SnapshotEncryption')!;
    expect(encryption(WRITER)).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: via, Resource: { 'Fn::GetAtt': [expect.stringMatching(/Key/), 'Arn'] } });
    expect(encryption(READER)).toMatchObject({ Action: 'kms:Decrypt', Condition: via });
  });

  it('with versioning expires noncurrent versions (metadata.json included) and cleans expired delete markers', () => {
    const { template: versioned } = awsStack({ bucket: { versioned: true } });
    versioned.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-refresh-snapshots', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
          Match.objectLike({ Id: 'abort-incomplete-uploads', ExpiredObjectDeleteMarker: true, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
        ]),
      },
    });
  });

  it('without a VPC endpoint only when that is explicit', () => {
    const { template: open } = awsStack({ vpc: undefined, allowAccessOutsideVpc: true });
    expect(JSON.stringify(open.toJSON())).not.toContain('aws:SourceVpce');
  });
});

describe('the writer and reader roles', () => {
  const { template } = awsStack({ readerNamespaces: ['shop', 'storefront'] });

  it('are named deterministically and trusted by the tiers\' ServiceAccounts through IRSA', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: WRITER,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789' },
          Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:shop:shop-writer', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: READER,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: { [`${ISSUER}:sub`]: ['system:serviceaccount:shop:shop-reader', 'system:serviceaccount:storefront:shop-reader'], [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
        })],
      },
    });
  });

  it('the reader can only get and list the refresh location', () => {
    const statements = policyStatements(template, READER);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(actions.some((a) => /^s3:(Put|Delete)/.test(a))).toBe(false);
    expect(JSON.stringify(statements)).toContain('/shop/refresh/*');
    // Listing the bucket (the split's own) lets S3 answer a missing metadata.json with 404, not 403.
    const list = statements.find((s) => s.Action === 's3:ListBucket')!;
    expect(list.Condition).toBeUndefined();
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ShopSnapshotsBucket/), 'Arn'] });
  });

  it('no resource reaches outside the snapshot bucket, but the writer\'s read on the split\'s s3:// source', () => {
    for (const role of [WRITER, READER]) {
      for (const statement of policyStatements(template, role)) {
        for (const resource of [statement.Resource].flat()) {
          const sourceRead = role === WRITER && ['ReadSources', 'ListSourceBucket0'].includes(statement.Sid);
          expect(JSON.stringify(resource)).toMatch(sourceRead ? /:s3:::lake(\/orders\/\*)?"/ : /ShopSnapshotsBucket/);
          expect(resource).not.toBe('*');
        }
      }
    }
  });

  it('the writer reads, writes and deletes under the split\'s prefix only', () => {
    const statements = policyStatements(template, WRITER);
    const objects = statements.find((s) => s.Sid === 'ReadWriteSnapshots')!;
    expect(objects.Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
    expect(JSON.stringify(objects.Resource)).toContain('/shop/*');
  });

  it('use CfnJson for trust conditions when the OIDC provider ARN is a token', () => {
    const { template: tokens } = awsStack({ cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: Fn.importValue('ClusterOidcProviderArn') } } });
    tokens.resourceCountIs('Custom::AWSCDKCfnJson', 2);
  });

  it('with EKS Pod Identity trust pods.eks.amazonaws.com for AssumeRole and TagSession, with one association per namespace', () => {
    const { template: pods, construct } = awsStack({ cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } }, readerNamespaces: ['shop', 'storefront'] });
    const trust = (name: string) => (Object.values(pods.findResources('AWS::IAM::Role', { Properties: { RoleName: name } }))[0] as any).Properties.AssumeRolePolicyDocument.Statement;
    const tags = (namespaces: string | string[], serviceAccount: string) => ({
      StringEquals: { 'aws:RequestTag/eks-cluster-name': 'prod', 'aws:RequestTag/kubernetes-namespace': namespaces, 'aws:RequestTag/kubernetes-service-account': serviceAccount },
    });
    expect(trust(WRITER)).toEqual([
      { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Condition: tags('shop', 'shop-writer') },
    ]);
    expect(trust(READER)[0].Condition).toEqual(tags(['shop', 'storefront'], 'shop-reader'));
    pods.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    pods.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'prod', Namespace: 'storefront', ServiceAccount: 'shop-reader' });
    expect(construct.identities.writer).toEqual({ type: 'aws-pod-identity' });
  });
});

describe("the description's reader.namespaces", () => {
  const podIdentity = { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } } as const;

  it('are the namespaces the reader role trusts, without readerNamespaces saying them again', () => {
    const { template } = awsStack({ split: awsSplit({ reader: { namespaces: ['web', 'api'] } }), cluster: podIdentity });
    const reader = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: READER } }))[0] as any;
    expect(reader.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['aws:RequestTag/kubernetes-namespace']).toEqual(['web', 'api']);
    const associations = Object.values(template.findResources('AWS::EKS::PodIdentityAssociation')).map((r: any) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`);
    expect(associations.sort()).toEqual(['api/shop-reader', 'shop/shop-writer', 'web/shop-reader']);
  });

  it('refuse readerNamespaces that differ from them, even only in order (Pod Identity associations are numbered by position)', () => {
    const split = awsSplit({ reader: { namespaces: ['web', 'api'] } });
    expect(() => awsStack({ split, cluster: podIdentity, readerNamespaces: ['web'] }))
      .toThrow("props.readerNamespaces: is web, but the description's reader.namespaces is web, api: the other side reads the description, so the two would disagree on where readers run; leave readerNamespaces out (the description's reader.namespaces is used), or make the two the same list, in the same order");
    expect(() => awsStack({ split, cluster: podIdentity, readerNamespaces: ['api', 'web'] })).toThrow('props.readerNamespaces: is api, web, but the description\'s reader.namespaces is web, api');
    expect(() => awsStack({ split, cluster: podIdentity, readerNamespaces: ['web', 'api'] })).not.toThrow();
  });
});

describe('bad input', () => {
  it('refuses a cluster in another region than the bucket', () => {
    expect(() => awsStack({ cluster: { region: 'us-east-1', trust: { type: 'aws-pod-identity', clusterName: 'c' } } }))
      .toThrow(/cluster.region: us-east-1 is not the store's region eu-west-1; keep the snapshot bucket in the region of the cluster that reads it/);
  });

  it('refuses a stack in another region, or in no region', () => {
    const props = { split: awsSplit(), cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity' as const, clusterName: 'c' } }, allowAccessOutsideVpc: true };
    const elsewhere = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new ReadWriteSplitAws(elsewhere, 'X', props)).toThrow(/store.region: the stack deploys to us-east-1, but the split's store is in eu-west-1/);
    const agnostic = new Stack(new App(), 'S');
    expect(() => new ReadWriteSplitAws(agnostic, 'X', props)).toThrow(/the stack has no region.*set the stack's env.region to 'eu-west-1'/);
  });

  it('refuses two splits that claim one bucket', () => {
    const { app } = awsStack();
    const other = new Stack(app, 'Other', { env: { account: '111122223333', region: 'eu-west-1' } });
    const props = { split: awsSplit({ name: 'other' }), cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity' as const, clusterName: 'c' } }, allowAccessOutsideVpc: true };
    expect(() => new ReadWriteSplitAws(other, 'Other', props)).toThrow(/store.bucket: "shop-snapshots" is already the snapshot bucket of split "shop"/);
  });

  it('refuses a bucket without a private path unless that is explicit', () => {
    expect(() => awsStack({ vpc: undefined })).toThrow(/vpc: is missing: the snapshot bucket would be reachable from anywhere with credentials/);
    expect(() => awsStack({ vpcEndpointId: 'vpce-1' })).toThrow(/vpcEndpointId: is set together with vpc/);
  });

  it('refuses a KMS key with S3-managed encryption, and a bad description', () => {
    expect(() => awsStack({ bucket: { encryption: 's3-managed', encryptionKey: Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:eu-west-1:111122223333:key/1') } }))
      .toThrow(/encryptionKey: is set, but encryption is 's3-managed'/);
    expect(() => awsStack({ split: awsSplit({ retention: { refreshSnapshots: '12h' } }) })).toThrow(/"12h" is not a whole number of days/);
  });
});
