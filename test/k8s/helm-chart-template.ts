import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, ValidateFunction } from 'ajv/dist/2020';
import { stringify } from 'yaml';
import type { K8sObject } from '../support/k8s';

/** The recorded schema of the chart's values (see schemas/README.md). */
export const HELM_VALUES_SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'spice-helm-values.schema.json');

let compiled: ValidateFunction | undefined;

/** The schema errors of one values object, as readable lines; empty when valid. */
export function helmValuesErrors(values: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(HELM_VALUES_SCHEMA_PATH, 'utf8')));
  return compiled(values) ? [] : (compiled.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The defaults of values.yaml @0082abd0 that the library's values meet (Helm merges them first). */
const DEFAULTS: K8sObject = {
  additionalLabels: {},
  image: { repository: 'ghcr.io/spiceai/spiceai-nightly', tag: 'latest-models' },
  replicaCount: 1,
  service: { type: null, additionalAnnotations: {} },
  serviceAccount: { create: false, name: null, annotations: {} },
  livenessProbe: { httpGet: { path: '/health', port: 8090 }, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 },
  readinessProbe: { httpGet: { path: '/v1/ready', port: 8090 }, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 },
  startupProbe: { httpGet: { path: '/health', port: 8090 }, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 },
  stateful: { enabled: false, storageClass: 'standard', size: '1Gi', mountPath: '/data' },
  monitoring: { podMonitor: { enabled: false, additionalLabels: {} } },
  spicepod: { name: 'app', version: 'v1', kind: 'Spicepod', datasets: [] },
};

/** Helm's merge of user values over the chart's: maps merge key by key, anything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  const isMap = (v: unknown): v is K8sObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: K8sObject = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/**
 * What the chart renders for a release, emulated from its templates in TypeScript (no Helm here):
 * deployment.yaml @1bcb29fa (StatefulSet branch, hard-coded securityContext), the probes of
 * spiceai/spiceai#10696 and the `updateStrategy` of #13249, spiceai-config.yaml and service.yaml
 * @60781767. For checking the values against Kubernetes' schemas and the library's selectors; it
 * is not the chart.
 */
export function renderChart(release: string, namespace: string, chartVersion: string, userValues: K8sObject): K8sObject[] {
  const v = merge(DEFAULTS, JSON.parse(JSON.stringify(userValues))) as K8sObject;
  const fullname = v.fullnameOverride ?? (release.includes('spiceai') ? release : `${release}-spiceai`);
  const selectorLabels = { 'app.kubernetes.io/name': 'spiceai', 'app.kubernetes.io/instance': release };
  const labels = {
    'helm.sh/chart': `spiceai-${chartVersion}`,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/component': 'controller',
    'app.kubernetes.io/part-of': 'spiceai',
    ...selectorLabels,
    'app.kubernetes.io/version': chartVersion,
    ...v.additionalLabels,
  };
  const sa = v.serviceAccount;
  const container: K8sObject = {
    name: 'spiceai',
    image: `${v.image.repository}:${v.image.tag}`,
    imagePullPolicy: 'Always',
    workingDir: '/app',
    command: v.command ?? ['/usr/local/bin/spiced', '--http', '0.0.0.0:8090', '--metrics', '0.0.0.0:9090', '--flight', '0.0.0.0:50051'],
    env: v.additionalEnv ?? [],
    ports: [{ containerPort: 8090, name: 'http' }, { containerPort: 9090, name: 'metrics' }, { containerPort: 50051, name: 'flight' }],
    livenessProbe: v.livenessProbe,
    readinessProbe: v.readinessProbe,
    startupProbe: v.startupProbe,
    volumeMounts: [
      ...(v.volumeMounts ?? []),
      { name: 'spiceai-config-volume', mountPath: '/app/spicepod.yaml', subPath: 'spicepod.yaml' },
      ...(v.stateful.enabled ? [{ name: `${release}-data`, mountPath: v.stateful.mountPath }] : []),
    ],
    ...(v.resources ? { resources: v.resources } : {}),
    securityContext: { allowPrivilegeEscalation: false, privileged: false },
  };
  const workload = {
    apiVersion: 'apps/v1',
    kind: v.stateful.enabled ? 'StatefulSet' : 'Deployment',
    metadata: { labels: { ...labels, app: release }, name: fullname, namespace },
    spec: {
      ...(v.replicaCount ? { replicas: v.replicaCount } : {}),
      ...(v.stateful.enabled ? { serviceName: fullname } : {}),
      ...(v.stateful.enabled && v.updateStrategy ? { updateStrategy: v.updateStrategy } : {}),
      selector: { matchLabels: { ...selectorLabels, app: release } },
      template: {
        metadata: { labels: { ...labels, app: release }, annotations: { 'checksum/spicepod': 'sha256' } },
        spec: {
          securityContext: { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, runAsNonRoot: true },
          ...(sa.create || sa.name ? { serviceAccountName: sa.create ? (sa.name ?? fullname) : (sa.name ?? 'default') } : {}),
          ...(v.imagePullSecrets ? { imagePullSecrets: v.imagePullSecrets } : {}),
          ...(v.tolerations ? { tolerations: v.tolerations } : {}),
          ...(v.nodeSelector ? { nodeSelector: v.nodeSelector } : {}),
          ...(v.affinity ? { affinity: v.affinity } : {}),
          containers: [container],
          volumes: [...(v.volumes ?? []), { name: 'spiceai-config-volume', configMap: { name: `${fullname}-spicepod` } }],
        },
      },
      ...(v.stateful.enabled ? {
        volumeClaimTemplates: [{
          metadata: { name: `${release}-data` },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(v.stateful.storageClass ? { storageClassName: v.stateful.storageClass } : {}),
            resources: { requests: { storage: v.stateful.size } },
          },
        }],
      } : {}),
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${fullname}-spicepod`, namespace, labels }, data: { 'spicepod.yaml': stringify(v.spicepod) } };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: fullname, namespace, labels },
    spec: {
      ports: [{ port: 8090, name: 'http' }, { port: 9090, name: 'metrics' }, { port: 50051, name: 'flight' }, { port: 50052, name: 'otel' }],
      selector: labels,
    },
  };
  return [configMap, service, workload];
}
