/**
 * cdk8s app: the writer side of every example split, the reader sidecar added to two applications
 * of the `orders` split (one built with cdk8s-plus, one existing manifest), to one of the Azure
 * `telemetry` split and to one of the `insights` split, whose writer is a Spice Cloud app.
 * Synthesize with `cdk8s synth` (npm run synth writes to out/k8s/).
 *
 * The telemetry identities' client ids come from the Azure stack (examples/azure): its outputs,
 * written with `pulumi stack output --json`, are read from $AZURE_STACK_OUTPUTS, by default
 * out/azure/stack-outputs.json, which `npm run synth` writes first.
 */
import { join } from 'node:path';
import { App, Chart, Include } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { awsRoleArn, IdentityTier } from 'read-write-split';
import { synthesizeSplit } from 'read-write-split';
import { readSplitIdentities, ReaderRestartSchedule, ReadWriteSplitChart, SpiceReaderSidecar, WorkloadIdentity } from 'read-write-split/k8s';
import { EXAMPLE_AWS_ACCOUNT } from '../splits/aws-account';
import { catalog } from '../splits/catalog';
import { insights } from '../splits/insights';
import { inventory } from '../splits/inventory';
import { orders } from '../splits/orders';
import { telemetry } from '../splits/telemetry';

const app = new App();

// IRSA roles of the AWS stacks (examples/aws): their names are deterministic, so no ARN is copied.
const irsa = (tier: IdentityTier): WorkloadIdentity => ({
  type: 'aws-irsa',
  roleArn: awsRoleArn(EXAMPLE_AWS_ACCOUNT, orders.name, orders.store.region, tier),
});

const ordersSplit = new ReadWriteSplitChart(app, 'orders', {
  split: orders,
  writerIdentity: irsa('writer'),
  observability: { labels: { release: 'prometheus' } }, // PodMonitors and alerts (Prometheus Operator)
});
new ReadWriteSplitChart(app, 'inventory', { split: inventory, writerIdentity: { type: 'aws-pod-identity' } });
// The Enterprise image lives in AWS Marketplace ECR: GKE and AKS nodes pull it with a Secret of yours,
// refreshed within 12 hours (e.g. the External Secrets Operator's ECRAuthorizationToken generator).
const enterprisePull = { imagePullSecrets: ['spice-enterprise-pull'] };
new ReadWriteSplitChart(app, 'catalog', {
  split: catalog,
  writerIdentity: { type: 'gke-workload-identity' },
  pods: enterprisePull,
  // Cloud Run's Direct VPC egress subnet reaches the writers through GKE's internal load balancer.
  externalReaderCidrs: ['10.40.8.0/24'],
  flightLoadBalancer: { cloud: 'gcp' },
});
// The Azure identities' client ids, from the stack that created them.
const telemetryIdentities = readSplitIdentities(
  process.env.AZURE_STACK_OUTPUTS ?? join(__dirname, '..', '..', 'out', 'azure', 'stack-outputs.json'),
  'telemetryIdentities',
);
const telemetrySplit = new ReadWriteSplitChart(app, 'telemetry', {
  split: telemetry,
  writerIdentity: telemetryIdentities.writer,
  pods: { ...enterprisePull, priorityClassName: 'spice-critical' },
});

// What the restricted Pod Security Standard asks of the applications' own containers.
const RESTRICTED_CONTAINER: kplus.ContainerSecurityContextProps = {
  user: 10001,
  group: 10001,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

// An application built with cdk8s-plus, reading only the datasets it needs.
const storefront = new Chart(app, 'storefront', { namespace: 'shop' });
const web = new kplus.Deployment(storefront, 'web', {
  metadata: { name: 'storefront-web' },
  replicas: 3,
  securityContext: { user: 10001, group: 10001, ensureNonRoot: true },
  containers: [{
    name: 'web',
    image: 'ghcr.io/acme/storefront:1.8.3',
    ports: [{ name: 'http', number: 8080 }],
    envVariables: { SPICE_HTTP_URL: kplus.EnvValue.fromValue('http://127.0.0.1:8090') },
    resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) } },
    securityContext: RESTRICTED_CONTAINER,
  }],
});
// The storefront opts in to egress limits: its pod (the storefront container included) reaches
// only DNS, the orders writers' Flight port, S3 and STS for the reader, and the payments API.
// NetworkPolicies take no host names: these are the blocks of the VPC's S3 gateway endpoint (the
// com.amazonaws.eu-west-1.s3 prefix list's entries; list yours with
// `aws ec2 get-managed-prefix-list-entries`) and the subnet of its STS interface endpoint (IRSA).
const reader = ordersSplit.readerSidecar(storefront, 'orders-reader', {
  identity: irsa('reader'),
  egress: {
    objectStoreCidrs: ['52.218.0.0/17', '3.5.64.0/21', '3.5.72.0/23'],
    identityEndpoints: [{ cidrs: ['10.0.96.0/20'] }],
    rules: [{ to: [{ namespace: 'payments', podLabels: { app: 'payments-api' } }], ports: [{ port: 8443 }] }],
  },
});
reader.addTo(web);
// orders runs the OSS 1.x image: its readers cannot hot-swap snapshots, so roll them every 6 hours
// to pick up the newest one (fresh pods start with an empty local disk and bootstrap it).
new ReaderRestartSchedule(storefront, 'orders-refresh', { workload: web, schedule: '0 */6 * * *', kubectlImage: 'registry.k8s.io/kubectl:v1.31.0' });

// An application whose manifest already exists: include it and patch the sidecar in.
const legacy = new Chart(app, 'legacy', { namespace: 'shop' });
const included = new Include(legacy, 'legacy-api', { url: join(__dirname, 'manifests', 'legacy-api.yaml') });
const legacyReader = ordersSplit.readerSidecar(legacy, 'orders-reader', {
  identity: irsa('reader'),
  datasets: ['orders'], // only what this app reads; its own ConfigMap, no API key needed
});
legacyReader.addToManifest(included.apiObjects[0]);

// A device API in its own namespace (the Azure stack's readerNamespaces), reading telemetry.
const devices = new Chart(app, 'devices', { namespace: 'devices' });
const deviceApi = new kplus.Deployment(devices, 'api', {
  metadata: { name: 'device-api' },
  replicas: 2,
  securityContext: { user: 10001, group: 10001, ensureNonRoot: true },
  containers: [{
    name: 'api',
    image: 'ghcr.io/acme/device-api:3.2.0',
    ports: [{ name: 'http', number: 8080 }],
    envVariables: { SPICE_FLIGHT_URL: kplus.EnvValue.fromValue('grpc://127.0.0.1:50051') },
    securityContext: RESTRICTED_CONTAINER,
  }],
});
telemetrySplit.readerSidecar(devices, 'telemetry-reader', { identity: telemetryIdentities.reader }).addTo(deviceApi);

// A reporting job reading the insights split, whose writer is a Spice Cloud app: the split has no
// writer side to render, so the sidecar is built from the description alone (no split chart, no
// cloud identity). Its pod reaches Spice Cloud only through the cluster's egress gateway.
const reporting = new Chart(app, 'reporting', { namespace: 'reporting' });
const dashboards = new kplus.Deployment(reporting, 'dashboards', {
  metadata: { name: 'dashboards' },
  replicas: 2,
  securityContext: { user: 10001, group: 10001, ensureNonRoot: true },
  containers: [{
    name: 'dashboards',
    image: 'ghcr.io/acme/dashboards:2.4.1',
    ports: [{ name: 'http', number: 8080 }],
    envVariables: { SPICE_HTTP_URL: kplus.EnvValue.fromValue('http://127.0.0.1:8090') },
    securityContext: RESTRICTED_CONTAINER,
  }],
});
new SpiceReaderSidecar(reporting, 'insights-reader', {
  synthesized: synthesizeSplit(insights),
  egress: { writerEndpointCidrs: ['198.51.100.16/28'] },
}).addTo(dashboards);

app.synth();
