import { ApiObject, Chart } from 'cdk8s';
import { checkIdentityForStore, identityStoreOf, ResolvedSplit, WorkloadIdentity } from '../core';
import { Findings, ValidationProblem } from '../core/errors';
import { IdentityBinding } from './identity';
import { describedNamespaceProblem } from './reader-pod-checks';

/** A ServiceAccount a workload keeps (`keepWorkloadServiceAccount`), and where it runs. */
export interface KeptServiceAccount {
  readonly chart: Chart;
  readonly name: string;
  readonly namespace?: string;
  /** Path of the workload, for messages. */
  readonly where: string;
}

function findServiceAccount(kept: KeptServiceAccount): ApiObject | undefined {
  return kept.chart.node.findAll().find((c): c is ApiObject => c instanceof ApiObject
    && c.kind === 'ServiceAccount'
    && c.metadata.name === kept.name
    && (c.metadata.namespace ?? kept.chart.namespace) === kept.namespace);
}

/** GKE annotation that makes a ServiceAccount's pods act as a Google service account. */
const GKE_IMPERSONATION = 'iam.gke.io/gcp-service-account';

/**
 * On GKE, a ServiceAccount that impersonates a Google service account gets that account's token:
 * a grant to the ServiceAccount's own principal (the reader's direct identity) never applies.
 */
function impersonationProblems(kept: KeptServiceAccount, serviceAccount: ApiObject | undefined, path: string): ValidationProblem[] {
  const impersonated = (serviceAccount?.metadata.toJson().annotations ?? {})[GKE_IMPERSONATION] as string | undefined;
  if (impersonated === undefined) return [];
  return [{
    path,
    message: `is "${kept.name}" and kept, and it acts as the Google service account "${impersonated}": the reader's direct Workload Identity grant would never apply`,
    fix: `grant "${impersonated}" read on the snapshot bucket yourself, or let the workload run as the reader ServiceAccount`,
  }];
}

/**
 * Binds the reader's read-only identity to the ServiceAccount a workload keeps, so that every pod
 * running the sidecar can restore: the identity's annotations go on that ServiceAccount, which
 * must be in the workload's chart. On AWS a kept ServiceAccount without an identity could not
 * reach the bucket at all.
 */
export function bindKeptServiceAccount(kept: KeptServiceAccount, identity: IdentityBinding | undefined, cloud: string): ValidationProblem[] {
  const path = `${kept.where}.serviceAccountName`;
  if (identity === undefined) {
    if (cloud !== 'aws') return [];
    return [{
      path,
      message: `is "${kept.name}" and kept, but no identity binds it to the read-only role: every restore would be denied`,
      fix: `give the sidecar an 'identity' (it is added to "${kept.name}"), and trust "${kept.name}" in ReadWriteSplitAws' readerServiceAccounts`,
    }];
  }
  const annotations = Object.entries(identity.serviceAccountAnnotations);
  const serviceAccount = findServiceAccount(kept);
  if (annotations.length === 0) return cloud === 'gcp' ? impersonationProblems(kept, serviceAccount, path) : [];
  if (!serviceAccount) {
    return [{
      path,
      message: `is "${kept.name}" and kept, but this chart holds no ServiceAccount "${kept.name}" to bind the read-only identity to`,
      fix: `add "${kept.name}" to this chart (cdk8s-plus or Include) before the sidecar, or drop 'keepWorkloadServiceAccount'`,
    }];
  }
  // The application may already carry a role there: the sidecar must not take it away.
  const own = (serviceAccount.metadata.toJson().annotations ?? {}) as Record<string, string>;
  const clashes = annotations.filter(([key, value]) => own[key] !== undefined && own[key] !== value);
  if (clashes.length > 0) {
    return clashes.map(([key, value]) => ({
      path,
      message: `is "${kept.name}" and kept, and its ${key} is "${own[key]}": the reader's identity "${value}" would replace the application's`,
      fix: `give the reader the application's identity (and grant it read on the snapshots), or let the workload run as the reader ServiceAccount`,
    }));
  }
  for (const [key, value] of annotations) serviceAccount.metadata.addAnnotation(key, value);
  return [];
}

/**
 * A workload asked to keep its ServiceAccount that names none: its pod runs as the reader
 * ServiceAccount, which needs the identity (where there is a store) and a namespace the
 * description's `reader.namespaces` holds.
 */
export function nothingToKeepProblems(identity: WorkloadIdentity | undefined, split: ResolvedSplit, namespace: string | undefined, where: string): ValidationProblem[] {
  const findings = new Findings();
  if (split.store) checkIdentityForStore(identity, identityStoreOf(split), 'reader', 'props.identity', findings);
  const outside = describedNamespaceProblem(namespace, split);
  if (outside) findings.problem(`props.${outside.path}`, outside.message, outside.fix);
  return findings.problems.map((problem) => ({ ...problem, message: `${problem.message} (${where} names no ServiceAccount of its own to keep)` }));
}
