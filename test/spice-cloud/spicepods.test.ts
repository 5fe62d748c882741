import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatProblem, lockDescription, sizingReport, SpiceCloudSplitSpec, spicepodToYaml, synthesizeSplit, validateSplit } from '../../lib';
import { thrown } from '../support/errors';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { ENTERPRISE_2 } from '../support/splits';

/** A split whose writer is a Spice Cloud app in us-east-1, read by OSS 1.11 readers. */
const cloudSplit = (overrides: Partial<SpiceCloudSplitSpec> = {}): SpiceCloudSplitSpec => ({
  name: 'insights',
  image: { tag: '1.11.5' },
  writer: { spiceCloud: { region: 'us-east-1' }, apiKey: { secretName: 'insights-spice-cloud', key: 'api-key' } },
  datasets: [{ name: 'daily_revenue', from: 'spice.ai:daily_revenue' }, { name: 'top_products', from: 'spice.ai:sales.top_products' }],
  ...overrides,
});

const readerOf = (spec: SpiceCloudSplitSpec) => parse(spicepodToYaml(synthesizeSplit(spec).reader.spicepod));
const problemsOf = (spec: unknown) => validateSplit(spec as SpiceCloudSplitSpec).problems.map((p) => `${p.path}: ${p.message}`);

describe('readers of a Spice Cloud app', () => {
  it('delegate every dataset to the app with its API key, and restore nothing (1.11: the regional endpoint)', () => {
    const synthesized = synthesizeSplit(cloudSplit());
    expectValidSpicepod(synthesized.reader.spicepod);
    const reader = parse(spicepodToYaml(synthesized.reader.spicepod));
    expect(reader.snapshots).toBeUndefined();
    expect(reader.secrets).toEqual([{ from: 'env', name: 'env' }]);
    expect(reader.datasets).toEqual([
      { from: 'spice.ai:daily_revenue', name: 'daily_revenue', params: { spiceai_endpoint: 'https://us-east-1-prod-aws-flight.spiceai.io', spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' } },
      { from: 'spice.ai:sales.top_products', name: 'top_products', params: { spiceai_endpoint: 'https://us-east-1-prod-aws-flight.spiceai.io', spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' } },
    ]);
    expect(synthesized.reader.secretEnv).toEqual([{ envVar: 'SPICE_CLUSTER_API_KEY', secret: { secretName: 'insights-spice-cloud', key: 'api-key' }, purpose: 'cluster-api-key' }]);
  });

  it('name the region on 2.x, whose connector builds the endpoint from it (spiceai_region)', () => {
    const reader = readerOf(cloudSplit({ image: ENTERPRISE_2 }));
    expect(reader.datasets[0].params).toEqual({ spiceai_region: 'us-east-1', spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' });
  });

  it.each(['2.0.0-rc.5-enterprise', '2.0.0-beta.1-enterprise'])('dial the regional endpoint on a 2.0.0 pre-release (%s): which one first parsed spiceai_region is not known', (tag) => {
    const reader = readerOf(cloudSplit({ image: { ...ENTERPRISE_2, tag } }));
    expect(reader.datasets[0].params.spiceai_endpoint).toBe('https://us-east-1-prod-aws-flight.spiceai.io');
    expect(reader.datasets[0].params.spiceai_region).toBeUndefined();
  });

  it('dial an explicit endpoint as given, on every release', () => {
    const endpoint = 'https://eu-central-1-prod-aws-flight.spiceai.io';
    for (const image of [{ tag: '1.11.5' }, ENTERPRISE_2]) {
      const reader = readerOf(cloudSplit({ image, writer: { spiceCloud: { endpoint } } }));
      expect(reader.datasets[0].params.spiceai_endpoint).toBe(endpoint);
      expect(reader.datasets[0].params.spiceai_region).toBeUndefined();
    }
  });

  it('run any edition: an OSS 2.x image without the snapshots feature is fine, and no snapshot warning is raised', () => {
    const synthesized = synthesizeSplit(cloudSplit({ image: { tag: '2.0.1' } }));
    expect(synthesized.warnings.map((w) => w.id)).toEqual([]);
    expect(synthesized.split.store).toBeUndefined();
  });

  it('have no writer Spicepods, archiver, bucket lifecycle, lock or writer sizing: the app\'s are in Spice Cloud', () => {
    const synthesized = synthesizeSplit(cloudSplit());
    expect(thrown(() => synthesized.writer).problems.map(formatProblem)).toEqual([
      "split.writer.spiceCloud: is set: the writer is a Spice Cloud app, so the split has no snapshot store or writer cluster, which SynthesizedSplit.writer needs (readers of the app need no cloud identity); leave SynthesizedSplit.writer out for this split: its readers need only the app's API key",
    ]);
    expect(thrown(() => synthesized.retention).problems[0].path).toBe('split.writer.spiceCloud');
    expect(thrown(() => lockDescription(cloudSplit() as never)).problems[0].path).toBe('split.writer.spiceCloud');
    expect(synthesized.archiver).toBeUndefined();
    expect(synthesized.sizing).toEqual({ reader: { resources: synthesized.split.reader.resources, localDisk: '1Gi' } });
    const report = sizingReport(synthesized.split);
    expect([report.writer, report.bucket, report.warnings, report.spiceCloud]).toEqual([undefined, undefined, [], 'https://us-east-1-prod-aws-flight.spiceai.io']);
  });
});

describe('a Spice Cloud split refuses, all at once,', () => {
  it('a store, retention, the cluster\'s and snapshot settings, and datasets the app does not serve as tables', () => {
    const problems = problemsOf({
      ...cloudSplit(),
      store: { cloud: 'aws', bucket: 'insights-snapshots', region: 'us-east-1' },
      retention: { refreshSnapshots: '48h' },
      writer: { spiceCloud: { region: 'us-east-1' }, replicas: 3, tls: {} },
      reader: { bootstrapOnFailure: 'fallback', snapshotCheckInterval: '1m' },
      datasets: [{ name: 'orders', from: 'postgres:public.orders', readers: 'accelerated', engine: 'duckdb', refresh: { mode: 'append' } }],
    });
    expect(problems).toEqual(expect.arrayContaining([
      'store: is set, but the writer is a Spice Cloud app, and no way for an app to publish snapshots to your bucket is documented',
      'retention: is set, but a Spice Cloud split has no snapshot bucket',
      'writer.replicas: configures a writer cluster, but the writer is a Spice Cloud app',
      'writer.tls: configures a writer cluster, but the writer is a Spice Cloud app',
      'reader.bootstrapOnFailure: is about snapshots and sources, but readers of a Spice Cloud app restore nothing and read no source',
      'reader.snapshotCheckInterval: is about snapshots and sources, but readers of a Spice Cloud app restore nothing and read no source',
      'datasets[0].from: "postgres:public.orders" is not a table of the Spice Cloud app',
      'datasets[0].readers: "accelerated": readers of a Spice Cloud app can only delegate (the app publishes no snapshots to restore)',
      "datasets[0].engine: configures the writer's refresh and acceleration, which the Spice Cloud app's own Spicepod holds",
      "datasets[0].refresh: configures the writer's refresh and acceleration, which the Spice Cloud app's own Spicepod holds",
    ]));
    // The app logs in to its sources itself: no password is asked for here.
    expect(problems.some((p) => p.startsWith('datasets[0].secretParams'))).toBe(false);
  });

  it('a source that is not a table of the app: a URL there would take the app\'s API key to another host', () => {
    for (const from of ['spice.ai:', 'spice.ai:http://10.0.0.5:50051', 'spice.ai:grpc+tls://flight.example.com:443', 'spice.ai:orders table']) {
      expect(problemsOf(cloudSplit({ datasets: [{ name: 'orders', from }] }))).toEqual([`datasets[0].from: ${JSON.stringify(from)} is not a table of the Spice Cloud app`]);
    }
  });

  it('an image older than 1.11.0, with the reason that applies to readers that restore nothing', () => {
    expect(problemsOf(cloudSplit({ image: { tag: '1.10.2' } }))).toEqual([
      'image.tag: Spice 1.10.2 is older than 1.11.0, the first release whose spice.ai connector this library renders readers for (spice.ai:<table> with spiceai_endpoint and spiceai_api_key)',
    ]);
  });

  it('a region the connector does not document, both region and endpoint, neither, and a plaintext endpoint', () => {
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: { region: 'eu-west-1' } } }))).toEqual([
      'writer.spiceCloud.region: "eu-west-1" is not a region the spice.ai connector documents',
    ]);
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: { region: 'us-east-1', endpoint: 'https://us-east-1-prod-aws-flight.spiceai.io' } } }))).toEqual([
      'writer.spiceCloud.endpoint: is set together with region',
    ]);
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: {} } }))).toEqual(['writer.spiceCloud.region: is missing, and so is endpoint']);
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: { endpoint: 'http://flight.example.com:50051' } } }))).toEqual([
      'writer.spiceCloud.endpoint: "http://flight.example.com:50051" is not a TLS Flight endpoint',
    ]);
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: { endpoint: 'grpc+tls://flight.example.com:65536' } } }))).toEqual([
      'writer.spiceCloud.endpoint: "grpc+tls://flight.example.com:65536" is not a TLS Flight endpoint',
    ]);
    expect(problemsOf(cloudSplit({ writer: { spiceCloud: { endpoint: 'grpc+tls://[fd00::10]:443' } } }))).toEqual([]);
  });

  it('a split of its own kind without a store is still refused: store is required without writer.spiceCloud', () => {
    const { writer: _writer, ...rest } = cloudSplit();
    expect(problemsOf({ ...rest, datasets: [{ name: 'orders', from: 's3://lake/orders/' }] })[0]).toMatch(/^store: /);
  });
});
