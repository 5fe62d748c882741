import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedSplit, writerServiceName } from '../core';
import { Findings, quote } from '../core/errors';
import { parseCidr } from './cidr';
import { writerEndpoint } from './reader-destinations';
import { manifest } from './manifest';
import { METADATA_KEY } from './pod-settings';
import { DEFAULT_PORTS, PORT_NAMES } from './spice-container';

/** The clouds whose internal load balancer the writers' Flight port can sit behind. */
export type FlightLoadBalancerCloud = 'aws' | 'gcp' | 'azure';

/**
 * An internal load balancer in front of the writers' Flight port, for readers outside the cluster
 * (ECS, Cloud Run, Container Apps, hosts behind a VPN).
 */
export interface FlightLoadBalancer {
  /**
   * Whose internal load balancer: `'aws'` an internal Network Load Balancer of the AWS Load
   * Balancer Controller (v2.2 or later) with instance targets, `'gcp'` GKE's internal passthrough
   * Network Load Balancer, `'azure'` AKS's internal load balancer.
   */
  readonly cloud: FlightLoadBalancerCloud;
  /**
   * More annotations for the cloud's load balancer controller (a subnet, a static address), added
   * to the library's. The library's own (which make it internal) cannot be overridden.
   *
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/**
 * The annotations that make each cloud's load balancer internal (and, on AWS, hand the Service to
 * the AWS Load Balancer Controller as an NLB whose targets are the nodes: with
 * `externalTrafficPolicy: Local` the packet keeps the reader's address, which the writers'
 * NetworkPolicy admits by `externalReaderCidrs`).
 * Sources: kubernetes-sigs.github.io/aws-load-balancer-controller guide/service/annotations and
 * nlb; cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters;
 * learn.microsoft.com/azure/aks/internal-lb.
 */
const INTERNAL_ANNOTATIONS: Record<FlightLoadBalancerCloud, Record<string, string>> = {
  aws: {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  },
  gcp: { 'networking.gke.io/load-balancer-type': 'Internal' },
  azure: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
};

const CLOUDS = Object.keys(INTERNAL_ANNOTATIONS);

/** Why each of the library's annotations stays as it is. */
const KEPT_BECAUSE: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'which hands the Service to the AWS Load Balancer Controller (the in-tree controller reads neither the scheme nor the target type: it would make an internet-facing Classic ELB)',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': "whose targets keep the client's address (ip targets do not, by default), which the writers' NetworkPolicy admits readers by",
};
const KEEPS_INTERNAL = 'which keeps the load balancer internal';



/** The Service's name: the writer Service's, for Flight from outside the cluster. */
export function flightLoadBalancerName(splitName: string): string {
  return `${writerServiceName(splitName)}-flight`;
}

/**
 * The cloud whose clusters alone have a writer identity (EKS Pod Identity's agent, GKE's metadata
 * server): its load balancer controller reads that cloud's annotations only. IRSA and Azure
 * Workload Identity are webhooks that any cluster may run, so they tell no cloud.
 */
const IDENTITY_CLOUDS: Readonly<Record<string, FlightLoadBalancerCloud>> = { 'aws-pod-identity': 'aws', 'gke-workload-identity': 'gcp' };

/**
 * Identities any cluster may run, by the cloud whose cluster most likely runs them when the
 * split's store is on that cloud too.
 */
const STORE_IDENTITY_CLOUDS: Readonly<Record<string, FlightLoadBalancerCloud>> = { 'aws-irsa': 'aws', 'azure-workload-identity': 'azure' };
const CLUSTER_NAMES: Readonly<Record<FlightLoadBalancerCloud, string>> = { aws: 'EKS', gcp: 'GKE', azure: 'AKS' };
const STORE_NAMES: Readonly<Record<FlightLoadBalancerCloud, string>> = { aws: 'S3', gcp: 'GCS', azure: 'Azure Storage' };

/**
 * Warns of a load balancer for another cloud than the one the writers' identity and store point
 * to (IRSA and an S3 store, Azure Workload Identity and an Azure store): that cluster's controller
 * would ignore its annotations and make it public. A warning, not a refusal: either identity may
 * run on any cluster.
 */
export function warnFlightLoadBalancerCloud(
  balancer: FlightLoadBalancer,
  writerIdentity: { readonly type?: unknown } | undefined,
  split: ResolvedSplit | undefined,
  findings: Findings,
  identityPath = 'identity',
): void {
  const likely = STORE_IDENTITY_CLOUDS[String(writerIdentity?.type)];
  if (likely === undefined || split?.store?.cloud !== likely || !CLOUDS.includes(balancer?.cloud) || balancer.cloud === likely) return;
  findings.warn(
    'flight-load-balancer-cloud',
    'flightLoadBalancer.cloud',
    `is ${quote(balancer.cloud)}, but the writers use ${quote(writerIdentity!.type)} (${identityPath}) and their snapshot store is on ${STORE_NAMES[likely]}, so they likely run on ${CLUSTER_NAMES[likely]}: its controller ignores ${balancer.cloud}'s annotations and would make the load balancer public; `
      + `use cloud: '${likely}', or acknowledge this warning if the cluster runs on ${CLUSTER_NAMES[balancer.cloud]}`,
  );
}

/** Checks the load balancer's options; paths are rooted where `findings` is. */
export function checkFlightLoadBalancer(
  balancer: FlightLoadBalancer,
  externalReaderCidrs: readonly string[] | undefined,
  writerIdentity: { readonly type?: unknown } | undefined,
  findings: Findings,
  identityPath = 'identity',
): void {
  if (!CLOUDS.includes(balancer?.cloud)) {
    findings.problem('flightLoadBalancer.cloud', `${quote(balancer?.cloud)} is not a cloud of an internal load balancer`, `use one of ${CLOUDS.map((cloud) => `'${cloud}'`).join(', ')}`);
  }
  const clusterCloud = IDENTITY_CLOUDS[String(writerIdentity?.type)];
  if (clusterCloud !== undefined && CLOUDS.includes(balancer?.cloud) && balancer.cloud !== clusterCloud) {
    findings.problem(
      'flightLoadBalancer.cloud',
      `is ${quote(balancer.cloud)}, but the writers run on ${clusterCloud} (${identityPath} is ${quote(writerIdentity!.type)}): its controller ignores ${balancer.cloud}'s annotations and would make the load balancer public`,
      `use cloud: '${clusterCloud}'`,
    );
  }
  const own = INTERNAL_ANNOTATIONS[balancer?.cloud] ?? {};
  for (const [key, value] of Object.entries(balancer?.annotations ?? {})) {
    const path = `flightLoadBalancer.annotations[${quote(key)}]`;
    if (!METADATA_KEY.test(key)) findings.problem(path, 'is not an annotation key', "use a name of at most 63 letters, digits, '-', '_' or '.', optionally after a DNS prefix and '/'");
    else if (typeof value !== 'string') findings.problem(path, `${quote(value)} is not a string`, 'quote it: annotation values are strings');
    else if (key in own && own[key] !== value) findings.problem(path, `${quote(value)} would replace the library's ${quote(own[key])}, ${KEPT_BECAUSE[key] ?? KEEPS_INTERNAL}`, 'leave it out');
  }
  // The controller refuses IPv6 ranges for an IPv4 load balancer, and a dual-stack one hands IPv6
  // readers to the IPv4 instance targets from its own address, which the NetworkPolicy does not admit.
  const ipv6 = (externalReaderCidrs ?? []).filter((cidr) => parseCidr(cidr)?.family === 6);
  if (balancer?.cloud === 'aws' && ipv6.length > 0) {
    findings.problem(
      'flightLoadBalancer',
      `would accept IPv6 ranges (${ipv6.join(', ')} of externalReaderCidrs): the AWS Load Balancer Controller refuses them for an IPv4 load balancer, and a dual-stack one passes IPv6 readers to its IPv4 instance targets without their address, which the writers' NetworkPolicy admits them by`,
      'list IPv4 ranges only for readers behind an AWS load balancer',
    );
  }
}

/** The port readers outside the cluster dial: their endpoint's (its scheme's default when it names none), else the writers' Flight port. */
function listenPort(split: ResolvedSplit): number {
  const dialed = writerEndpoint(split, split.writer.externalFlightEndpoint);
  return dialed.inCluster ? DEFAULT_PORTS.flight : dialed.port;
}

/**
 * The Service of type LoadBalancer: internal on the cloud's network, listening on the port readers
 * outside the cluster dial and passing to the writers' Flight port only, accepting
 * `externalReaderCidrs` only (`loadBalancerSourceRanges`, which each cloud applies to
 * its firewall or security groups), and keeping the client's address (`externalTrafficPolicy:
 * Local`) since the writers' NetworkPolicy admits readers outside the cluster by address.
 */
export function flightLoadBalancerService(
  scope: Construct,
  split: ResolvedSplit,
  balancer: FlightLoadBalancer,
  sourceRanges: readonly string[],
  selector: Record<string, string>,
  portByName: boolean,
): ApiObject {
  const annotations = { ...balancer.annotations, ...INTERNAL_ANNOTATIONS[balancer.cloud] };
  return manifest(scope, 'FlightLoadBalancer', 'v1', 'Service', { name: flightLoadBalancerName(split.name), namespace: split.namespace, labels: selector, annotations }, {
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: [...sourceRanges],
      selector,
      ports: [{ name: 'flight', port: listenPort(split), targetPort: portByName ? PORT_NAMES.flight : DEFAULT_PORTS.flight, protocol: 'TCP' }],
    },
  });
}
