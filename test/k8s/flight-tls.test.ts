import { Chart, Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { SplitSpec } from '../../lib';
import { ReadWriteSplitChart, ReadWriteSplitChartProps } from '../../lib/k8s';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidManifests, find, K8sObject, podTemplates, restrictedAppDeployment, restrictedViolations, spicepodOf, WRITER_IRSA } from '../support/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { thrown } from '../support/errors';

const READER_IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } as const;
const TLS = { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA };
const tlsSplit: SplitSpec = awsSplit({ image: ENTERPRISE_2, writer: { tls: TLS } });

/** The split's chart with TLS, a storefront app in its own namespace reading `orders` and delegating `history`, and a batch app reading `orders` only. */
function synth(props: Partial<ReadWriteSplitChartProps> = {}): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const app = Testing.app();
  const split = new ReadWriteSplitChart(app, 'shop', { split: tlsSplit, writerIdentity: WRITER_IRSA, flightCertificate: { name: 'spice-ca', kind: 'ClusterIssuer' }, ...props });
  for (const [name, datasets] of [['web', undefined], ['batch', ['orders']]] as const) {
    const chart = new Chart(app, name, { namespace: 'storefront' });
    const deployment = restrictedAppDeployment(chart, name);
    split.readerSidecar(chart, 'reader', { identity: READER_IRSA, datasets: datasets && [...datasets] }).addTo(deployment);
  }
  return app.charts.flatMap((chart) => Testing.synth(chart));
}

const spiced = (template: K8sObject) => [...(template.spec.initContainers ?? []), ...template.spec.containers].find((c: K8sObject) => ['spiced', 'spice-reader'].includes(c.name));

describe('TLS between the tiers (Kubernetes)', () => {
  const docs = synth();

  it('renders valid manifests that still meet the restricted Pod Security Standard', async () => {
    await expectValidManifests(docs);
    for (const { name, template } of podTemplates(docs)) expect(restrictedViolations(template.spec), name).toEqual([]);
  });

  it('mounts the certificate into every writer, readable by spiced alone, and probes over HTTPS', () => {
    for (const name of ['shop-writer-owner', 'shop-writer-replica']) {
      const template = find(docs, 'StatefulSet', name).spec.template;
      expect(template.spec.volumes).toContainEqual({
        name: 'flight-tls',
        secret: { secretName: 'shop-writer-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] },
      });
      const container = spiced(template);
      expect(container.volumeMounts).toContainEqual({ name: 'flight-tls', mountPath: '/etc/spice/tls', readOnly: true });
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(container[probe].httpGet.scheme).toBe('HTTPS');
      expect(spicepodOf(find(docs, 'ConfigMap', `${name}-spicepod`)).runtime.tls.enabled).toBe(true);
    }
  });

  it('gives the archiver and each delegating reader the CA, in their own namespace', () => {
    const archiver = find(docs, 'Deployment', 'shop-archiver').spec.template;
    expect(spiced(archiver).volumeMounts).toContainEqual({ name: 'flight-ca', mountPath: '/etc/spice/flight-ca', readOnly: true });
    const web = find(docs, 'Deployment', 'web').spec.template;
    expect(web.spec.volumes).toContainEqual({ name: 'spice-reader-flight-ca', configMap: { name: 'shop-flight-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(spiced(web).volumeMounts).toContainEqual({ name: 'spice-reader-flight-ca', mountPath: '/etc/spice/flight-ca', readOnly: true });
    // Readers serve plaintext on loopback: their probes stay HTTP.
    expect(spiced(web).readinessProbe.httpGet.scheme).toBeUndefined();
    const caMaps = docs.filter((d) => d.kind === 'ConfigMap' && d.metadata.name === 'shop-flight-ca');
    expect(caMaps.map((d) => d.metadata.namespace).sort()).toEqual(['shop', 'storefront']);
    for (const map of caMaps) expect(map.data['ca.crt'].trim()).toBe(TEST_FLIGHT_CA.trim());
  });

  it('gives a reader that delegates nothing no CA', () => {
    const batch = find(docs, 'Deployment', 'batch').spec.template;
    expect(batch.spec.volumes.map((v: K8sObject) => v.name)).not.toContain('spice-reader-flight-ca');
  });

  it('renders a cert-manager Certificate for the names readers dial', () => {
    expect(find(docs, 'Certificate', 'shop-writer-tls').spec).toEqual({
      secretName: 'shop-writer-tls',
      dnsNames: ['shop-writer', 'shop-writer.shop', 'shop-writer.shop.svc', 'shop-writer.shop.svc.cluster.local'],
      usages: ['server auth'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: 'spice-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    const readerHost = new URL(spicepodOf(find(docs, 'ConfigMap', 'web-spice-reader')).datasets.find((d: K8sObject) => d.name === 'history').params.spiceai_endpoint).hostname;
    expect(find(docs, 'Certificate', 'shop-writer-tls').spec.dnsNames).toContain(readerHost);
  });

  it('names a custom endpoint in the Certificate too: readers verify the name they dial', () => {
    const certificateFor = (flightEndpoint: string) => {
      const split = awsSplit({ image: ENTERPRISE_2, writer: { tls: TLS, flightEndpoint } });
      const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: WRITER_IRSA, flightCertificate: { name: 'spice-ca' } }));
      return find(docs, 'Certificate', 'shop-writer-tls').spec;
    };
    const named = certificateFor('https://Flight.Shop.Internal:50051');
    expect(named.dnsNames).toEqual(['shop-writer', 'shop-writer.shop', 'shop-writer.shop.svc', 'shop-writer.shop.svc.cluster.local', 'flight.shop.internal']);
    expect(named.ipAddresses).toBeUndefined();
    const byAddress = certificateFor('grpc+tls://10.20.0.50:50051');
    expect(byAddress.dnsNames).toHaveLength(4);
    expect(byAddress.ipAddresses).toEqual(['10.20.0.50']);
  });

  it('names the external endpoint too, beside the in-cluster Service the sidecars keep dialing', () => {
    const certificateFor = (externalFlightEndpoint: string) => {
      const split = awsSplit({ image: ENTERPRISE_2, writer: { tls: TLS, externalFlightEndpoint } });
      const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split, writerIdentity: WRITER_IRSA, flightCertificate: { name: 'spice-ca' }, externalReaderCidrs: ['10.20.0.0/24'] }));
      return find(docs, 'Certificate', 'shop-writer-tls').spec;
    };
    expect(certificateFor('https://flight.shop.internal:50051').dnsNames).toEqual(['shop-writer', 'shop-writer.shop', 'shop-writer.shop.svc', 'shop-writer.shop.svc.cluster.local', 'flight.shop.internal']);
    const byAddress = certificateFor('grpc+tls://10.20.0.50:50051');
    expect(byAddress.dnsNames).toHaveLength(4);
    expect(byAddress.ipAddresses).toEqual(['10.20.0.50']);
  });

  it('scrapes the writers over HTTPS with the split CA', () => {
    const monitored = synth({ observability: {} });
    expect(find(monitored, 'PodMonitor', 'shop-writer').spec.podMetricsEndpoints[0]).toMatchObject({
      scheme: 'https',
      tlsConfig: { ca: { configMap: { name: 'shop-flight-ca', key: 'ca.crt' } }, serverName: 'shop-writer.shop.svc.cluster.local' },
    });
    expect(find(monitored, 'PodMonitor', 'shop-archiver').spec.podMetricsEndpoints[0].scheme).toBeUndefined();
  });

  it('renders nothing of it for a plaintext split', () => {
    const plain = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ image: ENTERPRISE_2 }), writerIdentity: WRITER_IRSA }));
    expect(plain.filter((d) => d.kind === 'Certificate' || d.metadata.name === 'shop-flight-ca')).toEqual([]);
    expect(JSON.stringify(plain)).not.toMatch(/flight-tls|HTTPS/);
  });

  it('refuses a certificate issuer without writer.tls, and an issuer of an unknown kind', () => {
    const error = thrown(() => new ReadWriteSplitChart(Testing.app(), 'shop', {
      split: awsSplit({ image: ENTERPRISE_2 }), writerIdentity: WRITER_IRSA, flightCertificate: { name: 'spice-ca', kind: 'CertIssuer' },
    }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.flightCertificate', 'props.flightCertificate.kind']);
    expect(error.problems[0].message).toBe('is given, but the split has no writer.tls: nothing would serve the certificate');
  });
});
