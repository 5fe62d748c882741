import { isIP } from 'node:net';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  FLIGHT_CA_DIR, FLIGHT_CA_KEY, FLIGHT_TLS_DIR, flightCaConfigMapName, NAMESPACE_NAME, ResolvedSplit, TLS_SECRET_KEYS, writerServiceHost, writerServiceName,
} from '../core';
import { Findings, quote } from '../core/errors';
import { flightEndpointParts } from '../core/flight-tls';
import { LABELS } from './labels';
import { Json, manifest } from './manifest';
import { firstInNamespace } from './once-per-namespace';
import { SpiceMount } from './spice-container';

/** A cert-manager issuer that signs the writers' certificate. */
export interface FlightCertificateIssuer {
  /** Name of the Issuer (in the split's namespace) or ClusterIssuer. */
  readonly name: string;
  /**
   * `Issuer` or `ClusterIssuer`.
   *
   * @default 'Issuer'
   */
  readonly kind?: string;
  /**
   * API group of an external issuer.
   *
   * @default 'cert-manager.io'
   */
  readonly group?: string;
}

/** What a spiced container mounts for TLS, and the pod volumes behind it. */
export interface TlsMounts {
  readonly mounts: readonly SpiceMount[];
  readonly volumes: readonly Json[];
  /** The container serves TLS on every endpoint: probes and scrapes use HTTPS. */
  readonly serves: boolean;
}

/** Nothing to mount. */
export const NO_TLS: TlsMounts = { mounts: [], volumes: [], serves: false };

/**
 * A `kubernetes.io/tls` Secret's certificate and key as a volume, readable by the owner and the
 * pod's fsGroup only (the kubelet gives the files that group; spiced runs as a non-root user).
 */
export function tlsSecretVolume(name: string, secretName: string): Json {
  const items = [TLS_SECRET_KEYS.certificate, TLS_SECRET_KEYS.key].map((key) => ({ key, path: key }));
  return { name, secret: { secretName, defaultMode: 0o440, items } };
}

/** The writers' certificate and key, readable by spiced's group only. */
export function writerTlsMounts(split: ResolvedSplit): TlsMounts {
  const tls = split.writer.tls;
  if (!tls) return NO_TLS;
  return {
    mounts: [{ volume: 'flight-tls', mountPath: FLIGHT_TLS_DIR, readOnly: true }],
    volumes: [tlsSecretVolume('flight-tls', tls.secretName)],
    serves: true,
  };
}

/** The CA that signed the writers' certificate, for a pod that dials them (`volume` keeps app volume names apart). */
export function flightCaMounts(split: ResolvedSplit, volume: string): TlsMounts {
  if (!split.writer.tls) return NO_TLS;
  return {
    mounts: [{ volume, mountPath: FLIGHT_CA_DIR, readOnly: true }],
    volumes: [{ name: volume, configMap: { name: flightCaConfigMapName(split.name), items: [{ key: FLIGHT_CA_KEY, path: FLIGHT_CA_KEY }] } }],
    serves: false,
  };
}

/**
 * The CA ConfigMap in a namespace, rendered once per chart (each chart deploys on its own, as the
 * reader ServiceAccount). Nothing when the writers serve plaintext.
 */
export function flightCaConfigMap(scope: Construct, split: ResolvedSplit, namespace: string | undefined): ApiObject | undefined {
  const tls = split.writer.tls;
  if (!tls || !firstInNamespace(scope, `flight-ca/${split.name}`, namespace)) return undefined;
  return manifest(scope, 'FlightCa', 'v1', 'ConfigMap', {
    name: flightCaConfigMapName(split.name),
    namespace,
    labels: { [LABELS.split]: split.name },
  }, { data: { [FLIGHT_CA_KEY]: tls.caCertificate.trim() + '\n' } });
}

/** The issuer reference of a cert-manager Certificate. */
export function issuerRef(issuer: FlightCertificateIssuer): Json {
  return { name: issuer.name, kind: issuer.kind ?? 'Issuer', group: issuer.group ?? 'cert-manager.io' };
}

/** A key pair cert-manager generates afresh on every renewal. */
export const ROTATED_EC_KEY = { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' } as const;

const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'];

/** Checks a cert-manager issuer reference; paths are rooted where `findings` is. */
export function checkCertificateIssuer(issuer: FlightCertificateIssuer, path: string, findings: Findings): void {
  if (!issuer || typeof issuer.name !== 'string' || !NAMESPACE_NAME.test(issuer.name)) {
    findings.problem(`${path}.name`, `${quote(issuer?.name)} is not an issuer name`, "give the name of a cert-manager Issuer or ClusterIssuer, e.g. 'spice-ca'");
  }
  if (issuer?.group === undefined && issuer?.kind !== undefined && !ISSUER_KINDS.includes(issuer.kind)) {
    findings.problem(`${path}.kind`, `${quote(issuer.kind)} is not a cert-manager issuer kind`, "use 'Issuer' or 'ClusterIssuer' (or give the group of an external issuer)");
  }
}

/**
 * A cert-manager Certificate for the writers: the names readers dial (the writer Service's), a
 * server-auth key that is rotated on every renewal, written to `writer.tls.secretName`.
 */
export function flightCertificate(scope: Construct, split: ResolvedSplit, issuer: FlightCertificateIssuer): ApiObject {
  const service = writerServiceName(split.name);
  const host = writerServiceHost(split.name, split.namespace);
  const names = [service, `${service}.${split.namespace}`, `${service}.${split.namespace}.svc`, host];
  // A custom endpoint (a load balancer in front of the writers) is the name readers verify.
  const hosts = [split.writer.flightEndpoint, split.writer.externalFlightEndpoint].map((endpoint) => flightEndpointParts(endpoint)?.host);
  const addresses: string[] = [];
  for (const host of hosts) {
    if (host === undefined) continue;
    const list = isIP(host) !== 0 ? addresses : names;
    if (!list.includes(host)) list.push(host);
  }
  return manifest(scope, 'FlightCertificate', 'cert-manager.io/v1', 'Certificate', {
    name: `${service}-tls`,
    namespace: split.namespace,
    labels: { [LABELS.split]: split.name },
  }, {
    spec: {
      secretName: split.writer.tls!.secretName,
      dnsNames: names,
      ...(addresses.length > 0 ? { ipAddresses: addresses } : {}),
      usages: ['server auth'],
      privateKey: { ...ROTATED_EC_KEY },
      issuerRef: issuerRef(issuer),
    },
  });
}
