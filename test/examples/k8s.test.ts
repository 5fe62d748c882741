import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { awsRoleArn } from '../../lib';
import { EXAMPLE_AWS_ACCOUNT } from '../../examples/splits/aws-account';
import { expectValidManifests, find, K8sObject, podTemplates, restrictedViolations, spicepodOf } from '../support/k8s';
import { bin, ROOT, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';

/**
 * Runs the example cdk8s app with the real cdk8s-cli, as `npm run synth` does: after the Azure
 * example, whose stack outputs (the identities' client ids) the app reads.
 */
let out: string;
let result: ReturnType<typeof run>;
let docs: K8sObject[];
let azureOutputs: { telemetryIdentities: { writer: { clientId: string; tenantId: string }; reader: { clientId: string; tenantId: string } } };

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-k8s-'));
  const azureOut = mkdtempSync(join(tmpdir(), 'rws-azure-'));
  const azure = run(bin('tsx'), ['examples/azure/synth.ts', azureOut]);
  if (azure.status !== 0) throw new Error(azure.output);
  azureOutputs = JSON.parse(readFileSync(join(azureOut, 'stack-outputs.json'), 'utf8'));
  result = run(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', out], {
    cwd: join(ROOT, 'examples', 'k8s'),
    env: { AZURE_STACK_OUTPUTS: join(azureOut, 'stack-outputs.json') },
  });
  docs = readdirSync(out).flatMap((file) => parseAllDocuments(readFileSync(join(out, file), 'utf8')).map((d) => d.toJS()));
}, 240_000);

describe('the example cdk8s app (cdk8s synth)', () => {
  it('synthesizes one file per chart', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'catalog.k8s.yaml', 'devices.k8s.yaml', 'inventory.k8s.yaml', 'legacy.k8s.yaml', 'orders.k8s.yaml', 'reporting.k8s.yaml', 'storefront.k8s.yaml', 'telemetry.k8s.yaml',
    ]);
  });

  it('gives the reporting app a reader of the Spice Cloud app: its API key only, its region, its egress through the gateway', () => {
    const reporting = docs.filter((doc) => doc.metadata?.namespace === 'reporting');
    const spicepod = spicepodOf(find(reporting, 'ConfigMap', 'dashboards-spice-reader'));
    expect(spicepod.snapshots).toBeUndefined();
    expect(spicepod.datasets.map((d: K8sObject) => [d.from, d.params])).toEqual(['daily_revenue', 'top_products'].map((table) => [
      `spice.ai:${table}`, { spiceai_region: 'us-east-1', spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' },
    ]));
    const pod = find(reporting, 'Deployment', 'dashboards').spec.template.spec;
    const secrets = [...pod.initContainers, ...pod.containers].flatMap((c: K8sObject) => c.env ?? []).filter((e: K8sObject) => e.valueFrom?.secretKeyRef);
    expect(secrets).toEqual([{ name: 'SPICE_CLUSTER_API_KEY', valueFrom: { secretKeyRef: { name: 'insights-spice-cloud', key: 'api-key' } } }]);
    expect(find(reporting, 'ServiceAccount', 'insights-reader').metadata.annotations).toBeUndefined();
    expect(find(reporting, 'NetworkPolicy', 'dashboards-spice-reader').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '198.51.100.16/28' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('writes only manifests valid against the Kubernetes schemas, and schema-valid Spicepods', async () => {
    await expectValidManifests(docs);
    for (const config of docs.filter((d) => d.kind === 'ConfigMap' && d.data?.['spicepod.yaml'])) expectValidSpicepod(config.data['spicepod.yaml']);
  });

  it('meets the restricted Pod Security Standard in every pod', () => {
    const pods = podTemplates(docs);
    expect(pods.length).toBeGreaterThanOrEqual(12);
    for (const { name, template } of pods) expect(restrictedViolations(template.spec), name).toEqual([]);
  });

  it('adds the reader to the cdk8s-plus app and to the included manifest', () => {
    const storefront = find(docs, 'Deployment', 'storefront-web').spec.template.spec;
    const legacy = find(docs, 'Deployment', 'legacy-api').spec.template.spec;
    for (const spec of [storefront, legacy]) {
      expect(spec.initContainers.map((c: K8sObject) => c.name)).toEqual(['spice-reader']);
      expect(spec.serviceAccountName).toBe('orders-reader');
    }
    // The legacy app reads only the accelerated dataset, so it holds no Secret at all.
    expect(legacy.initContainers[0].env).toEqual([{ name: 'HOME', value: '/app' }]);
  });

  it('limits the storefront pod\'s egress, opted in, and leaves the other applications\' egress alone', () => {
    const storefront = find(docs, 'NetworkPolicy', 'storefront-web-spice-reader').spec;
    expect(storefront.policyTypes).toEqual(['Ingress', 'Egress']);
    const destinations = storefront.egress.map((rule: K8sObject) => rule.ports.map((p: K8sObject) => `${p.protocol}/${p.port}`).join(','));
    expect(destinations).toEqual(['UDP/53,TCP/53', 'TCP/50051', 'TCP/443', 'TCP/443', 'TCP/8443']);
    expect(storefront.egress[1].to[0].podSelector.matchLabels).toEqual({ 'read-write-split.io/split': 'orders', 'read-write-split.io/tier': 'writer' });
    for (const name of ['legacy-api-spice-reader', 'device-api-spice-reader']) {
      expect(find(docs, 'NetworkPolicy', name).spec.policyTypes).toEqual(['Ingress']);
    }
  });

  it('binds each cloud\'s identity to the writer ServiceAccounts', () => {
    const sa = (name: string, namespace: string) => docs.find((d) => d.kind === 'ServiceAccount' && d.metadata.name === name && d.metadata.namespace === namespace)!;
    // The role the AWS example creates, by its deterministic name: no ARN copied by hand.
    expect(sa('orders-writer', 'shop').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': awsRoleArn(EXAMPLE_AWS_ACCOUNT, 'orders', 'eu-west-1', 'writer') });
    expect(sa('orders-reader', 'shop').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': awsRoleArn(EXAMPLE_AWS_ACCOUNT, 'orders', 'eu-west-1', 'reader') });
    expect(sa('catalog-writer', 'storefront').automountServiceAccountToken).toBe(false);
    const telemetry = find(docs, 'StatefulSet', 'telemetry-writer-owner').spec.template.metadata.labels;
    expect(telemetry['azure.workload.identity/use']).toBe('true');
  });

  it('annotates the Azure ServiceAccounts with the client ids the Azure stack exported, copied by no one', () => {
    const { writer, reader } = azureOutputs.telemetryIdentities;
    const sa = (name: string, namespace: string) => find(docs.filter((d) => d.metadata.namespace === namespace), 'ServiceAccount', name).metadata.annotations;
    expect(sa('telemetry-writer', 'telemetry')).toEqual({ 'azure.workload.identity/client-id': writer.clientId, 'azure.workload.identity/tenant-id': writer.tenantId });
    expect(sa('telemetry-reader', 'devices')).toEqual({ 'azure.workload.identity/client-id': reader.clientId, 'azure.workload.identity/tenant-id': reader.tenantId });
    expect(writer.clientId).not.toBe(reader.clientId);
    const deviceApi = find(docs, 'Deployment', 'device-api').spec.template;
    expect(deviceApi.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(deviceApi.spec.serviceAccountName).toBe('telemetry-reader');
  });

  it('fails with the fix when the Azure stack outputs are missing', () => {
    const missing = run(bin('cdk8s'), ['synth', '--no-check-upgrade', '--output', mkdtempSync(join(tmpdir(), 'rws-k8s-'))], {
      cwd: join(ROOT, 'examples', 'k8s'),
      env: { AZURE_STACK_OUTPUTS: join(out, 'no-such-outputs.json') },
    });
    expect(missing.status).not.toBe(0);
    expect(missing.output).toMatch(/no-such-outputs\.json: cannot be read \(ENOENT\); write it from the stack that created the identities: `pulumi stack output --json > <file>`/);
  });

  it('points the GCP snapshot owner at its GCS location', () => {
    const owner = spicepodOf(find(docs, 'ConfigMap', 'catalog-writer-owner-spicepod'));
    expect(owner.snapshots.location).toBe('gs://acme-catalog-snapshots/catalog/refresh/');
  });

  it('puts the catalog writers behind an internal GKE load balancer for Cloud Run, whose subnet alone their NetworkPolicy admits', () => {
    const balancer = find(docs, 'Service', 'catalog-writer-flight');
    expect(balancer.metadata.annotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
    expect(balancer.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.40.8.0/24'] });
    expect(find(docs, 'NetworkPolicy', 'catalog-writer').spec.ingress[0].from).toContainEqual({ ipBlock: { cidr: '10.40.8.0/24' } });
  });

  it('makes no network call to check for upgrades', () => {
    expect(result.output).not.toMatch(/new version/i);
  });
});
