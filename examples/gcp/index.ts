/**
 * Pulumi program: the GCP side of the catalog example split (GCS snapshot bucket, Private Google
 * Access check, Workload Identity grants), a storefront on Cloud Run with its own Spice reader
 * beside it (`SpiceReaderCloudRun`), and a reporting app beside a reader of the insights Spice
 * Cloud app (its description is the split: there is no bucket). Deploy with `pulumi up` (Pulumi.yaml beside this file);
 * `npm run synth` runs it under mocks and writes every resource to out/gcp/resources.json.
 *
 * The Kubernetes side (examples/k8s) renders catalog with `{ type: 'gke-workload-identity' }`:
 * the grants go to the ServiceAccounts' own principals, whose names are deterministic
 * (`<split>-writer`, `<split>-reader`), so nothing is copied from this stack to the cdk8s app.
 */
import { getProjectOutput } from '@pulumi/gcp/organizations/getProject';
import { ReadWriteSplitGcp, SpiceReaderCloudRun } from 'read-write-split/gcp';
import { catalog } from '../splits/catalog';
import { insights } from '../splits/insights';

/** The example's GKE cluster: project id and region are plain, the number is looked up. */
export const EXAMPLE_GCP_PROJECT = 'acme-catalog';

export const catalogGcp = new ReadWriteSplitGcp('catalog', {
  split: catalog,
  cluster: {
    region: catalog.store.region,
    project: EXAMPLE_GCP_PROJECT,
    projectNumber: getProjectOutput({ projectId: EXAMPLE_GCP_PROJECT }).apply((project) => project.number!),
  },
  // The nodes' subnetwork: `pulumi up` fails before creating anything if it lacks Private Google Access.
  subnetwork: { name: 'gke-catalog-nodes' },
});

export const bucketName = catalogGcp.bucketName;
export const refreshLocation = catalogGcp.refreshLocation;
export const writerMembers = catalogGcp.writerMembers;
export const readerMembers = catalogGcp.readerMembers;

/**
 * The storefront on Cloud Run, with a reader sidecar that restores the catalog's snapshots. It
 * serves the accelerated `products` only: it needs no cluster API key and no VPC egress. To serve
 * `reviews` too, which the catalog delegates to the writers, add it to `datasets` with `vpcAccess`
 * (the Direct VPC egress subnet the chart's `externalReaderCidrs` lists) and `clusterApiKey`: it
 * then dials the description's `writer.externalFlightEndpoint`, the chart's `flightLoadBalancer`
 * (docs/off-kubernetes.md). Its revision runs as its own service account, which reads the refresh
 * snapshots and nothing else.
 */
export const storefront = new SpiceReaderCloudRun('storefront', {
  split: catalogGcp,
  project: EXAMPLE_GCP_PROJECT,
  location: catalog.store.region,
  app: {
    image: 'europe-west4-docker.pkg.dev/acme-catalog/storefront/web:1.4.0',
    ports: { containerPort: 8080 },
    // The reader shares the instance's network: the app queries it on localhost.
    envs: [{ name: 'SPICE_HTTP_URL', value: 'http://127.0.0.1:8090' }, { name: 'SPICE_FLIGHT_URL', value: 'grpc://127.0.0.1:50051' }],
    resources: { limits: { cpu: '1', memory: '1Gi' } },
  },
  // The split's image is in a private ECR registry; Cloud Run pulls the same tag from Artifact Registry.
  imageRepository: 'europe-west4-docker.pkg.dev/acme-catalog/spice/spiceai-enterprise-byol',
  datasets: ['products'],
  // In-memory on Cloud Run and billed as memory: twice products' 500Mi, where the derived floor is 10Gi.
  localDisk: '2Gi',
});

export const storefrontUri = storefront.uri;
export const storefrontServiceAccount = storefront.serviceAccountEmail;

/**
 * A reporting app on Cloud Run beside a reader of the insights Spice Cloud app: it restores
 * nothing and delegates every dataset to the app with the app's API key (Secret Manager). Its
 * service account reads that secret and its Spicepod, no bucket; the app's endpoint is public, so
 * no VPC egress is needed.
 */
export const reporting = new SpiceReaderCloudRun('reporting', {
  split: insights,
  project: EXAMPLE_GCP_PROJECT,
  location: 'us-east4',
  app: {
    image: 'us-east4-docker.pkg.dev/acme-catalog/reporting/web:2.3.0',
    ports: { containerPort: 8080 },
    resources: { limits: { cpu: '1', memory: '1Gi' } },
  },
  clusterApiKey: { secret: 'insights-spice-cloud-api-key' },
});

export const reportingUri = reporting.uri;
