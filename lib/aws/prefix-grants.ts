import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PrefixAccess } from '../core';

const READ_OBJECTS = ['s3:GetObject'];
/** spiced uploads snapshots with multipart uploads and rewrites `metadata.json` conditionally (If-Match). */
const WRITE_OBJECTS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/**
 * Grants one prefix of the bucket to a principal: objects under it, and listing restricted to it
 * (`s3:prefix`). Nothing outside the prefix, no bucket management. With a KMS-encrypted bucket,
 * readers may decrypt and writers may also encrypt.
 */
export function grantPrefix(bucket: s3.IBucket, grantee: iam.IGrantable, access: PrefixAccess): void {
  const objects = access.access === 'read' ? READ_OBJECTS : [...READ_OBJECTS, ...WRITE_OBJECTS];
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: access.access === 'read' ? 'ReadSnapshots' : 'ReadWriteSnapshots',
    actions: objects,
    resources: [bucket.arnForObjects(`${access.prefix}*`)],
  }));
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ListSnapshotPrefix',
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${access.prefix}*`] } },
  }));
  if (bucket.encryptionKey) {
    if (access.access === 'read') bucket.encryptionKey.grantDecrypt(grantee);
    else bucket.encryptionKey.grantEncryptDecrypt(grantee);
  }
}
