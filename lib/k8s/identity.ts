import { WorkloadIdentity } from '../core';

export type { WorkloadIdentity } from '../core';

/** What a ServiceAccount and its pods carry for an identity. */
export interface IdentityBinding {
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Labels on the pod template (AKS mutates only labelled pods). */
  readonly podLabels: Record<string, string>;
  /**
   * Whether pods mount the ServiceAccount token. IRSA, Pod Identity and AKS inject their own
   * projected token, but turning automount off has been reported to break IRSA pods, so they keep
   * it; GKE uses the metadata server, and pods without an identity need no token at all.
   */
  readonly automountServiceAccountToken: boolean;
  /**
   * The pod annotation that keeps the identity's token out of the containers it names, separated
   * by `;` (AKS Workload Identity: `azure.workload.identity/skip-containers`).
   *
   * @default - none: the reference documents no such annotation for the identity
   */
  readonly skipContainersAnnotation?: string;
}

/** The annotations, labels and token setting one identity needs. */
export function identityBinding(identity: WorkloadIdentity | undefined): IdentityBinding {
  switch (identity?.type) {
    case 'aws-irsa':
      return { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': identity.roleArn }, podLabels: {}, automountServiceAccountToken: true };
    case 'aws-pod-identity':
      return { serviceAccountAnnotations: {}, podLabels: {}, automountServiceAccountToken: true };
    case 'gke-workload-identity':
      return {
        serviceAccountAnnotations: identity.googleServiceAccountEmail ? { 'iam.gke.io/gcp-service-account': identity.googleServiceAccountEmail } : {},
        podLabels: {},
        automountServiceAccountToken: false,
      };
    case 'azure-workload-identity':
      return {
        serviceAccountAnnotations: {
          'azure.workload.identity/client-id': identity.clientId,
          ...(identity.tenantId ? { 'azure.workload.identity/tenant-id': identity.tenantId } : {}),
        },
        podLabels: { 'azure.workload.identity/use': 'true' },
        automountServiceAccountToken: true,
        skipContainersAnnotation: 'azure.workload.identity/skip-containers',
      };
    default:
      return { serviceAccountAnnotations: {}, podLabels: {}, automountServiceAccountToken: false };
  }
}
