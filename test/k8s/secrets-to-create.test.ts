import { Chart, Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart, ReadWriteSplitChartProps, secretsToCreate } from '../../lib/k8s';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { K8sObject, restrictedAppDeployment, WRITER_IRSA } from '../support/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';

const READER_IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } as const;

/** The split's chart in `shop`, a delegating reader in `storefront` and one in `batch` reading `orders` alone. */
function synth(props: Partial<ReadWriteSplitChartProps> = {}, split = awsSplit()): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const app = Testing.app();
  const chart = new ReadWriteSplitChart(app, 'shop', { split, writerIdentity: WRITER_IRSA, ...props });
  for (const [namespace, datasets] of [['storefront', undefined], ['batch', ['orders']]] as const) {
    const appChart = new Chart(app, namespace, { namespace });
    chart.readerSidecar(appChart, 'reader', { identity: READER_IRSA, datasets: datasets && [...datasets] }).addTo(restrictedAppDeployment(appChart, 'app'));
  }
  return app.charts.flatMap((c) => Testing.synth(c));
}

/** Every Secret name a pod template reads, found without the library: for a cross-check. */
function namesReadByPods(docs: K8sObject[]): string[] {
  const text = JSON.stringify(docs);
  const names = [...text.matchAll(/"secretKeyRef":\{[^}]*"name":"([^"]+)"/g), ...text.matchAll(/"secretName":"([^"]+)"/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

describe('secretsToCreate', () => {
  it('lists what the pods read by hand-made Secrets: the sources on the writers, the cluster API key where it is presented', () => {
    const docs = synth({ pods: { imagePullSecrets: ['spice-pull'] } });
    const secrets = secretsToCreate(docs);
    expect(secrets.map(({ readBy: _, ...secret }) => secret)).toEqual([
      // Every spiced pod pulls the same image; the batch reader reads `orders` from its snapshot and presents no key.
      { namespace: 'batch', name: 'spice-pull', keys: [], type: 'kubernetes.io/dockerconfigjson', optional: false },
      { namespace: 'shop', name: 'shop-cluster-api-key', keys: ['api-key'], optional: false },
      { namespace: 'shop', name: 'shop-db', keys: ['password'], optional: false },
      { namespace: 'shop', name: 'spice-pull', keys: [], type: 'kubernetes.io/dockerconfigjson', optional: false },
      { namespace: 'storefront', name: 'shop-cluster-api-key', keys: ['api-key'], optional: false },
      { namespace: 'storefront', name: 'spice-pull', keys: [], type: 'kubernetes.io/dockerconfigjson', optional: false },
    ]);
    expect(secrets.find((s) => s.name === 'shop-db')!.readBy).toEqual(['StatefulSet/shop-writer-owner', 'StatefulSet/shop-writer-replica']);
    expect(secrets.find((s) => s.namespace === 'storefront')!.readBy).toEqual(['Deployment/app']);
    expect([...new Set(secrets.map((s) => s.name))].sort()).toEqual(namesReadByPods(docs).concat('spice-pull').sort());
  });

  it('leaves out what the manifests create: the key from a secret store, certificates cert-manager issues', () => {
    const split = awsSplit({ image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA } } });
    const docs = synth({ clusterApiKey: { storeName: 'vault', remoteKey: 'spice/shop/api-key' }, flightCertificate: { name: 'spice-ca', kind: 'ClusterIssuer' } }, split);
    // The pods read the TLS and key Secrets, the ExternalSecrets and Certificates write them: only the source is left.
    expect(namesReadByPods(docs)).toEqual(expect.arrayContaining(['shop-cluster-api-key', 'shop-writer-tls']));
    expect(secretsToCreate(docs).map((s) => `${s.namespace}/${s.name}`)).toEqual(['shop/shop-db']);
  });

  it('reads CSI references in their own namespace, and counts only what ExternalSecrets and SecretProviderClasses create', () => {
    const secrets = secretsToCreate([
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { csi: { driver: 'd', volumeHandle: 'h', nodePublishSecretRef: { name: 'csi-creds', namespace: 'storage' } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: {
        containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'merged' } }, { secretRef: { name: 'owned' } }, { secretRef: { name: 'synced' } }] }],
      } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'merged', namespace: 'a' }, spec: { target: { name: 'merged', creationPolicy: 'Merge' } } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'owned', namespace: 'a' }, spec: { target: { creationPolicy: 'Owner' } } },
      { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'spc', namespace: 'a' }, spec: { secretObjects: [{ secretName: 'synced', type: 'Opaque' }] } },
    ]);
    expect(secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual(['a/merged', 'storage/csi-creds']);
  });

  it('reads envFrom, projected and optional references, and matches a created Secret in its own namespace only', () => {
    const pod = (namespace: string | undefined, spec: K8sObject): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec });
    const secrets = secretsToCreate([
      pod('a', {
        containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'env-all', optional: true } }], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'made', key: 'x' } } }] }],
        volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 'proj', items: [{ key: 'tls.crt', path: 'crt' }] } }, { secret: { name: 'whole' } }] } }],
      }),
      pod(undefined, { containers: [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'made', key: 'x' } } }] }] }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'made', namespace: 'a' }, stringData: { x: '1' } },
    ], 'apps');
    expect(secrets.map(({ readBy: _, ...s }) => s)).toEqual([
      { namespace: 'a', name: 'env-all', keys: [], optional: true },
      { namespace: 'a', name: 'proj', keys: ['tls.crt'], optional: false },
      { namespace: 'a', name: 'whole', keys: [], optional: false },
      // The Secret `made` exists in `a`; the Pod without a namespace lands in the default given.
      { namespace: 'apps', name: 'made', keys: ['x'], optional: false },
    ]);
  });
});
