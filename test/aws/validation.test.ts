import { App, Annotations as CdkAnnotations, Aws, Fn, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAws, ReadWriteSplitAwsProps, SpiceSnapshotBucket, SpiceWorkloadRole } from '../../lib/aws';
import { ReadWriteSplitError, SplitValidationError } from '../../lib/core/errors';
import { synthesizeSplit } from '../../lib/core/synthesize';
import { awsStack, OIDC_ARN, oidcArnIn } from '../support/aws';
import { awsSplit } from '../support/splits';
import { thrown } from '../support/errors';


const paths = (error: SplitValidationError) => error.problems.map((problem) => problem.path);
const refused = (props: Partial<ReadWriteSplitAwsProps>) => thrown(() => awsStack(props));

describe('one error for everything wrong with ReadWriteSplitAws', () => {
  it('lists a bad description, the stack\'s region and the cluster\'s region together, with the construct path', () => {
    const stack = new Stack(new App(), 'Shop', { env: { region: 'us-east-1' } });
    const error = thrown(() => new ReadWriteSplitAws(stack, 'Shop', {
      split: awsSplit({ retention: { refreshSnapshots: '12h' } }),
      cluster: { region: 'us-west-2', trust: { type: 'aws-irsa', oidcProviderArn: oidcArnIn('us-west-2') } },
      allowAccessOutsideVpc: true,
    }));
    expect(error).toBeInstanceOf(ReadWriteSplitError);
    expect(error.code).toBe('ReadWriteSplitInvalid');
    expect(error.where).toBe('Shop/Shop');
    expect(paths(error)).toEqual(['split.retention.refreshSnapshots', 'split.store.region', 'props.cluster.region']);
    expect(error.message).toMatch(/^Invalid read-write split "shop" at Shop\/Shop \(3 problems\):\n/);
    expect(error.message).toContain("  - split.store.region: the stack deploys to us-east-1, but the split's store is in eu-west-1; deploy the stack to 'eu-west-1' or change store.region");
    expect(error.message).toContain("  - props.cluster.region: us-west-2 is not the store's region eu-west-1; keep the snapshot bucket in the region of the cluster that reads it");
  });

  it('reports the stack\'s region once, and a bucket option and the network beside it', () => {
    const error = thrown(() => new ReadWriteSplitAws(new Stack(new App(), 'S'), 'X', {
      split: awsSplit(), cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } }, bucket: { encryption: 'sse' as never },
    }));
    expect(paths(error)).toEqual(['split.store.region', 'props.bucket.encryption', 'props.vpc']);
  });

  it('refuses a store on another cloud, once: not also for its region, which is not an AWS one to move the cluster to', () => {
    const error = refused({ split: awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } }) });
    expect(error.message).toContain(`split.store.cloud: "gcp" is not 'aws': this construct creates an S3 bucket`);
    expect(paths(error)).toEqual(['split.store.cloud']);
  });

  it('skips late-bound values: a cluster region, an OIDC provider ARN, an exempt principal given as tokens', () => {
    const { template } = awsStack({
      cluster: { region: Token.asString(Fn.ref('AWS::Region')), trust: { type: 'aws-irsa', oidcProviderArn: Fn.importValue('OidcArn') } },
      exemptPrincipalArns: [Fn.importValue('BreakGlassArn'), 'arn:aws:iam::111122223333:role/cdk-*'],
    });
    template.resourceCountIs('AWS::S3::Bucket', 1);
  });

  it('refuses exempt principals that are not IAM principal ARNs: the policy would exempt no one', () => {
    const error = refused({ exemptPrincipalArns: ['BreakGlass', 'arn:aws:iam::111122223333:role/Ok', 'arn:aws:s3:::shop-snapshots', '*', 'arn:aws:iam::111122223333:BreakGlass'] });
    expect(paths(error)).toEqual(['props.exemptPrincipalArns[0]', 'props.exemptPrincipalArns[2]', 'props.exemptPrincipalArns[3]', 'props.exemptPrincipalArns[4]']);
    expect(error.message).toContain('props.exemptPrincipalArns[0]: "BreakGlass" is not an IAM principal ARN');
  });

  it('refuses an OIDC provider ARN that names something else, and an empty cluster name', () => {
    const irsa = refused({ cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: 'arn:aws:iam::111122223333:role/eks' } } });
    expect(irsa.message).toContain('props.cluster.trust.oidcProviderArn: "arn:aws:iam::111122223333:role/eks" is not an IAM OIDC provider ARN');
    const pods = refused({ cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: '' } } });
    expect(pods.message).toContain('props.cluster.trust.clusterName: is empty');
  });

  it('refuses the OIDC provider of a cluster in another region: its tokens would never match', () => {
    const arn = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';
    const error = refused({ cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: arn } } });
    expect(paths(error)).toEqual(['props.cluster.trust.oidcProviderArn']);
    expect(error.message).toContain('props.cluster.trust.oidcProviderArn: is the OIDC provider of a cluster in us-east-1, but the cluster is in eu-west-1');
  });

  it('refuses an exempt principal whose name starts with a wildcard: it would exempt the whole account', () => {
    const error = refused({ exemptPrincipalArns: ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/cdk-*'] });
    expect(paths(error)).toEqual(['props.exemptPrincipalArns[0]']);
    expect(error.message).toContain('"arn:aws:iam::111122223333:role/*" starts its name with a wildcard, so the bucket policy would exempt every role of the account');
  });

  it('refuses a vpc that is not a VPC construct, naming it (JavaScript callers and description files)', () => {
    const error = refused({ vpc: 'vpc-0a1b2c3d' as never });
    expect(error.message).toContain('props.vpc: "vpc-0a1b2c3d" is not a VPC construct, so no S3 gateway endpoint can be added to it');
  });

  it('names the new trust types when given the old ones', () => {
    const error = refused({ cluster: { region: 'eu-west-1', trust: { type: 'irsa', oidcProviderArn: OIDC_ARN } as never } });
    expect(error.message).toContain(`props.cluster.trust.type: "irsa" is not a trust type (it was renamed); use 'aws-irsa'`);
  });

  it('refuses reader namespaces that are empty, not namespaces or repeated', () => {
    expect(refused({ readerNamespaces: [] }).message).toContain('props.readerNamespaces: is empty: no ServiceAccount could assume the role');
    expect(paths(refused({ readerNamespaces: ['Shop_NS', 'shop', 'shop'] }))).toEqual(['props.readerNamespaces[0]', 'props.readerNamespaces[2]']);
  });

  it('refuses a VPC endpoint id that is not one: the bucket policy would deny every data request', () => {
    expect(refused({ vpc: undefined, vpcEndpointId: 'vpc-0123' }).message).toContain('props.vpcEndpointId: "vpc-0123" is not a VPC endpoint id');
  });
});

describe('SpiceSnapshotBucket and SpiceWorkloadRole on their own', () => {
  const synthesized = synthesizeSplit(awsSplit());

  it('check their props the same way, in one error', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    const key = { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1' } as never;
    const bucket = thrown(() => new SpiceSnapshotBucket(stack, 'Bucket', { synthesized, encryption: 's3-managed', encryptionKey: key, exemptPrincipalArns: ['root'] }));
    expect(bucket.where).toBe('S/Bucket');
    expect(paths(bucket)).toEqual(['props.synthesized.split.store.region', 'props.encryptionKey', 'props.exemptPrincipalArns[0]']);
    const role = thrown(() => new SpiceWorkloadRole(stack, 'Role', {
      synthesized, tier: 'reader', bucket: s3.Bucket.fromBucketName(stack, 'B', 'shop-snapshots'), trust: { type: 'aws-pod-identity', clusterName: '' }, namespaces: [],
    }));
    expect(paths(role)).toEqual(['props.trust.clusterName', 'props.namespaces']);
  });

  it('share the one-bucket-per-split claim with ReadWriteSplitAws', () => {
    const { app } = awsStack();
    const other = new Stack(app, 'Other', { env: { region: 'eu-west-1' } });
    expect(paths(thrown(() => new SpiceSnapshotBucket(other, 'Bucket', { synthesized })))).toEqual(['props.synthesized.split.store.bucket']);
  });
});

describe('warnings of the description', () => {
  const split = /@read-write-split\//;

  it('reach users as CDK warnings on the construct, each once, acknowledgeable by id', () => {
    const { stack } = awsStack();
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(split.source));
    expect(warnings.map((w) => w.id)).toEqual(['/Shop/Shop', '/Shop/Shop', '/Shop/Shop']);
    const ids = warnings.map((w) => /\[ack: @read-write-split\/([\w-]+)\]$/.exec(String(w.entry.data))?.[1]);
    expect(ids.sort()).toEqual(['no-hot-swap', 'on-change-snapshots-expire', 'oss-snapshots']);
    Annotations.fromStack(stack).hasWarning('/Shop/Shop', Match.stringLikeRegexp('^split\\.image\\.tag: OSS 1\\.11\\.5 readers cannot hot-swap.*\\[ack: @read-write-split/no-hot-swap\\]$'));
  });

  it('are not emitted once acknowledged in the description', () => {
    const { stack } = awsStack({ split: awsSplit({ acknowledgedWarnings: ['no-hot-swap', 'oss-snapshots'] }) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoWarning('*', Match.stringLikeRegexp('no-hot-swap|oss-snapshots'));
    annotations.hasWarning('/Shop/Shop', Match.stringLikeRegexp('@read-write-split/on-change-snapshots-expire'));
  });

  it('are not emitted once acknowledged the CDK way: on the stack before the construct, or on the app after', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop', { env: { region: 'eu-west-1' } });
    CdkAnnotations.of(stack).acknowledgeWarning('@read-write-split/no-hot-swap');
    new ReadWriteSplitAws(stack, 'Shop', { split: awsSplit(), cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } }, allowAccessOutsideVpc: true });
    CdkAnnotations.of(app).acknowledgeWarning('@read-write-split/oss-snapshots');
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoWarning('*', Match.stringLikeRegexp('no-hot-swap|oss-snapshots'));
    expect(annotations.findWarning('*', Match.stringLikeRegexp(split.source))).toHaveLength(1);
  });
});

describe('values that would deploy but never work', () => {
  it('refuses CDK tokens in the description: it is shared with the Kubernetes side and names roles and buckets', () => {
    const stack = new Stack(new App(), 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
    const error = thrown(() => new ReadWriteSplitAws(stack, 'Shop', {
      split: awsSplit({ store: { cloud: 'aws', bucket: Fn.importValue('Bucket'), region: Aws.REGION } }),
      cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } },
      allowAccessOutsideVpc: true,
    }));
    expect(paths(error)).toEqual(expect.arrayContaining(['split.store.bucket', 'split.store.region']));
    expect(error.message).toContain('split.store.bucket: is a CDK token, but the description is shared with the Kubernetes side and must hold literal values');
  });

  it('refuses exempt principal patterns that would exempt a whole account', () => {
    const error = refused({ exemptPrincipalArns: ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:*', 'arn:aws:iam::111122223333:role/cdk-*'] });
    expect(paths(error)).toEqual(['props.exemptPrincipalArns[0]', 'props.exemptPrincipalArns[1]']);
  });

  it('refuses a second gateway endpoint in one VPC, naming the way to share the first', () => {
    const app = new App();
    const { stack, construct } = awsStack({}, app);
    const vpc = construct.node.scope!.node.findChild('Vpc') as never;
    const error = thrown(() => new ReadWriteSplitAws(stack, 'Other', {
      split: awsSplit({ name: 'other', store: { cloud: 'aws', bucket: 'other-snapshots', region: 'eu-west-1' } }),
      cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } },
      vpc,
    }));
    expect(error.message).toContain('props.vpc: already has the S3 gateway endpoint of Shop/Shop: a route table holds one route to S3; pass that endpoint instead');
  });

  it('refuses a second gateway endpoint in a VPC that another stack imports too', () => {
    const app = new App();
    const imported = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'], privateSubnetRouteTableIds: ['rtb-1'],
    });
    const inStack = (id: string, name: string) => {
      const stack = new Stack(app, id, { env: { region: 'eu-west-1' } });
      return () => new ReadWriteSplitAws(stack, 'Split', {
        split: awsSplit({ name, store: { cloud: 'aws', bucket: `${name}-snapshots`, region: 'eu-west-1' } }),
        cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } },
        vpc: imported(stack),
      });
    };
    inStack('Orders', 'orders')();
    expect(thrown(inStack('Billing', 'billing')).message).toContain('props.vpc: already has the S3 gateway endpoint of Orders/Split');
  });

  it('does not take two VPC lookups not done yet for one VPC: the CLI looks them up after this synth', () => {
    const app = new App();
    for (const [id, name, region] of [['Eu', 'orders', 'eu-west-1'], ['Us', 'billing', 'us-east-1']]) {
      const stack = new Stack(app, id, { env: { account: '111122223333', region } });
      new ReadWriteSplitAws(stack, 'Split', {
        split: awsSplit({ name, store: { cloud: 'aws', bucket: `${name}-snapshots`, region } }),
        cluster: { region, trust: { type: 'aws-irsa', oidcProviderArn: oidcArnIn(region) } },
        vpc: ec2.Vpc.fromLookup(stack, 'Vpc', { tags: { team: name } }),
      });
    }
    expect(app.node.findAll().filter((c) => c instanceof ec2.GatewayVpcEndpoint)).toHaveLength(2);
  });

  it('refuses the same split twice in an app: IAM role names are unique in an account', () => {
    const app = new App();
    awsStack({}, app);
    const other = new Stack(app, 'Again', { env: { account: '111122223333', region: 'eu-west-1' } });
    const error = thrown(() => new ReadWriteSplitAws(other, 'Shop', {
      split: awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots-2', region: 'eu-west-1' } }),
      cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } },
      allowAccessOutsideVpc: true,
    }));
    expect(error.message).toContain('split.name: gives the IAM role "shop-eu-west-1-spice-writer", which Shop/Shop/Writer already creates');
  });
});
