import { SnapshotCloud, WorkloadIdentity } from '../core';

/** A destination of egress by IP block: its CIDR blocks and the TCP ports reached there. */
export interface EgressEndpoint {
  /** IPv4 or IPv6 CIDR blocks, e.g. `10.0.128.0/24` or `fd00:ec2::23/128`. */
  readonly cidrs: readonly string[];
  /**
   * TCP ports reached on those blocks.
   *
   * @default [443]
   */
  readonly ports?: readonly number[];
}

/**
 * The node-local, well-known addresses where pods get cloud credentials, as egress endpoints. A
 * reader's egress allows the one its identity uses unless `identityEndpoints` is given; spread
 * them into `identityEndpoints` to keep them beside endpoints of your own.
 */
export const LINK_LOCAL_IDENTITY_ENDPOINTS = {
  /** The EKS Pod Identity agent on every node, on port 80 (`aws-pod-identity`). */
  eksPodIdentityAgent: [{ cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], ports: [80] }],
  /**
   * The GKE metadata server (`gke-workload-identity`, or the node's service account): pods dial
   * 169.254.169.254 on 80, which Dataplane V2 checks as it is; iptables dataplanes check it after
   * it is redirected to 169.254.169.252 on 988.
   */
  gkeMetadataServer: [{ cidrs: ['169.254.169.254/32'], ports: [80] }, { cidrs: ['169.254.169.252/32'], ports: [988] }],
  /** Azure's Instance Metadata Service on port 80: the node's managed identity, without Workload Identity. */
  azureInstanceMetadata: [{ cidrs: ['169.254.169.254/32'], ports: [80] }],
} as const satisfies Record<string, readonly EgressEndpoint[]>;

/** Where a reader's identity gets its credentials: well-known endpoints, or what only the user knows. */
export type IdentityEndpointsNeed =
  | { readonly known: readonly EgressEndpoint[] }
  | { readonly unknown: string; readonly fix: string };

const TOKEN_EXCHANGE_FIX = 'give identityEndpoints: [{ cidrs: [...] }] (port 443 by default)';

/**
 * The endpoints a reader's identity reaches for credentials. IRSA and Azure Workload Identity
 * exchange the pod's projected token with an endpoint outside the cluster (AWS STS, Entra ID),
 * whose addresses only the user knows; the agents and metadata servers are link-local.
 */
export function identityEndpointsNeed(identity: WorkloadIdentity | undefined, cloud: SnapshotCloud): IdentityEndpointsNeed {
  switch (identity?.type) {
    case 'aws-irsa':
      return {
        unknown: 'IRSA exchanges the pod\'s token with AWS STS (sts.<region>.amazonaws.com) over HTTPS',
        fix: `${TOKEN_EXCHANGE_FIX} with the subnets of your STS interface endpoint, or STS's public ranges`,
      };
    case 'azure-workload-identity':
      return {
        unknown: 'Azure Workload Identity exchanges the pod\'s token with Entra ID (login.microsoftonline.com) over HTTPS',
        fix: `${TOKEN_EXCHANGE_FIX} with the ranges of the AzureActiveDirectory service tag, or of your egress proxy`,
      };
    case 'aws-pod-identity':
      return { known: LINK_LOCAL_IDENTITY_ENDPOINTS.eksPodIdentityAgent };
    case 'gke-workload-identity':
      return { known: LINK_LOCAL_IDENTITY_ENDPOINTS.gkeMetadataServer };
  }
  if (cloud === 'gcp') return { known: LINK_LOCAL_IDENTITY_ENDPOINTS.gkeMetadataServer };
  if (cloud === 'azure') return { known: LINK_LOCAL_IDENTITY_ENDPOINTS.azureInstanceMetadata };
  return { unknown: 'the reader has no identity here, so where it gets credentials is not known', fix: `${TOKEN_EXCHANGE_FIX} for the identity its ServiceAccount is bound to` };
}
