import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { synthesizeSplit } from '../../lib';
import { SpiceReaderSidecar, SpiceReaderSidecarOptions } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { expectValidManifests, find, K8sObject } from '../support/k8s';

const synthesized = synthesizeSplit(awsSplit());
const READER_ARN = 'arn:aws:iam::111122223333:role/shop-reader';

function app(chart: Chart, name = 'web') {
  return new kplus.Deployment(chart, name, { metadata: { name }, containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: { user: 10001 } }] });
}

function reader(chart: Chart, options: SpiceReaderSidecarOptions = {}, id = 'reader') {
  return new SpiceReaderSidecar(chart, id, { synthesized, identity: { type: 'aws-irsa', roleArn: READER_ARN }, ...options });
}

describe('reader pod settings', () => {
  it('add the image pull secrets to the pod and extra env to the sidecar, keeping the app\'s own', async () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', {
      metadata: { name: 'web' },
      dockerRegistryAuth: kplus.Secret.fromSecretName(chart, 'pull', 'app-pull'),
      containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: { user: 10001 } }],
    });
    reader(chart, { imagePullSecrets: ['spice-enterprise-pull', 'app-pull'], env: [{ name: 'RUST_LOG', value: 'debug' }] }).addTo(web);
    const docs = Testing.synth(chart) as K8sObject[];
    const spec = find(docs, 'Deployment', 'web').spec.template.spec;
    expect(spec.imagePullSecrets).toEqual([{ name: 'app-pull' }, { name: 'spice-enterprise-pull' }]);
    expect(spec.initContainers[0].env.at(-1)).toEqual({ name: 'RUST_LOG', value: 'debug' });
    expect(spec.containers[0].env).toBeUndefined();
    await expectValidManifests(docs);
  });

  it('refuse env the library sets itself and ports that are no ports', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    expect(() => reader(chart, { env: [{ name: 'SPICE_CLUSTER_API_KEY', value: 'x' }], metricsPort: 70000 }))
      .toThrow(/at app\/reader \(2 problems\)[\s\S]*props.metricsPort: 70000 is not a port[\s\S]*props.env\[0\].name: "SPICE_CLUSTER_API_KEY" is already set by the library/);
  });

  it('refuse env read from a Secret of source credentials: readers hold none', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const env = [
      { name: 'RUST_LOG', value: 'info' },
      { name: 'APP_TOKEN', valueFrom: { secretKeyRef: { name: 'app-token', key: 'token' } } },
      { name: 'PG_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } },
    ];
    expect(() => reader(chart, { env })).toThrow(
      'props.env[2].valueFrom.secretKeyRef.name: "shop-db" is the Secret of source credentials (pg_pass of dataset history): readers hold no source credentials, and the Secret is in the writers\' namespace "shop" only; remove the variable: a dataset that needs the source is delegated to the writers (readers: \'delegated\')',
    );
    const docs = (() => {
      const own = new Chart(Testing.app(), 'app', { namespace: 'shop' });
      reader(own, { env: env.slice(0, 2) }).addTo(app(own));
      return Testing.synth(own) as K8sObject[];
    })();
    expect(find(docs, 'Deployment', 'web').spec.template.spec.initContainers[0].env.at(-1)).toEqual(env[1]);
  });
});

describe('the reader ServiceAccount', () => {
  it('is in every chart whose pods run as it, so each chart deploys on its own', () => {
    const root = Testing.app();
    const one = new Chart(root, 'one', { namespace: 'shop' });
    const two = new Chart(root, 'two', { namespace: 'shop' });
    reader(one).addTo(app(one, 'a'));
    reader(two).addTo(app(two, 'b'));
    for (const chart of [one, two]) {
      const docs = Testing.synth(chart) as K8sObject[];
      const runsAs = docs.filter((d) => d.kind === 'Deployment').map((d) => d.spec.template.spec.serviceAccountName);
      expect(runsAs).toEqual(['shop-reader']);
      expect(find(docs, 'ServiceAccount', 'shop-reader').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': READER_ARN });
    }
  });

  it('is rendered once per chart, however many workloads use it', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    reader(chart, {}, 'r1').addTo(app(chart, 'a'));
    reader(chart, {}, 'r2').addTo(app(chart, 'b'));
    expect((Testing.synth(chart) as K8sObject[]).filter((d) => d.kind === 'ServiceAccount')).toHaveLength(1);
  });

  it('refuses two identities for the one ServiceAccount of a namespace', () => {
    const root = Testing.app();
    const one = new Chart(root, 'one', { namespace: 'shop' });
    const two = new Chart(root, 'two', { namespace: 'shop' });
    reader(one);
    expect(() => reader(two, { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/other' } }))
      .toThrow(/props.identity: differs from the identity of the reader at one\/reader, which shares the ServiceAccount "shop\/shop-reader"/);
  });
});

describe('workload kinds', () => {
  it('joins a cdk8s-plus DaemonSet', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'shop' });
    const agents = new kplus.DaemonSet(chart, 'agents', { metadata: { name: 'agents' }, containers: [{ name: 'agent', image: 'a:1', portNumber: 8080, securityContext: { user: 10001 } }] });
    reader(chart).addTo(agents);
    const spec = find(Testing.synth(chart) as K8sObject[], 'DaemonSet', 'agents').spec.template.spec;
    expect(spec.initContainers.map((c: K8sObject) => c.name)).toEqual(['spice-reader']);
  });
});
