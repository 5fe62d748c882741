import type * as azureInputs from '@pulumi/azure-native/types/input';
import { RetentionPlan } from '../core';

/** Azure accepts at most this many prefixes in one rule's `prefixMatch`. */
export const MAX_PREFIXES_PER_RULE = 10;

/**
 * The management policy of a retention plan: one `Lifecycle` rule per plan rule, deleting block
 * blobs under the rule's prefix (written from the container, as Azure matches them) whole days
 * after their last modification. Snapshot files are written once, so modification is creation.
 * Azure has no multipart uploads to abort: uncommitted blocks are discarded after 7 days by the
 * service itself.
 */
export function managementPolicyRules(plan: RetentionPlan, container: string): azureInputs.storage.ManagementPolicyRuleArgs[] {
  return plan.rules.map((rule) => ({
    name: rule.id,
    type: 'Lifecycle',
    enabled: true,
    definition: {
      filters: { blobTypes: ['blockBlob'], prefixMatch: [`${container}/${rule.prefix}`] },
      actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: rule.expireAfterDays } } },
    },
  }));
}
