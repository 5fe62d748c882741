import { inspect } from 'node:util';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitError, SplitValidationError } from '../../lib';
import { ReaderRestartSchedule, ReadWriteSplitChart, ReadWriteSplitChartProps, WARNING_METADATA, WriterStatefulSet } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { find, K8sObject } from '../support/k8s';
import { thrown } from '../support/errors';

/** The library's error an attempt throws, whatever its class. */
const thrownAny = (attempt: () => unknown) => thrown(attempt, ReadWriteSplitError);

const WRITER_ARN = 'arn:aws:iam::111122223333:role/shop-writer';

function chartOf(props: Partial<ReadWriteSplitChartProps> = {}, app: Construct = Testing.app()) {
  return new ReadWriteSplitChart(app, 'shop', { split: awsSplit(), writerIdentity: { type: 'aws-irsa', roleArn: WRITER_ARN }, ...props });
}


afterEach(() => vi.restoreAllMocks());

describe('one validation path for the chart', () => {
  it('reports a bad description and bad props in one error, with paths rooted at the prop and the construct path', () => {
    const error = thrownAny(() => chartOf({
      split: awsSplit({ datasets: [{ name: 'Orders!', from: 's3://l/' }] }),
      writerIdentity: { type: 'aws-irsa', roleArn: 'shop-writer' },
      pods: { env: [{ name: 'HOME', value: '/x' }] },
      nodeSpread: 'sometimes' as never,
    }));
    expect(error).toBeInstanceOf(SplitValidationError);
    expect(error.problems.map((p) => p.path)).toEqual(['split.datasets[0].name', 'props.writerIdentity.roleArn', 'props.nodeSpread', 'props.pods.env[0].name']);
    expect(error.message).toMatch(/^Invalid read-write split "shop" at shop \(4 problems\):/);
    expect(error.message).toContain('props.writerIdentity.roleArn: "shop-writer" is not an IAM role ARN');
  });

  it('prints each problem once and no frame of the library', () => {
    const error = thrownAny(() => chartOf({ split: awsSplit({ name: 'Bad!' }) }));
    const printed = inspect(error);
    expect(printed.match(/is not a split name/g)).toHaveLength(1);
    expect(error.stack).not.toMatch(/lib[\\/](core|k8s)[\\/]/);
    expect(error.stack).toMatch(/consolidated\.test\.ts/);
  });

  it('refuses an identity that would render but never work', () => {
    const error = thrownAny(() => chartOf({ writerIdentity: { type: 'azure-workload-identity', clientId: 'my-identity' } }));
    expect(error.message).toContain('props.writerIdentity.clientId: "my-identity" is not a managed identity client id');
  });

  it('reports a bad restart schedule and a workload without rolling restarts at once, as its own error, not a split error', () => {
    const chart = new Chart(Testing.app(), 'app');
    const job = new kplus.Job(chart, 'job', { containers: [{ image: 'j:1' }] });
    const error = thrownAny(() => new ReaderRestartSchedule(chart, 'bad', { workload: job as never, schedule: 'hourly', kubectlImage: 'k:1' }));
    expect(error).not.toBeInstanceOf(SplitValidationError);
    expect(error.problems.map((p) => p.path)).toEqual(['props.schedule', 'props.workload']);
    expect(error.message).toMatch(/^Invalid reader restart schedule at app\/bad \(2 problems\)/);
  });
});

describe('warnings', () => {
  it('reach the user once per app in one format, and are recorded on the chart', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = Testing.app();
    const chart = chartOf({}, app);
    chartOf({}, new Chart(app, 'apps'));
    const lines = warn.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('[ack: no-hot-swap]'))).toEqual([
      expect.stringMatching(/^\[Warning at shop\] split\.image\.tag: OSS 1\.11\.5 readers cannot hot-swap/),
    ]);
    const recorded = chart.node.metadata.filter((entry) => entry.type === WARNING_METADATA).map((entry) => entry.data.id);
    expect(recorded).toContain('no-hot-swap');
  });

  it('stay quiet once acknowledged in the description', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    chartOf({ split: awsSplit({ acknowledgedWarnings: ['no-hot-swap', 'oss-snapshots', 'on-change-snapshots-expire'] }) });
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuse an acknowledgement of a warning that does not exist', () => {
    const error = thrownAny(() => chartOf({ split: awsSplit({ acknowledgedWarnings: ['no-hotswap', 'no-such-warning'] }) }));
    expect(error.message).toContain('split.acknowledgedWarnings[0]: "no-hotswap" is not a warning of this library; did you mean \'no-hot-swap\'?');
    expect(error.message).toContain('split.acknowledgedWarnings[1]: "no-such-warning" is not a warning of this library; use one of oss-snapshots, no-hot-swap,');
  });
});

describe('pod settings per tier', () => {
  it('reach every writer and the archiver: pull secrets, placement, priority, env, labels, annotations, update strategy', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const docs = Testing.synth(chartOf({
      split: awsSplit({ writer: { replicas: 3, storageClass: 'gp3' } }),
      pods: {
        imagePullSecrets: ['spice-enterprise-pull'],
        nodeSelector: { 'node.kubernetes.io/instance-type': 'r6i.2xlarge' },
        tolerations: [{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['spice'] }] }] } } },
        priorityClassName: 'spice-critical',
        env: [{ name: 'RUST_LOG', value: 'info' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        podLabels: { team: 'data' },
        podAnnotations: { 'example.com/owner': 'data-platform' },
        updateStrategy: { type: 'RollingUpdate', partition: 1 },
      },
    })) as K8sObject[];
    for (const [kind, name] of [['StatefulSet', 'shop-writer-owner'], ['StatefulSet', 'shop-writer-replica'], ['Deployment', 'shop-archiver']]) {
      const template = find(docs, kind, name).spec.template;
      expect(template.spec.imagePullSecrets).toEqual([{ name: 'spice-enterprise-pull' }]);
      expect(template.spec.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'r6i.2xlarge' });
      expect(template.spec.tolerations).toEqual([{ key: 'spice', operator: 'Equal', value: 'writer', effect: 'NoSchedule' }]);
      expect(template.spec.affinity.nodeAffinity).toBeDefined();
      expect(template.spec.topologySpreadConstraints ?? []).toBeInstanceOf(Array);
      expect(template.spec.priorityClassName).toBe('spice-critical');
      expect(template.spec.containers[0].env.slice(-2)).toEqual([
        { name: 'RUST_LOG', value: 'info' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ]);
      expect(template.metadata.labels.team).toBe('data');
      expect(template.metadata.labels['read-write-split.io/split']).toBe('shop');
      expect(template.metadata.annotations['example.com/owner']).toBe('data-platform');
    }
    // A canary partition holds back query replicas; the one-pod snapshot owner always rolls.
    expect(find(docs, 'StatefulSet', 'shop-writer-replica').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    expect(find(docs, 'StatefulSet', 'shop-writer-owner').spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(find(docs, 'StatefulSet', 'shop-writer-owner').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
  });

  it('refuse settings that would break the pods or the selectors', () => {
    const error = thrownAny(() => chartOf({
      pods: {
        imagePullSecrets: ['Not_A_Name'],
        podLabels: { 'read-write-split.io/tier': 'x' },
        env: [{ name: 'A', value: '1', valueFrom: { fieldRef: { fieldPath: 'x' } } }],
        updateStrategy: { type: 'OnDelete', partition: 1 },
      },
    }));
    expect(error.problems.map((p) => p.path)).toEqual([
      'props.pods.imagePullSecrets[0]', 'props.pods.podLabels["read-write-split.io/tier"]', 'props.pods.env[0]', 'props.pods.updateStrategy.partition',
    ]);
  });
});

describe('escape hatches', () => {
  it('expose the writer StatefulSets, archiver, Services and budget as ApiObjects for JSON patches', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const chart = chartOf();
    const { writer } = chart;
    // With the default workloads, each role is a WriterStatefulSet.
    const owner = writer.owner as WriterStatefulSet;
    const replicas = writer.replicas as WriterStatefulSet;
    for (const object of [owner.apiObject, replicas.apiObject, writer.archiver!.apiObject, writer.service, writer.budget, writer.serviceAccount, owner.headlessService]) {
      expect(object).toBeInstanceOf(ApiObject);
    }
    owner.apiObject.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    writer.service.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/lb': 'internal' }));
    const docs = Testing.synth(chart) as K8sObject[];
    expect(find(docs, 'StatefulSet', 'shop-writer-owner').spec.minReadySeconds).toBe(30);
    expect(find(docs, 'Service', 'shop-writer').metadata.annotations).toEqual({ 'example.com/lb': 'internal' });
  });
});
