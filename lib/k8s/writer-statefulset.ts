import { Construct } from 'constructs';
import { ResolvedSplit, TierSpicepod, WriterRole } from '../core';
import { IdentityBinding } from './identity';
import { LABELS, tierLabels } from './labels';
import { manifest } from './manifest';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';
import { DATA_VOLUME, dataTierContainer, dataTierVolumes, NodeSpread, spicePodTemplate } from './spice-pod';
import { SpicepodConfigMap } from './spicepod-config-map';

/** Options of one writer StatefulSet. */
export interface WriterStatefulSetOptions {
  readonly split: ResolvedSplit;
  readonly role: WriterRole;
  readonly spicepod: TierSpicepod;
  readonly replicas: number;
  readonly serviceAccountName: string;
  readonly identity: IdentityBinding;
  readonly nodeSpread: NodeSpread;
}

/** Name of the StatefulSet (and its ConfigMap and headless Service) for a writer role. */
export function writerStatefulSetName(split: ResolvedSplit, role: WriterRole): string {
  return `${split.name}-writer-${role === 'snapshot-owner' ? 'owner' : 'replica'}`;
}

/**
 * One StatefulSet of writers sharing a role: its Spicepod ConfigMap, its headless Service and a
 * persistent volume per replica for the acceleration files.
 */
export class WriterStatefulSet extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, options: WriterStatefulSetOptions) {
    super(scope, id);
    const { split, role } = options;
    this.name = writerStatefulSetName(split, role);
    const labels = { ...tierLabels(split.name, 'writer'), [LABELS.role]: role };
    const config = new SpicepodConfigMap(this, 'Spicepod', {
      name: `${this.name}-spicepod`,
      namespace: split.namespace,
      labels,
      spicepod: options.spicepod.spicepod,
    });
    const headlessName = `${this.name}-headless`;
    manifest(this, 'Headless', 'v1', 'Service', { name: headlessName, namespace: split.namespace, labels }, {
      spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'http', port: DEFAULT_PORTS.http, targetPort: PORT_NAMES.http }] },
    });
    manifest(this, 'Resource', 'apps/v1', 'StatefulSet', { name: this.name, namespace: split.namespace, labels }, {
      spec: {
        serviceName: headlessName,
        replicas: options.replicas,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: labels },
        template: spicePodTemplate({
          labels,
          checksum: config.checksum,
          serviceAccountName: options.serviceAccountName,
          identity: options.identity,
          spread: { labels: tierLabels(split.name, 'writer'), nodes: options.nodeSpread },
          container: dataTierContainer(split, options.spicepod, split.writer.resources),
          volumes: dataTierVolumes(config.name),
        }),
        volumeClaimTemplates: [
          {
            metadata: { name: DATA_VOLUME, labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              ...(split.writer.storageClass ? { storageClassName: split.writer.storageClass } : {}),
              resources: { requests: { storage: split.writer.storageSize } },
            },
          },
        ],
        // Acceleration files are state: keep the volumes when the StatefulSet is deleted or scaled down.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  }
}
