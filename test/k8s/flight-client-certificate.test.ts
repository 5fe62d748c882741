import { posix } from 'node:path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { SplitSpec, WriterTierSpec } from '../../lib';
import { ReadWriteSplitChart, ReadWriteSplitChartProps } from '../../lib/k8s';
import { formatProblem } from '../../lib/core/errors';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { expectValidManifests, find, K8sObject, podTemplates, restrictedAppDeployment, restrictedViolations, spicepodOf, WRITER_IRSA } from '../support/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { thrown } from '../support/errors';

const READER_IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } as const;
const TLS = { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA };
const CLIENT = { secretName: 'shop-flight-client' };
const ISSUER = { name: 'flight-clients', kind: 'ClusterIssuer' };
/** The group the application pods read the client key through. */
const APP_FS_GROUP = 10001;
const clientSplit = (writer: WriterTierSpec = { tls: TLS, flightClientCertificate: CLIENT }): SplitSpec => awsSplit({ image: ENTERPRISE_2, writer });

/** The split's chart (`fsGroup` of the app pods, null for none), a storefront app delegating `history` and a batch app reading `orders` only, each in its own chart. */
function synth(split: SplitSpec = clientSplit(), props: Partial<ReadWriteSplitChartProps> = {}, fsGroup: number | null = APP_FS_GROUP): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const testApp = Testing.app();
  const chart = new ReadWriteSplitChart(testApp, 'shop', { split, writerIdentity: WRITER_IRSA, ...props });
  for (const [name, datasets] of [['web', undefined], ['batch', ['orders']]] as const) {
    const appChart = new Chart(testApp, name, { namespace: 'storefront' });
    chart.readerSidecar(appChart, 'reader', { identity: READER_IRSA, datasets: datasets && [...datasets] }).addTo(restrictedAppDeployment(appChart, name, fsGroup ?? undefined));
  }
  return testApp.charts.flatMap((c) => Testing.synth(c));
}

const spiced = (template: K8sObject) => [...(template.spec.initContainers ?? []), ...template.spec.containers].find((c: K8sObject) => ['spiced', 'spice-reader'].includes(c.name));
const SECRET_VOLUME = (name: string) => ({
  name,
  secret: { secretName: 'shop-flight-client', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] },
});

/** The client certificate's files as the pod mounts them: what the Spicepod's params must name. */
function mountedFiles(template: K8sObject, volume: string): string[] {
  const mount = spiced(template).volumeMounts.find((m: K8sObject) => m.name === volume);
  const source = template.spec.volumes.find((v: K8sObject) => v.name === volume);
  expect(mount.readOnly).toBe(true);
  return source.secret.items.map((item: K8sObject) => posix.join(mount.mountPath, item.path));
}

const clientParams = (spicepod: K8sObject) => spicepod.datasets
  .filter((d: K8sObject) => d.from.startsWith('spice.ai:'))
  .map((d: K8sObject) => [d.params.spiceai_tls_client_certificate_file, d.params.spiceai_tls_client_key_file]);

describe('the client certificate between the tiers (Kubernetes)', () => {
  const docs = synth(clientSplit(), { flightClientCertificate: ISSUER });

  it('renders valid manifests that still meet the restricted Pod Security Standard', async () => {
    await expectValidManifests(docs);
    for (const { name, template } of podTemplates(docs)) expect(restrictedViolations(template.spec), name).toEqual([]);
  });

  it('mounts the Secret read-only into a delegating reader, at the paths its Spicepod names', () => {
    const web = find(docs, 'Deployment', 'web').spec.template;
    expect(web.spec.volumes).toContainEqual(SECRET_VOLUME('spice-reader-flight-client'));
    const files = mountedFiles(web, 'spice-reader-flight-client');
    expect(files).toEqual(['/etc/spice/flight-client/tls.crt', '/etc/spice/flight-client/tls.key']);
    expect(clientParams(spicepodOf(find(docs, 'ConfigMap', 'web-spice-reader')))).toEqual([files]);
    // Only the sidecar mounts it, and it still holds no Secret as an environment variable but the cluster API key.
    expect(web.spec.containers[0].volumeMounts ?? []).toEqual([]);
    expect(spiced(web).env.filter((e: K8sObject) => e.valueFrom).map((e: K8sObject) => e.name)).toEqual(['SPICE_CLUSTER_API_KEY']);
  });

  it('mounts it into the archiver the same way, and into no writer', () => {
    const archiver = find(docs, 'Deployment', 'shop-archiver').spec.template;
    expect(archiver.spec.volumes).toContainEqual(SECRET_VOLUME('flight-client'));
    expect(archiver.spec.securityContext.fsGroup).toBe(65534);
    const files = mountedFiles(archiver, 'flight-client');
    const paths = clientParams(spicepodOf(find(docs, 'ConfigMap', 'shop-archiver-spicepod')));
    expect(paths.length).toBeGreaterThan(0);
    for (const pair of paths) expect(pair).toEqual(files);
    for (const name of ['shop-writer-owner', 'shop-writer-replica']) {
      expect(JSON.stringify(find(docs, 'StatefulSet', name))).not.toContain('flight-client');
    }
  });

  it('gives a reader that delegates nothing no client certificate', () => {
    const batch = find(docs, 'Deployment', 'batch').spec.template;
    expect(JSON.stringify(batch)).not.toContain('flight-client');
  });

  it('renders a cert-manager Certificate for client auth in the split namespace and in each namespace with a delegating reader', () => {
    const certificates = docs.filter((d) => d.kind === 'Certificate');
    expect(certificates.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(['shop/shop-flight-client', 'storefront/shop-flight-client']);
    for (const certificate of certificates) {
      expect(certificate.spec).toEqual({
        secretName: 'shop-flight-client',
        commonName: 'shop-flight-client',
        usages: ['client auth'],
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: { name: 'flight-clients', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      });
    }
  });

  it('mounts the client certificate but no CA behind a custom TLS endpoint without writer.tls', async () => {
    const gateway = synth(clientSplit({ flightEndpoint: 'grpc+tls://flight.shop.example:443', flightClientCertificate: CLIENT }));
    await expectValidManifests(gateway);
    const web = find(gateway, 'Deployment', 'web').spec.template;
    expect(web.spec.volumes.map((v: K8sObject) => v.name).filter((n: string) => n.startsWith('spice-reader-flight'))).toEqual(['spice-reader-flight-client']);
    expect(gateway.filter((d) => d.kind === 'Certificate' || d.metadata.name === 'shop-flight-ca')).toEqual([]);
  });

  it('changes nothing without the option: no mount, no param, no Certificate, and no fsGroup needed', () => {
    for (const writer of [{ tls: TLS }, { flightEndpoint: 'grpc+tls://flight.shop.example:443' }]) {
      const without = synth(awsSplit({ image: ENTERPRISE_2, writer }), {}, null);
      expect(JSON.stringify(without)).not.toMatch(/flight-client|spiceai_tls_client/);
      expect(without.filter((d) => d.kind === 'Certificate')).toEqual([]);
      expect(find(without, 'Deployment', 'web').spec.template.spec.securityContext.fsGroup).toBeUndefined();
    }
  });

  it('refuses an application pod without an fsGroup: the sidecar could not read the key', () => {
    const testApp = Testing.app();
    const chart = new ReadWriteSplitChart(testApp, 'shop', { split: clientSplit(), writerIdentity: WRITER_IRSA });
    const appChart = new Chart(testApp, 'web', { namespace: 'storefront' });
    chart.readerSidecar(appChart, 'reader', { identity: READER_IRSA }).addTo(restrictedAppDeployment(appChart, 'web'));
    expect(() => Testing.synth(appChart)).toThrow(/web.securityContext.fsGroup: is not set: the sidecar \(a non-root user\) reads the Flight client key/);
    const manifestChart = new Chart(testApp, 'legacy', { namespace: 'storefront' });
    const object = new ApiObject(manifestChart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    const error = thrown(() => chart.readerSidecar(manifestChart, 'reader', { identity: READER_IRSA }).addToManifest(object));
    expect(error.problems.map(formatProblem)).toContain(
      "Deployment/api.securityContext.fsGroup: is not set: the sidecar (a non-root user) reads the Flight client key (writer.flightClientCertificate, mode 0440) through the pod's fsGroup; set the pod's securityContext.fsGroup, e.g. to the application's group (the kubelet gives every container of the pod that group)",
    );
  });

  it('refuses an issuer without writer.flightClientCertificate, one that would overwrite the writers\' Secret, and a bad issuer', () => {
    const without = thrown(() => new ReadWriteSplitChart(Testing.app(), 'shop', {
      split: awsSplit({ image: ENTERPRISE_2, writer: { tls: TLS } }), writerIdentity: WRITER_IRSA, flightClientCertificate: ISSUER,
    }));
    expect(without.problems.map(formatProblem)).toEqual([
      'props.flightClientCertificate: is given, but the split has no writer.flightClientCertificate: no pod would present the certificate; set split.writer.flightClientCertificate { secretName }, or remove flightClientCertificate',
    ]);
    const same = thrown(() => new ReadWriteSplitChart(Testing.app(), 'shop', {
      split: clientSplit({ tls: TLS, flightClientCertificate: { secretName: TLS.secretName } }), writerIdentity: WRITER_IRSA, flightClientCertificate: { name: 'Flight CA', kind: 'CertIssuer' },
    }));
    expect(same.problems.map((p) => p.path)).toEqual(['props.flightClientCertificate', 'props.flightClientCertificate.name', 'props.flightClientCertificate.kind']);
    expect(same.problems[0].message).toBe('would write "shop-writer-tls", which is writer.tls.secretName too: the writers\' certificate and the client certificate would overwrite each other');
  });
});
