import { createHash } from 'node:crypto';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';

/** A synthesized Kubernetes object. */
export type K8sObject = Record<string, any>;

/**
 * Validates one manifest against the Kubernetes schemas with kubernetes-models (prometheus-operator
 * models for monitoring.coreos.com, cert-manager models for cert-manager.io, external-secrets models for external-secrets.io). Throws the validator's error when the manifest is invalid.
 */
export async function validateManifest(doc: K8sObject): Promise<void> {
  const pkg = doc.apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator'
    : doc.apiVersion.startsWith('cert-manager.io/') ? '@kubernetes-models/cert-manager'
      : doc.apiVersion.startsWith('external-secrets.io/') ? '@kubernetes-models/external-secrets' : 'kubernetes-models';
  const mod = await import(`${pkg}/${doc.apiVersion}/${doc.kind}`);
  const Model = mod[doc.kind] ?? mod.default;
  if (!Model) throw new Error(`no model for ${doc.apiVersion} ${doc.kind}`);
  new Model(doc).validate();
}

/** Validates every manifest, naming the broken ones. */
export async function expectValidManifests(docs: readonly K8sObject[]): Promise<void> {
  const failures: string[] = [];
  for (const doc of docs) {
    try {
      await validateManifest(doc);
    } catch (error) {
      failures.push(`${doc.kind}/${doc.metadata?.name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`Invalid manifests:\n${failures.join('\n')}`);
}

/** Pod templates of every workload, with the workload's name. */
export function podTemplates(docs: readonly K8sObject[]): { name: string; template: K8sObject }[] {
  return docs.flatMap((d) => {
    const name = `${d.kind}/${d.metadata.name}`;
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(d.kind)) return [{ name, template: d.spec.template }];
    if (d.kind === 'CronJob') return [{ name, template: d.spec.jobTemplate.spec.template }];
    return [];
  });
}

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * Violations of the Kubernetes "restricted" Pod Security Standard (policy v1.28+) in a pod spec,
 * as the API server's admission checks them.
 */
export function restrictedViolations(spec: K8sObject): string[] {
  const violations: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[flag]) violations.push(`${flag} is true`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (!type || !ALLOWED_VOLUMES.includes(type)) violations.push(`volume ${volume.name} is of type ${type}`);
  }
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of containers) {
    const ctx = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (ctx.privileged) violations.push(`${where} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false) violations.push(`${where} allows privilege escalation`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL')) violations.push(`${where} does not drop ALL capabilities`);
    for (const cap of ctx.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') violations.push(`${where} adds ${cap}`);
    if ((ctx.runAsNonRoot ?? pod.runAsNonRoot) !== true) violations.push(`${where} may run as root`);
    if ((ctx.runAsUser ?? pod.runAsUser) === 0) violations.push(`${where} runs as user 0`);
    const seccomp = ctx.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) violations.push(`${where} has no RuntimeDefault seccomp profile`);
    for (const port of c.ports ?? []) if (port.hostPort) violations.push(`${where} uses hostPort ${port.hostPort}`);
  }
  return violations;
}

/** The Spicepod inside a ConfigMap. */
export function spicepodOf(configMap: K8sObject): K8sObject {
  return parse(configMap.data['spicepod.yaml']);
}

/** SHA-256 of a ConfigMap's Spicepod, as the checksum annotation carries it. */
export function checksumOf(configMap: K8sObject): string {
  return createHash('sha256').update(configMap.data['spicepod.yaml']).digest('hex');
}

/** The one object of a kind and name. */
export function find(docs: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in ${docs.map((d) => `${d.kind}/${d.metadata?.name}`).join(', ')}`);
  return found;
}

/** The writer identity the Kubernetes tests bind (an AWS store needs one). */
export const WRITER_IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-writer' } as const;

/**
 * A restricted application Deployment (user and group 10001, every capability dropped) taking
 * traffic on 8080, for the sidecar to join; `fsGroup` is the pod's, none when left out.
 */
export function restrictedAppDeployment(chart: Chart, name: string, fsGroup?: number): kplus.Deployment {
  return new kplus.Deployment(chart, name, {
    metadata: { name },
    containers: [{
      name: 'app',
      image: 'ghcr.io/acme/app:1.0.0',
      ports: [{ number: 8080 }],
      securityContext: { user: 10001, group: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } },
    }],
    securityContext: { user: 10001, group: 10001, fsGroup },
  });
}
