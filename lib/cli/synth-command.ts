import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spicepodToYaml, SynthesizedSplit } from '../core';
import type { AwsBuild } from './aws-target';
import type { ComposeBuild } from './compose-target';
import { composeYaml } from '../compose/compose-yaml';
import { checkFile, defaultTargets, Target } from './check-file';
import type { KubernetesBuild } from './kubernetes-target';
import { SecretToCreate, secretsToCreate } from '../k8s/secrets-to-create';
import { optionalModule } from './optional-module';
import type { PulumiPlan } from './pulumi-target';
import { OutputFormat, printCheck } from './report-problems';
import { EXIT, UsageError } from './usage-error';
import { YamlSource } from './yaml-source';

export interface SynthOptions {
  readonly out: string;
  /** @default - spicepods and k8s, and each cloud (and compose) the file has a section for */
  readonly target?: readonly Target[];
  readonly format: OutputFormat;
}

/** What one target wrote, for its progress line. */
interface Written {
  readonly dir: string;
  readonly files: readonly string[];
  readonly note?: string;
  /** Lines printed below the progress line. */
  readonly details?: readonly string[];
}

function writeSpicepods(synthesized: SynthesizedSplit, dir: string): Written {
  // A Spice Cloud app's own Spicepod is in Spice Cloud: only the readers' is written.
  const writers: [string, string][] = synthesized.split.writer.spiceCloud ? [] : [
    ['writer.yaml', spicepodToYaml(synthesized.writer.snapshotOwner.spicepod)],
    ['writer-replica.yaml', spicepodToYaml(synthesized.writer.queryReplica.spicepod)],
  ];
  const files: [string, string][] = [
    ...writers,
    ['reader.yaml', spicepodToYaml(synthesized.reader.spicepod)],
    ...(synthesized.archiver ? [['archiver.yaml', spicepodToYaml(synthesized.archiver.spicepod)] as [string, string]] : []),
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return { dir, files: files.map(([name]) => name) };
}

/** Each chart as `cdk8s synth` writes it (the same YAML), under a file name of the build's choosing. */
function built<T extends { readonly problems: readonly { path: string; message: string }[] }>(side: string, build: T | undefined): T {
  // Checked already: a missing build or a problem here would be a bug of the check, not of the file.
  if (!build || build.problems.length > 0) throw new Error(`${side}: ${build?.problems.map((p) => `${p.path}: ${p.message}`).join('; ') ?? 'not built'}`);
  return build;
}

/** Each chart as `cdk8s synth` writes it (the same YAML), under a file name of the build's choosing. */
function writeKubernetes(build: KubernetesBuild, dir: string): Written {
  const { Yaml } = optionalModule<typeof import('cdk8s')>('cdk8s', 'k8s');
  const deployed: unknown[] = [];
  for (const { chart, file: name } of build.charts) {
    const manifests = chart.toJson();
    deployed.push(...manifests);
    writeFileSync(join(dir, name), Yaml.stringify(...manifests));
  }
  for (const { file: name, content, deploys } of build.files ?? []) {
    writeFileSync(join(dir, name), content);
    if (deploys !== undefined) deployed.push(deploys);
  }
  return {
    dir,
    files: [...build.charts.map((chart) => chart.file), ...(build.files ?? []).map((file) => file.file)],
    // An application manifest without a namespace lands in the one it is applied to.
    details: secretsToCreateLines(secretsToCreate(deployed, '(the namespace applied to)')),
  };
}

/** The Secrets to create before deploying, one line each: the manifests read them and create none. */
function secretsToCreateLines(secrets: readonly SecretToCreate[]): string[] {
  if (secrets.length === 0) return [];
  return [
    '  Secrets to create first (read by these manifests, created by none of them; docs/kubernetes.md#secrets-to-create):',
    ...secrets.map((secret) => {
      const keys = secret.type === 'kubernetes.io/dockerconfigjson' ? 'an image pull Secret (kubectl create secret docker-registry)'
        : secret.keys.length > 0 ? `key${secret.keys.length === 1 ? '' : 's'} ${secret.keys.join(', ')}` : 'every key';
      return `    ${secret.namespace}/${secret.name}: ${keys}${secret.optional ? ' (optional)' : ''}; read by ${secret.readBy.join(', ')}`;
    }),
  ];
}

/** The cloud assembly aws-cdk-lib writes, copied in. */
function writeAws(build: AwsBuild, dir: string): Written {
  cpSync(build.app!.synth().directory, dir, { recursive: true });
  const files = readdirSync(dir).filter((name) => name.endsWith('.template.json') || name === 'validation-report.json').sort();
  return { dir, files, note: build.nag ? 'cdk-nag report: validation-report.json' : 'cdk-nag is not installed: no report (npm install cdk-nag)' };
}

function writePulumiPlan(plan: PulumiPlan, cloud: 'gcp' | 'azure', dir: string): Written {
  writeFileSync(join(dir, 'plan.json'), `${JSON.stringify({ component: COMPONENTS[cloud], resources: plan.resources }, null, 2)}\n`);
  return { dir, files: ['plan.json'], note: `the resources ${COMPONENTS[cloud]} creates: deploy them with it from a Pulumi program (docs/${cloud}.md)` };
}

/**
 * A folder per reader: its `compose.yaml` and the files it mounts, readable by all (spiced runs as
 * uid 65534 and reads them through bind mounts, whatever the user's umask).
 */
function writeCompose(build: ComposeBuild, dir: string): Written {
  const files: string[] = [];
  for (const { name, result } of build.readers) {
    mkdirSync(join(dir, name));
    for (const [file, content] of [['compose.yaml', composeYaml(result)], ...Object.entries(result.files)]) {
      writeFileSync(join(dir, name, file), content);
      chmodSync(join(dir, name, file), 0o644);
      files.push(`${name}/${file}`);
    }
  }
  return { dir, files, note: 'docker compose up -d in each folder; its header says what to export first' };
}

const COMPONENTS = { gcp: 'ReadWriteSplitGcp (read-write-split/gcp)', azure: 'ReadWriteSplitAzure (read-write-split/azure)' } as const;


/** Marks a folder this command wrote: only such a folder (or an empty one) is ever replaced. */
const MARKER = '.read-write-split';

function usage<T>(action: () => T, what: string): T {
  try {
    return action();
  } catch (error) {
    throw new UsageError(`cannot ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Refuses to replace a folder of the user's: one that holds files and no marker of this command. */
function checkReplaceable(dir: string): void {
  if (!existsSync(dir) || existsSync(join(dir, MARKER))) return;
  if (!statSync(dir).isDirectory() || readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} exists and was not written by read-write-split: choose another --out, or remove it yourself`);
  }
}

/** Writes a target into a fresh folder beside its place, then swaps it in: a failure leaves the last output as it was. */
async function writeTarget(out: string, target: Target, write: (dir: string) => Written | Promise<Written>): Promise<Written> {
  const dir = join(out, target);
  const fresh = usage(() => mkdtempSync(join(out, `.${target}-`)), `write into ${out}`);
  try {
    // mkdtemp makes the folder its owner's only: once swapped in, it is a folder like mkdir's.
    chmodSync(fresh, 0o777 & ~process.umask());
    const written = await write(fresh);
    writeFileSync(join(fresh, MARKER), 'Written by read-write-split synth: replaced on its next run.\n');
    usage(() => rmSync(dir, { recursive: true, force: true }), `replace ${dir}`);
    usage(() => renameSync(fresh, dir), `replace ${dir}`);
    return { ...written, dir };
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/**
 * `synth FILE --out DIR`: checks the file as `validate` does, then writes each target under DIR
 * (`spicepods/`, `k8s/`, `aws/`, `gcp/`, `azure/`, `compose/`), replacing what a previous run wrote there and
 * nothing else. One progress line per target; the same file gives the same bytes.
 */
export async function synthCommand(path: string, options: SynthOptions): Promise<number> {
  const source = YamlSource.read(path);
  // Every target is checked before any is written, its frameworks first.
  const targets = [...new Set(options.target ?? defaultTargets(source.value()))];
  const check = await checkFile(source, { targets, described: false });
  printCheck(path, check.problems, check.warnings, options.format);
  if (!check.checked) return EXIT.invalid;
  const { synthesized, built: sides } = check.checked;
  usage(() => mkdirSync(options.out, { recursive: true }), `create ${options.out}`);
  // Every target's folder is checked before any is written: no output half replaced.
  for (const target of targets) checkReplaceable(join(options.out, target));
  for (const target of targets) {
    const written = await writeTarget(options.out, target, (dir) => {
      if (target === 'spicepods') return writeSpicepods(synthesized, dir);
      if (target === 'k8s') return writeKubernetes(built('k8s', sides.k8s), dir);
      if (target === 'aws') return writeAws(built('aws', sides.aws), dir);
      if (target === 'compose') return writeCompose(built('compose', sides.compose), dir);
      return writePulumiPlan(built(target, sides[target]), target, dir);
    });
    if (options.format !== 'text') continue;
    process.stdout.write(`${target}: ${written.dir}/ ${written.files.join(', ')}${written.note ? ` (${written.note})` : ''}\n`);
    for (const line of written.details ?? []) process.stdout.write(`${line}\n`);
  }
  return EXIT.valid;
}
