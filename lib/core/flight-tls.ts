import { isIP } from 'node:net';
import { Findings, quote } from './errors';
import { checkSecretName } from './secret-ref';
import { formatVersion, ResolvedSpiceImage } from './spice-image';

/**
 * TLS on the writers' endpoints. The writers serve Flight (and HTTP, metrics) over TLS with the
 * certificate in `secretName`; readers and the archiver dial `https://` and trust `caCertificate`
 * alone (`spiceai_tls_ca_certificate_file`).
 */
export interface FlightTlsSpec {
  /**
   * Secret (type `kubernetes.io/tls`) in the split's namespace holding the writers' `tls.crt` and
   * `tls.key`: one you manage, or the one cert-manager writes (the chart's `flightCertificate`).
   */
  readonly secretName: string;
  /**
   * PEM of the CA that signed the writers' certificate (several, concatenated, while a CA is
   * rotated). It is public: the Kubernetes side renders it as a ConfigMap next to every reader and
   * the archiver, which trust nothing else.
   */
  readonly caCertificate: string;
}

/** Where the writers read their certificate and key. */
export const FLIGHT_TLS_DIR = '/etc/spice/tls';
/** Where readers and the archiver read the CA that signed the writers' certificate. */
export const FLIGHT_CA_DIR = '/etc/spice/flight-ca';
/** Key of the CA in its ConfigMap (cert-manager's name for it). */
export const FLIGHT_CA_KEY = 'ca.crt';
/** Where readers and the archiver read the client certificate they present to the writers' endpoint. */
export const FLIGHT_CLIENT_DIR = '/etc/spice/flight-client';
/** Keys of a `kubernetes.io/tls` Secret, and the file names spiced reads them from. */
export const TLS_SECRET_KEYS = { certificate: 'tls.crt', key: 'tls.key' } as const;

/** `spiceai_tls_ca_certificate_file` (a private CA for the `spice.ai` connector) arrived in 2.0.0. */
const FIRST_CA_FILE_MAJOR = 2;
/** One or more PEM certificates (a bundle of the old and the new CA during a rotation). */
const PEM_CERTIFICATES = /^\s*(-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----\s*)+$/;

/** Checks the TLS settings against the image and the endpoint readers dial. */
export function checkFlightTls(
  tls: FlightTlsSpec | undefined,
  image: ResolvedSpiceImage,
  customEndpoint: string | undefined,
  findings: Findings,
): FlightTlsSpec | undefined {
  if (tls === undefined) return undefined;
  if (!tls || typeof tls !== 'object') {
    findings.problem('writer.tls', `${quote(tls)} is not a TLS setting`, "give { secretName, caCertificate }, or leave it out for plaintext Flight");
    return undefined;
  }
  checkSecretName(tls.secretName, 'writer.tls.secretName', 'orders-writer-tls', findings);
  if (typeof tls.caCertificate !== 'string' || !PEM_CERTIFICATES.test(tls.caCertificate)) {
    findings.problem(
      'writer.tls.caCertificate',
      `${typeof tls.caCertificate === 'string' ? 'holds something other than PEM certificates' : `${quote(tls.caCertificate)} is not a PEM certificate`}`,
      "give the CA's certificate as PEM ('-----BEGIN CERTIFICATE-----' ... '-----END CERTIFICATE-----'), never its key",
    );
  }
  if (image.version.major < FIRST_CA_FILE_MAJOR) {
    findings.problem(
      'writer.tls',
      `needs readers that trust a private CA (spiceai_tls_ca_certificate_file), which Spice ${formatVersion(image.version)} lacks (2.0.0 and later): its readers would refuse the writers' certificate`,
      'use a Spice 2.x image, or leave writer.tls out',
    );
  }
  if (isPlaintextFlightEndpoint(customEndpoint)) {
    findings.problem('writer.flightEndpoint', `${quote(customEndpoint)} is plaintext, but the writers serve TLS (writer.tls)`, "use 'https://' or 'grpc+tls://', or leave it out for the in-cluster https:// endpoint");
  }
  return tls;
}

/** The parts of a Flight endpoint this library reads. */
export interface FlightEndpointParts {
  /** Lowercase: `http`, `https` or `grpc+tls`. */
  readonly scheme: string;
  /** Lowercase, without a trailing dot (`name.` is `name`); an IPv6 address without its brackets. */
  readonly host: string;
  /** The port written in the endpoint; undefined when it gives none. */
  readonly port?: number;
}

/** What spiced dials: a scheme it accepts, a host (a name, an address, an IPv6 address in brackets) and an optional port. */
const FLIGHT_ENDPOINT = /^(http|https|grpc\+tls):\/\/(\[[^\]\s/]+\]|[^\s/:[\]]+)(?::(\d{1,5}))?\/?$/;

/**
 * A Flight endpoint's scheme, host (lowercase, without brackets or a trailing dot) and port;
 * undefined for anything that is no Flight endpoint spiced accepts (see `isFlightEndpoint`).
 */
export function flightEndpointParts(endpoint: unknown): FlightEndpointParts | undefined {
  const match = typeof endpoint === 'string' ? FLIGHT_ENDPOINT.exec(endpoint) : null;
  if (!match) return undefined;
  const [, scheme, host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return { scheme, host: host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase(), ...(port ? { port: Number(port) } : {}) };
}

/** A Flight endpoint spiced accepts: a scheme it dials, a host, and a port from 1 to 65535 when one is given. */
export function isFlightEndpoint(endpoint: unknown): endpoint is string {
  return flightEndpointParts(endpoint) !== undefined;
}

/** Whether a Flight endpoint is dialed in plaintext (`http://`); false for anything that is no Flight endpoint. */
export function isPlaintextFlightEndpoint(endpoint: unknown): boolean {
  return flightEndpointParts(endpoint)?.scheme === 'http';
}

/**
 * Whether two Flight endpoints name the same address: the host in any case, a trailing `/` or dot
 * or none, the scheme's default port written or not.
 */
export function sameFlightEndpoint(a: string, b: string): boolean {
  const canonical = (endpoint: string) => {
    const parts = flightEndpointParts(endpoint);
    return parts ? `${parts.scheme}://${parts.host}:${flightEndpointPort(parts)}` : endpoint;
  };
  return canonical(a) === canonical(b);
}

const SCHEME_PORTS: Readonly<Record<string, number>> = { 'http': 80, 'https': 443, 'grpc+tls': 443 };

/** The port an endpoint is dialed on: the one it names, else its scheme's default. */
export function flightEndpointPort(parts: FlightEndpointParts): number {
  return parts.port ?? SCHEME_PORTS[parts.scheme] ?? 443;
}

/**
 * Whether a host resolves only inside the cluster: a name ending in `.svc` or `.svc.cluster.local`,
 * or `<service>.<namespace>` of the writers' namespace. A one-label name may be a sibling on
 * another network (a Compose service, a VPN's search domain), so it is not counted. The host is
 * as `flightEndpointParts` gives it (lowercase, no trailing dot).
 */
export function isClusterOnlyHost(host: string, namespace: string): boolean {
  if (isIP(host) !== 0) return false;
  const labels = host.split('.');
  return (labels.length === 2 && labels[1] === namespace) || /\.svc(\.cluster\.local)?$/.test(host);
}

/** Whether a host is a cluster Service name: one label (a Service of the caller's namespace), or a name only the cluster resolves. */
function isClusterServiceHost(host: string, namespace: string): boolean {
  return (isIP(host) === 0 && !host.includes('.')) || isClusterOnlyHost(host, namespace);
}

/**
 * Warns of a custom plaintext endpoint outside the cluster's Services (a load balancer, an
 * address): whoever dials it sends the cluster API key unencrypted across that network, where the
 * writers' NetworkPolicies keep the default in-cluster endpoint private to the split's pods.
 */
export function warnPlaintextEndpoint(customEndpoint: string | undefined, namespace: string, at: { readonly path: string; readonly dialers: string }, findings: Findings): void {
  const parts = customEndpoint === undefined ? undefined : flightEndpointParts(customEndpoint);
  if (parts?.scheme !== 'http' || isClusterServiceHost(parts.host, namespace)) return;
  const host = isIP(parts.host) === 6 ? `[${parts.host}]` : parts.host;
  findings.warn(
    'plaintext-flight-endpoint',
    at.path,
    `${quote(customEndpoint)} is plaintext outside the cluster's Services: ${at.dialers} send the cluster API key to ${host} unencrypted; ` +
      "use an 'https://' or 'grpc+tls://' endpoint (writer.tls, or a load balancer that terminates TLS), or acknowledge this on a network you trust",
  );
}
