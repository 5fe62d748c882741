import { Findings, NAMESPACE_NAME, quote, ResolvedSplit, SplitWarning, ValidationProblem } from '../core';
import type { SpiceEnvVar } from './pod-settings';
import { SpicePorts } from './spice-container';

/** Name of the reader sidecar container. */
export const SIDECAR_NAME = 'spice-reader';

/** The protocols of a Kubernetes port (a container's, a NetworkPolicy's). */
export const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const isPortProtocol = (value: unknown): value is PortProtocol => (PORT_PROTOCOLS as readonly unknown[]).includes(value);

/** A port the application takes traffic on; TCP unless the container says otherwise. */
export interface AppPort {
  readonly port: number;
  /**
   * The port's protocol.
   *
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
}

/** A container of the application pod: its name and ports. */
export interface AppContainerShape {
  readonly name: string;
  readonly ports: readonly { readonly number: number; readonly name?: string; readonly protocol?: string }[];
  /** An init container that keeps running beside the app (`restartPolicy: Always`): a native sidecar. */
  readonly runsAlongside?: boolean;
}

/** The parts of an application pod that the sidecar must fit into (without the sidecar). */
export interface AppPodShape {
  readonly containers: readonly AppContainerShape[];
  readonly initContainers: readonly AppContainerShape[];
  readonly volumes: readonly string[];
  readonly serviceAccountName?: string;
  /** Namespace of the workload; undefined when it has none. */
  readonly namespace?: string;
  /** The pod uses the node's network. */
  readonly hostNetwork?: boolean;
  /** The pod's `securityContext.fsGroup`; undefined when it sets none. */
  readonly fsGroup?: number;
}

/** What the sidecar brings into the pod. */
export interface SidecarFootprint {
  readonly ports: SpicePorts;
  readonly portNames: readonly string[];
  readonly volumes: readonly string[];
  readonly serviceAccountName: string;
  /** Namespace of the sidecar's ConfigMap and ServiceAccount. */
  readonly namespace?: string;
  /** Ports the application takes traffic on; undefined to read them from the containers. */
  readonly appPorts?: readonly (number | AppPort)[];
  readonly keepWorkloadServiceAccount: boolean;
  /**
   * The sidecar mounts a Secret readable by its owner (root) and the pod's fsGroup only (the Flight
   * client key): the pod must set an fsGroup, which the kubelet gives every container.
   */
  readonly readsSecretByFsGroup?: boolean;
}

/**
 * Ports the application takes traffic on, with their protocol: given, or declared by its
 * containers and by the native sidecars among its init containers (they take traffic as long as
 * the pod runs). Each port and protocol once.
 */
export function appPortsOf(pod: AppPodShape, footprint: SidecarFootprint): Required<AppPort>[] {
  const declared = [...pod.containers, ...pod.initContainers.filter((c) => c.runsAlongside)]
    .flatMap((c) => c.ports.map((p): AppPort => ({ port: p.number, protocol: (p.protocol ?? 'TCP') as PortProtocol })));
  const ports = (footprint.appPorts ?? declared).map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' as const } : { port: p.port, protocol: p.protocol ?? 'TCP' }));
  const seen = new Set<string>();
  return ports.filter((p) => !seen.has(`${p.protocol}/${p.port}`) && seen.add(`${p.protocol}/${p.port}`));
}

/** The number of a port the user gave. */
const portNumber = (port: number | AppPort) => (typeof port === 'number' ? port : port.port);

function portProblems(pod: AppPodShape, footprint: SidecarFootprint, where: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const sidecarPorts = Object.entries(footprint.ports);
  const numbers = sidecarPorts.map(([, port]) => port);
  if (new Set(numbers).size !== numbers.length) {
    problems.push({ path: `${where}.metricsPort`, message: `${footprint.ports.metrics} is also the sidecar's HTTP or Flight port`, fix: 'give metricsPort a port of its own' });
  }
  for (const container of [...pod.containers, ...pod.initContainers]) {
    for (const [name, port] of sidecarPorts) {
      if (container.ports.some((p) => p.number === port)) {
        problems.push({
          path: `${where}.containers[${container.name}]`,
          message: `port ${port} is also the sidecar's ${name} port (containers of a pod share its network)`,
          fix: name === 'metrics' ? "set the sidecar's 'metricsPort' to a free port" : `move the application off port ${port}`,
        });
      }
    }
    for (const clash of container.ports.filter((p) => p.name !== undefined && footprint.portNames.includes(p.name))) {
      problems.push({ path: `${where}.containers[${container.name}]`, message: `port name "${clash.name}" is also a port name of the sidecar`, fix: 'rename the application port' });
    }
  }
  for (const port of (footprint.appPorts ?? []).map(portNumber).filter((p) => numbers.includes(p))) {
    problems.push({ path: `${where}.appPorts`, message: `${port} is a port of the sidecar and would be opened to every source`, fix: "list only the application's own ports" });
  }
  return problems;
}

/** The sidecar's ConfigMap and ServiceAccount must live in the workload's namespace. */
export function namespaceProblems(pod: AppPodShape, footprint: SidecarFootprint, where: string): ValidationProblem[] {
  if (pod.namespace !== undefined && !NAMESPACE_NAME.test(pod.namespace)) {
    return [{
      path: `${where}.namespace`,
      message: `"${pod.namespace}" is not a Kubernetes namespace: the API server would refuse the sidecar's ConfigMap, ServiceAccount and NetworkPolicy`,
      fix: "use a DNS label: up to 63 lowercase letters, digits and '-'",
    }];
  }
  if (pod.namespace === footprint.namespace) return [];
  return [{
    path: `${where}.namespace`,
    message: `is ${pod.namespace ?? '(none)'}, but the sidecar's ConfigMap and ServiceAccount go to ${footprint.namespace ?? '(none)'}`,
    fix: "create the sidecar in the workload's chart, or set its 'namespace' to the workload's",
  }];
}

/** Every reason the sidecar cannot join this pod as it is. */
export function sidecarProblems(pod: AppPodShape, footprint: SidecarFootprint, where: string): ValidationProblem[] {
  const problems = portProblems(pod, footprint, where);
  if ([...pod.containers, ...pod.initContainers].some((c) => c.name === SIDECAR_NAME)) {
    problems.push({
      path: where,
      message: `already has a "${SIDECAR_NAME}" container: the reader sidecar was added twice, or an application container has its name`,
      fix: 'add the sidecar once per workload, and give application containers other names',
    });
  }
  for (const volume of footprint.volumes.filter((v) => pod.volumes.includes(v))) {
    problems.push({ path: `${where}.volumes[${volume}]`, message: 'is also a volume of the sidecar', fix: 'rename the application volume' });
  }
  if (pod.hostNetwork) {
    problems.push({
      path: `${where}.hostNetwork`,
      message: "is true: the sidecar's HTTP, Flight and metrics ports would open on the node, where NetworkPolicies do not apply",
      fix: 'run the reader next to applications on the pod network',
    });
  }
  if (pod.serviceAccountName && pod.serviceAccountName !== footprint.serviceAccountName && !footprint.keepWorkloadServiceAccount) {
    problems.push({
      path: `${where}.serviceAccountName`,
      message: `is "${pod.serviceAccountName}", but the reader's read-only bucket identity is bound to "${footprint.serviceAccountName}"`,
      fix: "remove it from the workload, or set 'keepWorkloadServiceAccount: true' and bind the read-only identity to that ServiceAccount yourself",
    });
  }
  if (footprint.readsSecretByFsGroup && pod.fsGroup === undefined) {
    problems.push({
      path: `${where}.securityContext.fsGroup`,
      message: "is not set: the sidecar (a non-root user) reads the Flight client key (writer.flightClientCertificate, mode 0440) through the pod's fsGroup",
      fix: "set the pod's securityContext.fsGroup, e.g. to the application's group (the kubelet gives every container of the pod that group)",
    });
  }
  problems.push(...namespaceProblems(pod, footprint, where));
  if (footprint.appPorts === undefined && appPortsOf(pod, footprint).length === 0) {
    problems.push({
      path: `${where}.containers`,
      message: 'declare no ports: the NetworkPolicy that keeps the sidecar private would admit no traffic to the application',
      fix: "declare the application's containerPorts, or set the sidecar's 'appPorts' ([] for pods that take no traffic)",
    });
  }
  return problems;
}

/** Where a sidecar runs, and what it reads, against the namespaces the writers admit readers from (the chart's `readerNamespaces`). */
export interface AdmittedReader {
  /** @default - the description's `reader.namespaces` (the writers' default), unless the writer is a Spice Cloud app */
  readonly admitted?: readonly string[];
  readonly namespace?: string;
  readonly datasets?: readonly string[];
  /** The pod keeps a ServiceAccount of its own, which the cloud side trusts by name (`readerServiceAccounts`), in any namespace. */
  readonly keepsServiceAccount?: boolean;
  /** The namespace is the chart's, not a prop of the sidecar's: messages say so. */
  readonly namespaceFromChart?: boolean;
}

const addNamespaceTo = (namespace: string | undefined, list: string) => (namespace === undefined
  ? `give the sidecar the namespace its workload runs in (its 'namespace' prop, or its chart's), one of ${list}`
  : `add ${namespace} to ${list}`);

/**
 * A pod that runs as the reader ServiceAccount must run where the description says readers run
 * (`reader.namespaces`): the cloud side trusts that ServiceAccount there only. Undefined when it
 * does, or when the description does not say.
 */
export function describedNamespaceProblem(namespace: string | undefined, split: ResolvedSplit, shown = namespace ?? '(none)'): ValidationProblem | undefined {
  const described = split.reader.namespaces;
  if (described === undefined || (namespace !== undefined && described.includes(namespace))) return undefined;
  const [trusted, redeploy] = split.store
    ? ['the cloud side trusts the reader ServiceAccount there only, so every restore would be denied', namespace === undefined ? '' : ' (and deploy the cloud side again)']
    : ['the description says readers run there only', ''];
  return {
    path: 'namespace',
    message: `is ${shown}, but the description's reader.namespaces is ${described.join(', ')}: ${trusted}`,
    fix: `${addNamespaceTo(namespace, "the description's reader.namespaces")}${redeploy}, or run the application in one of those`,
  };
}

/**
 * A sidecar must run where the description says readers run, unless its pod keeps a ServiceAccount
 * of its own (checked again when it joins a workload: one that names none runs as the reader's).
 * A delegating reader must run where the writers' NetworkPolicy admits readers (one that delegates
 * nothing never dials them).
 */
export function checkAdmittedNamespace(reader: AdmittedReader, split: ResolvedSplit, findings: Findings): void {
  const { namespace, datasets } = reader;
  const shown = namespace === undefined ? '(none)' : reader.namespaceFromChart ? `${namespace} (the chart's namespace)` : namespace;
  const described = reader.keepsServiceAccount ? undefined : describedNamespaceProblem(namespace, split, shown);
  if (described) {
    findings.problem(described.path, described.message, described.fix);
    return;
  }
  const admitted = reader.admitted ?? (split.writer.spiceCloud ? undefined : split.reader.namespaces);
  if (admitted === undefined) return;
  const delegates = split.datasets.some((dataset) => dataset.readers === 'delegated' && (datasets === undefined || datasets.includes(dataset.name)));
  if (!delegates || (namespace !== undefined && admitted.includes(namespace))) return;
  findings.problem(
    'namespace',
    `is ${shown}, but the writers admit readers from ${admitted.join(', ')} only (readerNamespaces): every delegated query would be blocked`,
    `${addNamespaceTo(namespace, "readerNamespaces (the chart's, or the description's reader.namespaces)")}, or run the application in one of those`,
  );
}

/**
 * A sidecar outside the split's namespace while the description names no reader namespaces: the
 * cloud side trusts the reader ServiceAccount of the split's namespace only, unless it was given
 * `readerNamespaces` of its own, which the chart cannot see. So a warning, not a problem. None for
 * a reader that restores nothing, or reads Azure with the nodes' identity (Spice 1.x).
 */
export function undescribedNamespaceWarning(reader: { readonly namespace?: string; readonly restores: boolean; readonly keepsServiceAccount?: boolean }, split: ResolvedSplit): SplitWarning | undefined {
  const { namespace, restores, keepsServiceAccount } = reader;
  const described = split.reader.namespaces !== undefined || namespace === undefined || namespace === split.namespace;
  const federated = split.store !== undefined && (split.store.cloud !== 'azure' || split.image.capabilities.objectStoreCredentials);
  if (described || !federated || !restores || keepsServiceAccount) return undefined;
  return {
    id: 'reader-namespace-undescribed',
    path: 'props.namespace',
    message: `is ${namespace}, but the description names no reader.namespaces: a cloud side without readerNamespaces of its own trusts the reader ServiceAccount in ${split.namespace} only, and would deny this reader every restore; ` +
      `list ${namespace} in the description's reader.namespaces (both sides read it), or acknowledge this when the cloud side's readerNamespaces lists it`,
  };
}

/** The sidecar's ports and mode, as given. */
export function checkSidecarPorts(props: { readonly metricsPort?: number; readonly appPorts?: readonly (number | AppPort)[]; readonly mode?: string }, findings: Findings): void {
  const valid = (port: unknown) => Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
  if (props.metricsPort !== undefined && !valid(props.metricsPort)) findings.problem('metricsPort', `${quote(props.metricsPort)} is not a port`, 'use a number from 1 to 65535');
  props.appPorts?.forEach((port, i) => {
    const number = typeof port === 'object' && port !== null ? port.port : port;
    if (!valid(number)) findings.problem(`appPorts[${i}]${number === port ? '' : '.port'}`, `${quote(number)} is not a port`, 'use a number from 1 to 65535');
    const protocol = typeof port === 'object' && port !== null ? port.protocol : undefined;
    if (protocol !== undefined && !isPortProtocol(protocol)) findings.problem(`appPorts[${i}].protocol`, `${quote(protocol)} is not a port protocol`, "use 'TCP', 'UDP' or 'SCTP'");
  });
  if (props.mode !== undefined && !['native', 'classic'].includes(props.mode)) findings.problem('mode', `${quote(props.mode)} is not a sidecar mode`, "use 'native' or 'classic'");
}

/**
 * Refuses a sidecar variable read from a Secret of the sources' credentials (a dataset's
 * `secretParams`): readers hold none, and delegate what needs them to the writers.
 */
export function checkNoSourceSecrets(env: readonly SpiceEnvVar[] | undefined, split: ResolvedSplit, findings: Findings): void {
  const secretOf = (variable: SpiceEnvVar | undefined): unknown => (variable?.valueFrom?.secretKeyRef as { readonly name?: unknown } | undefined)?.name;
  // Most sidecars read no Secret at all: the split's source Secrets are gathered only for one that does.
  if (!env?.some((variable) => typeof secretOf(variable) === 'string')) return;
  const sources = sourceSecrets(split);
  env.forEach((variable, i) => {
    const secret = secretOf(variable);
    const holds = typeof secret === 'string' ? sources.get(secret) : undefined;
    if (holds === undefined) return;
    findings.problem(
      `env[${i}].valueFrom.secretKeyRef.name`,
      `${quote(secret)} is the Secret of source credentials (${holds}): readers hold no source credentials, and the Secret is in the writers' namespace ${quote(split.namespace)} only`,
      "remove the variable: a dataset that needs the source is delegated to the writers (readers: 'delegated')",
    );
  });
}

/** Each Secret of source credentials, with the first param and dataset that reads it. */
function sourceSecrets(split: ResolvedSplit): Map<string, string> {
  const sources = new Map<string, string>();
  for (const dataset of split.datasets) {
    for (const [param, ref] of Object.entries(dataset.secretParams)) {
      if (!sources.has(ref.secretName)) sources.set(ref.secretName, `${param} of dataset ${dataset.name}`);
    }
  }
  return sources;
}
