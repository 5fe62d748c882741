import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  checkIdentityForStore, checkNamespaces, checkNotOtherTiersIdentity, checkReaderNamespacesAgree, checkWorkloadIdentity, identityStoreOf, NAMESPACE_NAME, refuseSpiceCloudWriter, ResolvedSplit, SynthesizedSplit, writerServiceAccountName, writerServiceName,
} from '../core';
import { Findings, quote } from '../core/errors';
import { Archiver } from './archiver';
import { identityBinding, WorkloadIdentity } from './identity';
import { tierLabels } from './labels';
import { reportWarnings } from './warnings';
import { manifest } from './manifest';
import { checkExternalReaderCidrs, SplitNetworkPolicies } from './network-policies';
import { checkPodSettings, warnEcrOffEks, warnExpiringPullSecrets, WriterPodSettings } from './pod-settings';
import { DEFAULT_PORTS, PORT_NAMES, SPICE_HOME_ENV } from './spice-container';
import { NodeSpread } from './spice-pod';
import { throwCrdProblems } from './spicepod-set-writer';
import { checkWriterWorkloads, WriterRoleWorkload, writerRoleWorkload, WriterWorkloads } from './writer-workloads';
import { checkCertificateIssuer, FlightCertificateIssuer, flightCaConfigMap, flightCertificate } from './flight-tls';
import { checkFlightClientIssuer, flightClientCertificate } from './flight-client-certificate';
import { checkClusterApiKeySource, ClusterApiKeyExternalSecret, clusterApiKeyExternalSecret } from './cluster-api-key';
import { checkFlightLoadBalancer, FlightLoadBalancer, flightLoadBalancerService, warnFlightLoadBalancerCloud } from './flight-load-balancer';

/** The writer-side settings a chart and a standalone writer cluster share. */
export interface WriterClusterOptions {
  /**
   * Cloud identity of the writers and the archiver: read-write on the snapshot location.
   *
   * @default - none: the ServiceAccount gets no identity annotations. Only a GCS store (the nodes'
   * service account) or an Azure store on spiced 1.x (the nodes' identity) takes that: an S3
   * store, or an Azure store on 2.x, refuses it at synth
   */
  readonly identity?: WorkloadIdentity;
  /**
   * How strictly writers spread over nodes: `'required'` schedules a writer only where the spread
   * stays even (at most one apart: one writer per node while there are as many nodes as writers,
   * two on some nodes when there are fewer), `'preferred'` spreads when it can.
   *
   * @default 'required' - an even spread over nodes; zones are spread when possible
   */
  readonly nodeSpread?: NodeSpread;
  /**
   * Namespace allowed to scrape the metrics port.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Namespaces whose reader pods may reach the writers' Flight port. Without it, a pod labelled a
   * reader of the split in any namespace may (the cluster API key still authenticates each query,
   * and reads every dataset the writers serve); with it, the writers' NetworkPolicy admits readers
   * of these namespaces only, and `readerSidecar()` refuses a workload in another. Better said once
   * in the description (`split.reader.namespaces`), which the cloud side reads too; when both are
   * given they must agree.
   *
   * @default - the description's `reader.namespaces`, else reader pods of the split in any namespace
   */
  readonly readerNamespaces?: readonly string[];
  /**
   * Address ranges of readers outside the cluster (a Cloud Run service's subnet, ECS tasks'
   * subnets, hosts behind a VPN) that the writers' NetworkPolicy admits to the Flight port, beside
   * the reader pods. They dial `split.writer.externalFlightEndpoint`: an internal load balancer in front of
   * the writers' Flight port that keeps the client's address (a Service of type LoadBalancer with
   * `externalTrafficPolicy: Local`), since a NetworkPolicy sees the address the packet arrives from.
   *
   * @default - none: only reader pods in the cluster reach the writers
   */
  readonly externalReaderCidrs?: readonly string[];
  /**
   * An internal load balancer in front of the writers' Flight port for the readers of
   * `externalReaderCidrs` (which it requires): a Service `<split>-writer-flight` of type
   * LoadBalancer, internal on `cloud`'s network, that accepts those ranges only and keeps the
   * client's address. Give its address as `split.writer.externalFlightEndpoint` (a private DNS
   * name for it, which `writer.tls`'s certificate then names): readers off Kubernetes dial it,
   * readers in the cluster keep the writer Service.
   *
   * @default - none: bring your own in front of the writers' Flight port
   */
  readonly flightLoadBalancer?: FlightLoadBalancer;
  /**
   * Pod settings of the writers and the archiver: image pull secrets, node placement, priority,
   * extra env, pod labels and annotations, and the writers' update strategy.
   *
   * @default - none
   */
  readonly pods?: WriterPodSettings;
  /**
   * A cert-manager issuer for the writers' certificate (`split.writer.tls`): a `Certificate` for the
   * writer Service's names is rendered, written to `writer.tls.secretName`. spiced reads it at
   * startup only, so restart the writers after a renewal (e.g. with a reloader).
   *
   * @default - none: the Secret is yours to create and renew
   */
  readonly flightCertificate?: FlightCertificateIssuer;
  /**
   * A cert-manager issuer for the client certificate readers and the archiver present
   * (`split.writer.flightClientCertificate`): a `Certificate` (`client auth`) writes its Secret in
   * the split's namespace when the split keeps an archive, and `readerSidecar()` renders one in
   * every namespace with a delegating reader. spiced reads it at startup only, so restart readers
   * and the archiver after a renewal.
   *
   * @default - none: the Secrets are yours to create and renew (type `kubernetes.io/tls`)
   */
  readonly flightClientCertificate?: FlightCertificateIssuer;
  /**
   * Where the cluster API key comes from: an ExternalSecret (External Secrets Operator) writes
   * `split.writer.apiKey`'s Secret in the split's namespace, and `readerSidecar()` in every
   * namespace with a delegating reader.
   *
   * @default - none: create the Secret in each of those namespaces yourself
   */
  readonly clusterApiKey?: ClusterApiKeyExternalSecret;
  /**
   * What runs the writer pods: the library's StatefulSets, values for the Spice Helm chart (one
   * release per writer role), or the Enterprise operator's `SpicepodSet`s. The ServiceAccount, the
   * Service readers dial, the PodDisruptionBudget, the NetworkPolicies and the archiver stay the
   * library's.
   *
   * @default { type: 'statefulsets' }
   */
  readonly workloads?: WriterWorkloads;
}

/** Props of the writer cluster. */
export interface SpiceWriterClusterProps extends WriterClusterOptions {
  /** The synthesized split (see `synthesizeSplit`). */
  readonly synthesized: SynthesizedSplit;
}


/** The namespace allowed to scrape the pods' metrics (and, for a Spice Cloud split, that holds the readers' monitoring). */
export function checkMonitoringNamespace(namespace: string | undefined, findings: Findings): void {
  if (namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE_NAME.test(namespace))) {
    findings.problem('monitoringNamespace', `${quote(namespace)} is not a Kubernetes namespace`, "use lowercase letters, digits and '-'");
  }
}

/**
 * Readers off the cluster without their ranges, asked for once: by the endpoint they dial when the
 * description gives them one, else by the load balancer nothing could pass.
 */
function askExternalReaderCidrs(options: WriterClusterOptions, writer: ResolvedSplit['writer'] | undefined, findings: Findings): void {
  if (writer && writer.externalFlightEndpoint !== writer.flightEndpoint) {
    findings.problem(
      'externalReaderCidrs',
      `is missing, but readers outside the cluster dial ${quote(writer.externalFlightEndpoint)} (split.writer.externalFlightEndpoint): the writers' NetworkPolicy admits reader pods of the cluster only, and would drop them`,
      "list the readers' address ranges (the subnets of the ECS tasks, the Cloud Run service or the Container Apps environment, the VPN's pool), and keep their address on the way in (flightLoadBalancer)",
    );
  } else if (options.flightLoadBalancer !== undefined) {
    findings.problem(
      'flightLoadBalancer',
      "is given without externalReaderCidrs: the writers' NetworkPolicy would admit nothing that comes through it",
      "list the readers' address ranges in externalReaderCidrs (the subnets of the ECS tasks, the Cloud Run service or the Container Apps environment, the VPN's pool)",
    );
  }
}

/** Checks the writer-side options; paths are rooted where `findings` is. */
export function checkWriterClusterOptions(
  options: WriterClusterOptions,
  synthesized: SynthesizedSplit | undefined,
  findings: Findings,
  identityPath = 'identity',
): void {
  if (synthesized?.split.writer.spiceCloud) {
    refuseSpiceCloudWriter(synthesized.split, 'SpiceWriterCluster', findings.under('synthesized.split'));
    return;
  }
  checkWorkloadIdentity(options.identity, identityPath, findings);
  if (synthesized) checkIdentityForStore(options.identity, identityStoreOf(synthesized.split), 'writer', identityPath, findings);
  if (synthesized) checkNotOtherTiersIdentity(options.identity, 'writer', synthesized.split, undefined, identityPath, findings);
  if (options.nodeSpread !== undefined && !['required', 'preferred'].includes(options.nodeSpread)) {
    findings.problem('nodeSpread', `${quote(options.nodeSpread)} is not a node spread`, "use 'required' or 'preferred'");
  }
  checkMonitoringNamespace(options.monitoringNamespace, findings);
  if (options.readerNamespaces !== undefined) checkNamespaces(options.readerNamespaces, 'readerNamespaces', findings, 'no reader could reach the writers: leave it out to admit readers of any namespace');
  checkReaderNamespacesAgree(options.readerNamespaces, synthesized?.split, 'readerNamespaces', findings);
  if (options.externalReaderCidrs !== undefined) checkExternalReaderCidrs(options.externalReaderCidrs, findings);
  if (options.flightLoadBalancer !== undefined) {
    checkFlightLoadBalancer(options.flightLoadBalancer, options.externalReaderCidrs, options.identity, findings, identityPath);
    warnFlightLoadBalancerCloud(options.flightLoadBalancer, options.identity, synthesized?.split, findings, identityPath);
  }
  if (options.externalReaderCidrs === undefined) askExternalReaderCidrs(options, synthesized?.split.writer, findings);
  if (options.flightCertificate !== undefined) checkFlightCertificate(options.flightCertificate, synthesized, findings);
  checkFlightClientIssuer(options.flightClientCertificate, synthesized?.split, 'flightClientCertificate', findings);
  checkClusterApiKeySource(options.clusterApiKey, 'clusterApiKey', findings);
  checkWriterWorkloads(options.workloads, findings, { synthesized, pods: options.pods });
  const reserved = [SPICE_HOME_ENV, ...(synthesized ? synthesized.writer.snapshotOwner.secretEnv.map((binding) => binding.envVar) : [])];
  checkPodSettings(options.pods, reserved, findings.under('pods'));
  warnExpiringPullSecrets(options.pods, synthesized?.split, findings);
  warnEcrOffEks(options.pods, synthesized?.split, options.identity?.type, findings);
}

/** Props the split's chart has checked, with its own, and whose warnings it has reported. */
const checkedByChart = new WeakSet<SpiceWriterClusterProps>();

/** The writer cluster's props as the split's chart passes them, checked and reported there already. */
export function checkedWriterClusterProps(props: SpiceWriterClusterProps): SpiceWriterClusterProps {
  checkedByChart.add(props);
  return props;
}

/**
 * The writer cluster: one snapshot-owner StatefulSet (a single replica, the only pod that uploads
 * snapshots), a StatefulSet of query replicas that only bootstrap from them, the Flight/HTTP
 * Service readers delegate to, a PodDisruptionBudget, the archiver and the NetworkPolicies.
 */
export class SpiceWriterCluster extends Construct {
  /** The Service readers reach over Arrow Flight. */
  public readonly serviceName: string;
  /** The ServiceAccount of writers and archiver (bind the read-write identity to it). */
  public readonly serviceAccountName: string;
  /** The snapshot owner's workload (one replica): a StatefulSet unless `workloads` says otherwise. */
  public readonly owner: WriterRoleWorkload;
  /** The query replicas' workload; undefined with a single writer. */
  public readonly replicas?: WriterRoleWorkload;
  /** The archiver; undefined when no daily archive is kept. */
  public readonly archiver?: Archiver;
  /** The ServiceAccount, Service and PodDisruptionBudget, for JSON patches. */
  public readonly serviceAccount: ApiObject;
  public readonly service: ApiObject;
  public readonly budget: ApiObject;
  /** The internal load balancer of the writers' Flight port; undefined without `flightLoadBalancer`. */
  public readonly flightLoadBalancer?: ApiObject;

  constructor(scope: Construct, id: string, props: SpiceWriterClusterProps) {
    super(scope, id);
    if (!checkedByChart.has(props)) {
      const findings = new Findings();
      checkWriterClusterOptions(props, props.synthesized, findings.under('props'));
      findings.throwIfProblems(props.synthesized.split.name, this.node.path);
      reportWarnings(this, props.synthesized.split, findings.warnings);
    }
    const { split, writer, archiver } = props.synthesized;
    this.serviceName = writerServiceName(split.name);
    this.serviceAccountName = writerServiceAccountName(split.name);
    const identity = identityBinding(props.identity);
    const labels = tierLabels(split.name, 'writer');
    this.serviceAccount = manifest(this, 'ServiceAccount', 'v1', 'ServiceAccount', {
      name: this.serviceAccountName, namespace: split.namespace, labels, annotations: identity.serviceAccountAnnotations,
    }, { automountServiceAccountToken: identity.automountServiceAccountToken });

    const common = { split, serviceAccountName: this.serviceAccountName, identity, nodeSpread: props.nodeSpread ?? 'required', settings: props.pods };
    this.owner = writerRoleWorkload(this, 'Owner', props.workloads, { ...common, role: 'snapshot-owner', spicepod: writer.snapshotOwner, replicas: 1 });
    if (split.writer.replicas > 1) {
      this.replicas = writerRoleWorkload(this, 'Replicas', props.workloads, { ...common, role: 'query-replica', spicepod: writer.queryReplica, replicas: split.writer.replicas - 1 });
    }
    throwCrdProblems([this.owner, this.replicas], split.name, this.node.path);
    // The library's StatefulSets name their ports; the chart's and the operator's pods are reached by number.
    const byName = (props.workloads?.type ?? 'statefulsets') === 'statefulsets';

    this.service = manifest(this, 'Service', 'v1', 'Service', { name: this.serviceName, namespace: split.namespace, labels }, {
      spec: {
        type: 'ClusterIP',
        selector: labels,
        ports: [
          { name: 'flight', port: DEFAULT_PORTS.flight, targetPort: byName ? PORT_NAMES.flight : DEFAULT_PORTS.flight, protocol: 'TCP' },
          { name: 'http', port: DEFAULT_PORTS.http, targetPort: byName ? PORT_NAMES.http : DEFAULT_PORTS.http, protocol: 'TCP' },
        ],
      },
    });
    if (props.flightLoadBalancer && props.externalReaderCidrs) {
      this.flightLoadBalancer = flightLoadBalancerService(this, split, props.flightLoadBalancer, props.externalReaderCidrs, labels, byName);
    }
    this.budget = manifest(this, 'Budget', 'policy/v1', 'PodDisruptionBudget', { name: writerServiceName(split.name), namespace: split.namespace, labels }, {
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    if (archiver) {
      this.archiver = new Archiver(this, 'Archiver', { split, spicepod: archiver, serviceAccountName: this.serviceAccountName, identity, settings: props.pods });
    }
    new SplitNetworkPolicies(this, 'NetworkPolicies', { split, monitoringNamespace: props.monitoringNamespace ?? 'monitoring', readerNamespaces: props.readerNamespaces ?? split.reader.namespaces, externalReaderCidrs: props.externalReaderCidrs, archiver: archiver !== undefined });
    // The archiver and the writers' scrapes trust this CA; readers get their own copy.
    flightCaConfigMap(this, split, split.namespace);
    if (props.flightCertificate) flightCertificate(this, split, props.flightCertificate);
    // The archiver dials the writers too: it presents the client certificate from this namespace.
    if (archiver && props.flightClientCertificate) flightClientCertificate(this, split, split.namespace, props.flightClientCertificate);
    if (props.clusterApiKey) clusterApiKeyExternalSecret(this, split, split.namespace, props.clusterApiKey);
  }
}

function checkFlightCertificate(issuer: FlightCertificateIssuer, synthesized: SynthesizedSplit | undefined, findings: Findings): void {
  if (synthesized && !synthesized.split.writer.tls) {
    findings.problem('flightCertificate', 'is given, but the split has no writer.tls: nothing would serve the certificate', "set split.writer.tls { secretName, caCertificate } (the issuer's CA), or remove flightCertificate");
  }
  checkCertificateIssuer(issuer, 'flightCertificate', findings);
}
