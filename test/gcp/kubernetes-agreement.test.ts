import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { gcpServiceAccountEmail } from '../../lib';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { ReadWriteSplitChart, WorkloadIdentity } from '../../lib/k8s';
import { catalog } from '../../examples/splits/catalog';
import { K8sObject, podTemplates } from '../support/k8s';
import { ROOT } from '../support/run';
import { installMocks, registeredSince, valueOf } from './support';

installMocks();

const CLUSTER = { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' };
/** Cloud Run's subnet and the load balancer it dials, as the k8s example renders the catalog's writers. */
const EXTERNAL_READERS = { externalReaderCidrs: ['10.40.8.0/24'], flightLoadBalancer: { cloud: 'gcp' } } as const;
const APP_IMAGE = { image: 'ghcr.io/acme/web:1', portNumber: 8080, securityContext: { user: 10001, group: 10001 } };

/** `namespace/serviceAccount` of every pod template in the documents. */
function podServiceAccounts(docs: readonly K8sObject[]): string[] {
  const namespaceOf = new Map(docs.map((d) => [`${d.kind}/${d.metadata.name}`, d.metadata.namespace]));
  return [...new Set(podTemplates(docs).map(({ name, template }) => `${namespaceOf.get(name)}/${template.spec.serviceAccountName}`))].sort();
}

/** `namespace/serviceAccount` a Workload Identity principal or impersonation member names. */
function subjectsOf(members: readonly string[]): string[] {
  return members.map((member) => {
    const direct = /\/subject\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(member);
    if (direct) return `${direct[1]}/${direct[2]}`;
    const impersonating = /^serviceAccount:[^[]+\.svc\.id\.goog\[([^/]+)\/([^\]]+)\]$/.exec(member);
    if (impersonating) return `${impersonating[1]}/${impersonating[2]}`;
    throw new Error(`not a Kubernetes subject: ${member}`);
  }).sort();
}

/** The writer side of catalog as the k8s example renders it, and two applications running reader sidecars. */
function renderKubernetes(identity: { writer: WorkloadIdentity; reader: WorkloadIdentity }) {
  const app = Testing.app();
  const split = new ReadWriteSplitChart(app, 'catalog', { split: catalog, writerIdentity: identity.writer, ...EXTERNAL_READERS });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(shop, 'web', { metadata: { name: 'web' }, containers: [APP_IMAGE] });
  split.readerSidecar(shop, 'catalog-reader', { identity: identity.reader }).addTo(web);
  const ops = new Chart(app, 'ops', { namespace: 'ops' });
  const sa = new kplus.ServiceAccount(ops, 'sa', { metadata: { name: 'batch' } });
  const batch = new kplus.Deployment(ops, 'batch', { metadata: { name: 'batch' }, serviceAccount: sa, containers: [APP_IMAGE] });
  split.readerSidecar(ops, 'catalog-reader', { keepWorkloadServiceAccount: true }).addTo(batch);
  return { writer: Testing.synth(split), readers: [...Testing.synth(shop), ...Testing.synth(ops)] };
}

describe('the grants name exactly the ServiceAccounts the Kubernetes side renders', () => {
  it('direct principal: no value is copied, and no ServiceAccount needs an annotation', async () => {
    const component = new ReadWriteSplitGcp('catalog', {
      split: catalog, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true,
      readerNamespaces: ['shop'], readerServiceAccounts: [{ namespace: 'ops', name: 'batch' }],
    });
    await registeredSince();
    const k8s = renderKubernetes(component.identities);
    expect(subjectsOf(await valueOf(component.writerMembers))).toEqual(podServiceAccounts(k8s.writer));
    expect(subjectsOf(await valueOf(component.readerMembers))).toEqual(podServiceAccounts(k8s.readers));
    for (const doc of [...k8s.writer, ...k8s.readers].filter((d) => d.kind === 'ServiceAccount')) {
      expect(doc.metadata.annotations?.['iam.gke.io/gcp-service-account']).toBeUndefined();
    }
  });

  it("the description's reader.namespaces: the component grants those namespaces' readers, and the chart refuses a reader elsewhere", async () => {
    const described = { ...catalog, reader: { ...catalog.reader, namespaces: ['shop'] } };
    const component = new ReadWriteSplitGcp('catalog-described', { split: described, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true });
    await registeredSince();
    expect(subjectsOf(await valueOf(component.readerMembers))).toEqual(['shop/catalog-reader']);
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'catalog', { split: described, writerIdentity: component.identities.writer, ...EXTERNAL_READERS });
    expect(() => split.readerSidecar(new Chart(app, 'shop', { namespace: 'shop' }), 'reader', { identity: component.identities.reader })).not.toThrow();
    expect(() => split.readerSidecar(new Chart(app, 'reports', { namespace: 'reports' }), 'reader', { identity: component.identities.reader }))
      .toThrow("props.namespace: is reports (the chart's namespace), but the description's reader.namespaces is shop: the cloud side trusts the reader ServiceAccount there only");
    expect(() => new ReadWriteSplitGcp('catalog-disagrees', { split: described, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true, readerNamespaces: ['shop', 'reports'] }))
      .toThrow("readerNamespaces: is shop, reports, but the description's reader.namespaces is shop");
  });

  it('the example manifests in out/k8s/ run catalog\'s writers as the ServiceAccount the writer grant names', async () => {
    const file = join(ROOT, 'out', 'k8s', 'catalog.k8s.yaml');
    // npm run synth writes it; the rendering above covers the same chart when it has not run.
    if (!existsSync(file)) return;
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as K8sObject);
    const component = new ReadWriteSplitGcp('catalog-out', { split: catalog, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true });
    await registeredSince();
    expect(subjectsOf(await valueOf(component.writerMembers))).toEqual(podServiceAccounts(docs));
  });

  it('impersonation: the ServiceAccounts name the Google service accounts the component creates', async () => {
    const component = new ReadWriteSplitGcp('catalog-gsa', {
      split: catalog, cluster: CLUSTER, privateGoogleAccessManagedElsewhere: true, impersonateServiceAccounts: true, readerNamespaces: ['shop'],
    });
    const resources = await registeredSince();
    // What a cdk8s app writes without reading the Pulumi stack: the deterministic email.
    const identity = (tier: 'writer' | 'reader'): WorkloadIdentity => ({ type: 'gke-workload-identity', googleServiceAccountEmail: gcpServiceAccountEmail('acme-catalog', 'catalog', tier) });
    expect(component.identities).toEqual({ writer: identity('writer'), reader: identity('reader') });
    const k8s = renderKubernetes({ writer: identity('writer'), reader: identity('reader') });
    // ops keeps its own ServiceAccount (not in readerNamespaces here): its pods do not run as catalog-reader.
    const shopReaders = k8s.readers.filter((d) => d.metadata.namespace === 'shop');
    const annotated = [...k8s.writer, ...shopReaders].filter((d) => d.kind === 'ServiceAccount' && d.metadata.name.startsWith('catalog-'));
    expect(annotated.map((d) => [d.metadata.name, d.metadata.annotations['iam.gke.io/gcp-service-account']]).sort()).toEqual([
      ['catalog-reader', 'catalog-spice-reader@acme-catalog.iam.gserviceaccount.com'],
      ['catalog-writer', 'catalog-spice-writer@acme-catalog.iam.gserviceaccount.com'],
    ]);
    const emails = resources.filter((r) => r.type === 'gcp:serviceaccount/account:Account').map((r) => `${r.inputs.accountId}@${r.inputs.project}.iam.gserviceaccount.com`).sort();
    expect(emails).toEqual(annotated.map((d) => d.metadata.annotations['iam.gke.io/gcp-service-account']).sort());
    const impersonators = (tier: string) => subjectsOf(resources.filter((r) => r.type === 'gcp:serviceaccount/iAMMember:IAMMember' && r.name.startsWith(`catalog-gsa-${tier}-`)).map((r) => r.inputs.member));
    expect(impersonators('writer')).toEqual(podServiceAccounts(k8s.writer));
    expect(impersonators('reader')).toEqual(podServiceAccounts(shopReaders));
  });
});
