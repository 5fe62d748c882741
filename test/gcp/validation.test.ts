import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import type { SplitSpec } from '../../lib';
import { ReadWriteSplitGcp, ReadWriteSplitGcpArgs } from '../../lib/gcp';
import { catalog } from '../../examples/splits/catalog';
import { derivedSplit } from '../support/example-splits';
import { installMocks, registeredSince } from './support';
import { componentProblems } from '../support/errors';

installMocks();

const CLUSTER = { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' };

/** Every problem the component reports, as `path: message; fix`. */
function problemsOf(args: ReadWriteSplitGcpArgs): string[] {
  return componentProblems(() => new ReadWriteSplitGcp('bad', args), 'bad');
}

describe('bad input', () => {
  it('lists every problem in one error, before any resource is registered', async () => {
    const split: SplitSpec = {
      ...catalog,
      store: { cloud: 'gcp', bucket: 'Acme_Snapshots!', region: 'us-central1' },
      retention: { refreshSnapshots: '36h' },
    };
    const problems = problemsOf({
      split,
      cluster: { region: 'europe-west4', project: 'Acme_Catalog', projectNumber: 'acme' },
      subnetwork: { name: 'gke-nodes' },
      readerNamespaces: ['Shop!'],
      readerServiceAccounts: [{ namespace: 'shop', name: 'API_client' }],
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'split.store.bucket',
      'split.retention.refreshSnapshots',
      'args.cluster.region',
      'args.cluster.project',
      'args.cluster.projectNumber',
      'args.readerNamespaces[0]',
      'args.readerServiceAccounts[0].name',
    ]);
    expect(problems.join('\n')).toMatch(/"Acme_Snapshots!" is not a GCS bucket name/);
    expect(problems.join('\n')).toMatch(/"36h" is not a whole number of days/);
    expect(problems.join('\n')).toMatch(/europe-west4 is not the store's region us-central1/);
    expect(problems.join('\n')).toMatch(/"Acme_Catalog" is not a Google Cloud project id/);
    // The fix works from a description file too, where no program can look the number up.
    expect(problems.find((p) => p.startsWith('args.cluster.projectNumber'))).toContain("give the project's number (digits): `gcloud projects describe <project> --format='value(projectNumber)'`, or in a program");
    expect(problems.join('\n')).toMatch(/"Shop!" is not a Kubernetes namespace/);
    expect(problems.join('\n')).toMatch(/"API_client" is not a ServiceAccount name/);
    expect(await registeredSince()).toEqual([]);
  });

  it('refuses a customer-managed key that is no key name, or of another location than the bucket', () => {
    const base = { split: catalog, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true };
    expect(problemsOf({ ...base, kmsKeyName: 'spice-snapshots' })).toEqual([
      expect.stringMatching(/^args\.kmsKeyName: "spice-snapshots" is not a Cloud KMS key name; write the key's resource name, e\.g\. 'projects\//),
    ]);
    expect(problemsOf({ ...base, kmsKeyName: 'projects/acme-security/locations/us-central1/keyRings/storage/cryptoKeys/spice' })).toEqual([
      "args.kmsKeyName: is in location us-central1, but the bucket is in europe-west4: Cloud Storage encrypts a bucket only with a key of the bucket's location; use a key of a key ring in europe-west4",
    ]);
    expect(problemsOf({ ...base, kmsKeyGrantedElsewhere: true })).toEqual([
      'args.kmsKeyGrantedElsewhere: is true, but no kmsKeyName is given; give kmsKeyName, or leave kmsKeyGrantedElsewhere out',
    ]);
    expect(problemsOf({ ...base, kmsKeyName: 'projects/123456789012/locations/europe-west4/keyRings/storage/cryptoKeys/spice', kmsKeyGrantedElsewhere: 'yes' as never })).toEqual([
      expect.stringMatching(/^args\.kmsKeyGrantedElsewhere: "yes" is not a boolean/),
    ]);
  });

  it("takes a zonal cluster's zone for no region, and names the zone's region as the fix", () => {
    expect(problemsOf({ split: catalog, cluster: { ...CLUSTER, region: 'europe-west4-a' }, privateGoogleAccessManagedElsewhere: true })).toEqual([
      'args.cluster.region: "europe-west4-a" is not a GCP region; write the region of zone europe-west4-a: \'europe-west4\'',
    ]);
  });

  it('requires the private path, or the statement that it is managed elsewhere, not both', () => {
    expect(problemsOf({ split: catalog, cluster: CLUSTER })).toEqual([
      expect.stringMatching(/^args\.subnetwork: is missing: .*privateGoogleAccessManagedElsewhere: true/),
    ]);
    expect(problemsOf({ split: catalog, cluster: CLUSTER, subnetwork: { name: 'gke-nodes' }, privateGoogleAccessManagedElsewhere: true })).toEqual([
      expect.stringMatching(/^args\.privateGoogleAccessManagedElsewhere: is true together with subnetwork/),
    ]);
    expect(problemsOf({ split: catalog, cluster: CLUSTER, subnetwork: { name: 'gke-nodes', region: 'us-east1' } })).toEqual([
      expect.stringMatching(/^args\.subnetwork\.region: "us-east1" is not the cluster's region europe-west4/),
    ]);
    expect(problemsOf({ split: catalog, cluster: CLUSTER, subnetwork: { name: 'gke-nodes', project: 'projects/acme-network-host' } })).toEqual([
      expect.stringMatching(/^args\.subnetwork\.project: "projects\/acme-network-host" is not a Google Cloud project id; write the id of the subnetwork's project/),
    ]);
  });

  it('refuses a store of another cloud, once: not also for its region, which is that cloud\'s', () => {
    const onAws = derivedSplit(catalog, { store: { cloud: 'aws', bucket: 'acme-catalog', region: 'eu-west-1' } });
    expect(problemsOf({ split: onAws, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true })).toEqual([
      expect.stringMatching(/^split\.store\.cloud: "aws" is not 'gcp'/),
    ]);
  });

  it('refuses Pulumi Outputs in the description, which the cdk8s app shares', () => {
    const split = { ...catalog, namespace: pulumi.output('storefront') } as unknown as SplitSpec;
    expect(problemsOf({ split, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true })).toEqual([
      expect.stringMatching(/^split\.namespace: is a Pulumi Output or Promise, but the description is shared with the Kubernetes app/),
    ]);
  });

  it('names each Output deep in the description at its own path, and checks the rest without it', () => {
    const datasets = catalog.datasets.map((dataset, i) => (i === catalog.datasets.length - 1
      ? { ...dataset, params: { ...dataset.params, file_format: pulumi.output('parquet') } }
      : dataset));
    const split = { ...catalog, datasets, reader: { ...catalog.reader, localDisk: pulumi.output('40Gi') } } as unknown as SplitSpec;
    expect(problemsOf({ split, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true })).toEqual([
      expect.stringMatching(new RegExp(`^split\\.datasets\\[${catalog.datasets.length - 1}\\]\\.params\\.file_format: is a Pulumi Output`)),
      expect.stringMatching(/^split\.reader\.localDisk: is a Pulumi Output/),
    ]);
  });

  it('refuses a reader ServiceAccount listed twice or granted already, and non-boolean switches', () => {
    const problems = problemsOf({
      split: catalog,
      cluster: CLUSTER,
      privateGoogleAccessManagedElsewhere: true,
      readerServiceAccounts: [{ namespace: 'shop', name: 'api' }, { namespace: 'shop', name: 'api' }, { namespace: 'storefront', name: 'catalog-reader' }, { namespace: 'storefront', name: 'catalog-writer' }],
      impersonateServiceAccounts: 'yes' as unknown as boolean,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^args\.readerServiceAccounts\[1\]: "shop\/api" is listed twice/),
      expect.stringMatching(/^args\.readerServiceAccounts\[2\]: "storefront\/catalog-reader" is the reader ServiceAccount of a reader namespace/),
      expect.stringMatching(/^args\.readerServiceAccounts\[3\]: "storefront\/catalog-writer" is the writers' \(and the archiver's\) ServiceAccount/),
      expect.stringMatching(/^args\.impersonateServiceAccounts: "yes" is not a boolean/),
    ]);
  });

  it('skips an Output project number and subnetwork name: they are checked at deploy time', async () => {
    new ReadWriteSplitGcp('late', { split: catalog, cluster: { ...CLUSTER, projectNumber: pulumi.output('1') }, subnetwork: { name: pulumi.output('gke-nodes') } });
    expect((await registeredSince()).map((r) => r.type)).toContain('gcp:storage/bucket:Bucket');
  });

  it('skips them given as Promises too, which pulumi.Input allows', async () => {
    new ReadWriteSplitGcp('promised', { split: catalog, cluster: { ...CLUSTER, projectNumber: Promise.resolve('123456789012') }, subnetwork: { name: Promise.resolve('gke-nodes') } });
    const grants = (await registeredSince()).filter((r) => r.type === 'gcp:storage/bucketIAMMember:BucketIAMMember');
    expect(grants.map((g) => g.inputs.member)).toContain('principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-catalog.svc.id.goog/subject/ns/storefront/sa/catalog-writer');
  });
});

describe('args that name resources', () => {
  it('refuse Pulumi Outputs in reader namespaces and ServiceAccounts: they would name grants after placeholder text', () => {
    const attempt = () => new ReadWriteSplitGcp('bad', {
      split: catalog,
      cluster: { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' },
      privateGoogleAccessManagedElsewhere: true,
      readerNamespaces: [pulumi.output('shop') as unknown as string],
      readerServiceAccounts: [{ namespace: 'ops', name: pulumi.output('batch') as unknown as string }],
    });
    expect(attempt).toThrow(/args.readerNamespaces\[0\]: is a Pulumi Output or Promise, but it names resources[\s\S]*args.readerServiceAccounts\[0\].name: is a Pulumi Output/);
  });
});

describe('values GCP would refuse, or that would grant no one', () => {
  it('refuse reserved bucket names and project ids, and a gs:// source that names no bucket', () => {
    const problems = problemsOf({
      split: {
        ...catalog,
        store: { cloud: 'gcp', bucket: 'google-snapshots', region: 'europe-west4' },
        datasets: [...catalog.datasets, { name: 'events', from: 'gs://', readers: 'delegated' }],
      },
      cluster: { ...CLUSTER, project: 'acme-google-prod' },
      privateGoogleAccessManagedElsewhere: true,
    });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^split\.store\.bucket: "google-snapshots" is a name GCS reserves/),
      expect.stringMatching(/^args\.cluster\.project: "acme-google-prod" is not a Google Cloud project id/),
      expect.stringMatching(/^split\.datasets\[2\]\.from: "gs:\/\/" names no GCS bucket/),
    ]));
  });
});
