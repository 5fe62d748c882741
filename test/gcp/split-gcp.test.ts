import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it, vi } from 'vitest';
import type { SplitSpec } from '../../lib';
import { ReadWriteSplitGcp, ReadWriteSplitGcpArgs } from '../../lib/gcp';
import { catalog } from '../../examples/splits/catalog';
import { derivedSplit } from '../support/example-splits';
import { installMocks, invokes, recordOptions, registeredSince, Registered, valueOf } from './support';

installMocks();

const CLUSTER = { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' };
const principal = (ns: string, sa: string) =>
  `principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-catalog.svc.id.goog/subject/ns/${ns}/sa/${sa}`;

async function deploy(args: Partial<ReadWriteSplitGcpArgs> = {}, name = 'catalog') {
  const component = new ReadWriteSplitGcp(name, { split: catalog, cluster: CLUSTER, subnetwork: { name: 'gke-nodes' }, ...args }, { transformations: [recordOptions] });
  const resources = await registeredSince();
  return { component, resources };
}

/** Registration order follows when inputs resolve: compare as sets. */
const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const gsa = (tier: string) => `projects/acme-catalog/serviceAccounts/catalog-spice-${tier}@acme-catalog.iam.gserviceaccount.com`;
const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
const grants = (resources: Registered[]) => ofType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember').map((r): Record<string, any> => ({ name: r.name, ...r.inputs }));

describe('ReadWriteSplitGcp with the direct Workload Identity principal (the default)', () => {
  it('registers the bucket and one grant per tier ServiceAccount', async () => {
    const { resources } = await deploy();
    expect(sorted(resources.map((r) => [r.type, r.name]))).toEqual(sorted([
      ['read-write-split:index:ReadWriteSplitGcp', 'catalog'],
      ['gcp:storage/bucket:Bucket', 'catalog-snapshots'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-writer-storefront/catalog-writer'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-reader-storefront/catalog-reader'],
    ]));
  });

  it('creates a private bucket in the cluster region, without soft delete, protected and retained', async () => {
    const { resources } = await deploy();
    const [bucket] = ofType(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.inputs).toMatchObject({
      name: 'acme-catalog-snapshots',
      project: 'acme-catalog',
      location: 'EUROPE-WEST4',
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      softDeletePolicy: { retentionDurationSeconds: 0 },
      forceDestroy: false,
    });
    expect(bucket.inputs.versioning).toBeUndefined();
    expect(bucket.protect).toBe(true);
    expect(bucket.retainOnDelete).toBe(true);
  });

  it('expires snapshots by prefix in whole days and keeps metadata.json', async () => {
    const { resources } = await deploy();
    const [bucket] = ofType(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.inputs.lifecycleRules).toEqual([
      { action: { type: 'Delete' }, condition: { age: 2, matchesPrefixes: ['catalog/refresh/month='] } },
      { action: { type: 'Delete' }, condition: { age: 14, matchesPrefixes: ['catalog/archive/month='] } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1, matchesPrefixes: ['catalog/'] } },
    ]);
    for (const rule of bucket.inputs.lifecycleRules) {
      for (const prefix of rule.condition.matchesPrefixes) expect('catalog/refresh/metadata.json'.startsWith(prefix) && rule.action.type === 'Delete').toBe(false);
    }
  });

  it('grants objectUser to the writer under the split\'s prefix and objectViewer to the reader under the refresh location, on this bucket only', async () => {
    const { component, resources } = await deploy();
    const held = (prefix: string) => ({
      title: expect.stringContaining(prefix),
      description: `Only objects under gs://acme-catalog-snapshots/${prefix}`,
      expression: `resource.name.startsWith("projects/_/buckets/acme-catalog-snapshots/objects/${prefix}") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${prefix}")`,
    });
    expect(sorted(grants(resources))).toEqual(sorted([
      { name: 'catalog-writer-storefront/catalog-writer', bucket: 'acme-catalog-snapshots', role: 'roles/storage.objectUser', member: principal('storefront', 'catalog-writer'), condition: held('catalog/') },
      { name: 'catalog-reader-storefront/catalog-reader', bucket: 'acme-catalog-snapshots', role: 'roles/storage.objectViewer', member: principal('storefront', 'catalog-reader'), condition: held('catalog/refresh/') },
    ]));
    expect(await valueOf(component.writerMembers)).toEqual([principal('storefront', 'catalog-writer')]);
    expect(await valueOf(component.readerMembers)).toEqual([principal('storefront', 'catalog-reader')]);
    expect(component.identities).toEqual({ writer: { type: 'gke-workload-identity' }, reader: { type: 'gke-workload-identity' } });
    expect(component.refreshLocation).toBe('gs://acme-catalog-snapshots/catalog/refresh/');
    expect(component.archiveLocation).toBe('gs://acme-catalog-snapshots/catalog/archive/');
  });

  it('gives readers no write role anywhere', async () => {
    const { resources } = await deploy({ readerNamespaces: ['shop', 'storefront'], readerServiceAccounts: [{ namespace: 'shop', name: 'legacy-api' }] });
    const readerGrants = grants(resources).filter((g) => !g.member.includes('/sa/catalog-writer'));
    expect(readerGrants).toHaveLength(3);
    for (const grant of readerGrants) {
      expect(grant.role).toBe('roles/storage.objectViewer');
      // Never the archive, nor another split's objects.
      expect(grant.condition.expression).not.toMatch(/objects\/catalog\/"|archive/);
    }
    expect(grants(resources).filter((g) => ['roles/storage.objectUser', 'roles/storage.objectAdmin', 'roles/storage.admin'].includes(g.role)).map((g) => g.member))
      .toEqual([principal('storefront', 'catalog-writer')]);
  });

  it('names grants after their ServiceAccount, so adding one replaces none', async () => {
    const before = (await deploy({ readerNamespaces: ['shop'], readerServiceAccounts: [{ namespace: 'shop', name: 'legacy-api' }] })).resources;
    const after = (await deploy({ readerNamespaces: ['admin', 'shop'], readerServiceAccounts: [{ namespace: 'ops', name: 'batch' }, { namespace: 'shop', name: 'legacy-api' }] })).resources;
    const byName = (rs: Registered[]) => new Map(grants(rs).map((g) => [g.name, g]));
    const was = byName(before);
    const now = byName(after);
    for (const [name, grant] of was) expect(now.get(name)).toEqual(grant);
    expect([...now.keys()].filter((name) => !was.has(name)).sort()).toEqual(['catalog-reader-admin/catalog-reader', 'catalog-reader-ops/batch']);
  });

  it('encrypts the bucket with a customer-managed key once the Cloud Storage service agent may use it', async () => {
    const key = 'projects/acme-security/locations/europe-west4/keyRings/storage/cryptoKeys/spice-snapshots';
    const { resources } = await deploy({ kmsKeyName: key });
    const [bucket] = ofType(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.inputs.encryption).toEqual({ defaultKmsKeyName: key });
    expect(ofType(resources, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember').map((r) => ({ name: r.name, ...r.inputs }))).toEqual([{
      name: 'catalog-storage-agent-key',
      cryptoKeyId: key,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com',
    }]);
    // Kept as the bucket is: without it, GCS could not decrypt the objects already written.
    expect(ofType(resources, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember')[0].retainOnDelete).toBe(true);
    const unprotected = (await deploy({ kmsKeyName: pulumi.output(key), protect: false })).resources;
    expect(ofType(unprotected, 'gcp:storage/bucket:Bucket')[0].inputs.encryption).toEqual({ defaultKmsKeyName: key });
    expect(ofType(unprotected, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember')[0].retainOnDelete).toBe(false);
    const elsewhere = (await deploy({ kmsKeyName: key, kmsKeyGrantedElsewhere: true })).resources;
    expect(ofType(elsewhere, 'gcp:storage/bucket:Bucket')[0].inputs.encryption).toEqual({ defaultKmsKeyName: key });
    expect(ofType(elsewhere, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember')).toEqual([]);
    expect(ofType((await deploy()).resources, 'gcp:storage/bucket:Bucket')[0].inputs.encryption).toBeUndefined();
  });

  it('with protect: false, neither protects nor retains the bucket', async () => {
    const { resources } = await deploy({ protect: false });
    const [bucket] = ofType(resources, 'gcp:storage/bucket:Bucket');
    expect(bucket.protect).toBe(false);
    expect(bucket.retainOnDelete).toBe(false);
  });

  it("looks the subnetwork up in the cluster's project and region", async () => {
    invokes.splice(0);
    await deploy();
    expect(invokes).toEqual([{ token: 'gcp:compute/getSubnetwork:getSubnetwork', inputs: { name: 'gke-nodes', region: 'europe-west4', project: 'acme-catalog' } }]);
  });

  it("looks a Shared VPC's subnetwork up in its host project", async () => {
    invokes.splice(0);
    await deploy({ subnetwork: { name: 'gke-nodes', project: 'acme-network-host' } });
    expect(invokes).toEqual([{ token: 'gcp:compute/getSubnetwork:getSubnetwork', inputs: { name: 'gke-nodes', region: 'europe-west4', project: 'acme-network-host' } }]);
  });

  it('looks nothing up when Private Google Access is managed elsewhere', async () => {
    invokes.splice(0);
    const { resources } = await deploy({ subnetwork: undefined, privateGoogleAccessManagedElsewhere: true });
    expect(invokes).toEqual([]);
    expect(ofType(resources, 'gcp:storage/bucket:Bucket')).toHaveLength(1);
  });

  it('takes the project number as an Output', async () => {
    const { resources } = await deploy({ cluster: { ...CLUSTER, projectNumber: pulumi.output('123456789012') } });
    expect(sorted(grants(resources).map((g) => g.member))).toEqual(sorted([principal('storefront', 'catalog-writer'), principal('storefront', 'catalog-reader')]));
  });
});

describe('ReadWriteSplitGcp with Google service account impersonation', () => {
  it('creates one Google service account per tier, impersonated by the tier ServiceAccounts', async () => {
    const { component, resources } = await deploy({ impersonateServiceAccounts: true, readerServiceAccounts: [{ namespace: 'shop', name: 'legacy-api' }] });
    expect(sorted(resources.map((r) => [r.type, r.name]))).toEqual(sorted([
      ['read-write-split:index:ReadWriteSplitGcp', 'catalog'],
      ['gcp:storage/bucket:Bucket', 'catalog-snapshots'],
      ['gcp:serviceaccount/account:Account', 'catalog-writer'],
      ['gcp:serviceaccount/account:Account', 'catalog-reader'],
      ['gcp:serviceaccount/iAMMember:IAMMember', 'catalog-writer-wi-storefront/catalog-writer'],
      ['gcp:serviceaccount/iAMMember:IAMMember', 'catalog-reader-wi-storefront/catalog-reader'],
      ['gcp:serviceaccount/iAMMember:IAMMember', 'catalog-reader-wi-shop/legacy-api'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-writer'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-reader'],
    ]));
    const accounts = ofType(resources, 'gcp:serviceaccount/account:Account');
    expect(sorted(accounts.map((a) => [a.name, a.inputs.accountId, a.inputs.project]))).toEqual([
      ['catalog-reader', 'catalog-spice-reader', 'acme-catalog'], ['catalog-writer', 'catalog-spice-writer', 'acme-catalog'],
    ]);
    const users = sorted(ofType(resources, 'gcp:serviceaccount/iAMMember:IAMMember').map((m) => [m.inputs.serviceAccountId, m.inputs.role, m.inputs.member]));
    expect(users).toEqual(sorted([
      [gsa('writer'), 'roles/iam.workloadIdentityUser', 'serviceAccount:acme-catalog.svc.id.goog[storefront/catalog-writer]'],
      [gsa('reader'), 'roles/iam.workloadIdentityUser', 'serviceAccount:acme-catalog.svc.id.goog[storefront/catalog-reader]'],
      [gsa('reader'), 'roles/iam.workloadIdentityUser', 'serviceAccount:acme-catalog.svc.id.goog[shop/legacy-api]'],
    ]));
    expect(sorted(grants(resources).map((g) => [g.role, g.member]))).toEqual(sorted([
      ['roles/storage.objectUser', 'serviceAccount:catalog-spice-writer@acme-catalog.iam.gserviceaccount.com'],
      ['roles/storage.objectViewer', 'serviceAccount:catalog-spice-reader@acme-catalog.iam.gserviceaccount.com'],
    ]));
    expect(component.identities).toEqual({
      writer: { type: 'gke-workload-identity', googleServiceAccountEmail: 'catalog-spice-writer@acme-catalog.iam.gserviceaccount.com' },
      reader: { type: 'gke-workload-identity', googleServiceAccountEmail: 'catalog-spice-reader@acme-catalog.iam.gserviceaccount.com' },
    });
  });
});

describe('source access', () => {
  const withGcsSources: SplitSpec = {
    ...catalog,
    datasets: [
      ...catalog.datasets,
      { name: 'events', from: 'gs://acme-lake/events/', params: { file_format: 'parquet' }, readers: 'delegated' },
      { name: 'clicks', from: 'gs://acme-lake/clicks/', params: { file_format: 'parquet' }, readers: 'delegated' },
    ],
  };

  it('grants the writer objectViewer on each gs:// source bucket, once per bucket; readers nothing', async () => {
    const { resources } = await deploy({ split: withGcsSources });
    const sourceGrants = grants(resources).filter((g) => g.bucket !== 'acme-catalog-snapshots');
    expect(sourceGrants).toEqual([
      { name: 'catalog-writer-source-acme-lake', bucket: 'acme-lake', role: 'roles/storage.objectViewer', member: principal('storefront', 'catalog-writer') },
    ]);
  });

  it('grants a source in the snapshot bucket itself by its folder, and nothing under the split\'s own prefix', async () => {
    const split: SplitSpec = {
      ...catalog,
      datasets: [
        ...catalog.datasets,
        { name: 'lake_products', from: 'gs://acme-catalog-snapshots/lake/products/', params: { file_format: 'parquet' }, readers: 'delegated' },
        { name: 'extras', from: 'gs://acme-catalog-snapshots/lake/products/extras.parquet', params: { file_format: 'parquet' }, readers: 'delegated' },
        { name: 'seed', from: 'gs://acme-catalog-snapshots/catalog/seed/', params: { file_format: 'parquet' }, readers: 'delegated' },
        { name: 'own', from: 'gs://acme-catalog-snapshots/catalog', params: { file_format: 'parquet' }, readers: 'delegated' },
      ],
    };
    const { resources } = await deploy({ split });
    const sourceGrants = grants(resources).filter((g) => g.name.includes('-source-'));
    const held = (path: string) => ({
      name: `catalog-writer-source-acme-catalog-snapshots/${path}`,
      bucket: 'acme-catalog-snapshots',
      role: 'roles/storage.objectViewer',
      member: principal('storefront', 'catalog-writer'),
      condition: {
        title: `read ${path}`,
        description: `Only objects under gs://acme-catalog-snapshots/${path}`,
        expression: `resource.name.startsWith("projects/_/buckets/acme-catalog-snapshots/objects/${path}") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${path}")`,
      },
    });
    // The folder, and the file by its own path: never the whole bucket, which holds other splits' snapshots.
    expect(sourceGrants).toEqual([held('lake/products/'), held('lake/products/extras.parquet')]);
  });

  it('refuses a source at the snapshot bucket\'s root', () => {
    const split: SplitSpec = { ...catalog, datasets: [...catalog.datasets, { name: 'everything', from: 'gs://acme-catalog-snapshots/', params: { file_format: 'parquet' }, readers: 'delegated' }] };
    expect(() => new ReadWriteSplitGcp('root', { split, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true }))
      .toThrow(`split.datasets[${catalog.datasets.length}].from: "gs://acme-catalog-snapshots/" is the root of the snapshot bucket, which holds every split's snapshots`);
  });

  it('grants nothing with grantSourceAccess: false', async () => {
    const { resources } = await deploy({ split: withGcsSources, grantSourceAccess: false });
    expect(grants(resources).filter((g) => g.bucket !== 'acme-catalog-snapshots')).toEqual([]);
  });

  it('grants no source for s3:// sources read with HMAC keys (the catalog example)', async () => {
    const { resources } = await deploy();
    expect(grants(resources).every((g) => g.bucket === 'acme-catalog-snapshots')).toBe(true);
  });
});

describe('warnings', () => {
  it('logs each warning of the description once, with its id', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const oss = derivedSplit(catalog, { name: 'catalog-oss', image: { tag: 'v1.11.6' }, datasets: [catalog.datasets[0]] });
    await deploy({ split: oss }, 'catalog-oss');
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages.filter((m) => m.endsWith('[ack: no-hot-swap]'))).toHaveLength(1);
    warn.mockRestore();
  });
});
