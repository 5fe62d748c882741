import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, run } from '../support/run';

/** The example Pulumi program under mocks, as `npm run synth` runs it (against the compiled dist/). */
describe('examples/gcp', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'rws-gcp-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes every resource of the example to resources.json, sorted', () => {
    const result = run(bin('tsx'), ['examples/gcp/synth.ts', outDir]);
    expect(result.status, result.output).toBe(0);
    const resources = JSON.parse(readFileSync(join(outDir, 'resources.json'), 'utf8')) as { type: string; name: string; inputs: Record<string, any> }[];
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ['gcp:cloudrunv2/service:Service', 'reporting-service'],
      ['gcp:cloudrunv2/service:Service', 'storefront-service'],
      ['gcp:secretmanager/secret:Secret', 'reporting-spicepod'],
      ['gcp:secretmanager/secret:Secret', 'storefront-spicepod'],
      ['gcp:secretmanager/secretIamMember:SecretIamMember', 'reporting-cluster-api-key'],
      ['gcp:secretmanager/secretIamMember:SecretIamMember', 'reporting-spicepod'],
      ['gcp:secretmanager/secretIamMember:SecretIamMember', 'storefront-spicepod'],
      ['gcp:secretmanager/secretVersion:SecretVersion', 'reporting-spicepod'],
      ['gcp:secretmanager/secretVersion:SecretVersion', 'storefront-spicepod'],
      ['gcp:serviceaccount/account:Account', 'reporting-reader'],
      ['gcp:serviceaccount/account:Account', 'storefront-reader'],
      ['gcp:storage/bucket:Bucket', 'catalog-snapshots'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-reader-storefront/catalog-reader'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-writer-storefront/catalog-writer'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'storefront-snapshots'],
      ['read-write-split:index:ReadWriteSplitGcp', 'catalog'],
      ['read-write-split:index:SpiceReaderCloudRun', 'reporting'],
      ['read-write-split:index:SpiceReaderCloudRun', 'storefront'],
    ]);
    const member = (name: string) => resources.find((r) => r.name === name)!.inputs;
    expect(member('catalog-writer-storefront/catalog-writer')).toMatchObject({
      bucket: 'acme-catalog-snapshots',
      role: 'roles/storage.objectUser',
      member: 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-catalog.svc.id.goog/subject/ns/storefront/sa/catalog-writer',
      condition: { expression: expect.stringContaining('objects/catalog/") || api.getAttribute') },
    });
    expect(member('catalog-reader-storefront/catalog-reader').role).toBe('roles/storage.objectViewer');
    // The storefront on Cloud Run: the accelerated products only, its reader after the app's dependency, its account held to the refresh snapshots.
    const service = resources.find((r) => r.name === 'storefront-service')!.inputs;
    expect(service.template.containers.map((c: { name: string; dependsOns?: string[] }) => [c.name, c.dependsOns])).toEqual([['app', ['spice-reader']], ['spice-reader', undefined]]);
    expect(service.template.containers[1].envs).toEqual([{ name: 'HOME', value: '/app' }]);
    // Its own 2Gi disk, in memory: the reader's 4Gi, the disk, HOME and scratch, not the 10Gi floor.
    expect(service.template.volumes.find((v: { name: string }) => v.name === 'spice-reader-local').emptyDir).toEqual({ medium: 'MEMORY', sizeLimit: '2048Mi' });
    expect(service.template.containers[1].resources.limits.memory).toBe(`${4096 + 2048 + 256 + 1024}Mi`);
    expect(service.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(member('storefront-snapshots')).toMatchObject({
      role: 'roles/storage.objectViewer',
      member: `serviceAccount:${service.template.serviceAccount}`,
      condition: { expression: expect.stringContaining('objects/catalog/refresh/") || api.getAttribute') },
    });
    // The reporting app beside a reader of the insights Spice Cloud app: the app's key, no bucket grant (the list above has none).
    const reporting = resources.find((r) => r.name === 'reporting-service')!.inputs;
    expect(reporting.template.containers[1].envs).toContainEqual({ name: 'SPICE_CLUSTER_API_KEY', valueSource: { secretKeyRef: { secret: 'insights-spice-cloud-api-key', version: 'latest' } } });
    expect(reporting.template.vpcAccess).toBeUndefined();
    expect(member('reporting-cluster-api-key')).toMatchObject({ role: 'roles/secretmanager.secretAccessor', member: `serviceAccount:${reporting.template.serviceAccount}` });
  });
});
