import { describe, expect, it } from 'vitest';
import { SplitSpec, synthesizeSplit, validateSplit } from '../../lib/core';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { awsSplit, ENTERPRISE_2, problemAt } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

const TLS = { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA };
const tlsSplit = (overrides: Partial<SplitSpec> = {}) => awsSplit({ image: ENTERPRISE_2, writer: { tls: TLS }, ...overrides });

function rendered(spec: SplitSpec) {
  const result = synthesizeSplit(spec);
  const pods = { owner: result.writer.snapshotOwner.spicepod, replica: result.writer.queryReplica.spicepod, reader: result.reader.spicepod, archiver: result.archiver!.spicepod };
  for (const pod of Object.values(pods)) expectValidSpicepod(pod);
  return pods;
}

describe('TLS between the tiers (writer.tls)', () => {
  it('makes every writer serve TLS with the mounted certificate', () => {
    const { owner, replica } = rendered(tlsSplit());
    for (const pod of [owner, replica]) {
      expect(pod.runtime?.tls).toEqual({ enabled: true, certificate_file: '/etc/spice/tls/tls.crt', key_file: '/etc/spice/tls/tls.key' });
    }
  });

  it('makes readers and the archiver dial https:// and trust the given CA alone', () => {
    const { reader, archiver } = rendered(tlsSplit());
    const delegated = reader.datasets.find((d) => d.name === 'history')!;
    const archived = archiver.datasets.find((d) => d.name === 'orders')!;
    for (const dataset of [delegated, archived]) {
      expect(dataset.params).toMatchObject({
        spiceai_endpoint: 'https://shop-writer.shop.svc.cluster.local:50051',
        spiceai_tls_ca_certificate_file: '/etc/spice/flight-ca/ca.crt',
      });
    }
    expect(reader.runtime).toBeUndefined();
  });

  it('is plaintext without it, and says so in no Spicepod', () => {
    const { owner, reader } = rendered(awsSplit({ image: ENTERPRISE_2 }));
    expect(owner.runtime?.tls).toBeUndefined();
    expect(reader.datasets.find((d) => d.name === 'history')!.params).toEqual({
      spiceai_endpoint: 'http://shop-writer.shop.svc.cluster.local:50051',
      spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}',
    });
  });

  it('keeps a custom https:// endpoint and refuses a plaintext one', () => {
    const custom = rendered(tlsSplit({ writer: { tls: TLS, flightEndpoint: 'grpc+tls://flight.shop.example:443' } }));
    expect(custom.reader.datasets.find((d) => d.name === 'history')!.params?.spiceai_endpoint).toBe('grpc+tls://flight.shop.example:443');
    const problem = problemAt(tlsSplit({ writer: { tls: TLS, flightEndpoint: 'http://shop-writer:50051' } }), 'writer.flightEndpoint');
    expect(problem.message).toBe('"http://shop-writer:50051" is plaintext, but the writers serve TLS (writer.tls)');
  });

  it('is refused on Spice 1.x, whose readers cannot trust a private CA', () => {
    const problem = problemAt(awsSplit({ writer: { tls: TLS } }), 'writer.tls');
    expect(problem.message).toMatch(/^needs readers that trust a private CA \(spiceai_tls_ca_certificate_file\), which Spice 1.11.5 lacks/);
    expect(problem.fix).toBe('use a Spice 2.x image, or leave writer.tls out');
  });

  it('takes a bundle of CAs, for a rotation', () => {
    const bundle = `${TEST_FLIGHT_CA}\n${TEST_FLIGHT_CA}`;
    expect(synthesizeSplit(tlsSplit({ writer: { tls: { ...TLS, caCertificate: bundle } } })).split.writer.tls?.caCertificate).toBe(bundle);
  });

  it('refuses a Secret name Kubernetes rejects and a CA that is not one PEM certificate (a key above all)', () => {
    expect(problemAt(tlsSplit({ writer: { tls: { ...TLS, secretName: 'Shop_TLS' } } }), 'writer.tls.secretName').message).toBe('"Shop_TLS" is not a Kubernetes Secret name');
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const problem = problemAt(tlsSplit({ writer: { tls: { ...TLS, caCertificate: key } } }), 'writer.tls.caCertificate');
    expect(problem.message).toBe('holds something other than PEM certificates');
    const mixed = `${TEST_FLIGHT_CA}\n${key}`;
    expect(problemAt(tlsSplit({ writer: { tls: { ...TLS, caCertificate: mixed } } }), 'writer.tls.caCertificate').message).toBe('holds something other than PEM certificates');
    expect(problem.fix).toMatch(/never its key/);
    expect(problemAt(tlsSplit({ writer: { tls: { ...TLS, caCertificate: 42 as never } } }), 'writer.tls.caCertificate').message).toBe('42 is not a PEM certificate');
  });
});

describe('a plaintext writer endpoint outside the cluster', () => {
  const plaintextWarnings = (flightEndpoint: string, overrides: Partial<SplitSpec> = {}) =>
    validateSplit(awsSplit({ writer: { flightEndpoint }, ...overrides })).warnings.filter((w) => w.id === 'plaintext-flight-endpoint');

  it('warns that the cluster API key crosses unencrypted to a load balancer or an address', () => {
    for (const [endpoint, host] of [
      ['http://shop-writers.internal.example.com:50051', 'shop-writers.internal.example.com'],
      ['http://10.20.0.7:50051', '10.20.0.7'],
      ['http://[fd00::7]:50051', '[fd00::7]'],
      // Not a Service name: another namespace's pair is a domain, and .svc must end the name.
      ['http://writers.corp:50051', 'writers.corp'],
      ['http://flight.svc.example.com:50051', 'flight.svc.example.com'],
    ]) {
      const [warning] = plaintextWarnings(endpoint);
      expect(warning.path).toBe('writer.flightEndpoint');
      expect(warning.message).toBe(
        `"${endpoint}" is plaintext outside the cluster's Services: delegating readers and the archiver send the cluster API key to ${host} unencrypted; ` +
          "use an 'https://' or 'grpc+tls://' endpoint (writer.tls, or a load balancer that terminates TLS), or acknowledge this on a network you trust",
      );
    }
  });

  it('keeps quiet for a cluster Service, a TLS endpoint, the default, and once acknowledged', () => {
    for (const endpoint of ['http://shop-writer:50051', 'http://shop-writer.shop:50051', 'http://shop-writer.shop.svc:50051', 'http://shop-writer.shop.svc.cluster.local:50051', 'https://flight.shop.example:443', 'grpc+tls://flight.shop.example:443']) {
      expect(plaintextWarnings(endpoint)).toEqual([]);
    }
    expect(validateSplit(awsSplit()).warnings.filter((w) => w.id === 'plaintext-flight-endpoint')).toEqual([]);
    expect(plaintextWarnings('http://10.20.0.7:50051', { acknowledgedWarnings: ['plaintext-flight-endpoint'] })).toEqual([]);
  });
});
