import { Construct } from 'constructs';
import { archiverName, ResolvedSplit, writerServiceName } from '../core';
import { LABELS, namespaceSelector, namespacesSelector, tierLabels } from './labels';
import { Json, manifest } from './manifest';
import { DEFAULT_PORTS } from './spice-container';

/** Namespaces allowed to scrape metrics, by name. */
function fromNamespace(name: string): Json {
  return { namespaceSelector: namespaceSelector(name) };
}

const tcp = (port: number) => ({ protocol: 'TCP', port });

/**
 * Ingress rules for the split's own pods: the writers' Flight port accepts only pods that run a
 * reader of this split (in any namespace, or in `readerNamespaces`) and the archiver (nothing of the split dials their HTTP
 * port: kubelet probes are not subject to NetworkPolicies, and operators use port-forward); metrics only the monitoring
 * namespace; the archiver (when the split keeps a daily archive) accepts nothing but metrics scrapes.
 */
export class SplitNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: { split: ResolvedSplit; monitoringNamespace: string; readerNamespaces?: readonly string[]; archiver: boolean }) {
    super(scope, id);
    const { split, monitoringNamespace } = props;
    const readers = { namespaceSelector: namespacesSelector(props.readerNamespaces), podSelector: { matchLabels: { [LABELS.readerOf]: split.name } } };
    const archiver = { podSelector: { matchLabels: tierLabels(split.name, 'archiver') } };
    const metrics = { from: [fromNamespace(monitoringNamespace)], ports: [tcp(DEFAULT_PORTS.metrics)] };
    manifest(this, 'Writer', 'networking.k8s.io/v1', 'NetworkPolicy', { name: writerServiceName(split.name), namespace: split.namespace }, {
      spec: {
        podSelector: { matchLabels: tierLabels(split.name, 'writer') },
        policyTypes: ['Ingress'],
        ingress: [{ from: props.archiver ? [readers, archiver] : [readers], ports: [tcp(DEFAULT_PORTS.flight)] }, metrics],
      },
    });
    // A split that keeps no daily archive runs no archiver.
    if (props.archiver) manifest(this, 'Archiver', 'networking.k8s.io/v1', 'NetworkPolicy', { name: archiverName(split.name), namespace: split.namespace }, {
      spec: { podSelector: { matchLabels: tierLabels(split.name, 'archiver') }, policyTypes: ['Ingress'], ingress: [metrics] },
    });
  }
}
