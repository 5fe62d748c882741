import { Findings, quote } from './errors';
import { FLIGHT_CLIENT_DIR, FlightTlsSpec, isPlaintextFlightEndpoint, TLS_SECRET_KEYS } from './flight-tls';
import { checkSecretName } from './secret-ref';
import { formatVersion, ResolvedSpiceImage } from './spice-image';
import { SpicepodParams } from './spicepod';

/**
 * A client certificate that readers and the archiver present when they dial the writers' Flight
 * endpoint (mutual TLS), for an endpoint behind something that requires one: a gateway or a mesh
 * in front of a custom `writer.flightEndpoint`. The writers themselves never ask for one (the
 * library renders no `client_auth_mode`; see docs/kubernetes.md#tls-between-the-tiers).
 */
export interface FlightClientCertificateSpec {
  /**
   * Secret (type `kubernetes.io/tls`) holding the client certificate (`tls.crt`, the chain) and
   * its key (`tls.key`). It must exist in every namespace with a reader that delegates, and in the
   * split's namespace when the split keeps a daily archive (the archiver dials the writers too):
   * one you manage, or the ones cert-manager writes (the chart's `flightClientCertificate`).
   */
  readonly secretName: string;
}

/**
 * `spiceai_tls_client_certificate_file` / `spiceai_tls_client_key_file` (the `spice.ai` connector
 * presents a client certificate) came with spiceai PR #10764, merged on 2026-05-10, before
 * v2.0.0-rc.5 (2026-05-19). That the 2.0.0 releases carry it is inferred from those dates, not
 * verified in released code; the gate is the same as the private CA's (2.0.0 and later).
 */
const FIRST_CLIENT_CERTIFICATE_MAJOR = 2;

/**
 * Checks the client certificate against the image and the endpoint readers dial. A plaintext
 * custom endpoint with `writer.tls` is reported by `checkFlightTls` already.
 */
export function checkFlightClientCertificate(
  spec: FlightClientCertificateSpec | undefined,
  image: ResolvedSpiceImage,
  tls: FlightTlsSpec | undefined,
  flightEndpoint: string,
  findings: Findings,
): FlightClientCertificateSpec | undefined {
  if (spec === undefined) return undefined;
  const path = 'writer.flightClientCertificate';
  if (!spec || typeof spec !== 'object') {
    findings.problem(path, `${quote(spec)} is not a client certificate`, "give { secretName } of a kubernetes.io/tls Secret, or leave it out");
    return undefined;
  }
  checkSecretName(spec.secretName, `${path}.secretName`, 'orders-flight-client', findings);
  if (image.version.major < FIRST_CLIENT_CERTIFICATE_MAJOR) {
    findings.problem(
      path,
      `needs readers that present a client certificate (spiceai_tls_client_certificate_file), which Spice ${formatVersion(image.version)} lacks (2.0.0 and later)`,
      `use a Spice 2.x image, or leave ${path} out`,
    );
  }
  if (!tls && isPlaintextFlightEndpoint(flightEndpoint)) {
    findings.problem(
      path,
      `is presented only in a TLS handshake, but readers and the archiver dial ${quote(flightEndpoint)} in plaintext`,
      `set writer.flightEndpoint to the 'https://' or 'grpc+tls://' endpoint that requires client certificates (a gateway or mesh), or set writer.tls, or leave ${path} out`,
    );
  }
  return spec;
}

/** The `spice.ai` connector's params that present the mounted client certificate; none without one. */
export function flightClientCertificateParams(spec: FlightClientCertificateSpec | undefined): SpicepodParams {
  if (!spec) return {};
  return {
    spiceai_tls_client_certificate_file: `${FLIGHT_CLIENT_DIR}/${TLS_SECRET_KEYS.certificate}`,
    spiceai_tls_client_key_file: `${FLIGHT_CLIENT_DIR}/${TLS_SECRET_KEYS.key}`,
  };
}
