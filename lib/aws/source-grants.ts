import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ResolvedSplit, S3SourceRead } from '../core';

/** `$` starts a policy variable (`${aws:username}`) in IAM policies: a literal one is written `${$}`. */
function iamLiteral(text: string): string {
  return text.replace(/\$/g, () => '${$}');
}

/**
 * Grants the writer role read on the S3 sources it reads with its pod identity: `s3:GetObject`
 * under each source's folder (and on the key itself when `from` names one), and `s3:ListBucket`
 * on each source bucket limited by `s3:prefix` to those folders (spiced lists `<folder>` to find
 * the files, deeper folders for hive partitions). A source that names a whole bucket lists it all.
 */
export function grantSources(role: iam.Role, split: ResolvedSplit, sources: readonly S3SourceRead[]): void {
  if (sources.length === 0) return;
  const partition = Stack.of(role).partition;
  const bucketArn = (bucket: string) => `arn:${partition}:s3:::${bucket}`;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSources',
    actions: ['s3:GetObject'],
    resources: sources.flatMap((source) => [
      `${bucketArn(source.bucket)}/${iamLiteral(source.prefix)}*`,
      ...(source.key === undefined ? [] : [`${bucketArn(source.bucket)}/${iamLiteral(source.key)}`]),
    ]),
  }));
  const buckets = [...new Set(sources.map((source) => source.bucket))];
  buckets.forEach((bucket, i) => {
    const folders = sources.filter((source) => source.bucket === bucket).map((source) => iamLiteral(source.prefix));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: `ListSourceBucket${i}`,
      actions: ['s3:ListBucket'],
      resources: [bucketArn(bucket)],
      conditions: folders.includes('') ? undefined : { StringLike: { 's3:prefix': folders.flatMap((folder) => [folder, `${folder}*`]) } },
    }));
  });
  acknowledgeSourceWildcards(role, split, sources);
}

/**
 * cdk-nag flags `<bucket>/<folder>*` as a wildcard: spiced reads every file under the folder the
 * description names, so that folder is the narrowest grant that works.
 */
function acknowledgeSourceWildcards(role: iam.Role, split: ResolvedSplit, sources: readonly S3SourceRead[]): void {
  if (sources.length === 0) return;
  // One call: each records metadata with a stack trace, which CDK's validation reads back.
  Validations.of(role).acknowledge(...sources.map((source) => {
    const names = source.datasets.map((index) => split.datasets[index].name).join(', ');
    return {
      // cdk-nag writes `${…}` of the policy (the partition, a literal `$`) as `<…>`.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${source.bucket}/${source.prefix.replace(/\$/g, '<$>')}*]`,
      reason: `The writer refreshes ${names} from s3://${source.bucket}/${source.prefix}: spiced lists and reads every file under that folder, so read on it (and nothing else of the bucket) is the narrowest grant that works.`,
    };
  }));
}
