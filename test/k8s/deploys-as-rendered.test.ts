import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it, vi } from 'vitest';
import { synthesizeSplit } from '../../lib';
import { ReaderRestartSchedule, ReadWriteSplitChart, SpiceReaderSidecar, SpiceReaderSidecarOptions, WARNING_METADATA } from '../../lib/k8s';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { expectValidManifests, find, K8sObject, WRITER_IRSA } from '../support/k8s';
import { thrown } from '../support/errors';

/** What `kubectl apply` and the controllers would refuse or silently break, caught at synth. */

const READER_ARN = 'arn:aws:iam::111122223333:role/shop-reader';
const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);

function web(chart: Chart, name = 'web', extra: Partial<kplus.DeploymentProps> = {}) {
  return new kplus.Deployment(chart, name, { metadata: { name }, containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: { user: 10001 } }], ...extra });
}

function reader(chart: Chart, options: SpiceReaderSidecarOptions = {}, split = synthesizeSplit(awsSplit())) {
  return new SpiceReaderSidecar(chart, `reader-${split.split.name}`, { synthesized: split, identity: { type: 'aws-irsa', roleArn: READER_ARN }, ...options });
}

describe('names Kubernetes accepts', () => {
  it('fit every limit with the longest split name allowed', async () => {
    quiet();
    const name = 'a'.repeat(37);
    const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'long', { split: awsSplit({ name, namespace: 'shop' }), writerIdentity: WRITER_IRSA })) as K8sObject[];
    for (const doc of docs) expect(doc.metadata.name.length, `${doc.kind}/${doc.metadata.name}`).toBeLessThanOrEqual(63);
    // A StatefulSet's pods carry `controller-revision-hash: <name>-<10-character hash>`, a label of at most 63.
    for (const doc of docs.filter((d) => d.kind === 'StatefulSet')) expect(doc.metadata.name.length).toBeLessThanOrEqual(52);
    await expectValidManifests(docs);
  });

  it('refuse a split name one character longer', () => {
    expect(() => new ReadWriteSplitChart(Testing.app(), 'long', { split: awsSplit({ name: 'a'.repeat(38) }) }))
      .toThrow(/split.name: "a{38}" is 38 characters long, over a split name's 37 .*; use a DNS label of at most 37 characters/);
  });

  it('shorten a restart CronJob name past 52 characters, uniquely', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const long = web(chart, 'recommendations-and-personalisation-api');
    const other = web(chart, 'recommendations-and-personalisation-apx');
    new ReaderRestartSchedule(chart, 'one', { workload: long, schedule: '0 * * * *', kubectlImage: 'k:1' });
    new ReaderRestartSchedule(chart, 'two', { workload: other, schedule: '0 * * * *', kubectlImage: 'k:1' });
    const jobs = (Testing.synth(chart) as K8sObject[]).filter((d) => d.kind === 'CronJob').map((d) => d.metadata.name);
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs).size).toBe(2);
    for (const job of jobs) {
      expect(job.length).toBeLessThanOrEqual(52);
      expect(job).toMatch(/^recommendations-and-personali-[0-9a-f]{8}-spice-restart$/);
    }
  });
});

describe('every object a pod needs is where the pod is', () => {
  it('refuses a sidecar created in one chart for a workload in another', () => {
    const app = Testing.app();
    const readers = new Chart(app, 'readers', { namespace: 'shop' });
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    expect(() => reader(readers).addTo(web(apps)))
      .toThrow(/apps\/web: is in chart apps, but the sidecar is in chart readers: the pod would reference a ConfigMap and ServiceAccount its chart does not hold; create the sidecar in the workload's chart/);
  });

  it('restarts a workload in its own namespace, and refuses another', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const app = web(chart);
    new ReaderRestartSchedule(chart, 'restart', { workload: app, schedule: '0 * * * *', kubectlImage: 'k:1' });
    const docs = Testing.synth(chart) as K8sObject[];
    expect(find(docs, 'RoleBinding', 'web-spice-restart').subjects).toEqual([{ kind: 'ServiceAccount', name: 'web-spice-restart', namespace: 'shop' }]);
    expect(find(docs, 'CronJob', 'web-spice-restart').metadata.namespace).toBe('shop');
    expect(() => new ReaderRestartSchedule(chart, 'bad', { workload: app, schedule: '0 * * * *', kubectlImage: 'k:1', namespace: 'jobs' }))
      .toThrow(/props.namespace: is "jobs", but the workload is in "shop": the job could not restart it/);
  });

  it('pulls the reader image with the writers\' pull secrets by default', () => {
    quiet();
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA, pods: { imagePullSecrets: ['spice-pull'] } });
    const apps = new Chart(app, 'apps', { namespace: 'store' });
    split.readerSidecar(apps, 'reader', { identity: { type: 'aws-irsa', roleArn: READER_ARN } }).addTo(web(apps));
    expect(find(Testing.synth(apps) as K8sObject[], 'Deployment', 'web').spec.template.spec.imagePullSecrets).toEqual([{ name: 'spice-pull' }]);
  });

  it('renders the split\'s Namespace without a namespace of its own', () => {
    quiet();
    const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA })) as K8sObject[];
    expect(find(docs, 'Namespace', 'shop').metadata).toEqual({ name: 'shop', labels: expect.any(Object), annotations: expect.any(Object) });
  });
});

describe('identities that reach the pod', () => {
  it('refuse a writer side or a reader without an identity on an AWS store: every request would be denied', () => {
    expect(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit() }))
      .toThrow(/props.writerIdentity: is missing: the writers would reach the S3 snapshot bucket with no identity, and every upload would be denied; give \{ type: 'aws-irsa', roleArn: awsRoleArn\(account, split, region, 'writer'\) \} or \{ type: 'aws-pod-identity' \}/);
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    expect(() => reader(chart, { identity: undefined })).toThrow(/props.identity: is missing: the readers would reach the S3 snapshot bucket with no identity, and every restore would be denied/);
  });

  it("warn of a role named as the library names another split's or region's: it trusts that split's ServiceAccounts", () => {
    const warn = quiet();
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-us-east-1-spice-writer' } });
    const sidecar = split.readerSidecar(new Chart(app, 'apps', { namespace: 'shop' }), 'reader', { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/orders-eu-west-1-spice-reader' } });
    const warnings = [split, sidecar].flatMap((c) => c.node.findAll()).flatMap((c) => c.node.metadata).filter((m) => m.type === WARNING_METADATA).map((m) => m.data);
    expect(warnings.filter((w) => w.id === 'irsa-role-of-another-split')).toEqual([
      {
        id: 'irsa-role-of-another-split',
        path: 'props.writerIdentity.roleArn',
        message: "names shop-us-east-1-spice-writer, the library's name for a role of another split or region (this split's writer role is shop-eu-west-1-spice-writer, in eu-west-1): ReadWriteSplitAws makes each role trust its own split's ServiceAccounts, so the writers could not assume it; use \"arn:aws:iam::111122223333:role/shop-eu-west-1-spice-writer\"",
      },
      {
        id: 'irsa-role-of-another-split',
        path: 'props.identity.roleArn',
        message: "names orders-eu-west-1-spice-reader, the library's name for a role of another split or region (this split's reader role is shop-eu-west-1-spice-reader, in eu-west-1): ReadWriteSplitAws makes each role trust its own split's ServiceAccounts, so the readers could not assume it; use \"arn:aws:iam::111122223333:role/shop-eu-west-1-spice-reader\"",
      },
    ]);
    expect(warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('[ack: irsa-role-of-another-split]'))).toHaveLength(2);
    // The writers' own role (the chart's writerIdentity) stays a problem for a reader, whatever its name says.
    const theirs = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-us-east-1-spice-writer' } as const;
    expect(thrown(() => split.readerSidecar(new Chart(app, 'same', { namespace: 'shop' }), 'reader', { identity: theirs })).problems.map((p) => p.path)).toEqual(['props.identity']);
    // A role of a name of your own says nothing, even one ending as the library's do, or at an IAM path.
    const before = warn.mock.calls.length;
    for (const roleArn of [READER_ARN, 'arn:aws:iam::111122223333:role/myapp-spice-reader', 'arn:aws:iam::111122223333:role/team/orders-eu-west-1-spice-reader']) {
      const own = Testing.app();
      new ReadWriteSplitChart(own, 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA })
        .readerSidecar(new Chart(own, 'apps', { namespace: 'shop' }), 'reader', { identity: { type: 'aws-irsa', roleArn } });
    }
    expect(warn.mock.calls.slice(before).filter(([line]) => String(line).includes('irsa-role-of-another-split'))).toEqual([]);
  });

  it('warn when the tiers use different kinds of AWS identity: ReadWriteSplitAws trusts one kind for both', () => {
    const warn = quiet();
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: { type: 'aws-pod-identity' } });
    const sidecar = split.readerSidecar(new Chart(app, 'apps', { namespace: 'shop' }), 'reader', { identity: { type: 'aws-irsa', roleArn: READER_ARN } });
    expect(sidecar.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => m.data)).toContainEqual({
      id: 'aws-identity-types-differ',
      path: 'props.identity.type',
      message: `is "aws-irsa", but the writers' is "aws-pod-identity": ReadWriteSplitAws trusts one kind for both tiers (its cluster.trust), so the tier of the other kind would get no credentials from it; give both tiers the kind of cluster.trust`,
    });
    expect(warn.mock.calls.filter(([line]) => String(line).includes('[ack: aws-identity-types-differ]'))).toHaveLength(1);
    // The same kind on both tiers says nothing.
    const same = split.readerSidecar(new Chart(app, 'web', { namespace: 'web' }), 'reader', { identity: { type: 'aws-pod-identity' } });
    expect(same.node.metadata.map((m) => (m.data as { id?: string }).id)).not.toContain('aws-identity-types-differ');
  });

  it("refuse the other tier's identity: the other tier's IRSA role by its name, and the writers' own identity for readers", () => {
    // awsSplit is "shop" in eu-west-1: the library's roles are shop-eu-west-1-spice-writer and -reader.
    const writerRole = 'arn:aws:iam::111122223333:role/shop-eu-west-1-spice-writer';
    const readerRole = 'arn:aws:iam::111122223333:role/shop-eu-west-1-spice-reader';
    expect(thrown(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: { type: 'aws-irsa', roleArn: readerRole } })).problems).toContainEqual({
      path: 'props.writerIdentity.roleArn',
      message: "names the reader role shop-eu-west-1-spice-reader (read-only, trusted by the readers' ServiceAccount only): the writers could not assume it",
      fix: `use the writer role, "${writerRole}"`,
    });
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA });
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    expect(thrown(() => split.readerSidecar(apps, 'named', { identity: { type: 'aws-irsa', roleArn: writerRole } })).problems).toContainEqual({
      path: 'props.identity.roleArn',
      message: "names the writer role shop-eu-west-1-spice-writer (read-write, trusted by the writers' ServiceAccount only): the readers could not assume it",
      fix: `use the reader role, "${readerRole}"`,
    });
    expect(thrown(() => split.readerSidecar(apps, 'same', { identity: WRITER_IRSA })).problems).toContainEqual({
      path: 'props.identity',
      message: "is the writers' identity too (read-write, trusted by the writers' ServiceAccount only): the readers would get no access, or read-write if it trusted them",
      fix: 'give the readers the reader identity the cloud side creates (its identities.reader)',
    });
    // The reader role itself, or Pod Identity on both tiers (the associations tell them apart), is fine.
    expect(() => split.readerSidecar(apps, 'reader', { identity: { type: 'aws-irsa', roleArn: readerRole } })).not.toThrow();
    expect(() => split.readerSidecar(new Chart(app, 'web', { namespace: 'web' }), 'pod-identity', { identity: { type: 'aws-pod-identity' } })).not.toThrow();
  });

  it("refuse the other tier's Google service account by the library's name for it, even when the writers use direct principals", () => {
    const gcp = awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' }, datasets: [{ name: 'orders', from: 's3://lake/orders/', params: { s3_auth: 'public' } }] });
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'shop', { split: gcp, writerIdentity: { type: 'gke-workload-identity' } });
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    const email = (id: string) => `${id}@acme-prod.iam.gserviceaccount.com`;
    expect(thrown(() => split.readerSidecar(apps, 'writer-gsa', { identity: { type: 'gke-workload-identity', googleServiceAccountEmail: email('shop-spice-writer') } })).problems).toContainEqual({
      path: 'props.identity.googleServiceAccountEmail',
      message: `names the writers' Google service account "${email('shop-spice-writer')}" (read-write, which only the writers' ServiceAccounts may impersonate): the readers could not use it`,
      fix: `use the readers' one, "${email('shop-spice-reader')}"`,
    });
    expect(thrown(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: gcp, writerIdentity: { type: 'gke-workload-identity', googleServiceAccountEmail: email('shop-spice-reader') } })).problems)
      .toContainEqual(expect.objectContaining({ path: 'props.writerIdentity.googleServiceAccountEmail', fix: `use the writers' one, "${email('shop-spice-writer')}"` }));
    expect(() => split.readerSidecar(apps, 'reader-gsa', { identity: { type: 'gke-workload-identity', googleServiceAccountEmail: email('shop-spice-reader') } })).not.toThrow();
  });

  it('refuse a tier without an identity on an Azure store with a Spice 2.x image (Workload Identity only), not with 1.x (the nodes\' identity)', () => {
    const azure = (image?: typeof ENTERPRISE_2) => awsSplit({
      store: { cloud: 'azure', account: 'acmeshop', container: 'spice', region: 'westeurope' },
      datasets: [{ name: 'orders', from: 's3://lake/orders/', params: { s3_auth: 'public' } }],
      ...(image ? { image } : {}),
    });
    expect(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: azure(ENTERPRISE_2) }))
      .toThrow(/props.writerIdentity: is missing: a Spice 2.x writer reaches the Azure container with AKS Workload Identity only, and without it every upload would be denied; give \{ type: 'azure-workload-identity', clientId \}/);
    expect(() => new SpiceReaderSidecar(new Chart(Testing.app(), 'app', { namespace: 'shop' }), 'reader', { synthesized: synthesizeSplit(azure(ENTERPRISE_2)) }))
      .toThrow(/props.identity: is missing: a Spice 2.x reader reaches the Azure container with AKS Workload Identity only, and without it every restore would be denied/);
    quiet();
    expect(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: azure() })).not.toThrow();
  });

  it('refuse an identity of another cloud than the store', () => {
    expect(() => new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: { type: 'gke-workload-identity' } }))
      .toThrow(/props.writerIdentity.type: "gke-workload-identity" is an identity for GCP, but the snapshot store is on AWS/);
  });

  it('bind the read-only identity to a ServiceAccount the workload keeps', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web-sa' } });
    reader(chart, { keepWorkloadServiceAccount: true }).addTo(web(chart, 'web', { serviceAccount: sa }));
    const docs = Testing.synth(chart) as K8sObject[];
    expect(find(docs, 'Deployment', 'web').spec.template.spec.serviceAccountName).toBe('web-sa');
    expect(find(docs, 'ServiceAccount', 'web-sa').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': READER_ARN });
    expect(find(docs, 'Deployment', 'web').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  it('refuse a kept ServiceAccount the identity cannot reach: not in the chart, or no identity on AWS', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const object = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    expect(() => reader(chart, { keepWorkloadServiceAccount: true }).addToManifest(object))
      .toThrow(/Deployment\/api.serviceAccountName: is "api" and kept, but this chart holds no ServiceAccount "api" to bind the read-only identity to/);
    const other = new Chart(Testing.app(), 'other', { namespace: 'shop' });
    const app = web(other, 'web', { serviceAccount: new kplus.ServiceAccount(other, 'sa', { metadata: { name: 'web-sa' } }) });
    expect(() => reader(other, { keepWorkloadServiceAccount: true, identity: undefined }).addTo(app))
      .toThrow(/serviceAccountName: is "web-sa" and kept, but no identity binds it to the read-only role: every restore would be denied; give the sidecar an 'identity'/);
  });

  it('refuse to replace the application\'s own identity on a kept ServiceAccount', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'web-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web-app' } } });
    expect(() => reader(chart, { keepWorkloadServiceAccount: true }).addTo(web(chart, 'web', { serviceAccount: sa })))
      .toThrow(/serviceAccountName: is "web-sa" and kept, and its eks.amazonaws.com\/role-arn is "arn:aws:iam::111122223333:role\/web-app": the reader's identity .* would replace the application's/);
  });

  it('refuse a kept GKE ServiceAccount that acts as a Google service account: a direct grant would never apply', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'batch', annotations: { 'iam.gke.io/gcp-service-account': 'batch-app@acme.iam.gserviceaccount.com' } } });
    const gcs = synthesizeSplit(awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, datasets: [{ name: 'orders', from: 's3://lake/orders/', params: { s3_auth: 'public' } }] }));
    expect(() => reader(chart, { keepWorkloadServiceAccount: true, identity: { type: 'gke-workload-identity' } }, gcs).addTo(web(chart, 'web', { serviceAccount: sa })))
      .toThrow(/serviceAccountName: is "batch" and kept, and it acts as the Google service account "batch-app@acme.iam.gserviceaccount.com": the reader's direct Workload Identity grant would never apply/);
  });

  it('refuse keepWorkloadServiceAccount without an identity when the workload has no ServiceAccount to keep', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    expect(() => reader(chart, { keepWorkloadServiceAccount: true, identity: undefined }).addTo(web(chart)))
      .toThrow(/props.identity: is missing: the readers would reach the S3 snapshot bucket with no identity.* \(app\/web names no ServiceAccount of its own to keep\)/);
  });

  it('leaves a kept ServiceAccount\'s token setting as the manifest has it', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const object = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] } } },
    });
    // On GCS a kept ServiceAccount needs no identity from the sidecar (IAM may grant its principal directly).
    const gcs = synthesizeSplit(awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, datasets: [{ name: 'orders', from: 's3://lake/orders/' }] }));
    reader(chart, { keepWorkloadServiceAccount: true, identity: undefined }, gcs).addToManifest(object);
    const spec = find(Testing.synth(chart) as K8sObject[], 'Deployment', 'api').spec.template.spec;
    expect(spec.serviceAccountName).toBe('api');
    expect(spec).not.toHaveProperty('automountServiceAccountToken');
  });

  it('refuses two readers of a split in one namespace whose ServiceAccounts would differ', () => {
    const app = Testing.app();
    reader(new Chart(app, 'one', { namespace: 'shop' }), { identity: { type: 'aws-pod-identity' } });
    expect(() => reader(new Chart(app, 'two', { namespace: 'shop' })))
      .toThrow(/props.identity: differs from the identity of the reader at one\/reader-shop/);
  });
});

describe('pods the sidecar cannot keep private', () => {
  it('refuses a host-network workload', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    reader(chart).addTo(web(chart, 'web', { hostNetwork: true }));
    expect(() => Testing.synth(chart)).toThrow(/hostNetwork: is true: the sidecar's HTTP, Flight and metrics ports would open on the node/);
  });

  it('refuses a second split\'s reader on one workload, saying so', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const app = web(chart);
    reader(chart).addTo(app);
    const other = synthesizeSplit(awsSplit({ name: 'other', namespace: 'shop' }));
    expect(() => reader(chart, {}, other).addTo(app)).toThrow(/already has a "spice-reader" container reading split "shop": a workload reads one split/);
  });
});

describe('escape hatches of the reader', () => {
  it('return the workload\'s reader ConfigMap and NetworkPolicy for JSON patches', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const attachment = reader(chart).addTo(web(chart));
    attachment.networkPolicy.addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'web' }));
    attachment.spicepodConfigMap.addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'web' }));
    const docs = Testing.synth(chart) as K8sObject[];
    expect(find(docs, 'NetworkPolicy', 'web-spice-reader').metadata.labels).toEqual({ team: 'web' });
    expect(find(docs, 'ConfigMap', 'web-spice-reader').metadata.annotations).toEqual({ owner: 'web' });
  });
});

describe('the first deployment order', () => {
  it('can be part of the manifests for Argo CD: every writer-side object in an earlier sync wave', () => {
    quiet();
    const docs = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA, argoCdSyncWave: -1 })) as K8sObject[];
    expect(docs.length).toBeGreaterThan(5);
    for (const doc of docs) expect(doc.metadata.annotations?.['argocd.argoproj.io/sync-wave'], `${doc.kind}/${doc.metadata.name}`).toBe('-1');
    const plain = Testing.synth(new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit(), writerIdentity: WRITER_IRSA })) as K8sObject[];
    expect(plain.filter((d) => d.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toEqual([]);
  });
});
