import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** Object and listing actions: what the endpoint restriction covers. Bucket management stays open to CloudFormation. */
export const S3_DATA_ACTIONS = [
  's3:GetObject*',
  's3:PutObject*',
  's3:DeleteObject*',
  's3:ListBucket*',
  's3:ListMultipartUploadParts',
  's3:AbortMultipartUpload',
  's3:RestoreObject',
];

/**
 * A bucket policy statement that denies data access not coming through the VPC endpoint, except
 * to the listed principals (deploy and break-glass roles): without them, a wrong endpoint locks
 * everyone out, including the console and CI.
 */
export function denyOutsideEndpoint(bucket: s3.IBucket, endpoint: ec2.IVpcEndpoint, exempt: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyDataAccessOutsideVpcEndpoint',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: S3_DATA_ACTIONS,
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    conditions: {
      StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId },
      ...(exempt.length > 0 ? { ArnNotLike: { 'aws:PrincipalArn': [...exempt] } } : {}),
    },
  });
}
