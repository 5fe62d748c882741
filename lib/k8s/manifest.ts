import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Plain JSON of a Kubernetes object's body. */
export type Json = Record<string, unknown>;

/** Standard object metadata. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * Renders a Kubernetes object from plain JSON, exactly as given. The library builds its manifests
 * as plain objects (tests validate them against the Kubernetes schemas); typed L1 classes would
 * run converters over them.
 */
export function manifest(scope: Construct, id: string, apiVersion: string, kind: string, metadata: ObjectMeta, body: Json): ApiObject {
  return new ApiObject(scope, id, { apiVersion, kind, metadata: { ...metadata }, ...body });
}
