import { describe, expect, it } from 'vitest';
import { SplitSpec, synthesizeSplit, WriterTierSpec } from '../../lib/core';
import { TEST_FLIGHT_CA } from '../support/flight-ca';
import { awsSplit, ENTERPRISE_2, problemAt, validationError } from '../support/splits';
import { expectValidSpicepod } from '../support/spicepod-schema';

const TLS = { secretName: 'shop-writer-tls', caCertificate: TEST_FLIGHT_CA };
const CLIENT = { secretName: 'shop-flight-client' };
const GATEWAY = 'grpc+tls://flight.shop.example:443';
const CLIENT_PARAMS = {
  spiceai_tls_client_certificate_file: '/etc/spice/flight-client/tls.crt',
  spiceai_tls_client_key_file: '/etc/spice/flight-client/tls.key',
};
const clientSplit = (writer: WriterTierSpec = { tls: TLS, flightClientCertificate: CLIENT }, overrides: Partial<SplitSpec> = {}) =>
  awsSplit({ image: ENTERPRISE_2, writer, ...overrides });

function rendered(spec: SplitSpec) {
  const result = synthesizeSplit(spec);
  const pods = { owner: result.writer.snapshotOwner.spicepod, replica: result.writer.queryReplica.spicepod, reader: result.reader.spicepod, archiver: result.archiver!.spicepod };
  for (const pod of Object.values(pods)) expectValidSpicepod(pod);
  return { ...pods, readerSecrets: result.reader.secretEnv };
}

const paramsOf = (pod: { datasets: readonly { name: string; params?: Record<string, unknown> }[] }, name: string) => pod.datasets.find((d) => d.name === name)!.params;

describe('the client certificate readers and the archiver present (writer.flightClientCertificate)', () => {
  it('is presented on every delegated dataset of the reader and every dataset of the archiver', () => {
    const { reader, archiver } = rendered(clientSplit());
    expect(paramsOf(reader, 'history')).toEqual({
      spiceai_endpoint: 'https://shop-writer.shop.svc.cluster.local:50051',
      spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}',
      spiceai_tls_ca_certificate_file: '/etc/spice/flight-ca/ca.crt',
      ...CLIENT_PARAMS,
    });
    for (const dataset of archiver.datasets) expect(dataset.params).toMatchObject(CLIENT_PARAMS);
    // Accelerated datasets restore snapshots: they never dial the writers.
    expect(paramsOf(reader, 'orders')).toEqual({ file_format: 'parquet' });
  });

  it('is a Flight credential: the reader still holds no source credential and no secret but the cluster API key', () => {
    const { reader, readerSecrets } = rendered(clientSplit());
    expect(readerSecrets).toEqual([{ envVar: 'SPICE_CLUSTER_API_KEY', secret: { secretName: 'shop-cluster-api-key', key: 'api-key' }, purpose: 'cluster-api-key' }]);
    const text = JSON.stringify(reader);
    expect(text.match(/\$\{secrets:[A-Z0-9_]+\}/g)).toEqual(['${secrets:SPICE_CLUSTER_API_KEY}']);
    expect(text).not.toMatch(/pg_pass|pg_host|shop-db/);
    // A file path, never the key itself: nothing inline.
    expect(text).not.toMatch(/spiceai_tls_client_(certificate|key)"/);
  });

  it('leaves the writers as they are: no client certificate asked (no client_auth_mode), none presented', () => {
    const { owner, replica } = rendered(clientSplit());
    for (const pod of [owner, replica]) {
      expect(pod.runtime?.tls).toEqual({ enabled: true, certificate_file: '/etc/spice/tls/tls.crt', key_file: '/etc/spice/tls/tls.key' });
      expect(JSON.stringify(pod)).not.toMatch(/client_auth_mode|spiceai_tls_client/);
    }
  });

  it('works with a custom TLS endpoint (a gateway that requires client certificates) without writer.tls', () => {
    const { reader, archiver } = rendered(clientSplit({ flightEndpoint: GATEWAY, flightClientCertificate: CLIENT }));
    for (const params of [paramsOf(reader, 'history'), paramsOf(archiver, 'orders')]) {
      expect(params).toEqual({ spiceai_endpoint: GATEWAY, spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}', ...CLIENT_PARAMS });
    }
    expect(rendered(clientSplit({ flightEndpoint: 'https://flight.shop.example', flightClientCertificate: CLIENT })).reader.datasets[1].params).toMatchObject(CLIENT_PARAMS);
  });

  it('renders nothing of it without the option', () => {
    for (const writer of [{ tls: TLS }, { flightEndpoint: GATEWAY }, {}]) {
      const { owner, reader, archiver } = rendered(clientSplit(writer));
      expect(JSON.stringify([owner, reader, archiver])).not.toMatch(/spiceai_tls_client|flight-client/);
    }
  });

  it('is refused on Spice 1.x, whose spice.ai connector presents no client certificate', () => {
    const problem = problemAt(awsSplit({ writer: { flightEndpoint: GATEWAY, flightClientCertificate: CLIENT } }), 'writer.flightClientCertificate');
    expect(problem.message).toBe('needs readers that present a client certificate (spiceai_tls_client_certificate_file), which Spice 1.11.5 lacks (2.0.0 and later)');
    expect(problem.fix).toBe('use a Spice 2.x image, or leave writer.flightClientCertificate out');
  });

  it('is refused when readers dial plaintext, naming the endpoint and the fix', () => {
    const byDefault = problemAt(clientSplit({ flightClientCertificate: CLIENT }), 'writer.flightClientCertificate');
    expect(byDefault.message).toBe('is presented only in a TLS handshake, but readers and the archiver dial "http://shop-writer.shop.svc.cluster.local:50051" in plaintext');
    expect(byDefault.fix).toBe(
      "set writer.flightEndpoint to the 'https://' or 'grpc+tls://' endpoint that requires client certificates (a gateway or mesh), or set writer.tls, or leave writer.flightClientCertificate out",
    );
    const custom = problemAt(clientSplit({ flightEndpoint: 'http://flight.shop.example:50051', flightClientCertificate: CLIENT }), 'writer.flightClientCertificate');
    expect(custom.message).toMatch(/dial "http:\/\/flight.shop.example:50051" in plaintext$/);
  });

  it('leaves a plaintext endpoint under writer.tls to that check: one problem, not two', () => {
    const error = validationError(clientSplit({ tls: TLS, flightEndpoint: 'http://shop-writer:50051', flightClientCertificate: CLIENT }));
    expect(error.problems.map((p) => p.path)).toEqual(['writer.flightEndpoint']);
  });

  it('refuses a Secret name Kubernetes rejects, and something that is no setting', () => {
    const problem = problemAt(clientSplit({ tls: TLS, flightClientCertificate: { secretName: 'Shop_Client' } }), 'writer.flightClientCertificate.secretName');
    expect(problem.message).toBe('"Shop_Client" is not a Kubernetes Secret name');
    expect(problem.fix).toBe("use lowercase letters, digits, '-' and '.', e.g. 'orders-flight-client'");
    const notObject = problemAt(clientSplit({ tls: TLS, flightClientCertificate: 'shop-flight-client' as never }), 'writer.flightClientCertificate');
    expect(notObject.message).toBe('"shop-flight-client" is not a client certificate');
  });

  it('reports every problem at once', () => {
    const error = validationError(awsSplit({ writer: { flightClientCertificate: { secretName: 'Shop_Client' } } }));
    expect(error.problems.map((p) => [p.path, p.message.split(' (')[0]])).toEqual([
      ['writer.flightClientCertificate.secretName', '"Shop_Client" is not a Kubernetes Secret name'],
      ['writer.flightClientCertificate', 'needs readers that present a client certificate'],
      ['writer.flightClientCertificate', 'is presented only in a TLS handshake, but readers and the archiver dial "http://shop-writer.shop.svc.cluster.local:50051" in plaintext'],
    ]);
  });
});
