import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it, vi } from 'vitest';
import { synthesizeSplit } from '../../lib';
import { ClusterApiKeyExternalSecret, ReadWriteSplitChart } from '../../lib/k8s';
import { thrown } from '../support/errors';
import { expectValidManifests, find, K8sObject, spicepodOf, WRITER_IRSA } from '../support/k8s';
import { awsSplit } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

const READER_IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } as const;
const SOURCE: ClusterApiKeyExternalSecret = { storeName: 'vault', remoteKey: 'spice/shop/cluster-api-key', property: 'value' };

/** The split's chart with the key from a store, a delegating reader in `storefront` and a non-delegating one in `batch`. */
function synth(clusterApiKey: ClusterApiKeyExternalSecret | null = SOURCE): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const app = Testing.app();
  const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA, clusterApiKey: clusterApiKey ?? undefined });
  for (const [namespace, datasets] of [['storefront', undefined], ['batch', ['orders']]] as const) {
    const chart = new Chart(app, namespace, { namespace });
    const deployment = new kplus.Deployment(chart, 'app', {
      metadata: { name: 'app' },
      containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', ports: [{ number: 8080 }], securityContext: { user: 10001, group: 10001 } }],
    });
    split.readerSidecar(chart, 'reader', { identity: READER_IRSA, datasets: datasets && [...datasets] }).addTo(deployment);
  }
  return app.charts.flatMap((chart) => Testing.synth(chart));
}

describe('the cluster API key', () => {
  it('is written by an ExternalSecret wherever a pod presents or checks it, and nowhere else', async () => {
    const docs = synth();
    const secrets = docs.filter((d) => d.kind === 'ExternalSecret');
    await expectValidManifests(secrets);
    expect(secrets.map((d) => d.metadata.namespace).sort()).toEqual(['shop', 'storefront']);
    for (const secret of secrets) {
      expect(secret.metadata.name).toBe('shop-cluster-api-key');
      expect(secret.spec).toEqual({
        refreshInterval: '1h',
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        target: { name: 'shop-cluster-api-key', creationPolicy: 'Owner' },
        data: [{ secretKey: 'api-key', remoteRef: { key: 'spice/shop/cluster-api-key', property: 'value' } }],
      });
    }
    // The Secret the ExternalSecret writes is the one the pods read.
    const reader = find(docs.filter((d) => d.metadata.namespace === 'storefront'), 'Deployment', 'app').spec.template.spec;
    const env = [...(reader.initContainers ?? []), ...reader.containers].flatMap((c: K8sObject) => c.env ?? []);
    expect(env).toContainEqual({ name: 'SPICE_CLUSTER_API_KEY', valueFrom: { secretKeyRef: { name: 'shop-cluster-api-key', key: 'api-key' } } });
  });

  it('is yours to create without a source', () => {
    expect(synth(null).filter((d) => d.kind === 'ExternalSecret')).toEqual([]);
  });

  it('refuses a source that could not work, naming each field', () => {
    const error = thrown(() => synth({ storeName: 'Vault!', storeKind: 'Vault', remoteKey: '', refreshInterval: 'hourly' }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.clusterApiKey.storeName', 'props.clusterApiKey.storeKind', 'props.clusterApiKey.remoteKey', 'props.clusterApiKey.refreshInterval']);
  });

  it('rotates without downtime: writers accept every listed key, readers present apiKey', () => {
    const next = { secretName: 'shop-cluster-api-key-next', key: 'api-key' };
    const result = synthesizeSplit(awsSplit({ writer: { apiKey: next, acceptedApiKeys: [{ secretName: 'shop-cluster-api-key', key: 'api-key' }] } }));
    const owner = result.writer.snapshotOwner;
    expectValidSpicepod(owner.spicepod);
    expect(owner.spicepod.runtime?.auth?.api_key.keys).toEqual(['${secrets:SPICE_CLUSTER_API_KEY}', '${secrets:SPICE_CLUSTER_API_KEY_1}']);
    expect(owner.secretEnv.filter((b) => b.purpose === 'cluster-api-key')).toEqual([
      { envVar: 'SPICE_CLUSTER_API_KEY', secret: next, purpose: 'cluster-api-key' },
      { envVar: 'SPICE_CLUSTER_API_KEY_1', secret: { secretName: 'shop-cluster-api-key', key: 'api-key' }, purpose: 'cluster-api-key' },
    ]);
    expect(result.reader.secretEnv.filter((b) => b.purpose === 'cluster-api-key')).toEqual([{ envVar: 'SPICE_CLUSTER_API_KEY', secret: next, purpose: 'cluster-api-key' }]);
    const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ writer: { apiKey: next, acceptedApiKeys: [{ secretName: 'shop-cluster-api-key', key: 'api-key' }] } }), writerIdentity: WRITER_IRSA }));
    expect(spicepodOf(find(docs, 'ConfigMap', 'shop-writer-owner-spicepod')).runtime.auth.api_key.keys).toHaveLength(2);
  });

  it('refuses a rotation key listed twice or equal to apiKey', () => {
    const apiKey = { secretName: 'shop-cluster-api-key', key: 'api-key' };
    const error = thrown(() => synthesizeSplit(awsSplit({ writer: { acceptedApiKeys: [apiKey, { secretName: 'next', key: 'k' }, { secretName: 'next', key: 'k' }] } })));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'writer.acceptedApiKeys[0]: "shop-cluster-api-key/api-key" is listed already',
      'writer.acceptedApiKeys[2]: "next/k" is listed already',
    ]);
  });
});
