import { Construct } from 'constructs';
import { ResolvedSplit, TierSpicepod } from '../core';
import { IdentityBinding } from './identity';
import { tierLabels } from './labels';
import { manifest } from './manifest';
import { DATA_VOLUME, dataTierContainer, dataTierVolumes, spicePodTemplate } from './spice-pod';
import { SpicepodConfigMap } from './spicepod-config-map';

/** Options of the archiver. */
export interface ArchiverOptions {
  readonly split: ResolvedSplit;
  readonly spicepod: TierSpicepod;
  /** The writer's ServiceAccount: the archiver uploads with the read-write identity. */
  readonly serviceAccountName: string;
  readonly identity: IdentityBinding;
}

/**
 * The archiver: one spiced that copies the accelerated datasets from the writer cluster once a day
 * and uploads them to the archive location. Its files are scratch (an emptyDir): every start
 * copies afresh, which is what a daily archive wants.
 */
export class Archiver extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, options: ArchiverOptions) {
    super(scope, id);
    const { split } = options;
    this.name = `${split.name}-archiver`;
    const labels = tierLabels(split.name, 'archiver');
    const config = new SpicepodConfigMap(this, 'Spicepod', { name: `${this.name}-spicepod`, namespace: split.namespace, labels, spicepod: options.spicepod.spicepod });
    manifest(this, 'Resource', 'apps/v1', 'Deployment', { name: this.name, namespace: split.namespace, labels }, {
      spec: {
        replicas: 1,
        // Never two archivers at once: both would upload to the archive location.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: spicePodTemplate({
          labels,
          checksum: config.checksum,
          serviceAccountName: options.serviceAccountName,
          identity: options.identity,
          container: dataTierContainer(split, options.spicepod, split.reader.resources),
          volumes: [{ name: DATA_VOLUME, emptyDir: { sizeLimit: split.reader.localDisk } }, ...dataTierVolumes(config.name)],
        }),
      },
    });
  }
}
