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
      ['gcp:storage/bucket:Bucket', 'catalog-snapshots'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-reader-storefront/catalog-reader'],
      ['gcp:storage/bucketIAMMember:BucketIAMMember', 'catalog-writer-storefront/catalog-writer'],
      ['read-write-split:index:ReadWriteSplitGcp', 'catalog'],
    ]);
    const member = (name: string) => resources.find((r) => r.name === name)!.inputs;
    expect(member('catalog-writer-storefront/catalog-writer')).toMatchObject({
      bucket: 'acme-catalog-snapshots',
      role: 'roles/storage.objectUser',
      member: 'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-catalog.svc.id.goog/subject/ns/storefront/sa/catalog-writer',
      condition: { expression: expect.stringContaining('objects/catalog/") || api.getAttribute') },
    });
    expect(member('catalog-reader-storefront/catalog-reader').role).toBe('roles/storage.objectViewer');
  });
});
