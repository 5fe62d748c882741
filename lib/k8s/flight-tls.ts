import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FLIGHT_CA_DIR, FLIGHT_CA_KEY, FLIGHT_TLS_DIR, flightCaConfigMapName, ResolvedSplit, writerServiceHost, writerServiceName } from '../core';
import { LABELS } from './labels';
import { Json, manifest } from './manifest';
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

const NO_TLS: TlsMounts = { mounts: [], volumes: [], serves: false };

/** The writers' certificate and key, readable by spiced's group only. */
export function writerTlsMounts(split: ResolvedSplit): TlsMounts {
  const tls = split.writer.tls;
  if (!tls) return NO_TLS;
  return {
    mounts: [{ volume: 'flight-tls', mountPath: FLIGHT_TLS_DIR, readOnly: true }],
    volumes: [{
      name: 'flight-tls',
      secret: { secretName: tls.secretName, defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] },
    }],
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

const renderedCa = new WeakMap<Chart, Set<string>>();

/**
 * The CA ConfigMap in a namespace, rendered once per chart (each chart deploys on its own, as the
 * reader ServiceAccount). Nothing when the writers serve plaintext.
 */
export function flightCaConfigMap(scope: Construct, split: ResolvedSplit, namespace: string | undefined): ApiObject | undefined {
  const tls = split.writer.tls;
  if (!tls) return undefined;
  const chart = Chart.of(scope);
  const done = renderedCa.get(chart) ?? new Set<string>();
  renderedCa.set(chart, done);
  if (done.has(namespace ?? '')) return undefined;
  done.add(namespace ?? '');
  return manifest(scope, 'FlightCa', 'v1', 'ConfigMap', {
    name: flightCaConfigMapName(split.name),
    namespace,
    labels: { [LABELS.split]: split.name },
  }, { data: { [FLIGHT_CA_KEY]: tls.caCertificate.trim() + '\n' } });
}

/**
 * A cert-manager Certificate for the writers: the names readers dial (the writer Service's), a
 * server-auth key that is rotated on every renewal, written to `writer.tls.secretName`.
 */
export function flightCertificate(scope: Construct, split: ResolvedSplit, issuer: FlightCertificateIssuer): ApiObject {
  const service = writerServiceName(split.name);
  const host = writerServiceHost(split.name, split.namespace);
  return manifest(scope, 'FlightCertificate', 'cert-manager.io/v1', 'Certificate', {
    name: `${service}-tls`,
    namespace: split.namespace,
    labels: { [LABELS.split]: split.name },
  }, {
    spec: {
      secretName: split.writer.tls!.secretName,
      dnsNames: [service, `${service}.${split.namespace}`, `${service}.${split.namespace}.svc`, host],
      usages: ['server auth'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: issuer.name, kind: issuer.kind ?? 'Issuer', group: issuer.group ?? 'cert-manager.io' },
    },
  });
}
