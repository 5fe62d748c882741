import { Findings, gcsSourceBucket, gcsSourcePath, quote } from '../core';
import { checkPrivatePath } from '../pulumi/checks';

// What the GCP component refuses: values that would deploy but never work, or would be insecure.

/** Google Cloud project ids: 6-30 lowercase letters, digits and '-', a letter first, no '-' last. */
export const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
export const PROJECT_NUMBER = /^[1-9]\d{0,19}$/;
/** Words Google Cloud refuses in project ids. */
export const RESERVED_PROJECT_WORDS = /google|ssl|undefined|null/;
export const GCP_REGION = /^[a-z]+-[a-z]+\d+$/;
const SUBNETWORK_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The GKE cluster: its region must be the store's, its project id plain and valid. */
export function checkCluster(cluster: unknown, storeRegion: string | undefined, at: Findings): void {
  const c = cluster as { region?: unknown; project?: unknown; projectNumber?: unknown } | undefined;
  if (!c || typeof c !== 'object') {
    at.problem('cluster', `${quote(cluster)} is not a cluster`, "give { region, project, projectNumber } of the GKE cluster that runs both tiers");
    return;
  }
  if (typeof c.region !== 'string' || !GCP_REGION.test(c.region)) {
    // A zonal cluster's location is a zone: its region is the zone without the last segment.
    const zone = typeof c.region === 'string' ? /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(c.region)?.[1] : undefined;
    const fix = zone ? `write the region of zone ${c.region}: '${zone}'` : "write the cluster's region, e.g. 'europe-west4'";
    at.problem('cluster.region', at.isLateBound(c.region) ? 'is a Pulumi Output or Promise, but the region must be known to check the bucket against it' : `${quote(c.region)} is not a GCP region`, fix);
  } else if (storeRegion !== undefined && c.region !== storeRegion) {
    at.problem('cluster.region', `${c.region} is not the store's region ${storeRegion}`, 'keep the snapshot bucket in the region of the cluster that reads it (split.store.region)');
  }
  if (typeof c.project !== 'string' || !PROJECT_ID.test(c.project) || RESERVED_PROJECT_WORDS.test(c.project)) {
    at.problem(
      'cluster.project',
      at.isLateBound(c.project) ? 'is a Pulumi Output or Promise, but the project id names the Workload Identity pool and the service accounts, so it must be plain' : `${quote(c.project)} is not a Google Cloud project id`,
      "write the project id: 6-30 lowercase letters, digits and '-', starting with a letter (domain-scoped projects are not supported)",
    );
  }
  if (!at.isLateBound(c.projectNumber) && (typeof c.projectNumber !== 'string' || !PROJECT_NUMBER.test(c.projectNumber))) {
    at.problem(
      'cluster.projectNumber',
      `${quote(c.projectNumber)} is not a project number`,
      `give the project's number (digits): \`gcloud projects describe ${typeof c.project === 'string' && PROJECT_ID.test(c.project) ? c.project : '<project>'} --format='value(projectNumber)'\`, or in a program organizations.getProjectOutput({ projectId }).number`,
    );
  }
}

/** The private path to Google APIs: a subnetwork to check, or the statement that it is managed elsewhere. */
export function checkNetwork(
  args: { subnetwork?: { name?: unknown; region?: unknown; project?: unknown }; privateGoogleAccessManagedElsewhere?: unknown },
  clusterRegion: unknown,
  at: Findings,
): void {
  const { subnetwork, privateGoogleAccessManagedElsewhere: elsewhere } = args;
  if (elsewhere !== undefined && typeof elsewhere !== 'boolean') {
    at.problem('privateGoogleAccessManagedElsewhere', `${quote(elsewhere)} is not a boolean`, 'use true or leave it out');
  }
  const given = checkPrivatePath(args, { here: 'subnetwork', elsewhere: 'privateGoogleAccessManagedElsewhere' }, {
    missing: {
      message: "is missing: nodes without external addresses reach GCS only through Private Google Access, and nothing would check that the cluster's subnetwork has it",
      fix: "give { name } of the cluster's subnetwork, or set privateGoogleAccessManagedElsewhere: true if you enable it (or Private Service Connect) elsewhere",
    },
    bothFix: 'give subnetwork (checked at deploy time) or privateGoogleAccessManagedElsewhere: true, not both',
  }, at);
  if (!given) return;
  if (!subnetwork || typeof subnetwork !== 'object') {
    at.problem('subnetwork', `${quote(subnetwork)} is not a subnetwork`, "give { name } of the cluster's subnetwork, e.g. { name: 'gke-nodes' }");
    return;
  }
  if (!at.isLateBound(subnetwork.name) && (typeof subnetwork.name !== 'string' || !SUBNETWORK_NAME.test(subnetwork.name))) {
    at.problem('subnetwork.name', `${quote(subnetwork.name)} is not a subnetwork name`, "use the subnetwork's name: 1-63 lowercase letters, digits and '-', starting with a letter");
  }
  if (subnetwork.project !== undefined && (typeof subnetwork.project !== 'string' || !PROJECT_ID.test(subnetwork.project))) {
    at.problem('subnetwork.project', `${quote(subnetwork.project)} is not a Google Cloud project id`, "write the id of the subnetwork's project (a Shared VPC's host project), e.g. 'acme-network-host', or leave it out for the cluster's");
  }
  if (subnetwork.region !== undefined && typeof clusterRegion === 'string' && subnetwork.region !== clusterRegion) {
    at.problem('subnetwork.region', `${quote(subnetwork.region)} is not the cluster's region ${clusterRegion}`, "give the subnetwork of the cluster's nodes, or leave region out (it defaults to the cluster's)");
  }
}

/**
 * `gs://` sources the writer is granted read on must name a bucket, or no grant could be made; and
 * none may be the snapshot bucket's root, which holds every split's snapshots.
 */
export function checkGcsSources(datasets: unknown, snapshotBucket: unknown, at: Findings): void {
  if (!Array.isArray(datasets)) return;
  datasets.forEach((dataset, i) => {
    const from = (dataset as { from?: unknown } | undefined)?.from;
    if (typeof from !== 'string' || !from.startsWith('gs://')) return;
    const bucket = gcsSourceBucket(from);
    if (bucket === undefined) {
      at.problem(`[${i}].from`, `${quote(from)} names no GCS bucket, so the writer could not be granted read on it`, "write it as 'gs://<bucket>/<path>', or set grantSourceAccess: false and grant it yourself");
    } else if (bucket === snapshotBucket && gcsSourcePath(from) === '') {
      at.problem(`[${i}].from`, `${quote(from)} is the root of the snapshot bucket, which holds every split's snapshots`, "keep the source in a folder of its own: 'gs://<bucket>/<folder>/'");
    }
  });
}
