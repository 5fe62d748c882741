import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { headlessServiceName, ResolvedSplit, spicepodConfigMapName, TierSpicepod, WriterRole, writerStatefulSetName } from '../core';
import { IdentityBinding } from './identity';
import { tierLabels, writerRoleLabels } from './labels';
import { manifest } from './manifest';
import { WriterPodSettings, writerUpdateStrategy } from './pod-settings';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';
import { DATA_VOLUME, dataTierContainer, dataTierVolumes, NodeSpread, spicePodTemplate } from './spice-pod';
import { SpicepodConfigMap } from './spicepod-config-map';
import { writerTlsMounts } from './flight-tls';

/** Options of one writer StatefulSet. */
export interface WriterStatefulSetOptions {
  readonly split: ResolvedSplit;
  readonly role: WriterRole;
  readonly spicepod: TierSpicepod;
  readonly replicas: number;
  readonly serviceAccountName: string;
  readonly identity: IdentityBinding;
  readonly nodeSpread: NodeSpread;
  /**
   * The writers' pod settings (image pull Secrets, scheduling, env, labels, update strategy).
   *
   * @default - none: the library's defaults
   */
  readonly settings?: WriterPodSettings;
}

/**
 * One StatefulSet of writers sharing a role: its Spicepod ConfigMap, its headless Service and a
 * persistent volume per replica for the acceleration files. Its name, `serviceName` and claim
 * template are frozen: changing them orphans every writer's volume on upgrade.
 */
export class WriterStatefulSet extends Construct {
  public readonly name: string;
  /** The StatefulSet, for JSON patches. */
  public readonly apiObject: ApiObject;
  /** The headless Service named by the StatefulSet's `serviceName`. */
  public readonly headlessService: ApiObject;
  /** The ConfigMap holding this role's Spicepod. */
  public readonly spicepodConfigMap: SpicepodConfigMap;

  constructor(scope: Construct, id: string, options: WriterStatefulSetOptions) {
    super(scope, id);
    const { split, role } = options;
    this.name = writerStatefulSetName(split.name, role);
    const labels = writerRoleLabels(split.name, role);
    this.spicepodConfigMap = new SpicepodConfigMap(this, 'Spicepod', {
      name: spicepodConfigMapName(this.name),
      namespace: split.namespace,
      labels,
      spicepod: options.spicepod.spicepod,
    });
    const headlessName = headlessServiceName(this.name);
    this.headlessService = manifest(this, 'Headless', 'v1', 'Service', { name: headlessName, namespace: split.namespace, labels }, {
      spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'http', port: DEFAULT_PORTS.http, targetPort: PORT_NAMES.http }] },
    });
    this.apiObject = manifest(this, 'Resource', 'apps/v1', 'StatefulSet', { name: this.name, namespace: split.namespace, labels }, {
      spec: {
        serviceName: headlessName,
        replicas: options.replicas,
        podManagementPolicy: 'Parallel',
        updateStrategy: writerUpdateStrategy(options.settings, role),
        selector: { matchLabels: labels },
        template: spicePodTemplate({
          labels,
          checksum: this.spicepodConfigMap.checksum,
          serviceAccountName: options.serviceAccountName,
          identity: options.identity,
          spread: { labels: tierLabels(split.name, 'writer'), nodes: options.nodeSpread },
          container: dataTierContainer(split, options.spicepod, split.writer.resources, options.settings, writerTlsMounts(split)),
          volumes: dataTierVolumes(this.spicepodConfigMap.name, writerTlsMounts(split)),
          settings: options.settings,
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
