import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { archiverDisk, archiverName, ResolvedSplit, spicepodConfigMapName, TierSpicepod } from '../core';
import { IdentityBinding } from './identity';
import { tierLabels } from './labels';
import { manifest } from './manifest';
import { SpicePodSettings } from './pod-settings';
import { DATA_VOLUME, dataTierContainer, dataTierVolumes, spicePodTemplate } from './spice-pod';
import { SpicepodConfigMap } from './spicepod-config-map';
import { emptyDirVolume } from './spice-volumes';
import { dialerTlsMounts } from './flight-client-certificate';

/** The writers' CA and the client certificate, when the split has them. */
const DIALER_VOLUMES = { ca: 'flight-ca', client: 'flight-client' } as const;

/** Options of the archiver. */
export interface ArchiverOptions {
  readonly split: ResolvedSplit;
  readonly spicepod: TierSpicepod;
  /** The writer's ServiceAccount: the archiver uploads with the read-write identity. */
  readonly serviceAccountName: string;
  readonly identity: IdentityBinding;
  readonly settings?: SpicePodSettings;
}

/**
 * The archiver: one spiced that copies the accelerated datasets from the writer cluster once a day
 * and uploads them to the archive location. Its files are scratch (an emptyDir): every start
 * copies afresh, which is what a daily archive wants.
 */
export class Archiver extends Construct {
  public readonly name: string;
  /** The Deployment, for JSON patches. */
  public readonly apiObject: ApiObject;
  /** The ConfigMap holding the archiver's Spicepod. */
  public readonly spicepodConfigMap: SpicepodConfigMap;

  constructor(scope: Construct, id: string, options: ArchiverOptions) {
    super(scope, id);
    const { split } = options;
    this.name = archiverName(split.name);
    const labels = tierLabels(split.name, 'archiver');
    const tls = dialerTlsMounts(split, DIALER_VOLUMES);
    const disk = archiverDisk(split.reader.localDisk, split.datasets);
    this.spicepodConfigMap = new SpicepodConfigMap(this, 'Spicepod', {
      name: spicepodConfigMapName(this.name), namespace: split.namespace, labels, spicepod: options.spicepod.spicepod,
    });
    this.apiObject = manifest(this, 'Resource', 'apps/v1', 'Deployment', { name: this.name, namespace: split.namespace, labels }, {
      spec: {
        replicas: 1,
        // Never two archivers at once: both would upload to the archive location.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: spicePodTemplate({
          labels,
          checksum: this.spicepodConfigMap.checksum,
          serviceAccountName: options.serviceAccountName,
          identity: options.identity,
          container: dataTierContainer(split, options.spicepod, split.reader.resources, options.settings, tls, disk),
          volumes: [emptyDirVolume(DATA_VOLUME, disk), ...dataTierVolumes(this.spicepodConfigMap.name, tls)],
          settings: options.settings,
        }),
      },
    });
  }
}
