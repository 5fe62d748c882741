import { Construct } from 'constructs';
import { SynthesizedSplit, writerServiceAccountName, writerServiceName } from '../core';
import { Archiver } from './archiver';
import { identityBinding, WorkloadIdentity } from './identity';
import { tierLabels } from './labels';
import { manifest } from './manifest';
import { SplitNetworkPolicies } from './network-policies';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';
import { NodeSpread } from './spice-pod';
import { WriterStatefulSet } from './writer-statefulset';

/** Props of the writer cluster. */
export interface SpiceWriterClusterProps {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly split: SynthesizedSplit;
  /**
   * Cloud identity of the writers and the archiver: read-write on the snapshot location.
   *
   * @default - none: the ServiceAccount is created without identity annotations
   */
  readonly identity?: WorkloadIdentity;
  /**
   * Whether two writers may share a node.
   *
   * @default 'required' - one writer per node; zones are spread when possible
   */
  readonly nodeSpread?: NodeSpread;
  /**
   * Namespace allowed to scrape the metrics port.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/**
 * The writer cluster: one snapshot-owner StatefulSet (a single replica, the only pod that uploads
 * snapshots), a StatefulSet of query replicas that only bootstrap from them, the Flight/HTTP
 * Service readers delegate to, a PodDisruptionBudget, the archiver and the NetworkPolicies.
 */
export class SpiceWriterCluster extends Construct {
  /** The Service readers reach over Arrow Flight. */
  public readonly serviceName: string;
  /** The ServiceAccount of writers and archiver (bind the read-write identity to it). */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: SpiceWriterClusterProps) {
    super(scope, id);
    const { split, writer, archiver } = props.split;
    this.serviceName = writerServiceName(split.name);
    this.serviceAccountName = writerServiceAccountName(split.name);
    const identity = identityBinding(props.identity);
    const labels = tierLabels(split.name, 'writer');
    manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
      name: this.serviceAccountName, namespace: split.namespace, labels, annotations: identity.serviceAccountAnnotations,
    }, { automountServiceAccountToken: identity.automountServiceAccountToken });

    const common = { split, serviceAccountName: this.serviceAccountName, identity, nodeSpread: props.nodeSpread ?? 'required' };
    new WriterStatefulSet(this, 'Owner', { ...common, role: 'snapshot-owner', spicepod: writer.snapshotOwner, replicas: 1 });
    if (split.writer.replicas > 1) {
      new WriterStatefulSet(this, 'Replicas', { ...common, role: 'query-replica', spicepod: writer.queryReplica, replicas: split.writer.replicas - 1 });
    }

    manifest(this, 'Service', 'v1', 'Service', { name: this.serviceName, namespace: split.namespace, labels }, {
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [
          { name: 'flight', port: DEFAULT_PORTS.flight, targetPort: PORT_NAMES.flight, protocol: 'TCP' },
          { name: 'http', port: DEFAULT_PORTS.http, targetPort: PORT_NAMES.http, protocol: 'TCP' },
        ],
      },
    });
    manifest(this, 'Budget', 'policy/v1', 'PodDisruptionBudget', { name: `${split.name}-writer`, namespace: split.namespace, labels }, {
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    if (archiver) new Archiver(this, 'Archiver', { split, spicepod: archiver, serviceAccountName: this.serviceAccountName, identity });
    new SplitNetworkPolicies(this, 'NetworkPolicies', { split, monitoringNamespace: props.monitoringNamespace ?? 'monitoring' });
  }
}
