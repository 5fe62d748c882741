import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { HelmWriterRelease, ReadWriteSplitChart } from '../../lib/k8s';
import { ROOT, run } from '../support/run';
import { cli, description, docsOf } from '../support/cli';

describe('the command line installed without the frameworks (optional peer dependencies)', () => {
  let cliAlone: string;
  let cwd: string;
  beforeAll(() => {
    // The package as npm installs it, with its own dependencies only: no cdk8s, aws-cdk-lib or Pulumi beside it.
    cwd = mkdtempSync(join(tmpdir(), 'rws-cli-alone-'));
    const installed = join(cwd, 'node_modules', 'read-write-split');
    mkdirSync(installed, { recursive: true });
    for (const entry of ['dist', 'schemas', 'package.json']) cpSync(join(ROOT, entry), join(installed, entry), { recursive: true });
    for (const dependency of Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies)) {
      symlinkSync(join(ROOT, 'node_modules', dependency), join(cwd, 'node_modules', dependency), 'dir');
    }
    cpSync(join(ROOT, 'examples', 'cli', 'catalog.split.yaml'), join(cwd, 'catalog.split.yaml'));
    cliAlone = join(installed, 'dist', 'cli', 'main.js');
  });
  const alone = (...args: string[]) => run(process.execPath, [cliAlone, ...args], { cwd });

  it('names every framework a side needs, at once, with the install command, and exits 2', () => {
    const result = alone('validate', 'catalog.split.yaml');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('read-write-split: k8s, gcp need cdk8s, cdk8s-plus-28, constructs, @pulumi/pulumi, @pulumi/gcp: install beside read-write-split'
      + ' (npm install cdk8s cdk8s-plus-28 constructs @pulumi/pulumi @pulumi/gcp), or leave out the file\'s section and --target for what you do not use\n');
  });

  it('names only the sides that lack a framework', () => {
    for (const framework of ['cdk8s', 'cdk8s-plus-28', 'constructs']) {
      symlinkSync(join(ROOT, 'node_modules', framework), join(cwd, 'node_modules', framework), 'dir');
    }
    try {
      const result = alone('validate', 'catalog.split.yaml');
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^read-write-split: gcp needs @pulumi\/pulumi, @pulumi\/gcp: install beside read-write-split \(npm install @pulumi\/pulumi @pulumi\/gcp\)/);
    } finally {
      for (const framework of ['cdk8s', 'cdk8s-plus-28', 'constructs']) rmSync(join(cwd, 'node_modules', framework));
    }
  });

  it('writes the Spicepods, sizes and imports with the package alone', () => {
    const synth = alone('synth', 'catalog.split.yaml', '--out', 'build', '--target', 'spicepods');
    expect(synth.status, synth.output).toBe(0);
    expect(readdirSync(join(cwd, 'build', 'spicepods'))).toEqual(['.read-write-split', 'archiver.yaml', 'reader.yaml', 'writer-replica.yaml', 'writer.yaml']);
    const size = alone('size', 'catalog.split.yaml');
    expect(size.status).toBe(0);
    // The laptop reader of the file dials the external endpoint: size names both.
    expect(size.stdout).toContain('delegated to the writers (in the cluster http://catalog-writer.storefront.svc.cluster.local:50051, outside it http://catalog-flight.internal.acme.example:50051)');
    expect(alone('import', join(ROOT, 'test', 'fixtures', 'import', 'single-tier.spicepod.yaml'), '--out', 'shop.split.yaml').status).toBe(0);
  });
});

describe('the command line on files that go wrong', () => {
  const project = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-wrong-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    cpSync(join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml'), join(dir, 'a', 'api.yaml'));
    // Another application whose manifest has the same file name (one workload given twice is refused).
    writeFileSync(join(dir, 'b', 'api.yaml'), readFileSync(join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml'), 'utf8').replaceAll('legacy-api', 'reports-api'));
    return dir;
  };
  const write = (dir: string, edit: (file: Record<string, any>) => void) => {
    const file = JSON.parse(JSON.stringify(description));
    edit(file);
    writeFileSync(join(dir, 'split.yaml'), stringify(file));
    return join(dir, 'split.yaml');
  };
  const noStackTrace = (result: ReturnType<typeof run>) => expect(result.output).not.toMatch(/^\s+at /m);

  it('reports a missing manifest, an unquoted account, a section that is no mapping and credentials in a URL at their paths', () => {
    const dir = project();
    const cases: [(file: Record<string, any>) => void, RegExp][] = [
      [(f) => { f.kubernetes.apps[0].manifest = 'nope.yaml'; }, /:\d+:\d+ kubernetes\.apps\[0\]\.manifest: cannot read .*nope\.yaml: ENOENT; /],
      [(f) => { f.aws.account = 111122223333; }, /:\d+:\d+ aws\.account: 111122223333 is not an account id \(YAML read it as a number\); write the 12 digits in quotes/],
      [(f) => { f.kubernetes.apps = 'api.yaml'; }, /:\d+:\d+ kubernetes\.apps: is not a list; /],
      [(f) => { f.kubernetes = 5; }, /:\d+:\d+ kubernetes: 5 is not a mapping; /],
      [(f) => { f.kubernetes.writerIdentity = { typ: 'aws-irsa', roleArn: f.kubernetes.writerIdentity.roleArn }; }, /kubernetes\.writerIdentity\.typ: is not a key of this description; did you mean 'type'\?/],
      [(f) => { f.split.datasets[0].from = 'https://user:s3cr3t@example.com/orders.parquet'; }, /split\.datasets\[0\]\.from: carries a user and password in its URL, which would reach every reader; /],
      [(f) => { f.kubernetes.apps[0] = { ...f.kubernetes.apps[0], manifest: 'a/api.yaml', datasets: ['orders', 'nope'] }; }, /:\d+:\d+ kubernetes\.apps\[0\]\.datasets\[1\]: "nope" is not a dataset of the split; use one of orders, order_history\n/],
      // A file cannot hold the construct's VPC: its id is an unknown key, and the endpoint's id is what is missing.
      [(f) => { f.aws.vpc = 'vpc-0a1b2c3d'; delete f.aws.vpcEndpointId; }, /aws\.vpcEndpointId: is missing: .*a file cannot create one.*\n.*aws\.vpc: is not a key of this description; /],
    ];
    for (const [edit, message] of cases) {
      const result = cli('validate', write(dir, edit));
      expect(result.status, result.output).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.output).not.toContain('s3cr3t');
      noStackTrace(result);
    }
  });

  it('writes two applications whose manifests share a file name under names of their own', () => {
    const dir = project();
    const file = write(dir, (f) => {
      f.kubernetes.apps = [{ ...f.kubernetes.apps[0], manifest: 'a/api.yaml' }, { ...f.kubernetes.apps[0], manifest: 'b/api.yaml' }];
    });
    const result = cli('synth', file, '--out', join(dir, 'out'), '--target', 'k8s');
    expect(result.status, result.output).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`k8s: ${join(dir, 'out', 'k8s')}/ orders.yaml, api.yaml, api-2.yaml`);
  });

  it("writes each writer role's Helm values beside the manifests with Helm workloads, the same as the construct's", () => {
    const dir = project();
    const workloads = { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline' };
    const file = write(dir, (f) => {
      f.kubernetes.workloads = workloads;
      delete f.kubernetes.apps;
    });
    const result = cli('synth', file, '--out', join(dir, 'out'), '--target', 'k8s');
    expect(result.status, result.output).toBe(0);
    const [progress, ...secrets] = result.stdout.trimEnd().split('\n');
    expect(progress).toBe(`k8s: ${join(dir, 'out', 'k8s')}/ orders.yaml, orders-writer-owner.values.yaml, orders-writer-replica.values.yaml`);
    // The writers' Secrets are read through the Helm values: they are listed as the releases'.
    expect(secrets.slice(1)).toEqual([
      '    shop/orders-cluster-api-key: key api-key; read by Deployment/orders-archiver, HelmRelease/orders-writer-owner, HelmRelease/orders-writer-replica',
      '    shop/orders-db: keys password, username; read by HelmRelease/orders-writer-owner, HelmRelease/orders-writer-replica',
    ]);
    const { apps: _apps, ...props } = description.kubernetes;
    const chart = new ReadWriteSplitChart(Testing.app(), 'orders', { ...props, workloads, split: description.split });
    for (const role of [chart.writer.owner, chart.writer.replicas] as HelmWriterRelease[]) {
      expect(readFileSync(join(dir, 'out', 'k8s', `${role.releaseName}.values.yaml`), 'utf8')).toBe(role.valuesYaml);
    }
    expect(docsOf(join(dir, 'out', 'k8s', 'orders.yaml')).some((d) => d.kind === 'StatefulSet')).toBe(false);
  });

  it('reads a SpicepodSet CRD file relative to the description file, and reports a typo in workloads at its line', () => {
    const dir = project();
    cpSync(join(ROOT, 'test', 'fixtures', 'operator', 'spicepodset-crd.yaml'), join(dir, 'crd.yaml'));
    const enterprise = (f: Record<string, any>) => {
      f.split.image = { edition: 'enterprise', repository: 'example.com/spiceai-enterprise', tag: '2.0.1-enterprise' };
      delete f.kubernetes.apps;
    };
    const file = write(dir, (f) => {
      enterprise(f);
      f.kubernetes.workloads = { type: 'spicepodset', crdFile: 'crd.yaml' };
    });
    const result = cli('synth', file, '--out', join(dir, 'out'), '--target', 'k8s');
    expect(result.status, result.output).toBe(0);
    expect(docsOf(join(dir, 'out', 'k8s', 'orders.yaml')).filter((d) => d.kind === 'SpicepodSet').map((d) => d.metadata.name)).toEqual(['orders-writer-owner', 'orders-writer-replica']);
    const typo = write(dir, (f) => {
      enterprise(f);
      f.kubernetes.workloads = { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline', chartVersoin: '2.2.0' };
    });
    const invalid = cli('validate', typo);
    expect(invalid.status, invalid.output).toBe(1);
    expect(invalid.stderr).toMatch(/kubernetes\.workloads\.chartVersoin: .*chartVersion/);
  });

  it('never replaces a folder it did not write, and says when --out cannot be written (exit 2)', () => {
    const dir = project();
    const file = write(dir, () => undefined);
    mkdirSync(join(dir, 'spicepods'));
    writeFileSync(join(dir, 'spicepods', 'mine.yaml'), 'mine');
    const refused = cli('synth', file, '--out', dir, '--target', 'spicepods');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`read-write-split: ${join(dir, 'spicepods')} exists and was not written by read-write-split: choose another --out, or remove it yourself\n`);
    expect(readFileSync(join(dir, 'spicepods', 'mine.yaml'), 'utf8')).toBe('mine');
    const onAFile = cli('synth', file, '--out', join(dir, 'split.yaml'), '--target', 'spicepods');
    expect(onAFile.status).toBe(2);
    expect(onAFile.stderr).toMatch(/^read-write-split: cannot create .*split\.yaml: EEXIST\n$/);
    // Its own output is replaced on the next run.
    expect(cli('synth', file, '--out', join(dir, 'out'), '--target', 'spicepods').status).toBe(0);
    expect(cli('synth', file, '--out', join(dir, 'out'), '--target', 'spicepods').status).toBe(0);
    // As mkdir makes them (not owner-only), so a later step as another user can read them.
    expect(statSync(join(dir, 'out', 'spicepods')).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  it('checks every target folder before it writes any: no output half replaced', () => {
    const dir = project();
    const file = write(dir, (f) => {
      delete f.kubernetes.apps;
    });
    mkdirSync(join(dir, 'out', 'k8s'), { recursive: true });
    writeFileSync(join(dir, 'out', 'k8s', 'notes.txt'), 'mine');
    const refused = cli('synth', file, '--out', join(dir, 'out'), '--target', 'spicepods,k8s');
    expect(refused.status).toBe(2);
    expect(readdirSync(join(dir, 'out'))).toEqual(['k8s']);
  });

  it('says what is wrong with an empty file, a file of several documents, a split that is no mapping and a split name that cannot be', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-wrong-'));
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'multi.yaml'), 'split: {}\n---\nsplit: {}\n');
    expect(cli('validate', join(dir, 'empty.yaml')).stderr).toContain('empty.yaml:1:1 (file): is empty, so it is not a description file; ');
    expect(cli('validate', join(dir, 'multi.yaml')).stderr).toContain('multi.yaml:2:1 (file): holds more than one YAML document, but a description file is one; ');
    writeFileSync(join(dir, 'list.yaml'), 'split: []\n');
    expect(cli('validate', join(dir, 'list.yaml')).stderr).toBe(`${join(dir, 'list.yaml')}:1:8 split: [] is not a mapping; write the split's description under it: name, namespace, image, store, datasets (docs/split-description.md)\n${join(dir, 'list.yaml')}: 1 problem\n`);
    const badName = cli('import', join(ROOT, 'test', 'fixtures', 'import', 'single-tier.spicepod.yaml'), '--name', 'Bad_Name');
    expect(badName.status).toBe(2);
    expect(badName.stderr).toMatch(/^read-write-split: --name: "Bad_Name" is not a split name; /);
  });

  it('exits 0 for help, and for the version, which a pipeline logs', () => {
    expect(cli('help', 'validate').status).toBe(0);
    expect(cli('--help').status).toBe(0);
    const version = cli('--version');
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });
});

describe('where validate places a problem', () => {
  it('finds keys with dots (a label, an annotation), values behind an alias, and reads merge keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-where-'));
    const text = [
      'defaults: &store { cloud: aws, bucket: acme-orders-snapshots, region: eu-west-1 }',
      'split:',
      '  name: orders',
      '  store: *store',
      '  datasets:',
      '    - &dataset',
      '      name: orders',
      '      from: s3://acme-lake/orders/',
      '      params: { s3_auth: iam_role }',
      '    - <<: *dataset',
      '      name: Orders2',
      'kubernetes:',
      '  writerIdentity: { type: aws-pod-identity }',
      '  pods:',
      '    podLabels:',
      '      example.com/team: "not a value!"',
      '    podAnnotations:',
      '      read-write-split.io/spicepod-checksum: mine',
    ].join('\n');
    writeFileSync(join(dir, 'where.yaml'), text);
    const result = cli('validate', join(dir, 'where.yaml'));
    expect(result.status).toBe(1);
    const at = (path: string) => result.stderr.split('\n').find((line) => line.includes(` ${path}: `))?.split(' ')[0].split(':').slice(1).join(':');
    expect(at('defaults')).toBe('1:1');
    expect(at('split.datasets[1].name')).toBe('11:13');
    expect(at('kubernetes.pods.podLabels["example.com/team"]')).toBe('16:25');
    expect(at('kubernetes.pods.podAnnotations.read-write-split.io/spicepod-checksum')).toBe('18:46');
    expect(result.stderr).not.toContain('<<');
  });
});
