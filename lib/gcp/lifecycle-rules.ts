import type * as gcpInputs from '@pulumi/gcp/types/input';
import { RetentionPlan } from '../core';

/**
 * The GCS lifecycle rules of a retention plan: one `Delete` per rule on its object-name prefix
 * (`matchesPrefixes`: GCS has no tag filter, and the prefixes match the `month=…` partitions, never
 * `metadata.json`), and `AbortIncompleteMultipartUpload` under the split's prefix. GCS counts `age`
 * in whole days from the midnight (UTC) after an object was created.
 */
export function lifecycleRules(plan: RetentionPlan): gcpInputs.storage.BucketLifecycleRule[] {
  return [
    ...plan.rules.map((rule) => ({
      action: { type: 'Delete' },
      condition: { age: rule.expireAfterDays, matchesPrefixes: [rule.prefix] },
    })),
    {
      action: { type: 'AbortIncompleteMultipartUpload' },
      condition: { age: plan.abortIncompleteUploads.afterDays, matchesPrefixes: [plan.abortIncompleteUploads.prefix] },
    },
  ];
}
