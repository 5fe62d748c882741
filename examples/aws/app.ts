/**
 * CDK app: the AWS side of the two AWS example splits (bucket, private path, identities), checked
 * by cdk-nag. Deploy with `cdk deploy`; synthesize offline with `cdk synth` (npm run synth writes
 * to out/aws/). The Kubernetes side (examples/k8s) names the same roles: their names are
 * deterministic (`awsRoleName`), so no ARN is copied by hand.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReadWriteSplitAws } from 'read-write-split/aws';
import { EXAMPLE_AWS_ACCOUNT, EXAMPLE_OIDC_PROVIDER_ARN } from '../splits/aws-account';
import { inventory } from '../splits/inventory';
import { orders } from '../splits/orders';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

// orders: IRSA, and a new gateway endpoint in the cluster's VPC (imported by id: no lookup, no credentials).
const ordersStack = new Stack(app, 'OrdersSnapshots', { env: { account: EXAMPLE_AWS_ACCOUNT, region: orders.store.region } });
const vpc = ec2.Vpc.fromVpcAttributes(ordersStack, 'ClusterVpc', {
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  privateSubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'],
  privateSubnetRouteTableIds: ['rtb-0aaa1111', 'rtb-0bbb2222', 'rtb-0ccc3333'],
});
new ReadWriteSplitAws(ordersStack, 'Orders', {
  split: orders,
  cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: EXAMPLE_OIDC_PROVIDER_ARN } },
  vpc,
  readerNamespaces: ['shop'],
  // Break-glass: this role may reach the data from outside the VPC endpoint.
  exemptPrincipalArns: [`arn:aws:iam::${EXAMPLE_AWS_ACCOUNT}:role/SnapshotBreakGlass`],
});

// inventory: EKS Pod Identity, KMS encryption, and the cluster VPC's existing gateway endpoint.
const inventoryStack = new Stack(app, 'InventorySnapshots', { env: { account: EXAMPLE_AWS_ACCOUNT, region: inventory.store.region } });
new ReadWriteSplitAws(inventoryStack, 'Inventory', {
  split: inventory,
  cluster: { region: 'us-east-1', trust: { type: 'aws-pod-identity', clusterName: 'prod-us-east-1' } },
  vpcEndpointId: 'vpce-0123456789abcdef0',
  bucket: { encryption: 'kms' },
});

app.synth();
