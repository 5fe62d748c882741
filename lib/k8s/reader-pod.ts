import { Json } from './manifest';
import { AppContainerShape, AppPodShape } from './reader-pod-checks';

/** Kinds of workload the reader sidecar joins. */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** What the reader sidecar adds to an application's pod template. */
export interface ReaderPodAdditions {
  /** The spiced container, as `toContainerManifest` renders it. */
  readonly container: Json;
  /** A native sidecar (an init container with `restartPolicy: Always`) or a regular container. */
  readonly native: boolean;
  readonly volumes: readonly Json[];
  /** The reader ServiceAccount. */
  readonly serviceAccountName: string;
  /** Keep a ServiceAccount the pod already names. */
  readonly keepWorkloadServiceAccount: boolean;
  /** The reader's identity needs the ServiceAccount token mounted. */
  readonly identityMountsToken: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The identity's annotation that keeps its token out of the application's containers (`IdentityBinding.skipContainersAnnotation`). */
  readonly skipContainersAnnotation?: string;
  /** Secrets to pull the spiced image with, added to the pod's own. */
  readonly imagePullSecrets: readonly string[];
}

function pullSecrets(own: readonly Json[] | undefined, added: readonly string[]): Json[] {
  const all = [...(own ?? [])];
  for (const name of added) if (!all.some((secret) => secret.name === name)) all.push({ name });
  return all;
}

/**
 * Whether the pod mounts its ServiceAccount token: when the identity or the app needs it. The reader
 * ServiceAccount needs none otherwise; a ServiceAccount the workload keeps keeps the app's setting.
 */
function automountToken(own: boolean | undefined, identityNeedsIt: boolean, keeps: boolean): boolean | undefined {
  if (identityNeedsIt || own === true) return true;
  return keeps ? own : false;
}

/**
 * The application's containers, listed in the identity's skip annotation (beside any it names
 * already): on the reader ServiceAccount, the reader's token is the sidecar's. A ServiceAccount the
 * workload keeps may carry the application's own identity, shared with the reader: left as it is.
 */
function skipContainers(spec: Json, annotations: Json | undefined, annotation: string | undefined, keeps: boolean): Json {
  if (annotation === undefined || keeps) return {};
  const own = [...((spec.initContainers as Json[] | undefined) ?? []), ...((spec.containers as Json[] | undefined) ?? [])].map((c) => String(c.name));
  const existing = annotations?.[annotation];
  const given = typeof existing === 'string' ? existing.split(';').filter((name) => name !== '') : [];
  const names = [...new Set([...given, ...own])];
  return names.length > 0 ? { [annotation]: names.join(';') } : {};
}

/**
 * The application's pod template with the reader sidecar in it: the one place both attach paths
 * (cdk8s-plus workloads and existing manifests) build the pod, so both render the same pod.
 */
export function withReaderSidecar(template: Json, add: ReaderPodAdditions): Json {
  const metadata = (template.metadata ?? {}) as Json;
  const spec = (template.spec ?? {}) as Json;
  const list = add.native ? 'initContainers' : 'containers';
  const own = (spec.serviceAccountName ?? spec.serviceAccount) as string | undefined;
  const secrets = pullSecrets(spec.imagePullSecrets as Json[] | undefined, add.imagePullSecrets);
  const keeps = add.keepWorkloadServiceAccount && own !== undefined;
  const automount = automountToken(spec.automountServiceAccountToken as boolean | undefined, add.identityMountsToken, keeps);
  return {
    ...template,
    metadata: {
      ...metadata,
      labels: { ...(metadata.labels as Json | undefined), ...add.labels },
      annotations: {
        ...(metadata.annotations as Json | undefined),
        ...add.annotations,
        ...skipContainers(spec, metadata.annotations as Json | undefined, add.skipContainersAnnotation, keeps),
      },
    },
    spec: {
      ...spec,
      [list]: [...((spec[list] as Json[] | undefined) ?? []), add.container],
      volumes: [...((spec.volumes as Json[] | undefined) ?? []), ...add.volumes],
      serviceAccountName: keeps ? own : add.serviceAccountName,
      ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
      ...(secrets.length > 0 ? { imagePullSecrets: secrets } : {}),
    },
  };
}

function containerShape(container: Json): AppContainerShape {
  const ports = (container.ports as Json[] | undefined) ?? [];
  return {
    name: String(container.name),
    ports: ports.map((p) => ({ number: Number(p.containerPort), name: p.name as string | undefined, protocol: p.protocol as string | undefined })),
    runsAlongside: container.restartPolicy === 'Always',
  };
}

/** The application side of a rendered workload, as the sidecar checks see it. */
export function podShapeOf(workload: Json, defaultNamespace: string | undefined): AppPodShape {
  const spec = ((workload.spec as Json | undefined)?.template as Json | undefined)?.spec as Json | undefined ?? {};
  return {
    containers: ((spec.containers as Json[] | undefined) ?? []).map(containerShape),
    initContainers: ((spec.initContainers as Json[] | undefined) ?? []).map(containerShape),
    volumes: ((spec.volumes as Json[] | undefined) ?? []).map((v) => String(v.name)),
    serviceAccountName: (spec.serviceAccountName ?? spec.serviceAccount) as string | undefined,
    namespace: ((workload.metadata as Json | undefined)?.namespace as string | undefined) ?? defaultNamespace,
    hostNetwork: spec.hostNetwork === true,
    fsGroup: (spec.securityContext as Json | undefined)?.fsGroup as number | undefined,
  };
}
