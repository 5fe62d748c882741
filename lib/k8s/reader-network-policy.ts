import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceSelector } from './labels';
import { Json, manifest } from './manifest';

/** Options of the NetworkPolicy that keeps a sidecar's ports private to its pod. */
export interface ReaderNetworkPolicyOptions {
  readonly name: string;
  readonly namespace?: string;
  /**
   * The workload's own pod selector and the application's ports, produced at synth (cdk8s-plus
   * workloads can gain ports later) from one rendering of the workload.
   */
  readonly pod: { produce(): { readonly selector: unknown; readonly appPorts: readonly { readonly port: number; readonly protocol: string }[] } };
  readonly metricsPort: number;
  readonly monitoringNamespace: string;
  /** Egress rules of the pod; undefined to leave its egress unrestricted (no `Egress` policy type). */
  readonly egress?: Json[];
}

/**
 * Admits traffic to the application's ports only, so the sidecar's HTTP and Flight ports (which
 * listen beyond loopback for kubelet probes) are reachable from inside the pod alone; metrics from
 * the monitoring namespace. Kubelet probes are not subject to NetworkPolicies. With `egress`, the
 * pod reaches only what those rules allow.
 */
export function readerNetworkPolicy(scope: Construct, id: string, options: ReaderNetworkPolicyOptions): ApiObject {
  const metrics = {
    from: [{ namespaceSelector: namespaceSelector(options.monitoringNamespace) }],
    ports: [{ protocol: 'TCP', port: options.metricsPort }],
  };
  const spec = (): Json => {
    const { selector, appPorts } = options.pod.produce();
    const appRule = appPorts.length > 0 ? [{ ports: appPorts.map(({ port, protocol }) => ({ protocol, port })) }] : [];
    return {
      podSelector: selector,
      policyTypes: options.egress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: [...appRule, metrics],
      ...(options.egress ? { egress: options.egress } : {}),
    };
  };
  return manifest(scope, id, 'networking.k8s.io/v1', 'NetworkPolicy', { name: options.name, namespace: options.namespace }, {
    spec: Lazy.any({ produce: spec }),
  });
}
