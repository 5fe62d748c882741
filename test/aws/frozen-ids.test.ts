import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAws } from '../../lib/aws';
import { inventory } from '../../examples/splits/inventory';
import { orders } from '../../examples/splits/orders';
import { awsStack } from '../support/aws';

/**
 * Logical IDs and physical names of deployed resources, written out literally (recorded from the
 * templates before the AWS adapter's rework). A changed logical ID makes CloudFormation replace
 * the resource: a new, empty bucket while the retained one is orphaned with the data, a new key,
 * roles renamed under running pods, a second gateway endpoint or Pod Identity association that
 * collides with the old one. If one of these fails, the change breaks every deployed stack.
 */
function ids(template: Template, type: string, name?: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template.findResources(type)).map(([id, resource]) => [id, name ? resource.Properties[name] : type]));
}

describe('logical IDs and names that deployed stacks depend on', () => {
  it('the bucket, its policy and the roles (IRSA, new endpoint)', () => {
    const { template } = awsStack();
    expect(ids(template, 'AWS::S3::Bucket', 'BucketName')).toEqual({ ShopSnapshotsBucketA6FF294A: 'shop-snapshots' });
    expect(ids(template, 'AWS::S3::BucketPolicy')).toEqual({ ShopSnapshotsBucketPolicy62C23D5D: 'AWS::S3::BucketPolicy' });
    expect(ids(template, 'AWS::IAM::Role', 'RoleName')).toEqual({
      ShopWriterRole26A9F180: 'shop-eu-west-1-spice-writer',
      ShopReaderRole65736A78: 'shop-eu-west-1-spice-reader',
    });
    expect(ids(template, 'AWS::EC2::VPCEndpoint')).toEqual({ VpcS3Endpoint4A3DE4B5: 'AWS::EC2::VPCEndpoint' });
  });

  it('the KMS key', () => {
    const { template } = awsStack({ bucket: { encryption: 'kms' } });
    expect(ids(template, 'AWS::KMS::Key')).toEqual({ ShopSnapshotsKeyDE738F71: 'AWS::KMS::Key' });
    expect(ids(template, 'AWS::S3::Bucket', 'BucketName')).toEqual({ ShopSnapshotsBucketA6FF294A: 'shop-snapshots' });
  });

  it('the Pod Identity associations', () => {
    const { template } = awsStack({ cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'prod' } }, readerNamespaces: ['shop', 'storefront'] });
    expect(ids(template, 'AWS::IAM::Role', 'RoleName')).toEqual({
      ShopWriterRole26A9F180: 'shop-eu-west-1-spice-writer',
      ShopReaderRole65736A78: 'shop-eu-west-1-spice-reader',
    });
    expect(ids(template, 'AWS::EKS::PodIdentityAssociation', 'Namespace')).toEqual({
      ShopWriterAssociation0B4E508E6: 'shop',
      ShopReaderAssociation02C5FAE10: 'shop',
      ShopReaderAssociation1B5D333F2: 'storefront',
    });
  });

  it('the example app\'s stacks (same construct ids as examples/aws/app.ts)', () => {
    const app = new App();
    const ordersStack = new Stack(app, 'OrdersSnapshots', { env: { account: '111122223333', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(ordersStack, 'ClusterVpc', {
      vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaa1111'], privateSubnetRouteTableIds: ['rtb-0aaa1111'],
    });
    new ReadWriteSplitAws(ordersStack, 'Orders', {
      split: orders, cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X' } }, vpc,
    });
    const inventoryStack = new Stack(app, 'InventorySnapshots', { env: { account: '111122223333', region: 'us-east-1' } });
    new ReadWriteSplitAws(inventoryStack, 'Inventory', {
      split: inventory, cluster: { region: 'us-east-1', trust: { type: 'aws-pod-identity', clusterName: 'prod-us-east-1' } }, vpcEndpointId: 'vpce-0123456789abcdef0', bucket: { encryption: 'kms' },
    });

    const ordersTemplate = Template.fromStack(ordersStack);
    expect(ids(ordersTemplate, 'AWS::S3::Bucket', 'BucketName')).toEqual({ OrdersSnapshotsBucket1AA99322: 'acme-orders-snapshots' });
    expect(ids(ordersTemplate, 'AWS::IAM::Role', 'RoleName')).toEqual({
      OrdersWriterRole7BD122ED: 'orders-eu-west-1-spice-writer',
      OrdersReaderRole9E3C8005: 'orders-eu-west-1-spice-reader',
    });
    expect(ids(ordersTemplate, 'AWS::EC2::VPCEndpoint')).toEqual({ ClusterVpcS3EndpointBDF2197F: 'AWS::EC2::VPCEndpoint' });

    const inventoryTemplate = Template.fromStack(inventoryStack);
    expect(ids(inventoryTemplate, 'AWS::S3::Bucket', 'BucketName')).toEqual({ InventorySnapshotsBucketE4FF4CC2: 'acme-inventory-snapshots' });
    expect(ids(inventoryTemplate, 'AWS::KMS::Key')).toEqual({ InventorySnapshotsKeyFCFDC9B1: 'AWS::KMS::Key' });
    expect(ids(inventoryTemplate, 'AWS::IAM::Role', 'RoleName')).toEqual({
      InventoryWriterRole8C859D8E: 'inventory-us-east-1-spice-writer',
      InventoryReaderRole7CD28B12: 'inventory-us-east-1-spice-reader',
    });
    expect(ids(inventoryTemplate, 'AWS::EKS::PodIdentityAssociation', 'Namespace')).toEqual({
      InventoryWriterAssociation00D8F9752: 'inventory',
      InventoryReaderAssociation06A9EEE82: 'inventory',
    });
  });
});
