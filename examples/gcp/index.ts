/**
 * Pulumi program: the GCP side of the catalog example split (GCS snapshot bucket, Private Google
 * Access check, Workload Identity grants). Deploy with `pulumi up` (Pulumi.yaml beside this file);
 * `npm run synth` runs it under mocks and writes every resource to out/gcp/resources.json.
 *
 * The Kubernetes side (examples/k8s) renders catalog with `{ type: 'gke-workload-identity' }`:
 * the grants go to the ServiceAccounts' own principals, whose names are deterministic
 * (`<split>-writer`, `<split>-reader`), so nothing is copied from this stack to the cdk8s app.
 */
import { getProjectOutput } from '@pulumi/gcp/organizations/getProject';
import { ReadWriteSplitGcp } from 'read-write-split/gcp';
import { catalog } from '../splits/catalog';

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
