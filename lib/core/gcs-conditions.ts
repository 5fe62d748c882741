import { PrefixAccess } from './access-plan';

/** An IAM condition, as GCS bucket bindings take it (CEL). */
export interface IamCondition {
  readonly title: string;
  readonly description: string;
  readonly expression: string;
}

/**
 * The condition that keeps a bucket-level grant to one prefix of the access plan: objects are read
 * (and, read-write, written) under the prefix only, and listed only with a prefix inside it
 * (`storage.googleapis.com/objectListPrefix`, which spiced's object store sends). Objects of other
 * splits and, for readers, the daily archive stay out of reach.
 */
export function gcsPrefixCondition(bucket: string, grant: PrefixAccess): IamCondition {
  const objects = `projects/_/buckets/${bucket}/objects/${grant.prefix}`;
  return {
    title: `${grant.access === 'read' ? 'read' : 'read-write'} ${grant.prefix}`.slice(0, 100),
    description: `Only objects under gs://${bucket}/${grant.prefix}`,
    expression: `resource.name.startsWith("${objects}") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("${grant.prefix}")`,
  };
}
