import { Findings, quote } from '../core/errors';
import { identityCloud } from '../core/identity-cloud';
import { ECR_REPOSITORY } from '../core/image-reference';
import type { ResolvedSplit } from '../core/split';
import { SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json } from './manifest';

/** An environment variable of the spiced container, as in a Kubernetes `EnvVar`. */
export interface SpiceEnvVar {
  readonly name: string;
  /**
   * A literal value.
   *
   * @default - none: give `value` or `valueFrom`
   */
  readonly value?: string;
  /**
   * Where the value comes from: a Kubernetes `EnvVarSource` (`secretKeyRef`, `configMapKeyRef`, `fieldRef`, ...).
   *
   * @default - none: give `value` or `valueFrom`
   */
  readonly valueFrom?: Readonly<Record<string, unknown>>;
}

/** A Kubernetes toleration. */
export interface SpiceToleration {
  /** @default - every key (with operator `Exists`) */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** @default - none */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** @default - tolerate forever */
  readonly tolerationSeconds?: number;
}

/** Settings platform teams give every pod of a tier, as the Spice Helm chart offers them. */
export interface SpicePodSettings {
  /**
   * Secrets to pull the spiced image with (the Enterprise image lives in a private registry).
   *
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Node labels the pods must run on.
   *
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the pods tolerate.
   *
   * @default - none
   */
  readonly tolerations?: readonly SpiceToleration[];
  /**
   * A Kubernetes `Affinity`, as plain JSON; the library's own topology spread stays.
   *
   * @default - none
   */
  readonly affinity?: Readonly<Record<string, unknown>>;
  /**
   * Priority class of the pods.
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Extra environment variables of the spiced container, after the library's own.
   *
   * @default - none
   */
  readonly env?: readonly SpiceEnvVar[];
  /**
   * Extra pod labels (the library's `read-write-split.io/*` labels cannot be overridden).
   *
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Extra pod annotations.
   *
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

/** How a writer StatefulSet rolls out a new pod template. */
export interface WriterUpdateStrategy {
  /** `OnDelete` waits for you to delete each pod. */
  readonly type: 'RollingUpdate' | 'OnDelete';
  /**
   * With `RollingUpdate`: query replicas with an ordinal below this keep the old template (a
   * canary). The snapshot owner, a single pod, always rolls.
   *
   * @default 0
   */
  readonly partition?: number;
}

/** Pod settings of the writer tier: the writer StatefulSets and the archiver. */
export interface WriterPodSettings extends SpicePodSettings {
  /**
   * Update strategy of the writer StatefulSets.
   *
   * @default - RollingUpdate, one pod at a time
   */
  readonly updateStrategy?: WriterUpdateStrategy;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
export const METADATA_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[a-zA-Z0-9]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const LABEL_VALUE = /^([a-zA-Z0-9]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)?$/;
const OUR_PREFIX = 'read-write-split.io/';

function checkNames(names: readonly string[] | undefined, path: string, what: string, findings: Findings): void {
  names?.forEach((name, i) => {
    if (typeof name !== 'string' || !DNS_SUBDOMAIN.test(name)) findings.problem(`${path}[${i}]`, `${quote(name)} is not ${what}`, "use lowercase letters, digits, '-' and '.'");
  });
}

/** Checks label keys and values; `ours: 'refuse'` also refuses this library's own keys. */
export function checkLabels(labels: Readonly<Record<string, string>> | undefined, path: string, findings: Findings, ours: 'refuse' | 'allow'): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const at = `${path}[${quote(key)}]`;
    if (!METADATA_KEY.test(key)) findings.problem(at, `${quote(key)} is not a label key`, "use e.g. 'team' or 'example.com/team'");
    else if (ours === 'refuse' && key.startsWith(OUR_PREFIX)) findings.problem(at, `${quote(key)} is a label of this library (selectors and NetworkPolicies rely on it)`, 'use a key of your own');
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) findings.problem(at, `${quote(value)} is not a label value`, "use at most 63 letters, digits, '-', '_' and '.'");
  }
}

function checkEnv(env: readonly SpiceEnvVar[] | undefined, reserved: readonly string[], path: string, findings: Findings): void {
  const seen = new Set<string>();
  env?.forEach((variable, i) => {
    const at = `${path}[${i}]`;
    if (typeof variable?.name !== 'string' || !ENV_NAME.test(variable.name)) {
      findings.problem(`${at}.name`, `${quote(variable?.name)} is not an environment variable name`, "use letters, digits, '_', '-' and '.'");
    } else if (reserved.includes(variable.name) || seen.has(variable.name)) {
      findings.problem(`${at}.name`, `${quote(variable.name)} is already set${seen.has(variable.name) ? ' above' : ' by the library'}`, 'use another name');
    }
    seen.add(variable?.name);
    if (variable?.value !== undefined && variable?.valueFrom !== undefined) {
      findings.problem(at, 'has both value and valueFrom', 'give a literal value or a valueFrom source, not both');
    }
  });
}

/** Checks pod settings; `reservedEnv` are the variables the library sets itself. */
export function checkPodSettings(settings: WriterPodSettings | undefined, reservedEnv: readonly string[], findings: Findings): void {
  if (!settings) return;
  checkNames(settings.imagePullSecrets, 'imagePullSecrets', 'a Secret name', findings);
  if (settings.priorityClassName !== undefined) checkNames([settings.priorityClassName], 'priorityClassName', 'a PriorityClass name', findings);
  checkLabels(settings.nodeSelector, 'nodeSelector', findings, 'allow');
  checkLabels(settings.podLabels, 'podLabels', findings, 'refuse');
  if (settings.podAnnotations?.[SPICEPOD_CHECKSUM_ANNOTATION] !== undefined) {
    findings.problem(`podAnnotations.${SPICEPOD_CHECKSUM_ANNOTATION}`, 'is set by the library to roll pods when the Spicepod changes', 'use another key');
  }
  settings.tolerations?.forEach((toleration, i) => {
    if (toleration.operator === 'Exists' && toleration.value !== undefined) {
      findings.problem(`tolerations[${i}].value`, "is set, but operator 'Exists' matches any value", "drop the value or use operator 'Equal'");
    }
  });
  checkEnv(settings.env, reservedEnv, 'env', findings);
  const strategy = settings.updateStrategy;
  if (strategy && !['RollingUpdate', 'OnDelete'].includes(strategy.type)) {
    findings.problem('updateStrategy.type', `${quote(strategy.type)} is not a StatefulSet update strategy`, "use 'RollingUpdate' or 'OnDelete'");
  }
  if (strategy?.partition !== undefined && (!Number.isInteger(strategy.partition) || strategy.partition < 0 || strategy.type !== 'RollingUpdate')) {
    findings.problem('updateStrategy.partition', `${quote(strategy.partition)} is not a partition of a RollingUpdate`, "use a whole number with type 'RollingUpdate'");
  }
}

/**
 * Warns of pull Secrets for an ECR image: ECR's docker credentials last 12 hours, so a Secret made
 * once stops pulling half a day later (EKS nodes pull ECR with their role, and need none).
 */
export function warnExpiringPullSecrets(pods: WriterPodSettings | undefined, split: ResolvedSplit | undefined, findings: Findings): void {
  if (!pods?.imagePullSecrets?.length || !split || !ECR_REPOSITORY.test(split.image.repository)) return;
  findings.warn(
    'ecr-pull-secret-expiry',
    'pods.imagePullSecrets',
    `${quote(pods.imagePullSecrets)} pull ${split.image.repository} from Amazon ECR, whose docker credentials last 12 hours: a Secret made once stops pulling half a day later, and pods rescheduled to a node without the image never start; `
      + "keep it fresh (the External Secrets Operator's ECRAuthorizationToken generator, or a CronJob running aws ecr get-login-password), or mirror the image to your cluster's registry and set split.image.repository",
  );
}

/**
 * Warns of an ECR image without pull Secrets on a cluster that is not EKS (the writers' identity
 * or the store says GKE or AKS): EKS nodes pull ECR with their role, other nodes have no AWS
 * credentials, and every pod would stay in ImagePullBackOff. A warning: a kubelet credential
 * provider or a registry mirror configured on the nodes would pull it.
 */
export function warnEcrOffEks(pods: WriterPodSettings | undefined, split: ResolvedSplit | undefined, identityType: string | undefined, findings: Findings): void {
  if (pods?.imagePullSecrets?.length || !split?.store || !ECR_REPOSITORY.test(split.image.repository)) return;
  // The writers' identity says the cluster's cloud; without one, the store's cloud is the likeliest.
  const cloud = identityType === undefined ? split.store.cloud : identityCloud(identityType);
  const cluster = cloud === 'gcp' ? 'GKE' : cloud === 'azure' ? 'AKS' : undefined;
  if (cluster === undefined) return;
  findings.warn(
    'ecr-image-off-eks',
    'pods.imagePullSecrets',
    `is not set, but the writers pull ${split.image.repository} from Amazon ECR on ${cluster === 'AKS' ? 'an' : 'a'} ${cluster} cluster, whose nodes hold no AWS credentials: every spiced pod would stay in ImagePullBackOff; `
      + `mirror the image to the cluster's registry (${cluster === 'GKE' ? 'Artifact Registry' : 'Azure Container Registry'}) and set split.image.repository, or give pods.imagePullSecrets kept fresh (ECR's credentials last 12 hours)`,
  );
}

/** The pod-level fields of the settings, for a pod spec. */
export function podSpecSettings(settings: SpicePodSettings | undefined): Json {
  if (!settings) return {};
  return {
    ...(settings.imagePullSecrets?.length ? { imagePullSecrets: settings.imagePullSecrets.map((name) => ({ name })) } : {}),
    ...(settings.nodeSelector ? { nodeSelector: { ...settings.nodeSelector } } : {}),
    ...(settings.tolerations?.length ? { tolerations: settings.tolerations.map((t) => ({ ...t })) } : {}),
    ...(settings.affinity ? { affinity: { ...settings.affinity } } : {}),
    ...(settings.priorityClassName ? { priorityClassName: settings.priorityClassName } : {}),
  };
}

/**
 * The update strategy of a writer StatefulSet. A partition applies to the query replicas only: the
 * snapshot owner is a single pod (ordinal 0), which any partition would never roll.
 */
export function writerUpdateStrategy(settings: WriterPodSettings | undefined, role: 'snapshot-owner' | 'query-replica'): Json {
  const strategy = settings?.updateStrategy;
  if (!strategy || strategy.type === 'OnDelete') return { type: strategy?.type ?? 'RollingUpdate' };
  const partition = role === 'query-replica' ? strategy.partition : undefined;
  return { type: 'RollingUpdate', ...(partition !== undefined ? { rollingUpdate: { partition } } : {}) };
}
