import { Construct } from 'constructs';
import { archiverName, ResolvedSplit, writerServiceName } from '../core';
import { Findings, quote } from '../core/errors';
import { checkCidr } from './cidr';
import { LABELS, namespaceSelector, namespacesSelector, tierLabels } from './labels';
import { Json, manifest } from './manifest';
import { DEFAULT_PORTS } from './spice-container';

/** Namespaces allowed to scrape metrics, by name. */
function fromNamespace(name: string): Json {
  return { namespaceSelector: namespaceSelector(name) };
}

const tcp = (port: number) => ({ protocol: 'TCP', port });

/** What the split's NetworkPolicies admit. */
interface SplitNetworkPoliciesProps {
  readonly split: ResolvedSplit;
  readonly monitoringNamespace: string;
  readonly readerNamespaces?: readonly string[];
  /** Address ranges of readers outside the cluster, admitted to the Flight port. */
  readonly externalReaderCidrs?: readonly string[];
  /** Whether the split runs an archiver (it keeps a daily archive). */
  readonly archiver: boolean;
}

/** Checks the address ranges of readers outside the cluster; paths are rooted where `findings` is. */
export function checkExternalReaderCidrs(cidrs: unknown, findings: Findings): void {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    findings.problem('externalReaderCidrs', `${quote(cidrs)} is not a list of address ranges`, "list the readers' subnets, e.g. ['10.20.0.0/24'], or leave it out");
    return;
  }
  cidrs.forEach((value, i) => {
    const cidr = checkCidr(value, `externalReaderCidrs[${i}]`, findings, true);
    if (cidr?.prefix === 0) {
      findings.problem(
        `externalReaderCidrs[${i}]`,
        `${quote(value)} is every address: anything that reaches the load balancer could dial the writers' Flight port`,
        "name the subnets the readers run in (of the ECS tasks, the Cloud Run service or the Container Apps environment; the VPN's pool)",
      );
    }
  });
}

/**
 * Ingress rules for the split's own pods: the writers' Flight port accepts only pods that run a
 * reader of this split (in any namespace, or in `readerNamespaces`), readers outside the cluster
 * by address (`externalReaderCidrs`) and the archiver (nothing of the split dials their HTTP
 * port: kubelet probes are not subject to NetworkPolicies, and operators use port-forward); metrics only the monitoring
 * namespace; the archiver (when the split keeps a daily archive) accepts nothing but metrics scrapes.
 */
export class SplitNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: SplitNetworkPoliciesProps) {
    super(scope, id);
    const { split, monitoringNamespace } = props;
    const readerPods = { namespaceSelector: namespacesSelector(props.readerNamespaces), podSelector: { matchLabels: { [LABELS.readerOf]: split.name } } };
    const readers = [readerPods, ...(props.externalReaderCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }))];
    const archiver = { podSelector: { matchLabels: tierLabels(split.name, 'archiver') } };
    const metrics = { from: [fromNamespace(monitoringNamespace)], ports: [tcp(DEFAULT_PORTS.metrics)] };
    manifest(this, 'Writer', 'networking.k8s.io/v1', 'NetworkPolicy', { name: writerServiceName(split.name), namespace: split.namespace }, {
      spec: {
        podSelector: { matchLabels: tierLabels(split.name, 'writer') },
        policyTypes: ['Ingress'],
        ingress: [{ from: props.archiver ? [...readers, archiver] : readers, ports: [tcp(DEFAULT_PORTS.flight)] }, metrics],
      },
    });
    // A split that keeps no daily archive runs no archiver.
    if (props.archiver) manifest(this, 'Archiver', 'networking.k8s.io/v1', 'NetworkPolicy', { name: archiverName(split.name), namespace: split.namespace }, {
      spec: { podSelector: { matchLabels: tierLabels(split.name, 'archiver') }, policyTypes: ['Ingress'], ingress: [metrics] },
    });
  }
}
