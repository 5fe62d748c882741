import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import { ReadWriteSplitAws, ReadWriteSplitAwsProps } from '../../lib/aws';
import { awsSplit } from './splits';

export const OIDC_ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
export const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
/** The OIDC provider ARN of a cluster in `region`. */
export const oidcArnIn = (region: string) => OIDC_ARN.replace('eu-west-1', region);

/** A stack in eu-west-1 with the AWS side of the shop split, and its template. */
export function awsStack(props: Partial<ReadWriteSplitAwsProps> = {}, app = new App()) {
  const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0123'], privateSubnetRouteTableIds: ['rtb-0123'],
  });
  const construct = new ReadWriteSplitAws(stack, 'Shop', {
    split: awsSplit(),
    cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: OIDC_ARN } },
    vpc,
    ...props,
  });
  // The template synthesizes the app: read it only once the test has added everything.
  return { app, stack, construct, get template() { return Template.fromStack(stack); } };
}

/** Every statement of the IAM policies attached to a role (by role name). */
export function policyStatements(template: Template, roleName: string): Record<string, any>[] {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } });
  const [roleId] = Object.keys(roles);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
