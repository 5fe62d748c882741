import { Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:<tag>][@<digest>]` */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._\/-]+?)(?::([\w.-]+))?(?:@(sha256:[a-f0-9]{64}))?$/;

/**
 * A container image by reference. An ECR image (the Enterprise Spice image, a mirrored helper) is
 * taken from its repository, so that the task's execution role may pull it; any other image is
 * pulled from its registry as is.
 */
export function containerImage(scope: Construct, id: string, reference: string): { image: ecs.ContainerImage; ecr: boolean } {
  const match = ECR_IMAGE.exec(reference);
  if (!match) return { image: ecs.ContainerImage.fromRegistry(reference), ecr: false };
  const [, account, region, china, repositoryName, tag, digest] = match;
  const partition = china ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const repository = ecr.Repository.fromRepositoryAttributes(scope, id, {
    repositoryName,
    repositoryArn: `arn:${partition}:ecr:${region}:${account}:repository/${repositoryName}`,
  });
  return { image: ecs.ContainerImage.fromEcrRepository(repository, digest ?? tag ?? 'latest'), ecr: true };
}

/** `ecr:GetAuthorizationToken` has no resource-level permission: the pull grant must name `*`. */
export function acknowledgeEcrToken(taskDefinition: ecs.TaskDefinition): void {
  const role = taskDefinition.executionRole;
  if (!role) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken supports no resource-level permissions, so the pull grant of an ECR image names "*"; the image pulls themselves are limited to the named repositories.',
  });
}
