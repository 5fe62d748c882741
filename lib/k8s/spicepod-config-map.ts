import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Spicepod } from '../core';
import { manifest } from './manifest';
import { serializedSpicepod } from './rendered-spicepods';
import { SPICEPOD_FILE } from './spice-container';

/** A ConfigMap holding one Spicepod, and the checksum that rolls pods when it changes. */
export class SpicepodConfigMap extends Construct {
  /** The ConfigMap's name. */
  public readonly name: string;
  /** SHA-256 of the Spicepod YAML, for the pod template annotation. */
  public readonly checksum: string;
  /** The ConfigMap API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: { name: string; namespace?: string; labels: Record<string, string>; spicepod: Spicepod }) {
    super(scope, id);
    const { yaml, checksum } = serializedSpicepod(props.spicepod);
    this.name = props.name;
    this.checksum = checksum;
    this.apiObject = manifest(this, 'Resource', 'v1', 'ConfigMap', { name: props.name, namespace: props.namespace, labels: props.labels }, {
      data: { [SPICEPOD_FILE]: yaml },
    });
  }
}
