import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Chart, Include, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSplit, spicepodToYaml, synthesizeSplit } from '../../lib/core';
import { ReadWriteSplitAws } from '../../lib/aws';
import { importSpicepod, lockDescription, sizingReport } from '../../lib';
import { ReaderRestartSchedule, ReadWriteSplitChart } from '../../lib/k8s';
import { expectValidManifests, find, K8sObject } from '../support/k8s';
import { ROOT, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { cli, description, docsOf, EXAMPLE, INVALID } from '../support/cli';

describe('read-write-split validate', () => {
  it('exits 0 on a valid file and says what it checked', () => {
    const result = cli('validate', EXAMPLE);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toBe(`${EXAMPLE}: valid (split orders, 3 datasets)\n`);
  });

  it('exits 1 with every problem at once, each at its line and column, with the path, the value and the fix', () => {
    const result = cli('validate', INVALID);
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      `${INVALID}:2:9 split.name: "Orders" is not a split name; use a DNS label of at most 37 characters: lowercase letters, digits and '-', starting with a letter`,
      `${INVALID}:7:16 split.datasets[0].readers: "acelerated" is not a placement; use 'accelerated', 'delegated' or 'writer-only'`,
      `${INVALID}:8:7 split.datasets[0].engin: is not a key of this description; did you mean 'engine'?`,
      `${INVALID}:13:3 split.retentoin: is not a key of this description; did you mean 'retention'?`,
      `${INVALID}:15:46 kubernetes.writerIdentity.roleArn: "not-an-arn" is not an IAM role ARN; use 'arn:aws:iam::<account>:role/<name>' (see awsRoleArn)`,
      `${INVALID}:15:58 kubernetes.writerIdentity.region: is not a key of this description; use one of 'type', 'roleArn'`,
    ]));
    expect(lines.at(-1)).toBe(`${INVALID}: 9 problems`);
    // In file order, and never a stack trace.
    const positions = lines.slice(0, -1).map((line) => line.split(' ')[0].split(':').slice(1).map(Number));
    expect(positions).toEqual([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(result.output).not.toMatch(/^\s+at /m);
  });

  it('writes the same problems as JSON for machines with --format json', () => {
    const result = cli('validate', INVALID, '--format', 'json');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.problems).toHaveLength(9);
    expect(report.problems).toContainEqual({
      file: INVALID, line: 8, column: 7, path: 'split.datasets[0].engin', message: 'is not a key of this description', fix: "did you mean 'engine'?",
    });
  });

  it('reports a YAML syntax error at its position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-'));
    writeFileSync(join(dir, 'broken.yaml'), 'split:\n  name: orders\n  datasets: [\n');
    const result = cli('validate', join(dir, 'broken.yaml'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${join(dir, 'broken.yaml')}:\\d+:\\d+ \\(file\\): .+; correct the YAML$`, 'm'));
  });

  it.each([
    ['a file that does not exist', ['validate', 'missing.yaml'], /^read-write-split: cannot read missing\.yaml: ENOENT$/m],
    ['an unknown command', ['validat', EXAMPLE], /unknown command 'validat'[\s\S]*Did you mean validate\?/],
    ['an unknown target', ['synth', EXAMPLE, '--out', 'x', '--target', 'gke'], /use one or more of spicepods, k8s, aws/],
    ['synth without --out', ['synth', EXAMPLE], /required option '--out <dir>' not specified/],
  ])('exits 2 on usage and file errors: %s', (_, args, message) => {
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('prints --help for every command', () => {
    for (const command of ['validate', 'synth', 'size', 'import']) {
      const result = cli(command, '--help');
      expect(result.status, command).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Usage: read-write-split ${command} \\[options\\] <(file|spicepod)>`));
    }
  });
});

describe('read-write-split synth', () => {
  let out: string;
  let result: ReturnType<typeof run>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'rws-cli-synth-'));
    result = cli('synth', EXAMPLE, '--out', out);
  }, 120_000);

  it('writes each target with one progress line', () => {
    expect(result.status, result.output).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `spicepods: ${out}/spicepods/ writer.yaml, writer-replica.yaml, reader.yaml, archiver.yaml`,
      `k8s: ${out}/k8s/ orders.yaml, legacy-api.yaml`,
      '  Secrets to create first (read by these manifests, created by none of them; docs/kubernetes.md#secrets-to-create):',
      '    shop/orders-cluster-api-key: key api-key; read by Deployment/orders-archiver, StatefulSet/orders-writer-owner, StatefulSet/orders-writer-replica',
      '    shop/orders-db: keys password, username; read by StatefulSet/orders-writer-owner, StatefulSet/orders-writer-replica',
      `aws: ${out}/aws/ orders-spice-split.template.json, validation-report.json (cdk-nag report: validation-report.json)`,
    ]);
  });

  it('writes the Spicepods the core renders for the same description, each valid against Spice\'s schema', () => {
    const synthesized = synthesizeSplit(description.split);
    const expected = { 'writer.yaml': synthesized.writer.snapshotOwner, 'writer-replica.yaml': synthesized.writer.queryReplica, 'reader.yaml': synthesized.reader, 'archiver.yaml': synthesized.archiver! };
    for (const [file, tier] of Object.entries(expected)) {
      const text = readFileSync(join(out, 'spicepods', file), 'utf8');
      expect(text, file).toBe(spicepodToYaml(tier.spicepod));
      expectValidSpicepod(parse(text));
    }
  });

  it('writes the manifests the cdk8s constructs give for the same description: valid, the application with its sidecar', async () => {
    const app = Testing.app();
    const { apps, ...props } = description.kubernetes;
    const chart = new ReadWriteSplitChart(app, 'orders', { ...props, split: description.split });
    const writerDocs = docsOf(join(out, 'k8s', 'orders.yaml'));
    expect(writerDocs).toEqual(Testing.synth(chart));
    const appChart = new Chart(app, 'legacy-api');
    const [workload] = new Include(appChart, 'manifest', { url: join(ROOT, 'examples', 'cli', apps[0].manifest) }).apiObjects;
    chart.readerSidecar(appChart, 'reader', { identity: apps[0].identity, datasets: apps[0].datasets, namespace: 'shop' }).addToManifest(workload);
    new ReaderRestartSchedule(appChart, 'restart', { workload, ...apps[0].restartSchedule });
    const appDocs = docsOf(join(out, 'k8s', 'legacy-api.yaml'));
    expect(appDocs).toEqual(Testing.synth(appChart));
    expect(find(appDocs, 'Deployment', 'legacy-api').spec.template.spec.initContainers.map((c: K8sObject) => c.name)).toContain('spice-reader');
    // The OSS readers restore newer snapshots when their pods roll: the file's restartSchedule.
    expect(find(appDocs, 'CronJob', 'legacy-api-spice-restart').spec.schedule).toBe('0 */6 * * *');
    await expectValidManifests([...writerDocs, ...appDocs]);
  });

  it('writes the template ReadWriteSplitAws gives for the same description, and cdk-nag\'s empty report beside it', () => {
    const app = new CdkApp();
    const { account, stackName: _, ...props } = description.aws;
    const stack = new Stack(app, 'orders-spice-split', { env: { account, region: props.cluster.region } });
    new ReadWriteSplitAws(stack, 'Split', { ...props, split: description.split });
    const template = JSON.parse(readFileSync(join(out, 'aws', 'orders-spice-split.template.json'), 'utf8'));
    expect(template).toEqual(app.synth().getStackByName('orders-spice-split').template);
    expect(JSON.parse(readFileSync(join(out, 'aws', 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  });

  it('gives the same bytes for the same file, and writes only the targets asked for', () => {
    const again = mkdtempSync(join(tmpdir(), 'rws-cli-synth-'));
    expect(cli('synth', EXAMPLE, '--out', again).status).toBe(0);
    for (const target of ['spicepods', 'k8s']) {
      for (const file of readdirSync(join(out, target))) {
        expect(readFileSync(join(again, target, file), 'utf8'), `${target}/${file}`).toBe(readFileSync(join(out, target, file), 'utf8'));
      }
    }
    expect(readFileSync(join(again, 'aws', 'orders-spice-split.template.json'), 'utf8')).toBe(readFileSync(join(out, 'aws', 'orders-spice-split.template.json'), 'utf8'));
    const only = mkdtempSync(join(tmpdir(), 'rws-cli-synth-'));
    expect(cli('synth', EXAMPLE, '--out', only, '--target', 'spicepods').status).toBe(0);
    expect(readdirSync(only)).toEqual(['spicepods']);
  }, 120_000);

  it('writes nothing for an invalid file, and exits 1 with its problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-synth-'));
    const invalid = cli('synth', INVALID, '--out', dir);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain(`${INVALID}: 9 problems`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('read-write-split size', () => {
  it('prints each tier\'s sizing and the bucket\'s, and the core\'s report as JSON', () => {
    const text = cli('size', EXAMPLE);
    expect(text.status, text.output).toBe(0);
    expect(text.stdout).toMatch(/^split orders\nwriter cluster: 3 replicas \(1 snapshot owner, 2 query replicas\)\n/);
    expect(text.stdout).toContain('delegated to the writers');
    // Advice on the figures, told apart from the description's warnings (which acknowledgedWarnings takes).
    expect(text.stdout).toMatch(/^sizing unknown-expected-size: datasets\[2\]\.expectedSize: customers has no expected size/m);
    expect(text.stdout).not.toMatch(/^warning /m);
    // The file's application reads orders only: its sidecar is sized for that.
    expect(text.stdout).toContain('applications (kubernetes.apps), each sidecar:\n  manifests/legacy-api.yaml: restores orders, local disk 10Gi (twice what it restores, at least 10Gi)\n');
    const json = cli('size', EXAMPLE, '--format', 'json');
    expect(JSON.parse(json.stdout)).toEqual({
      ...JSON.parse(JSON.stringify(sizingReport(resolveSplit(description.split)))),
      applications: [{ at: 'kubernetes.apps[0]', application: 'manifests/legacy-api.yaml', restores: ['orders'], delegates: [], localDisk: '10Gi', localDiskFrom: 'derived' }],
    });
  });

  it("sizes each application's sidecar as rendered (its own localDisk, its datasets), and says the bucket figures are a ceiling under on_change", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-size-'));
    const file = join(dir, 'orders.split.yaml');
    const datasets = description.split.datasets.map((d: Record<string, any>) => (d.name === 'orders' ? { ...d, snapshots: { ...d.snapshots, creationPolicy: 'on_change' } } : d));
    const manifest = join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml');
    const reports = join(dir, 'reports.yaml');
    writeFileSync(reports, readFileSync(manifest, 'utf8').replaceAll('legacy-api', 'reports'));
    const apps = [{ ...description.kubernetes.apps[0], manifest, localDisk: '6Gi' }, { ...description.kubernetes.apps[0], manifest: reports, datasets: ['order_history'], restartSchedule: undefined }];
    writeFileSync(file, stringify({ split: { ...description.split, datasets, acknowledgedWarnings: ['on-change-snapshots-expire'] }, kubernetes: { ...description.kubernetes, apps } }));
    const text = cli('size', file);
    expect(text.status, text.output).toBe(0);
    expect(text.stdout).toContain(`applications (kubernetes.apps), each sidecar:\n  ${manifest}: restores orders, local disk 6Gi (its localDisk)\n  ${reports}: restores none, local disk 1Gi (it restores nothing); delegates order_history\n`);
    expect(cli('validate', file).status).toBe(0);
    expect(text.stdout).toMatch(/^snapshot bucket: at most 4 snapshots a day\n {2}refresh snapshots \(3 days\): at most 16\.8Gi \(orders snapshot only when their data changes\)$/m);
  });
});

describe('read-write-split validate, on a file with a Pulumi section', () => {
  it('prints each warning of the description once, at its line (not again from the component\'s log)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-warn-'));
    const file = join(dir, 'catalog.split.yaml');
    const catalog = parse(readFileSync(join(ROOT, 'examples', 'cli', 'catalog.split.yaml'), 'utf8'));
    const datasets = catalog.split.datasets.map(({ expectedSize: _size, ...dataset }: K8sObject) => dataset);
    writeFileSync(file, stringify({ split: { ...catalog.split, datasets }, gcp: catalog.gcp }));
    const result = cli('validate', file, '--target', 'gcp');
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/writer\.storageSize: is derived as/g)).toHaveLength(1);
  });
});

describe('read-write-split validate, on the chart\'s own warnings', () => {
  it('prints each at the line of the prop it is about, once, and not once acknowledged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-chart-warn-'));
    const file = join(dir, 'catalog.split.yaml');
    const catalog = parse(readFileSync(join(ROOT, 'examples', 'cli', 'catalog.split.yaml'), 'utf8'));
    const acknowledgedWarnings = catalog.split.acknowledgedWarnings.filter((id: string) => id !== 'ecr-pull-secret-expiry');
    const text = stringify({ split: { ...catalog.split, acknowledgedWarnings }, kubernetes: catalog.kubernetes });
    writeFileSync(file, text);
    const result = cli('validate', file);
    expect(result.status, result.output).toBe(0);
    const line = text.split('\n').findIndex((l) => l.includes('imagePullSecrets')) + 2;
    const warnings = result.stderr.split('\n').filter((l) => l.includes('warning ecr-pull-secret-expiry'));
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${file}:${line}:\\d+ warning ecr-pull-secret-expiry: kubernetes\\.pods\\.imagePullSecrets: \\["spice-enterprise-pull"\\] pull .* from Amazon ECR, whose docker credentials last 12 hours`))]);
    expect(cli('validate', join(ROOT, 'examples', 'cli', 'catalog.split.yaml')).stderr).not.toContain('ecr-pull-secret-expiry');
  });
});

describe("read-write-split on an application's own localDisk", () => {
  const withDisk = (localDisk: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-disk-'));
    const file = join(dir, 'orders.split.yaml');
    const apps = [{ ...description.kubernetes.apps[0], manifest: join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml'), localDisk }];
    writeFileSync(file, stringify({ split: description.split, kubernetes: { ...description.kubernetes, apps } }));
    return { dir, file };
  };

  it("sizes the application's sidecar by it, and warns at its line when it is less than twice what the reader restores", () => {
    const { dir, file } = withDisk('3Gi');
    const result = cli('synth', file, '--out', join(dir, 'out'), '--target', 'k8s');
    expect(result.status, result.output).toBe(0);
    const deployment = find(docsOf(join(dir, 'out', 'k8s', 'legacy-api.yaml')), 'Deployment', 'legacy-api');
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'spice-reader-local', emptyDir: { sizeLimit: '3072Mi' } });
    expect(result.stderr.split('\n').filter((l) => l.includes('reader-disk-small'))).toEqual([
      expect.stringMatching(/:\d+:\d+ warning reader-disk-small: kubernetes\.apps\[0\]\.localDisk: 3Gi is less than twice the accelerated datasets the reader restores \(2Gi by their expectedSize\).*raise it to at least 4Gi, leave it out to use the description's reader\.localDisk or the derived size/),
    ]);
  });

  it('refuses a second entry of the same workload: both files would hold it, with different sidecars', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-twice-'));
    const file = join(dir, 'orders.split.yaml');
    const manifest = join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml');
    const apps = [{ ...description.kubernetes.apps[0], manifest }, { identity: description.kubernetes.apps[0].identity, manifest, datasets: ['order_history'] }];
    writeFileSync(file, stringify({ split: description.split, kubernetes: { ...description.kubernetes, apps } }));
    const result = cli('validate', file, '--format', 'json');
    expect(result.status, result.output).toBe(1);
    expect(JSON.parse(result.stdout).problems.map(({ path, message, fix }: Record<string, string>) => ({ path, message, fix }))).toEqual([{
      path: 'kubernetes.apps[1].manifest',
      message: 'is the Deployment shop/legacy-api that kubernetes.apps[0] gives the sidecar already: both would be written, and the one applied last would replace the other',
      fix: 'give each workload one entry, with every dataset it reads in its datasets (remove this one, or merge it into kubernetes.apps[0])',
    }]);
  });

  it('refuses one that is not a size, at its line', () => {
    const result = cli('validate', withDisk('plenty').file, '--format', 'json');
    expect(result.status, result.output).toBe(1);
    expect(JSON.parse(result.stdout).problems.map(({ path, message }: Record<string, string>) => ({ path, message }))).toEqual([
      { path: 'kubernetes.apps[0].localDisk', message: '"plenty" is not a size' },
    ]);
  });
});

describe('read-write-split validate, when the chart\'s props are wrong', () => {
  it('still checks the applications\' sidecars: every problem at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-props-'));
    const file = join(dir, 'orders.split.yaml');
    const kubernetes = { ...description.kubernetes, nodeSpread: 'everywhere', apps: [{ ...description.kubernetes.apps[0], manifest: join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml'), datasets: ['ordres'] }] };
    writeFileSync(file, stringify({ split: description.split, kubernetes }));
    const result = cli('validate', file, '--format', 'json');
    expect(result.status, result.output).toBe(1);
    const paths = JSON.parse(result.stdout).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['kubernetes.nodeSpread', 'kubernetes.apps[0].datasets[0]']));
  });

  it("checks an application's restart schedule with its sidecar, at the schedule's lines", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-restart-'));
    const file = join(dir, 'orders.split.yaml');
    const legacyApi = join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml');
    const apps = [
      { ...description.kubernetes.apps[0], manifest: legacyApi, datasets: ['ordres'], restartSchedule: { schedule: 'hourly', kubectlImage: 'bitnami/kubectl:latest' } },
      { ...description.kubernetes.apps[0], manifest: legacyApi, restartSchedule: '0 * * * *' },
    ];
    writeFileSync(file, stringify({ split: description.split, kubernetes: { ...description.kubernetes, apps } }));
    const result = cli('validate', file, '--format', 'json');
    expect(result.status, result.output).toBe(1);
    const problems = JSON.parse(result.stdout).problems.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^kubernetes\.apps\[0\]\.datasets\[0\]: /),
      'kubernetes.apps[0].restartSchedule.schedule: "hourly" is not a cron schedule',
      expect.stringMatching(/^kubernetes\.apps\[0\]\.restartSchedule\.kubectlImage: "bitnami\/kubectl:latest" has a floating tag/),
      'kubernetes.apps[1].restartSchedule: is not a mapping',
    ]));
  });

  it("still checks an application's own entry when the description is wrong too: its identity, its manifest", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-desc-'));
    const file = join(dir, 'orders.split.yaml');
    const legacyApi = join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml');
    const apps = [
      { ...description.kubernetes.apps[0], manifest: legacyApi, identity: { type: 'aws-irsa', roleArn: 'orders-reader' } },
      { manifest: join(dir, 'missing.yaml') },
    ];
    writeFileSync(file, stringify({ split: { ...description.split, image: { ...description.split.image, tag: '1.10.2' } }, kubernetes: { ...description.kubernetes, apps } }));
    const result = cli('validate', file, '--format', 'json');
    expect(result.status, result.output).toBe(1);
    const paths = JSON.parse(result.stdout).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['split.image.tag', 'kubernetes.apps[0].identity.roleArn', 'kubernetes.apps[1].manifest']));
  });
});

describe('read-write-split on a split whose writer is a Spice Cloud app', () => {
  const CLOUD = join('examples', 'cli', 'insights.split.yaml');

  it('synth writes the readers\' Spicepod and the application with its sidecar, and no writer side', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rws-cli-cloud-'));
    const result = cli('synth', CLOUD, '--out', out);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `spicepods: ${out}/spicepods/ reader.yaml`,
      `k8s: ${out}/k8s/ legacy-api.yaml`,
      '  Secrets to create first (read by these manifests, created by none of them; docs/kubernetes.md#secrets-to-create):',
      // The Spice Cloud app's key, which the readers present: the only Secret of a split without writers of its own.
      '    shop/insights-spice-cloud: key api-key; read by Deployment/legacy-api',
    ]);
    const reader = parse(readFileSync(join(out, 'spicepods', 'reader.yaml'), 'utf8'));
    expectValidSpicepod(reader);
    expect(reader.datasets.map((d: K8sObject) => [d.from, d.params.spiceai_endpoint])).toEqual([
      ['spice.ai:daily_revenue', 'https://us-east-1-prod-aws-flight.spiceai.io'], ['spice.ai:top_products', 'https://us-east-1-prod-aws-flight.spiceai.io'],
    ]);
    const docs = docsOf(join(out, 'k8s', 'legacy-api.yaml'));
    await expectValidManifests(docs);
    const egress = docs.find((d) => d.kind === 'NetworkPolicy')!.spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '198.51.100.16/28' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  }, 120_000);

  it('synth writes the readers\' monitoring in the split\'s file when the file asks for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-cloud-obs-'));
    const file = join(dir, 'insights.split.yaml');
    const cloud = parse(readFileSync(join(ROOT, CLOUD), 'utf8'));
    const apps = cloud.kubernetes.apps.map((app: K8sObject) => ({ ...app, manifest: join(ROOT, 'examples', 'cli', app.manifest) }));
    writeFileSync(file, stringify({ ...cloud, kubernetes: { ...cloud.kubernetes, apps, observability: { labels: { release: 'prometheus' } } } }));
    const out = join(dir, 'out');
    const result = cli('synth', file, '--out', out);
    expect(result.status, result.output).toBe(0);
    const docs = docsOf(join(out, 'k8s', 'insights.yaml'));
    await expectValidManifests(docs);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}`)).toEqual(['PodMonitor/monitoring', 'PrometheusRule/monitoring']);
  }, 120_000);

  it('size sizes the readers only: the writers are the app\'s', () => {
    const text = cli('size', CLOUD);
    expect(text.status, text.output).toBe(0);
    expect(text.stdout).toMatch(/^split insights\nwriter: the Spice Cloud app at https:\/\/us-east-1-prod-aws-flight.spiceai.io \(sized in Spice Cloud\); no snapshot bucket\nreader sidecar/);
    expect(text.stdout).not.toContain('writer cluster');
  });
});

describe('read-write-split lock', () => {
  it('writes the lock of the deployed split into the file, keeping its comments, so that validate refuses what breaks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-lock-'));
    cpSync(join(ROOT, 'examples', 'cli'), dir, { recursive: true });
    const file = join(dir, 'orders.split.yaml');
    const result = cli('lock', file);
    expect(result.status, result.output).toBe(0);
    expect(result.stderr).toContain(`${file}: wrote the lock of split orders (3 datasets) at split.upgradeFrom.lock`);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# OSS readers cannot hot-swap snapshots');
    expect(parse(written).split.upgradeFrom.lock).toEqual(JSON.parse(JSON.stringify(lockDescription(description.split))));
    expect(cli('validate', file).status).toBe(0);
    // A new dataset size moves the derived writer volume, which the deployed StatefulSets cannot take.
    writeFileSync(file, written.replace('expectedSize: 2Gi', 'expectedSize: 40Gi'));
    const grown = cli('validate', file, '--format', 'json');
    expect(grown.status).toBe(1);
    expect(JSON.parse(grown.stdout).problems.map((p: { path: string }) => p.path)).toEqual(['split.writer.storageSize']);
    // Nothing is written for an invalid description; --stdout prints the lock and leaves the file.
    expect(cli('lock', file).status).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('expectedSize: 40Gi');
    writeFileSync(file, written);
    const printed = cli('lock', file, '--stdout');
    expect(JSON.parse(printed.stdout)).toEqual(parse(written).split.upgradeFrom.lock);
    expect(readFileSync(file, 'utf8')).toBe(written);
  });
});

describe('read-write-split import', () => {
  const SPICEPOD = join('test', 'fixtures', 'import', 'single-tier.spicepod.yaml');
  const imported = () => importSpicepod(parse(readFileSync(join(ROOT, SPICEPOD), 'utf8')));

  it('writes a description file that validates, with what the core import maps, and prints what is left to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-import-'));
    const out = join(dir, 'shop.split.yaml');
    const result = cli('import', SPICEPOD, '--out', out);
    expect(result.status, result.output).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(parse(written)).toEqual({ split: JSON.parse(JSON.stringify(imported().description)) });
    expect(written).toMatch(/^# yaml-language-server: \$schema=\S+split-file\.schema\.json$/m);
    expect(result.stderr).toMatch(/^create Secret shop-analytics-sources in the writers' namespace with keys: PG_USER \(\$\{secrets:PG_USER\}\), /m);
    expect(result.stderr).toMatch(/^not mapped: models\[0\]: "assistant": the split renders datasets only/m);
    expect(result.stderr).toContain(`${out}: split shop-analytics, 5 datasets (2 restored from snapshots), ${imported().unmapped.length} notes`);
    // The description validates; the writers' cloud identity is no part of a Spicepod, so the Kubernetes side asks for it.
    const validated = cli('validate', out, '--target', 'spicepods');
    expect(validated.status, validated.output).toBe(0);
    const withKubernetes = cli('validate', out);
    expect(withKubernetes.status).toBe(1);
    expect(withKubernetes.stderr).toMatch(/ kubernetes\.writerIdentity: is missing: the writers would reach the S3 snapshot bucket with no identity/);
    expect(withKubernetes.stderr).toContain(`${out}: 1 problem`);
    expect(result.stderr).toMatch(/^add kubernetes\.writerIdentity: /m);
  });

  it('marks the placeholders it had to write in the file: a store the Spicepod names no location of', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-import-'));
    const spicepod = join(dir, 'spicepod.yaml');
    writeFileSync(spicepod, stringify({ version: 'v1', kind: 'Spicepod', name: 'shop', datasets: [{ from: 's3://lake/orders/', name: 'orders', params: { file_format: 'parquet' }, acceleration: { engine: 'duckdb', mode: 'file' } }] }));
    const out = join(dir, 'shop.split.yaml');
    const result = cli('import', spicepod, '--out', out);
    expect(result.status, result.output).toBe(0);
    const marked = readFileSync(out, 'utf8').split('\n').filter((line) => line.includes('# placeholder'));
    expect(marked).toEqual([
      '    bucket: shop-snapshots # placeholder, not from the Spicepod: set it before deploying',
      '    region: us-east-1 # placeholder, not from the Spicepod: set it before deploying',
    ]);
    expect(cli('import', SPICEPOD, '--out', join(dir, 'located.split.yaml')).status).toBe(0);
    expect(readFileSync(join(dir, 'located.split.yaml'), 'utf8')).not.toContain('# placeholder');
  });

  it('gives the core\'s import as JSON, takes the split\'s name, and exits 1 on a file that is no Spicepod', () => {
    expect(JSON.parse(cli('import', SPICEPOD, '--format', 'json').stdout)).toEqual(JSON.parse(JSON.stringify(imported())));
    expect(parse(cli('import', SPICEPOD, '--name', 'shop').stdout).split.name).toBe('shop');
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-import-'));
    // With --out, the file is the description either way; the JSON report goes to standard output.
    const both = cli('import', SPICEPOD, '--format', 'json', '--out', join(dir, 'imported.split.yaml'));
    expect(JSON.parse(both.stdout)).toEqual(JSON.parse(JSON.stringify(imported())));
    expect(cli('validate', join(dir, 'imported.split.yaml'), '--target', 'spicepods').status).toBe(0);
    // A description edited since is never replaced without --force.
    writeFileSync(join(dir, 'imported.split.yaml'), '# edited\n');
    const again = cli('import', SPICEPOD, '--out', join(dir, 'imported.split.yaml'));
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`read-write-split: ${join(dir, 'imported.split.yaml')} exists, and import never replaces a description you may have edited: write to another file, or pass --force to replace it\n`);
    expect(readFileSync(join(dir, 'imported.split.yaml'), 'utf8')).toBe('# edited\n');
    expect(cli('import', SPICEPOD, '--out', join(dir, 'imported.split.yaml'), '--force').status).toBe(0);
    expect(parse(readFileSync(join(dir, 'imported.split.yaml'), 'utf8')).split.name).toBe('shop-analytics');
    const forceAlone = cli('import', SPICEPOD, '--force');
    expect([forceAlone.status, forceAlone.stderr]).toEqual([2, 'read-write-split: --force replaces the --out file: give --out too\n']);
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    const notSpicepod = cli('import', join(dir, 'list.yaml'));
    expect(notSpicepod.status).toBe(1);
    expect(notSpicepod.stderr).not.toMatch(/^\s+at /m);
    expect(notSpicepod.stderr).toMatch(/list\.yaml: .+: .+; .+/);
  });
});
