/**
 * CDK app: the AWS side of the two AWS example splits (bucket, private path, identities), an
 * application on ECS Fargate beside an orders reader, and one beside a reader of the insights
 * Spice Cloud app (no AWS side: its description is the split), checked by cdk-nag. Deploy with `cdk deploy`;
 * synthesize offline with `cdk synth` (npm run synth writes to out/aws/). The Kubernetes side (examples/k8s) names the same roles: their names are
 * deterministic (`awsRoleName`), so no ARN is copied by hand.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReadWriteSplitAws, SpiceReaderFargateTask } from 'read-write-split/aws';
import { EXAMPLE_AWS_ACCOUNT, EXAMPLE_OIDC_PROVIDER_ARN } from '../splits/aws-account';
import { insights } from '../splits/insights';
import { inventory } from '../splits/inventory';
import { orders } from '../splits/orders';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

// orders: IRSA, and a new gateway endpoint in the cluster's VPC (imported by id: no lookup, no credentials).
const ordersStack = new Stack(app, 'OrdersSnapshots', { env: { account: EXAMPLE_AWS_ACCOUNT, region: orders.store.region } });
const clusterVpc: ec2.VpcAttributes = {
  vpcId: 'vpc-0a1b2c3d4e5f67890',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  privateSubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'],
  privateSubnetRouteTableIds: ['rtb-0aaa1111', 'rtb-0bbb2222', 'rtb-0ccc3333'],
};
const ordersSplit = new ReadWriteSplitAws(ordersStack, 'Orders', {
  split: orders,
  cluster: { region: 'eu-west-1', trust: { type: 'aws-irsa', oidcProviderArn: EXAMPLE_OIDC_PROVIDER_ARN } },
  vpc: ec2.Vpc.fromVpcAttributes(ordersStack, 'ClusterVpc', clusterVpc),
  readerNamespaces: ['shop'],
  // Break-glass: this role may reach the data from outside the VPC endpoint.
  exemptPrincipalArns: [`arn:aws:iam::${EXAMPLE_AWS_ACCOUNT}:role/SnapshotBreakGlass`],
});

// orders on ECS Fargate: a storefront beside an orders reader, in the VPC of the split's gateway
// endpoint (its bucket denies data access from anywhere else). The writers' Flight address is
// in-cluster, which Fargate cannot resolve, so this reader serves the accelerated orders only.
const fargateStack = new Stack(app, 'OrdersFargateReader', { env: { account: EXAMPLE_AWS_ACCOUNT, region: orders.store.region } });
const storefront = new SpiceReaderFargateTask(fargateStack, 'Storefront', {
  split: ordersSplit,
  datasets: ['orders'],
  app: {
    image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(fargateStack, 'StorefrontRepository', 'storefront'), '1.4.2'),
    portMappings: [{ containerPort: 8080 }],
    environment: { SPICE_HTTP_URL: 'http://127.0.0.1:8090', SPICE_FLIGHT_URL: 'grpc://127.0.0.1:50051' },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'storefront' }),
  },
  // Private subnets without a NAT gateway: the Spice image (the split's tag) and the helper image
  // come from mirrors in the account's ECR, which the tasks reach through the VPC's interface
  // endpoints for ecr.api, ecr.dkr and logs (and the S3 gateway endpoint, for the image layers).
  imageRepository: `${EXAMPLE_AWS_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/mirror/spiceai`,
  helperImage: `${EXAMPLE_AWS_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/mirror/busybox:1.36.1`,
});
const shopCluster = new ecs.Cluster(fargateStack, 'ShopCluster', {
  vpc: ec2.Vpc.fromVpcAttributes(fargateStack, 'ClusterVpc', clusterVpc),
  containerInsightsV2: ecs.ContainerInsights.ENABLED,
});
// A reader that never gets ready fails its task: the circuit breaker rolls the deployment back.
new ecs.FargateService(fargateStack, 'StorefrontService', {
  cluster: shopCluster,
  taskDefinition: storefront.taskDefinition,
  desiredCount: 2,
  minHealthyPercent: 100,
  circuitBreaker: { rollback: true },
});

// insights on ECS Fargate: a reporting app beside a reader of the Spice Cloud app. The reader
// restores nothing (its task role gets no grant) and holds only the app's API key, from Secrets
// Manager. It reaches the app's public endpoint (and pulls the public spiceai/spiceai and busybox
// images) on 443, so it runs in an apps VPC whose private subnets route to a NAT gateway, not in
// the cluster's VPC above, which has none.
const reportingStack = new Stack(app, 'InsightsFargateReader', { env: { account: EXAMPLE_AWS_ACCOUNT, region: 'eu-west-1' } });
const appsVpc: ec2.VpcAttributes = {
  vpcId: 'vpc-0f9e8d7c6b5a43210',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  // Their route tables send 0.0.0.0/0 to the VPC's NAT gateways.
  privateSubnetIds: ['subnet-0ddd4444', 'subnet-0eee5555'],
  privateSubnetRouteTableIds: ['rtb-0ddd4444', 'rtb-0eee5555'],
};
const reporting = new SpiceReaderFargateTask(reportingStack, 'Reporting', {
  split: insights,
  app: {
    image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(reportingStack, 'ReportingRepository', 'reporting'), '2.3.0'),
    portMappings: [{ containerPort: 8080 }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'reporting' }),
  },
  clusterApiKey: {
    secret: secretsmanager.Secret.fromSecretCompleteArn(reportingStack, 'InsightsApiKey', `arn:aws:secretsmanager:eu-west-1:${EXAMPLE_AWS_ACCOUNT}:secret:insights-spice-cloud-api-key-Q1w2E3`),
  },
});
new ecs.FargateService(reportingStack, 'ReportingService', {
  cluster: new ecs.Cluster(reportingStack, 'ReportingCluster', {
    vpc: ec2.Vpc.fromVpcAttributes(reportingStack, 'AppsVpc', appsVpc),
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  }),
  taskDefinition: reporting.taskDefinition,
  desiredCount: 2,
  minHealthyPercent: 100,
  circuitBreaker: { rollback: true },
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
