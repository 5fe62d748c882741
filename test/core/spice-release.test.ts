import { describe, expect, it } from 'vitest';
import { DatasetSpec, SplitSpec, spicepodToYaml, synthesizeSplit, validateSplit } from '../../lib/core';
import { DIGEST, ENTERPRISE_FILE_FORMAT } from '../support/spice-images';
import { awsSplit, ENTERPRISE_2, problemAt } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

/** The rendered Spicepods of a split, each checked against Spice's schema. */
function rendered(spec: SplitSpec) {
  const result = synthesizeSplit(spec);
  const pods = { owner: result.writer.snapshotOwner.spicepod, replica: result.writer.queryReplica.spicepod, reader: result.reader.spicepod, archiver: result.archiver?.spicepod };
  for (const pod of Object.values(pods)) if (pod) expectValidSpicepod(pod);
  return pods;
}

const stock: DatasetSpec = { name: 'stock', from: 'postgres:public.stock', secretParams: { pg_pass: { secretName: 'db', key: 'pw' } } };

describe('file_format: snapshot, which no release ships', () => {
  it('is not rendered for Enterprise 2.0.1 on S3: readers restore and hot-swap with refresh_mode: snapshot', () => {
    const { reader } = rendered(awsSplit({ image: ENTERPRISE_2 }));
    expect(spicepodToYaml(reader)).not.toContain('file_format: snapshot');
    expect(reader.snapshots).toMatchObject({ enabled: true, location: 's3://shop-snapshots/shop/refresh/', params: { s3_region: 'eu-west-1', s3_auth: 'iam_role' } });
    expect(reader.datasets[0]).toMatchObject({
      from: 's3://lake/orders/',
      params: { file_format: 'parquet' },
      acceleration: { engine: 'duckdb', refresh_mode: 'snapshot', refresh_check_interval: '1m', snapshots: 'bootstrap_only' },
    });
  });

  it('keeps refresh_mode: snapshot from Enterprise 2.0.0-rc.5 on, and older release candidates restore only', () => {
    const at = (tag: string) => rendered(awsSplit({ image: { ...ENTERPRISE_2, tag } })).reader.datasets[0].acceleration?.refresh_mode;
    expect(at('2.0.0-rc.5-enterprise')).toBe('snapshot');
    expect(at('2.1.0-enterprise')).toBe('snapshot');
    expect(at('2.0.0-rc.4-enterprise')).toBe('full');
  });

  it('counts an alpha, beta or development build as older than every release candidate of its version', () => {
    const at = (tag: string) => rendered(awsSplit({ image: { ...ENTERPRISE_2, tag } })).reader.datasets[0].acceleration?.refresh_mode;
    expect(at('2.0.0-beta.1-enterprise')).toBe('full');
    expect(at('2.0.0-alpha-enterprise-models')).toBe('full');
    expect(at('2.0.0-dev')).toBe('full');
    expect(at('2.0.0-devel-enterprise')).toBe('full');
    expect(at('2.0.0-Beta.2-enterprise')).toBe('full');
    expect(at('2.1.0-unstable-enterprise')).toBe('snapshot');
    // A release candidate however written: -rc.5, -rc5, -rc-5.
    expect(at('2.0.0-rc-5-enterprise')).toBe('snapshot');
    expect(at('2.0.0-rc5-enterprise')).toBe('snapshot');
    const warning = synthesizeSplit(awsSplit({ image: { ...ENTERPRISE_2, tag: '2.0.0-beta.1-enterprise' } })).warnings.find((w) => w.id === 'no-hot-swap');
    expect(warning?.message).toMatch(/^Enterprise 2\.0\.0-beta\.1 readers cannot hot-swap/);
  });

  it('is rendered only when the image says it ships it (image.snapshotFileFormat)', () => {
    const trunk = { ...ENTERPRISE_FILE_FORMAT, snapshotFileFormat: undefined };
    expect(spicepodToYaml(rendered(awsSplit({ image: trunk })).reader)).not.toContain('file_format: snapshot');
    const { reader } = rendered(awsSplit({ image: ENTERPRISE_FILE_FORMAT }));
    expect(reader.datasets[0]).toEqual({
      from: 's3://shop-snapshots/shop/refresh/',
      name: 'orders',
      params: { file_format: 'snapshot', s3_region: 'eu-west-1', s3_auth: 'iam_role' },
      acceleration: { refresh_check_interval: '1m' },
    });
  });

  it('is refused for a release known not to ship it, with the reason and the fix', () => {
    const problem = problemAt(awsSplit({ image: { ...ENTERPRISE_2, snapshotFileFormat: true } }), 'image.snapshotFileFormat');
    expect(problem.message).toBe("is true, but Spice 2.0.1 has no file_format: snapshot (Spice trunk after 2.1 only; no 2.0.x release ships it): spiced would take it for an unknown file format and list the location's *.snapshot text files instead, silently");
    expect(problem.fix).toMatch(/^remove it \(readers then restore snapshots/);
    expect(problemAt(awsSplit({ image: { ...ENTERPRISE_2, snapshotFileFormat: 'yes' as never } }), 'image.snapshotFileFormat').message).toBe('"yes" is not true or false');
  });

  it('is refused off S3, where readers could not read the snapshots directly', () => {
    const onAzure = { store: { cloud: 'azure' as const, account: 'shopsnaps', container: 'snaps', region: 'westeurope' }, image: ENTERPRISE_FILE_FORMAT };
    const problem = problemAt(awsSplit(onAzure), 'image.snapshotFileFormat');
    expect(problem.message).toBe('is true, but file_format: snapshot reads s3:// locations only, and the store is on Azure: readers would restore snapshots the ordinary way');
    expect(problem.fix).toBe('remove it, or keep the snapshots in an S3 bucket');
    expect(problemAt(awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' }, image: ENTERPRISE_FILE_FORMAT }), 'image.snapshotFileFormat').message).toMatch(/store is on GCP/);
  });

  it('leaves Enterprise 2.0.1 readers of an S3 split no way to serve a database source: it is refused, naming the opt-in', () => {
    const problem = problemAt(awsSplit({ image: ENTERPRISE_2, datasets: [stock] }), 'datasets[0].from');
    expect(problem.message).toMatch(/^"postgres:public.stock": an Enterprise 2.0.1 reader with an AWS store builds the "postgres" connector/);
    expect(problem.fix).toMatch(/'delegated'.*'s3:\/\/' source.*'image.snapshotFileFormat: true'/);
    expect(rendered(awsSplit({ image: ENTERPRISE_FILE_FORMAT, datasets: [stock] })).reader.datasets[0].from).toBe('s3://shop-snapshots/shop/refresh/');
  });

  it("refuses a reader copy of a GCS or Azure source on those clouds, with a fix that fits the cloud (delegating; GCS's S3 endpoint)", () => {
    const onGcp = problemAt(awsSplit({
      image: ENTERPRISE_2, store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' }, datasets: [{ name: 'prices', from: 'gs://pricing/prices/', params: { file_format: 'parquet' } }],
    }), 'datasets[0].from');
    expect(onGcp.message).toMatch(/^"gs:\/\/pricing\/prices\/": an Enterprise 2.0.1 reader with a GCP store builds the "gs" connector/);
    expect(onGcp.fix).toBe("set 'datasets[0].readers' to 'delegated' to query it on the writer cluster, or read it from an s3:// source (only an s3:// source is known to register from the restored file without credentials): GCS serves its buckets at the S3-compatible endpoint https://storage.googleapis.com with HMAC keys (s3_endpoint, s3_auth: 'key')");
    const onAzure = problemAt(awsSplit({
      image: ENTERPRISE_2, store: { cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' },
      datasets: [{ name: 'events', from: 'abfs://lake/events/', params: { file_format: 'parquet', abfs_account: 'acmelake' } }],
    }), 'datasets[0].from');
    expect(onAzure.fix).toBe("set 'datasets[0].readers' to 'delegated' to query it on the writer cluster (only an s3:// source is known to register from the restored file without credentials, which Azure storage does not offer)");
    expect(onAzure.fix).not.toContain('snapshotFileFormat');
    // A database source on a GCP store: the general advice, not GCS's endpoint.
    const database = problemAt(awsSplit({ image: ENTERPRISE_2, store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' }, datasets: [stock] }), 'datasets[0].from');
    expect(database.fix).toBe("set 'datasets[0].readers' to 'delegated' to query it on the writer cluster, or use an 's3://' source (e.g. a parquet export)");
  });
});

describe('the release floor: 1.11.0, the first that parses the snapshot keys writers carry', () => {
  it('refuses 1.8 to 1.10, which reject the unknown acceleration keys, and renders them from 1.11.0', () => {
    const problem = problemAt(awsSplit({ image: { tag: '1.10.2' } }), 'image.tag');
    expect(problem.message).toBe('Spice 1.10.2 cannot parse the writer and archiver Spicepods: they set snapshots_trigger, snapshots_compaction and snapshots_creation_policy, which arrived in 1.11.0, and older releases reject unknown acceleration keys');
    expect(problem.fix).toBe("use Spice 1.11.0 or later, e.g. '1.11.5'");
    expect(problemAt(awsSplit({ image: { ...ENTERPRISE_2, tag: '1.9.0-enterprise' } }), 'image.tag').message).toMatch(/^Spice 1.9.0 cannot parse/);
    expect(problemAt(awsSplit({ image: { tag: 'custom-build', version: '1.8.0' } }), 'image.version').message).toMatch(/^Spice 1.8.0 cannot parse/);
    const owner = rendered(awsSplit({ image: { tag: '1.11.0' } })).owner;
    expect(owner.datasets[0].acceleration).toMatchObject({ snapshots_trigger: 'refresh_complete', snapshots_compaction: 'enabled', snapshots_creation_policy: 'on_change' });
  });

  it('says why an image older than snapshots cannot work, and names the floor in the fix', () => {
    expect(problemAt(awsSplit({ image: { tag: '1.7.2' } }), 'image.tag').fix).toMatch(/^use Spice 1.11.0 or later/);
  });
});

describe('the image reference', () => {
  const problems = (image: SplitSpec['image']) => validateSplit(awsSplit({ image })).problems.map((p) => `${p.path}: ${p.message}`);

  it('refuses a tag, repository or digest outside the OCI reference grammar', () => {
    expect(problems({ tag: 'v1.11.5 ; rm -rf /' })).toEqual(['image.tag: "v1.11.5 ; rm -rf /" is not an image tag']);
    expect(problems({ tag: '.1.11.5' })).toEqual(['image.tag: ".1.11.5" is not an image tag']);
    expect(problems({ tag: `1.11.5-${'x'.repeat(123)}` })).toEqual([expect.stringMatching(/is not an image tag$/)]);
    expect(problems({ repository: 'Acme/Spice AI' })).toEqual(['image.repository: "Acme/Spice AI" is not an image repository']);
    expect(problems({ repository: 'acme//spiceai' })).toEqual(['image.repository: "acme//spiceai" is not an image repository']);
    expect(problems({ repository: `acme/${'a'.repeat(251)}` })).toEqual([expect.stringMatching(/is not an image repository \(longer than 255 characters\)$/)]);
    expect(problems({ tag: '1.11.5', digest: 'sha256:abc' })).toEqual(['image.digest: "sha256:abc" is not an image digest']);
    expect(problems({ tag: '1.11.5@md5:0123' })).toEqual(['image.tag: "md5:0123" is not an image digest']);
  });

  it('points at the field a tag or digest written into the repository belongs in', () => {
    const problem = problemAt(awsSplit({ image: { repository: 'spiceai/spiceai:1.11.5' } }), 'image.repository');
    expect(problem.message).toBe('"spiceai/spiceai:1.11.5" holds a tag or digest: the image would read "spiceai/spiceai:1.11.5:<tag>"');
    expect(problem.fix).toBe("set it to \"spiceai/spiceai\", the tag in 'image.tag' and a digest in 'image.digest'");
  });

  it('accepts a registry with a port, and a digest with its tag, given once', () => {
    expect(problems({ repository: 'registry.example.com:5000/ns/spice_ai-builds', tag: '1.11.5', digest: DIGEST })).toEqual([]);
    expect(problems({ tag: `1.11.5@${DIGEST}`, digest: DIGEST })).toEqual([]);
    expect(problems({ tag: `1.11.5@${DIGEST}`, digest: `sha256:${'f'.repeat(64)}` })).toEqual([`image.digest: "sha256:${'f'.repeat(64)}" differs from the digest in image.tag ("${DIGEST}")`]);
  });

  it('needs the tag with a digest, since the Spice version is read from it', () => {
    const problem = problemAt(awsSplit({ image: { digest: DIGEST } }), 'image.tag');
    expect(problem.message).toMatch(/^is required with 'image.digest'/);
  });

  it('takes a floating tag when a digest pins it', () => {
    expect(problems({ tag: 'latest', digest: DIGEST, version: '1.11.5' })).toEqual([]);
    expect(problems({ tag: 'latest', version: '1.11.5' })).toEqual(['image.tag: "latest" is a floating tag: writers and readers could run different versions']);
  });

  it('reports a floating or missing tag once: its fix, a pinned release tag, also gives the version', () => {
    expect(problems({ tag: 'latest' })).toEqual(['image.tag: "latest" is a floating tag: writers and readers could run different versions']);
    expect(problems({ edition: 'enterprise', repository: 'example.com/spiceai-enterprise' })).toEqual(['image.tag: is required for the Enterprise edition']);
    expect(problems({ tag: 'latest', digest: DIGEST })).toEqual(['image.tag: "latest" does not start with a Spice version']);
  });
});
