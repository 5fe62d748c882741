import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { awsStack, ISSUER, OIDC_ARN, policyStatements } from '../support/aws';
import { thrown } from '../support/errors';
import { SpiceWorkloadRole } from '../../lib/aws';
import { synthesizeSplit } from '../../lib/core/synthesize';
import { awsSplit } from '../support/splits';

/** Applications that keep their own ServiceAccount still get the read-only role, and nothing more. */
describe('reader ServiceAccounts of applications', () => {
  it('are trusted by the reader role through IRSA, exactly', () => {
    const { template } = awsStack({ readerServiceAccounts: [{ namespace: 'shop', name: 'api' }] });
    const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-reader' } }))[0] as any;
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(statement.Condition.StringEquals[`${ISSUER}:sub`]).toEqual(['system:serviceaccount:shop:shop-reader', 'system:serviceaccount:shop:api']);
    const writer = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-writer' } }))[0] as any;
    expect(writer.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals[`${ISSUER}:sub`]).toBe('system:serviceaccount:shop:shop-writer');
    expect(policyStatements(template, 'shop-eu-west-1-spice-reader').map((s) => s.Action)).not.toContainEqual(expect.arrayContaining(['s3:PutObject']));
  });

  it('get a Pod Identity association each, with trust for that namespace and name only', () => {
    const { template } = awsStack({
      cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
      readerServiceAccounts: [{ namespace: 'store', name: 'api' }],
    });
    const associations = Object.values(template.findResources('AWS::EKS::PodIdentityAssociation')).map((a: any) => [a.Properties.Namespace, a.Properties.ServiceAccount]);
    expect(associations).toEqual(expect.arrayContaining([['shop', 'shop-reader'], ['store', 'api'], ['shop', 'shop-writer']]));
    const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-reader' } }))[0] as any;
    const extra = role.Properties.AssumeRolePolicyDocument.Statement.find((s: any) => s.Condition.StringEquals['aws:RequestTag/kubernetes-service-account'] === 'api');
    expect(extra).toMatchObject({ Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'store' } } });
  });

  it('keep their Pod Identity association when namespaces or other ServiceAccounts are added', () => {
    const ids = (namespaces: string[]) => {
      const { template } = awsStack({
        cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
        readerNamespaces: namespaces,
        readerServiceAccounts: [{ namespace: 'store', name: 'api' }],
      });
      return Object.entries(template.findResources('AWS::EKS::PodIdentityAssociation'))
        .filter(([, a]: [string, any]) => a.Properties.ServiceAccount === 'api').map(([id]) => id);
    };
    expect(ids(['shop'])).toHaveLength(1);
    expect(ids(['shop', 'checkout'])).toEqual(ids(['shop']));
  });

  it('refuse names Kubernetes would not accept, and repeats', () => {
    const error = thrown(() => awsStack({ readerServiceAccounts: [{ namespace: 'Shop', name: 'api' }, { namespace: 'shop', name: 'API_' }, { namespace: 'shop', name: 'a' }, { namespace: 'shop', name: 'a' }] }, new App()));
    expect(error.problems.map((p) => p.path)).toEqual([
      'props.readerServiceAccounts[0].namespace', 'props.readerServiceAccounts[1].name', 'props.readerServiceAccounts[3]',
    ]);
  });

  it("refuse the reader's own ServiceAccount of a reader namespace (EKS holds one association per ServiceAccount), and the writers'", () => {
    const error = thrown(() => awsStack({
      cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
      readerNamespaces: ['shop', 'store'],
      readerServiceAccounts: [{ namespace: 'store', name: 'shop-reader' }, { namespace: 'other', name: 'shop-reader' }, { namespace: 'shop', name: 'shop-writer' }, { namespace: 'other', name: 'shop-writer' }],
    }, new App()));
    expect(error.problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`)).toEqual([
      'props.readerServiceAccounts[0]: "store/shop-reader" is the reader ServiceAccount of a reader namespace, which is granted already; remove it from readerServiceAccounts',
      // The writers' ServiceAccount (the split's namespace is shop) would hold the reader role as well.
      "props.readerServiceAccounts[2]: \"shop/shop-writer\" is the writers' (and the archiver's) ServiceAccount: it would hold the readers' identity too; remove it from readerServiceAccounts: the writers have their own identity",
    ]);
  });

  it("refuse a role's own ServiceAccount among its extra ones", () => {
    const stack = new Stack(new App(), 'Roles', { env: { region: 'eu-west-1' } });
    const error = thrown(() => new SpiceWorkloadRole(stack, 'Writer', {
      synthesized: synthesizeSplit(awsSplit()), tier: 'writer', bucket: s3.Bucket.fromBucketName(stack, 'B', 'shop-snapshots'),
      trust: { type: 'aws-pod-identity', clusterName: 'prod' }, namespaces: ['shop'], extraServiceAccounts: [{ namespace: 'shop', name: 'shop-writer' }],
    }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.extraServiceAccounts[0]: "shop/shop-writer" is the writer ServiceAccount of a namespace in namespaces, which is granted already',
    ]);
  });

  it('share one trust statement per namespace under Pod Identity, each pair still held by its namespace', () => {
    const { template } = awsStack({
      cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
      readerServiceAccounts: [{ namespace: 'store', name: 'api' }, { namespace: 'store', name: 'web' }, { namespace: 'ops', name: 'api' }],
    });
    const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-reader' } }))[0] as any;
    const pairs = role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => [s.Condition.StringEquals['aws:RequestTag/kubernetes-namespace'], s.Condition.StringEquals['aws:RequestTag/kubernetes-service-account']]);
    expect(pairs).toEqual([['shop', 'shop-reader'], ['store', ['api', 'web']], ['ops', 'api']]);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 5);
  });

  it("refuse more than IAM's trust policy quota holds, naming the length the template would have", () => {
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ namespace: `team-${i}`, name: `app-${i}` }));
    const podIdentity = (trustPolicyQuota?: number) => ({ type: 'aws-pod-identity' as const, clusterName: 'prod', trustPolicyQuota });
    const trustLength = (n: number, quota?: number) => {
      const { template } = awsStack({ cluster: { region: 'eu-west-1', trust: podIdentity(quota) }, readerServiceAccounts: accounts(n) }, new App());
      const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-reader' } }))[0] as any;
      // What IAM counts: the policy without whitespace.
      return JSON.stringify(role.Properties.AssumeRolePolicyDocument).length;
    };
    let n = 1;
    while (trustLength(n, 4096) <= 2048) n++;
    expect(n).toBeGreaterThan(3);
    const error = thrown(() => trustLength(n));
    expect(error.problems.map((p) => p.path)).toEqual(['props.readerServiceAccounts']);
    expect(error.message).toContain(`props.readerServiceAccounts: makes the trust policy of role shop-eu-west-1-spice-reader ${trustLength(n, 4096)} characters long, over IAM's quota of 2048: the deploy would fail; let fewer applications keep their own ServiceAccount`);
    expect(trustLength(n - 1)).toBeLessThanOrEqual(2048);
    expect(thrown(() => awsStack({ cluster: { region: 'eu-west-1', trust: podIdentity(1000) } }, new App())).problems.map((p) => p.path)).toEqual(['props.cluster.trust.trustPolicyQuota']);
  });

  it('are measured under IRSA too, whose trust grows by a subject each', () => {
    const accounts = Array.from({ length: 60 }, (_, i) => ({ namespace: `team-${i}`, name: `app-${i}` }));
    const error = thrown(() => awsStack({ readerServiceAccounts: accounts }, new App()));
    expect(error.problems.map((p) => p.path)).toEqual(['props.readerServiceAccounts']);
    const raised = { type: 'aws-irsa' as const, oidcProviderArn: OIDC_ARN, trustPolicyQuota: 4096 };
    const { template } = awsStack({ cluster: { region: 'eu-west-1', trust: raised }, readerServiceAccounts: accounts }, new App());
    const role = Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-eu-west-1-spice-reader' } }))[0] as any;
    expect(error.message).toContain(`${JSON.stringify(role.Properties.AssumeRolePolicyDocument).length} characters long`);
  });

  it('are not needed to pass the quota: many reader namespaces are refused there, with their own fix', () => {
    const readerNamespaces = Array.from({ length: 60 }, (_, i) => `team-${i}`);
    const error = thrown(() => awsStack({ readerNamespaces }, new App()));
    expect(error.problems.map((p) => p.path)).toEqual(['props.readerNamespaces']);
    expect(error.message).toMatch(/props\.readerNamespaces: makes the trust policy of role shop-eu-west-1-spice-reader \d+ characters long, over IAM's quota of 2048: the deploy would fail; grant fewer namespaces to one role/);
  });
});
