import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { formatProblem, SpiceCloudSplitSpec, SplitSpec, synthesizeSplit } from '../../lib';
import { ReadWriteSplitAws } from '../../lib/aws';
import { readerCompose } from '../../lib/compose';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { ReadWriteSplitAzure } from '../../lib/azure';
import { ReadWriteSplitChart, SpiceWriterCluster, SplitObservability } from '../../lib/k8s';
import { composeSchemaErrors } from '../compose/compose-schema';
import { parse } from 'yaml';
import { componentProblems, thrown } from '../support/errors';
import { expectValidManifests, find, K8sObject, restrictedAppDeployment, spicepodOf } from '../support/k8s';

const INSIGHTS: SpiceCloudSplitSpec = {
  name: 'insights',
  image: { tag: '1.11.5' },
  writer: { spiceCloud: { region: 'us-west-2' }, apiKey: { secretName: 'insights-spice-cloud', key: 'api-key' } },
  datasets: [{ name: 'daily_revenue', from: 'spice.ai:daily_revenue' }],
};
const GATEWAY = '198.51.100.16/28';
/** The library's refusal of a Spice Cloud split by something built on the store or the writer cluster. */
const refusal = (component: string) => new RegExp(`^split\\.writer\\.spiceCloud: is set: the writer is a Spice Cloud app, so the split has no snapshot store or writer cluster, which ${component.replace('.', '\\.')} needs`);

/** The split's chart and an application chart `reporting` whose Deployment `web` gets the reader sidecar. */
function rendered(sidecar: Record<string, unknown> = { egress: { writerEndpointCidrs: [GATEWAY] } }) {
  const app = Testing.app();
  const split = new ReadWriteSplitChart(app, 'insights', { split: INSIGHTS });
  const chart = new Chart(app, 'reporting', { namespace: 'reporting' });
  split.readerSidecar(chart, 'reader', sidecar).addTo(restrictedAppDeployment(chart, 'web'));
  return { split, splitDocs: Testing.synth(split) as K8sObject[], docs: Testing.synth(chart) as K8sObject[] };
}

describe('the Kubernetes side of a Spice Cloud split', () => {
  it('renders no writer side, and readers that hold only the app\'s API key, with no cloud identity', async () => {
    const { splitDocs, docs } = rendered();
    expect(splitDocs).toEqual([]);
    await expectValidManifests(docs);
    const pod = find(docs, 'Deployment', 'web').spec.template.spec;
    const sidecar = [...(pod.initContainers ?? []), ...pod.containers].find((c: K8sObject) => c.name === 'spice-reader');
    expect(sidecar.env.filter((e: K8sObject) => e.valueFrom?.secretKeyRef)).toEqual([
      { name: 'SPICE_CLUSTER_API_KEY', valueFrom: { secretKeyRef: { name: 'insights-spice-cloud', key: 'api-key' } } },
    ]);
    expect(find(docs, 'ServiceAccount', 'insights-reader').metadata.annotations ?? {}).toEqual({});
    const spicepod = spicepodOf(docs.find((d) => d.kind === 'ConfigMap')!);
    expect(spicepod.datasets[0].params.spiceai_endpoint).toBe('https://us-west-2-prod-aws-flight.spiceai.io');
    expect(spicepod.snapshots).toBeUndefined();
  });

  it('lets the reader pod reach the app only through the blocks given for it, on 443', () => {
    const policy = rendered().docs.find((d) => d.kind === 'NetworkPolicy')!;
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: GATEWAY } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('asks for the blocks the pod reaches the app through, when egress is restricted', () => {
    const error = thrown(() => rendered({ egress: {} }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.egress.writerEndpointCidrs']);
    expect(error.problems[0].message).toMatch(/delegates daily_revenue to the Spice Cloud app at "https:\/\/us-west-2-prod-aws-flight.spiceai.io"/);
  });

  it('refuses a cloud identity for its readers: they read no bucket', () => {
    const error = thrown(() => rendered({ identity: { type: 'aws-pod-identity' } }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['props.identity: is given, but the readers of a Spice Cloud app read no snapshot bucket and need no cloud identity']);
  });

  it('refuses the writer cluster\'s props on the chart, and has no writer cluster to hand out', () => {
    const problems = componentProblems(() => new ReadWriteSplitChart(Testing.app(), 'insights', {
      split: INSIGHTS, writerIdentity: { type: 'aws-pod-identity' }, workloads: { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline' }, pods: { imagePullSecrets: ['pull'], nodeSelector: { pool: 'spice' } },
      readerNamespaces: ['bi'], externalReaderCidrs: ['10.20.0.0/24'], flightLoadBalancer: { cloud: 'aws' },
    }), 'insights');
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'props.writerIdentity', 'props.workloads', 'props.readerNamespaces', 'props.externalReaderCidrs', 'props.flightLoadBalancer', 'props.pods.nodeSelector',
    ]);
    const chart = new ReadWriteSplitChart(Testing.app(), 'insights', { split: INSIGHTS, pods: { imagePullSecrets: ['pull'] } });
    expect(thrown(() => chart.writer).problems.map(formatProblem)[0]).toMatch(refusal('ReadWriteSplitChart.writer'));
  });

  it('refuses a writer cluster built from it by hand, and monitoring with nowhere to go, with the library\'s error', () => {
    const synthesized = synthesizeSplit(INSIGHTS);
    const chart = new Chart(Testing.app(), 'monitoring');
    expect(thrown(() => new SpiceWriterCluster(chart, 'Writer', { synthesized })).problems.map(formatProblem)[0]).toMatch(/^props\.synthesized\.split\.writer\.spiceCloud: .*which SpiceWriterCluster needs/);
    expect(thrown(() => new SplitObservability(chart, 'Observability', { synthesized })).problems.map(formatProblem)).toEqual([
      "namespace: is missing: a split whose writer is a Spice Cloud app has no namespace of its own; give the namespace of your monitoring objects, e.g. 'monitoring'",
    ]);
    expect(Testing.synth(chart)).toEqual([]);
  });

  it('monitors its readers only, in the monitoring namespace: the app is watched in Spice Cloud', async () => {
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'insights', { split: INSIGHTS, observability: { labels: { release: 'prometheus' } } });
    const docs = Testing.synth(split) as K8sObject[];
    await expectValidManifests(docs);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['PodMonitor/monitoring/insights-reader', 'PrometheusRule/monitoring/insights-spice']);
    expect(docs[0].spec).toMatchObject({ namespaceSelector: { any: true }, selector: { matchLabels: { 'read-write-split.io/reader-of': 'insights' } } });
    const rules = docs[1].spec.groups[0].rules;
    expect(rules.map((r: K8sObject) => [r.alert, r.expr])).toEqual([
      ['SpiceReaderDatasetError', 'max by (namespace, pod, dataset) (dataset_load_state{job="monitoring/insights-reader"}) == 3'],
      ['SpiceReaderDatasetNotLoaded', 'min by (namespace, pod, dataset) (dataset_load_state{job="monitoring/insights-reader"}) == 0'],
    ]);
    expect(rules[0].annotations.description).toMatch(/the app's API key/);
  });
});

describe('components built on the snapshot store refuse a Spice Cloud split, and report nothing about a store it does not have', () => {

  it('AWS', () => {
    const stack = new Stack(new CdkApp(), 'Insights', { env: { account: '111122223333', region: 'us-west-2' } });
    const problems = componentProblems(() => new ReadWriteSplitAws(stack, 'Split', {
      split: INSIGHTS as unknown as SplitSpec, cluster: { region: 'us-west-2', trust: { type: 'aws-pod-identity', clusterName: 'prod' } }, vpcEndpointId: 'vpce-0123456789abcdef0',
    }), 'Insights/Split');
    expect(problems).toEqual([expect.stringMatching(refusal('ReadWriteSplitAws'))]);
  });

  it('GCP, before it registers any resource', () => {
    const problems = componentProblems(() => new ReadWriteSplitGcp('insights', {
      split: INSIGHTS as unknown as SplitSpec, cluster: { region: 'us-west1', project: 'acme', projectNumber: '123456789012' }, privateGoogleAccessManagedElsewhere: true,
    }), 'insights');
    expect(problems).toEqual([expect.stringMatching(refusal('ReadWriteSplitGcp'))]);
  });

  it('Azure', () => {
    const problems = componentProblems(() => new ReadWriteSplitAzure('insights', {
      split: INSIGHTS as unknown as SplitSpec, resourceGroupName: 'insights', cluster: { location: 'westeurope', oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/' }, privateEndpointManagedElsewhere: true,
    }), 'insights');
    expect(problems).toEqual([expect.stringMatching(refusal('ReadWriteSplitAzure'))]);
  });

});

describe('a Spice Cloud split that also names a store: every component says what it refuses beside the description\'s problem', () => {
  const WITH_STORE = { ...INSIGHTS, store: { cloud: 'aws', bucket: 'insights-snapshots', region: 'us-west-2' } } as unknown as SplitSpec;
  const storeProblem = /^split\.store: is set, but the writer is a Spice Cloud app/;

  it('the chart, its writer cluster\'s props', () => {
    const problems = componentProblems(() => new ReadWriteSplitChart(Testing.app(), 'insights', { split: WITH_STORE, writerIdentity: { type: 'aws-pod-identity' } }), 'insights');
    expect(problems).toEqual([expect.stringMatching(storeProblem), expect.stringMatching(/^props\.writerIdentity: configures the writer cluster/)]);
  });

  it('AWS, GCP and Azure, the component itself', () => {
    const stack = new Stack(new CdkApp(), 'Insights', { env: { account: '111122223333', region: 'us-west-2' } });
    const aws = componentProblems(() => new ReadWriteSplitAws(stack, 'Split', {
      split: WITH_STORE, cluster: { region: 'us-west-2', trust: { type: 'aws-pod-identity', clusterName: 'prod' } }, vpcEndpointId: 'vpce-0123456789abcdef0',
    }), 'Insights/Split');
    expect(aws).toEqual([expect.stringMatching(storeProblem), expect.stringMatching(refusal('ReadWriteSplitAws'))]);
    const gcp = componentProblems(() => new ReadWriteSplitGcp('insights', {
      split: WITH_STORE, cluster: { region: 'us-west1', project: 'acme', projectNumber: '123456789012' }, privateGoogleAccessManagedElsewhere: true,
    }), 'insights');
    expect(gcp).toEqual([expect.stringMatching(storeProblem), expect.stringMatching(refusal('ReadWriteSplitGcp'))]);
    const azure = componentProblems(() => new ReadWriteSplitAzure('insights', {
      split: WITH_STORE, resourceGroupName: 'insights', cluster: { location: 'westeurope', oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111/' }, privateEndpointManagedElsewhere: true,
    }), 'insights');
    expect(azure).toEqual([expect.stringMatching(storeProblem), expect.stringMatching(refusal('ReadWriteSplitAzure'))]);
  });
});

describe('the laptop reader of a Spice Cloud split (Docker Compose)', () => {
  it('holds the app\'s API key from the shell and no cloud credential, and its notes say where the data is', () => {
    const { compose, files, notes } = readerCompose(synthesizeSplit(INSIGHTS));
    expect(composeSchemaErrors(compose)).toEqual([]);
    const reader = compose.services['spice-reader'];
    expect(reader.environment).toEqual(expect.objectContaining({ SPICE_CLUSTER_API_KEY: expect.anything() }));
    expect(Object.keys(reader.environment ?? {}).filter((name) => /^(AWS|GOOGLE|AZURE)_/.test(name))).toEqual([]);
    expect(parse(files['spicepod.yaml']).datasets[0].params.spiceai_endpoint).toBe('https://us-west-2-prod-aws-flight.spiceai.io');
    expect(notes).toContain('Writer: the Spice Cloud app at https://us-west-2-prod-aws-flight.spiceai.io; nothing is restored, every dataset is queried there.');
    expect(notes).toContain("export SPICE_CLUSTER_API_KEY=<the Spice Cloud app's API key> (Secret insights-spice-cloud/api-key)");
    // Nothing restored: no volume to drop, and the shell's prompt names the app, not a writer cluster.
    expect(notes.filter((line) => line.includes('--volumes'))).toEqual([]);
    expect((reader.environment as Record<string, unknown> | undefined)?.SPICE_CLUSTER_API_KEY).toBe('${SPICE_CLUSTER_API_KEY:?export SPICE_CLUSTER_API_KEY (the API key of the insights Spice Cloud app, from Secret insights-spice-cloud/api-key)}');
  });
});
