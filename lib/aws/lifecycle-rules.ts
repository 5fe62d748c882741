import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RetentionPlan } from '../core';

/**
 * Maps the core's retention plan to S3 lifecycle rules. Prefixes are literal and end in
 * `month=`, so each rule matches the partitions spiced writes and never `metadata.json`. With
 * versioning on, expiring a current version only adds a delete marker: noncurrent versions expire
 * a day later and expired delete markers are cleaned up, so storage is really freed.
 */
export function lifecycleRules(plan: RetentionPlan, versioned: boolean): s3.LifecycleRule[] {
  const expiring = plan.rules.map((rule): s3.LifecycleRule => ({
    id: rule.id,
    prefix: rule.prefix,
    expiration: Duration.days(rule.expireAfterDays),
    ...(versioned ? { noncurrentVersionExpiration: Duration.days(1) } : {}),
  }));
  // expiredObjectDeleteMarker cannot share a rule with an expiration: it goes with the upload clean-up.
  const cleanup: s3.LifecycleRule = {
    id: 'abort-incomplete-uploads',
    prefix: plan.abortIncompleteUploads.prefix,
    abortIncompleteMultipartUploadAfter: Duration.days(plan.abortIncompleteUploads.afterDays),
    // spiced rewrites metadata.json on every snapshot: its old versions expire too.
    ...(versioned ? { expiredObjectDeleteMarker: true, noncurrentVersionExpiration: Duration.days(1) } : {}),
  };
  return [...expiring, cleanup];
}
