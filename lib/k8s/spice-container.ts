import { ResolvedResources, SecretEnvBinding, SPICE_PORTS } from '../core';
import { SPICE_HOME, SPICE_HOME_ENV, SPICED_COMMAND, SPICED_PROBES, spicedListenArgs } from '../core/spiced-process';
import { restrictedContainerSecurity } from './pod-security';
import { SpiceEnvVar } from './pod-settings';
import { cpuQuantity, ephemeralStorageRequest, memoryQuantity } from './quantities';

export { SPICE_HOME, SPICE_HOME_ENV, SPICED_COMMAND, SPICEPOD_DIR, SPICEPOD_FILE } from '../core/spiced-process';

/** A volume mount of the spiced container. */
export interface SpiceMount {
  readonly volume: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
}

/** Ports of one spiced container. */
export interface SpicePorts {
  readonly http: number;
  readonly flight: number;
  readonly metrics: number;
}

/** Everything that describes one spiced container, mapped to plain manifests or cdk8s-plus props. */
export interface SpiceContainerModel {
  readonly name: string;
  readonly image: string;
  readonly args: readonly string[];
  readonly ports: SpicePorts;
  readonly env: readonly SecretEnvBinding[];
  readonly resources: ResolvedResources;
  readonly mounts: readonly SpiceMount[];
  /** Extra environment variables (plain Kubernetes `EnvVar`s), after the library's own. */
  readonly extraEnv?: readonly SpiceEnvVar[];
  /** spiced serves TLS on every endpoint (`runtime.tls`): the probes use HTTPS. */
  readonly servesTls?: boolean;
  /**
   * The size limits of the emptyDir volumes spiced writes (acceleration files, `/tmp`), requested
   * as ephemeral storage: without the request the scheduler may place the pod on a node whose disk
   * cannot hold them, and the kubelet evicts it under disk pressure.
   */
  readonly scratch: readonly string[];
}

/** Container port names: prefixed, so they never clash with an application's `http` or `metrics`. */
export const PORT_NAMES = { http: 'spice-http', flight: 'spice-flight', metrics: 'spice-metrics' } as const;

/** The default ports, as the Spice Helm chart runs them. */
export const DEFAULT_PORTS: SpicePorts = { http: SPICE_PORTS.http, flight: SPICE_PORTS.flight, metrics: SPICE_PORTS.metrics };

/**
 * spiced's arguments: listen beyond loopback (kubelet probes reach the pod IP; NetworkPolicies keep
 * the ports private) and read the mounted Spicepod.
 */
export function spicedArgs(ports: SpicePorts): string[] {
  return spicedListenArgs('0.0.0.0', ports);
}

/** Probe timings (`SPICED_PROBES`, shared with the readers off Kubernetes). */
export const PROBES = SPICED_PROBES;

function probe(kind: keyof typeof PROBES, port: number, https = false) {
  const { path, periodSeconds, failureThreshold } = PROBES[kind];
  // The kubelet does not verify the certificate of an HTTPS probe.
  return { httpGet: { path, port, ...(https ? { scheme: 'HTTPS' } : {}) }, periodSeconds, failureThreshold };
}

/**
 * The one renderer of the spiced container, for the library's own pods and for the reader sidecar
 * in any application workload. Quantities are written in one canonical form (`2000m`, `4096Mi`).
 *
 * The image is always pinned (a release tag, or `tag@sha256:` digest), so `IfNotPresent`: a node
 * that has it starts pods without the registry, and Kubernetes pulls a digest-pinned image by its
 * digest, so every node runs the same bytes. A tag re-pushed with other bytes reaches only nodes
 * that pull it afresh: pin `image.digest` to rule that out.
 */
export function toContainerManifest(model: SpiceContainerModel, nativeSidecar = false): Record<string, unknown> {
  return {
    name: model.name,
    image: model.image,
    imagePullPolicy: 'IfNotPresent',
    command: [...SPICED_COMMAND],
    args: [...model.args],
    workingDir: SPICE_HOME,
    ports: [
      { name: PORT_NAMES.http, containerPort: model.ports.http, protocol: 'TCP' },
      { name: PORT_NAMES.flight, containerPort: model.ports.flight, protocol: 'TCP' },
      { name: PORT_NAMES.metrics, containerPort: model.ports.metrics, protocol: 'TCP' },
    ],
    env: [
      { name: SPICE_HOME_ENV, value: SPICE_HOME },
      ...model.env.map((binding) => ({
        name: binding.envVar,
        valueFrom: { secretKeyRef: { name: binding.secret.secretName, key: binding.secret.key } },
      })),
      ...(model.extraEnv ?? []).map((variable) => ({ ...variable })),
    ],
    resources: {
      requests: {
        'cpu': cpuQuantity(model.resources.cpu.request),
        'memory': memoryQuantity(model.resources.memory.request),
        'ephemeral-storage': ephemeralStorageRequest(model.scratch),
      },
      limits: { cpu: cpuQuantity(model.resources.cpu.limit), memory: memoryQuantity(model.resources.memory.limit) },
    },
    startupProbe: probe('startup', model.ports.http, model.servesTls),
    livenessProbe: probe('liveness', model.ports.http, model.servesTls),
    readinessProbe: probe('readiness', model.ports.http, model.servesTls),
    volumeMounts: model.mounts.map((mount) => ({
      name: mount.volume,
      mountPath: mount.mountPath,
      ...(mount.subPath ? { subPath: mount.subPath } : {}),
      ...(mount.readOnly ? { readOnly: true } : {}),
    })),
    securityContext: restrictedContainerSecurity(),
    ...(nativeSidecar ? { restartPolicy: 'Always' } : {}),
  };
}
