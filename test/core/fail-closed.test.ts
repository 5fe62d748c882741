import { describe, expect, it } from 'vitest';
import { spicepodToYaml, synthesizeSplit } from '../../lib';
import { awsSplit, ENTERPRISE_2, problemAt } from '../support/splits';
import { parse } from 'yaml';

describe('readers fail closed', () => {
  it('retry a failed snapshot download by default instead of starting empty', () => {
    const reader = parse(spicepodToYaml(synthesizeSplit(awsSplit()).reader.spicepod));
    expect(reader.snapshots.bootstrap_on_failure_behavior).toBe('retry');
  });

  it('keep fallback when asked: it moves to an older snapshot when the newest is corrupt', () => {
    const reader = parse(spicepodToYaml(synthesizeSplit(awsSplit({ reader: { bootstrapOnFailure: 'fallback' } })).reader.spicepod));
    expect(reader.snapshots.bootstrap_on_failure_behavior).toBe('fallback');
  });
});

describe('sources the writer can really read', () => {
  it('refuses a database source without credentials: every refresh would fail', () => {
    const problem = problemAt(awsSplit({ datasets: [{ name: 'orders', from: 'mysql:shop.orders', params: { mysql_host: 'db' }, readers: 'delegated' }] }), 'datasets[0].secretParams');
    expect(problem.message).toBe('is empty: the writer would log in to the mysql source "mysql:shop.orders" without credentials, and every refresh would fail');
    expect(problem.fix).toMatch(/secretParams: \{ mysql_pass: \{ secretName/);
  });

  it("does not take a connector named like an object's own property (constructor) for a database", () => {
    const split = synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 'constructor:orders', readers: 'delegated' }] }));
    expect(parse(spicepodToYaml(split.writer.snapshotOwner.spicepod)).datasets[0].from).toBe('constructor:orders');
  });

  it('accepts an S3 source without secrets: the writer reads it with its own identity', () => {
    expect(() => synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/' }] }))).not.toThrow();
  });
});

describe('writer disk', () => {
  it('holds the files plus a temporary and a compacted copy of the largest while it uploads: about 3x for one dataset', () => {
    const { sizing } = synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/', expectedSize: '30Gi' }] }));
    expect(sizing.writer?.storageSize).toBe('90Gi');
  });
});

describe('the on_change expiry warning', () => {
  it('says the writer re-creates an expired snapshot, and that new readers wait until it does', () => {
    const warning = synthesizeSplit(awsSplit({ image: ENTERPRISE_2 })).warnings.find((w) => w.id === 'on-change-snapshots-expire');
    expect(warning?.message).toMatch(/its snapshots expire; the writer re-creates one at its next refresh \(spiced 1\.11\+\), and until then new readers of it cannot bootstrap/);
  });
});

describe('how the writer authenticates to S3 sources', () => {
  const spicepods = (params: Record<string, string>, secretParams = {}) => {
    const result = synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/', params, secretParams }] }));
    const writer = parse(spicepodToYaml(result.writer.snapshotOwner.spicepod));
    const reader = parse(spicepodToYaml(result.reader.spicepod));
    return { writer: writer.datasets[0].params, reader: reader.datasets[0].params ?? {} };
  };

  it('is never left to spiced\'s default, which differs between releases: iam_role unless keys are given', () => {
    expect(spicepods({}).writer.s3_auth).toBe('iam_role');
    expect(spicepods({}, { s3_key: { secretName: 'lake', key: 'id' }, s3_secret: { secretName: 'lake', key: 'secret' } }).writer.s3_auth).toBe('key');
    expect(spicepods({ s3_auth: 'public' }).writer.s3_auth).toBe('public');
  });

  it('is not added to readers, which never read sources', () => {
    expect(spicepods({}).reader).not.toHaveProperty('s3_auth');
  });
});

describe('S3 sources off AWS', () => {
  it('are not given an AWS role the writer does not have, and the unset s3_auth is warned about', () => {
    const result = synthesizeSplit(awsSplit({
      store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' },
      datasets: [{ name: 'orders', from: 's3://lake/orders/' }],
    }));
    expect(parse(spicepodToYaml(result.writer.snapshotOwner.spicepod)).datasets[0].params ?? {}).not.toHaveProperty('s3_auth');
    expect(result.warnings.map((w) => [w.id, w.path])).toContainEqual(['s3-source-auth-unset', 'datasets[0].params.s3_auth']);
  });
});

describe('Azure storage (abfs://) sources, which no adapter can grant the writer', () => {
  const onAzure = (params: Record<string, string>, secretParams = {}) => synthesizeSplit(awsSplit({
    image: ENTERPRISE_2,
    store: { cloud: 'azure', account: 'acmesnaps', container: 'snaps', region: 'westeurope' },
    datasets: [{ name: 'events', from: 'abfs://lake/events/', readers: 'delegated', params: { file_format: 'parquet', abfs_account: 'acmelake', ...params }, secretParams }],
  }));

  it('are warned about without credentials params: the connector would fall back to the nodes\' managed identity', () => {
    const warning = onAzure({}).warnings.find((w) => w.id === 'abfs-source-auth-unset');
    expect(warning?.path).toBe('datasets[0].params');
    expect(warning?.message).toContain("abfs_federated_token_file: '/var/run/secrets/azure/tokens/azure-identity-token'");
    expect(warning?.message).toContain('Storage Blob Data Reader');
  });

  it('are not warned about once the writer authenticates, and what it gives reaches the writer Spicepod only', () => {
    const federated = onAzure(
      { abfs_federated_token_file: '/var/run/secrets/azure/tokens/azure-identity-token' },
      { abfs_client_id: { secretName: 'lake-reader', key: 'client-id' }, abfs_tenant_id: { secretName: 'lake-reader', key: 'tenant-id' } },
    );
    expect(federated.warnings.map((w) => w.id)).not.toContain('abfs-source-auth-unset');
    const writer = parse(spicepodToYaml(federated.writer.snapshotOwner.spicepod)).datasets[0];
    expect(writer.params).toMatchObject({ abfs_federated_token_file: '/var/run/secrets/azure/tokens/azure-identity-token', abfs_client_id: '${secrets:EVENTS_ABFS_CLIENT_ID}' });
    expect(JSON.stringify(parse(spicepodToYaml(federated.reader.spicepod)))).not.toContain('abfs_');
    expect(onAzure({ abfs_skip_signature: 'true' }).warnings.map((w) => w.id)).not.toContain('abfs-source-auth-unset');
  });

  it('are warned about off Azure without the AKS Workload Identity advice, which only writers on AKS could follow', () => {
    const onGcp = synthesizeSplit(awsSplit({
      image: ENTERPRISE_2,
      store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' },
      datasets: [{ name: 'events', from: 'abfs://lake/events/', readers: 'delegated', params: { file_format: 'parquet', abfs_account: 'acmelake' } }],
    }));
    const message = onGcp.warnings.find((w) => w.id === 'abfs-source-auth-unset')?.message;
    expect(message).toContain("give a service principal's abfs_client_id, abfs_tenant_id and abfs_client_secret in secretParams");
    expect(message).not.toContain('abfs_federated_token_file');
  });
});
