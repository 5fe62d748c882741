import { ValidationProblem } from '../core';
import { SpicePorts } from './spice-container';

/** Name of the reader sidecar container. */
export const SIDECAR_NAME = 'spice-reader';

/** The parts of an application pod that the sidecar must fit into. */
export interface AppPodShape {
  readonly containers: readonly { readonly name: string; readonly ports: readonly number[] }[];
  readonly initContainers: readonly string[];
  readonly volumes: readonly string[];
  readonly serviceAccountName?: string;
}

/** What the sidecar brings into the pod. */
export interface SidecarFootprint {
  readonly ports: SpicePorts;
  readonly volumes: readonly string[];
  readonly serviceAccountName: string;
  /** Ports the application takes traffic on; undefined to read them from the containers. */
  readonly appPorts?: readonly number[];
  readonly keepWorkloadServiceAccount: boolean;
}

/** Ports the application takes traffic on: given, or declared by its containers. */
export function appPortsOf(pod: AppPodShape, footprint: SidecarFootprint): number[] {
  return [...(footprint.appPorts ?? [...new Set(pod.containers.flatMap((c) => c.ports))])];
}

/** Every reason the sidecar cannot join this pod as it is. */
export function sidecarProblems(pod: AppPodShape, footprint: SidecarFootprint, where: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const names = [...pod.containers.map((c) => c.name), ...pod.initContainers];
  if (names.includes(SIDECAR_NAME)) {
    problems.push({ path: where, message: `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice`, fix: 'add it once per workload' });
  }
  const sidecarPorts = Object.entries(footprint.ports);
  for (const container of pod.containers) {
    for (const [name, port] of sidecarPorts) {
      if (container.ports.includes(port)) {
        problems.push({
          path: `${where}.containers[${container.name}]`,
          message: `port ${port} is also the sidecar's ${name} port (containers of a pod share its network)`,
          fix: name === 'metrics' ? "set the sidecar's 'metricsPort' to a free port" : `move the application off port ${port}`,
        });
      }
    }
  }
  for (const volume of footprint.volumes.filter((v) => pod.volumes.includes(v))) {
    problems.push({ path: `${where}.volumes[${volume}]`, message: 'is also a volume of the sidecar', fix: 'rename the application volume' });
  }
  if (pod.serviceAccountName && pod.serviceAccountName !== footprint.serviceAccountName && !footprint.keepWorkloadServiceAccount) {
    problems.push({
      path: `${where}.serviceAccountName`,
      message: `is "${pod.serviceAccountName}", but the reader's read-only bucket identity is bound to "${footprint.serviceAccountName}"`,
      fix: "remove it from the workload, or set 'keepWorkloadServiceAccount: true' and bind the read-only identity to that ServiceAccount yourself",
    });
  }
  if (footprint.appPorts === undefined && appPortsOf(pod, footprint).length === 0) {
    problems.push({
      path: `${where}.containers`,
      message: 'declare no ports: the NetworkPolicy that keeps the sidecar private would admit no traffic to the application',
      fix: "declare the application's containerPorts, or set the sidecar's 'appPorts' ([] for pods that take no traffic)",
    });
  }
  return problems;
}
