import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { awsStack, ISSUER, policyStatements } from '../support/aws';
import { thrown } from '../support/errors';

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
});
