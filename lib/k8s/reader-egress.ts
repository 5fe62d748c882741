import { ResolvedSplit, WorkloadIdentity } from '../core';
import { EgressEndpoint, IdentityEndpointsNeed, identityEndpointsNeed } from './identity-endpoints';
import { namespaceSelector, tierLabels } from './labels';
import { Json } from './manifest';
import { readerDestinations, ReaderDestinations } from './reader-destinations';
import type { PortProtocol } from './reader-pod-checks';
import { DEFAULT_PORTS } from './spice-container';

/** A port of an application's own egress rule. */
export interface ReaderEgressPort {
  /** The port, or the first of a range. */
  readonly port: number;
  /**
   * The last port of a range starting at `port`.
   *
   * @default - the one port
   */
  readonly endPort?: number;
  /**
   * The protocol.
   *
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
}

/**
 * One destination of an application's own egress rule: an IP block (`cidr`), or pods and
 * namespaces by label. `podLabels` alone selects pods in the workload's namespace.
 */
export interface ReaderEgressPeer {
  /**
   * An IPv4 or IPv6 CIDR block; not with the selectors below.
   *
   * @default - none
   */
  readonly cidr?: string;
  /**
   * Blocks inside `cidr` to leave out.
   *
   * @default - none
   */
  readonly except?: readonly string[];
  /**
   * Pods with these labels.
   *
   * @default - every pod of the selected namespaces
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * The namespace of those pods, by name; not with `namespaceLabels`.
   *
   * @default - the workload's namespace (or `namespaceLabels`)
   */
  readonly namespace?: string;
  /**
   * Namespaces with these labels; `{}` for every namespace.
   *
   * @default - the workload's namespace (or `namespace`)
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

/** An egress rule of the application itself: where it may go, and on which ports. */
export interface ReaderEgressRule {
  /** The destinations: at least one (a rule without any would allow every destination). */
  readonly to: readonly ReaderEgressPeer[];
  /**
   * The ports.
   *
   * @default - every port of those destinations
   */
  readonly ports?: readonly ReaderEgressPort[];
}

/** Where the pod resolves names. */
export interface ReaderEgressDns {
  /**
   * Namespace of the cluster DNS pods.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Labels of the cluster DNS pods (CoreDNS and kube-dns carry `k8s-app: kube-dns` on EKS, GKE and AKS).
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Resolvers outside the pod network as well: pods of clusters that run NodeLocal DNSCache
   * (`169.254.20.10`), or Cloud DNS for GKE (the default on Autopilot: the metadata server,
   * `169.254.169.254`), send their queries there, which no pod selector matches. `[]` allows the
   * cluster DNS pods alone.
   *
   * @default ['169.254.20.10/32', '169.254.169.254/32'] (`LINK_LOCAL_DNS_RESOLVERS`)
   */
  readonly cidrs?: readonly string[];
}

/**
 * Egress of the pod that runs the reader sidecar. The pod is the application's, so these rules
 * restrict the application too: list what it reaches in `rules`. NetworkPolicies cannot name
 * hosts, so destinations outside the cluster are CIDR blocks.
 */
export interface ReaderEgressOptions {
  /**
   * Blocks through which the pod reaches the snapshot bucket, on 443: the S3 prefix list's CIDRs
   * (gateway endpoint) or the S3 interface endpoint's subnets, Private Google Access' range
   * (`199.36.153.8/30` for private.googleapis.com), the blob private endpoint's subnet. Required
   * when the reader restores datasets from snapshots.
   *
   * @default - none
   */
  readonly objectStoreCidrs?: readonly string[];
  /**
   * Where the reader's identity gets credentials to read the bucket, when it restores datasets.
   * `aws-irsa` (AWS STS) and `azure-workload-identity` (Entra ID) exchange the pod's token outside
   * the cluster: give those blocks. `[]` when your own `rules` allow it.
   *
   * @default - by identity: `aws-pod-identity` the EKS Pod Identity agent; `gke-workload-identity`
   * (or none, on GCP) the GKE metadata server; none on Azure, the Instance Metadata Service (see
   * `LINK_LOCAL_IDENTITY_ENDPOINTS`); required for `aws-irsa` and `azure-workload-identity`
   */
  readonly identityEndpoints?: readonly EgressEndpoint[];
  /**
   * Blocks the split's `writer.flightEndpoint` resolves to, when it is a host outside the cluster
   * (a load balancer) and the reader delegates datasets. The in-cluster writer Service needs none:
   * the rule selects the writer pods.
   *
   * @default - none
   */
  readonly writerEndpointCidrs?: readonly string[];
  /**
   * Where the pod resolves names: UDP and TCP 53.
   *
   * @default - the cluster DNS pods (`k8s-app: kube-dns` in `kube-system`) and the node-local
   * resolvers of `LINK_LOCAL_DNS_RESOLVERS`
   */
  readonly dns?: ReaderEgressDns;
  /**
   * The application's own egress: every destination it reaches besides the reader's.
   *
   * @default - none: the application reaches only what the reader does
   */
  readonly rules?: readonly ReaderEgressRule[];
  /**
   * Accept `0.0.0.0/0` and `::/0`: every address. Insecure; set it only on purpose.
   *
   * @default false
   */
  readonly allowAnyDestination?: boolean;
}

/** What one reader reaches: the split's writers and bucket, as its datasets need, and its identity's endpoints. */
export interface ReaderEgressPlan {
  readonly split: ResolvedSplit;
  readonly destinations: ReaderDestinations;
  readonly identity: IdentityEndpointsNeed;
}

/** The plan of a reader of `datasets` (every dataset readers see, when undefined) with `identity`. */
export function readerEgressPlan(split: ResolvedSplit, datasets: readonly string[] | undefined, identity: WorkloadIdentity | undefined): ReaderEgressPlan {
  // Readers of a Spice Cloud app (no store) restore nothing, so they reach no identity endpoint.
  const need = split.store ? identityEndpointsNeed(identity, split.store.cloud) : { known: [] };
  return { split, destinations: readerDestinations(split, datasets), identity: need };
}

const ipBlocks = (cidrs: readonly string[] | undefined): Json[] => (cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
const tcp = (port: number): Json => ({ protocol: 'TCP', port });
const HTTPS = 443;
const DNS_PORT = 53;

/**
 * Node-local resolvers a pod may be pointed at instead of the cluster DNS Service: NodeLocal
 * DNSCache's address, and the GKE metadata server, which answers DNS under Cloud DNS for GKE.
 * Only port 53 is opened to them.
 */
export const LINK_LOCAL_DNS_RESOLVERS: readonly string[] = ['169.254.20.10/32', '169.254.169.254/32'];

function dnsRule(dns: ReaderEgressDns = {}): Json {
  const pods = { namespaceSelector: namespaceSelector(dns.namespace ?? 'kube-system'), podSelector: { matchLabels: { ...(dns.podLabels ?? { 'k8s-app': 'kube-dns' }) } } };
  return { to: [pods, ...ipBlocks(dns.cidrs ?? LINK_LOCAL_DNS_RESOLVERS)], ports: [{ protocol: 'UDP', port: DNS_PORT }, tcp(DNS_PORT)] };
}

function writerRule(plan: ReaderEgressPlan, options: ReaderEgressOptions): Json {
  const { split, destinations: { writer } } = plan;
  if (!writer.inCluster) return { to: ipBlocks(options.writerEndpointCidrs), ports: [tcp(writer.port)] };
  const writers = { namespaceSelector: namespaceSelector(split.namespace), podSelector: { matchLabels: tierLabels(split.name, 'writer') } };
  return { to: [writers], ports: [tcp(DEFAULT_PORTS.flight)] };
}

function endpointRule(endpoint: EgressEndpoint): Json {
  return { to: ipBlocks(endpoint.cidrs), ports: (endpoint.ports ?? [HTTPS]).map(tcp) };
}

function peer(to: ReaderEgressPeer): Json {
  if (to.cidr !== undefined) return { ipBlock: to.except?.length ? { cidr: to.cidr, except: [...to.except] } : { cidr: to.cidr } };
  const namespaces = to.namespace !== undefined ? namespaceSelector(to.namespace) : to.namespaceLabels && { matchLabels: { ...to.namespaceLabels } };
  return {
    ...(namespaces ? { namespaceSelector: namespaces } : {}),
    ...(to.podLabels ? { podSelector: { matchLabels: { ...to.podLabels } } } : {}),
  };
}

function userRule(rule: ReaderEgressRule): Json {
  const ports = rule.ports?.map((p) => ({ protocol: p.protocol ?? 'TCP', port: p.port, ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) }));
  return { to: rule.to.map(peer), ...(ports ? { ports } : {}) };
}

/**
 * The egress rules of a reader's pod: DNS; the writers' Flight port when it delegates; the bucket
 * on 443 and the identity's endpoints when it restores; then the application's own rules.
 */
export function readerEgressRules(plan: ReaderEgressPlan, options: ReaderEgressOptions): Json[] {
  const { destinations, identity } = plan;
  const restores = destinations.restored.length > 0;
  const identityEndpoints = options.identityEndpoints ?? ('known' in identity ? identity.known : []);
  return [
    dnsRule(options.dns),
    ...(destinations.delegated.length > 0 ? [writerRule(plan, options)] : []),
    ...(restores ? [endpointRule({ cidrs: options.objectStoreCidrs ?? [] })] : []),
    ...(restores ? identityEndpoints.map(endpointRule) : []),
    ...(options.rules ?? []).map(userRule),
  ];
}
