import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { FLIGHT_CLIENT_DIR, ResolvedSplit } from '../core';
import { Findings, quote } from '../core/errors';
import { checkCertificateIssuer, FlightCertificateIssuer, flightCaMounts, issuerRef, NO_TLS, ROTATED_EC_KEY, TlsMounts, tlsSecretVolume } from './flight-tls';
import { LABELS } from './labels';
import { manifest } from './manifest';
import { firstInNamespace } from './once-per-namespace';

/**
 * The client certificate a pod presents to the writers' endpoint (`writer.flightClientCertificate`),
 * readable by the owner and the pod's fsGroup only, as the writers' own certificate is.
 */
export function flightClientMounts(split: ResolvedSplit, volume: string): TlsMounts {
  const client = split.writer.flightClientCertificate;
  if (!client) return NO_TLS;
  return { mounts: [{ volume, mountPath: FLIGHT_CLIENT_DIR, readOnly: true }], volumes: [tlsSecretVolume(volume, client.secretName)], serves: false };
}

/** Names of the volumes a pod that dials the writers mounts (an application pod keeps its own apart). */
export interface DialerVolumes {
  /** The writers' CA (`writer.tls`). */
  readonly ca: string;
  /** The client certificate (`writer.flightClientCertificate`). */
  readonly client: string;
}

/** What a pod that dials the writers (a delegating reader, the archiver) mounts: their CA, its client certificate. */
export function dialerTlsMounts(split: ResolvedSplit, volumes: DialerVolumes): TlsMounts {
  const parts = [flightCaMounts(split, volumes.ca), flightClientMounts(split, volumes.client)];
  return { mounts: parts.flatMap((part) => part.mounts), volumes: parts.flatMap((part) => part.volumes), serves: false };
}

/**
 * A cert-manager Certificate for the client certificate in a namespace, rendered once per chart:
 * `client auth`, ECDSA P-256, the key rotated on every renewal, into
 * `writer.flightClientCertificate.secretName`. Every copy is the same object, so charts that share
 * a namespace render the same Certificate. Nothing without a client certificate.
 */
export function flightClientCertificate(scope: Construct, split: ResolvedSplit, namespace: string | undefined, issuer: FlightCertificateIssuer): ApiObject | undefined {
  const client = split.writer.flightClientCertificate;
  if (!client || !firstInNamespace(scope, `flight-client/${split.name}`, namespace)) return undefined;
  const name = `${split.name}-flight-client`;
  return manifest(scope, 'FlightClientCertificate', 'cert-manager.io/v1', 'Certificate', { name, namespace, labels: { [LABELS.split]: split.name } }, {
    spec: { secretName: client.secretName, commonName: name, usages: ['client auth'], privateKey: { ...ROTATED_EC_KEY }, issuerRef: issuerRef(issuer) },
  });
}

/** Checks a cert-manager issuer for the client certificate; paths are rooted where `findings` is. */
export function checkFlightClientIssuer(issuer: FlightCertificateIssuer | undefined, split: ResolvedSplit | undefined, path: string, findings: Findings): void {
  if (issuer === undefined) return;
  const client = split?.writer.flightClientCertificate;
  if (split && !client) {
    findings.problem(path, 'is given, but the split has no writer.flightClientCertificate: no pod would present the certificate', `set split.writer.flightClientCertificate { secretName }, or remove ${path}`);
  }
  if (client && client.secretName === split?.writer.tls?.secretName) {
    findings.problem(
      path,
      `would write ${quote(client.secretName)}, which is writer.tls.secretName too: the writers' certificate and the client certificate would overwrite each other`,
      'give split.writer.flightClientCertificate a Secret of its own',
    );
  }
  checkCertificateIssuer(issuer, path, findings);
}
