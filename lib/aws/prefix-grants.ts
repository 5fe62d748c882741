import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PrefixAccess } from '../core';

const READ_OBJECTS = ['s3:GetObject'];
/** spiced uploads snapshots with multipart uploads and rewrites `metadata.json` conditionally (If-Match). */
const WRITE_OBJECTS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/**
 * Grants one prefix of the bucket to a principal: its objects, and listing of the bucket. Listing
 * is not narrowed with `s3:prefix`: S3 answers a GET of a missing key with 404 only to callers that
 * may list the bucket (403 otherwise), and spiced needs a clean "not found" for a location's first
 * `metadata.json`. The bucket holds one split, so listing shows only that split's key names. With
 * a KMS-encrypted bucket, only what SSE-KMS needs, and only through S3.
 */
export function grantPrefix(bucket: s3.IBucket, grantee: iam.IGrantable, access: PrefixAccess): void {
  const objects = access.access === 'read' ? READ_OBJECTS : [...READ_OBJECTS, ...WRITE_OBJECTS];
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: access.access === 'read' ? 'ReadSnapshots' : 'ReadWriteSnapshots',
    actions: objects,
    resources: [bucket.arnForObjects(`${access.prefix}*`)],
  }));
  principal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListSnapshotBucket', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  if (bucket.encryptionKey) {
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'SnapshotEncryption',
      actions: access.access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [bucket.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(bucket).region}.amazonaws.com` } },
    }));
  }
}
