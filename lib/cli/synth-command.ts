import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spicepodToYaml, SynthesizedSplit } from '../core';
import { buildAws } from './aws-target';
import { checkFile, Target } from './check-file';
import { buildKubernetes } from './kubernetes-target';
import { planPulumi } from './pulumi-target';
import { OutputFormat, printCheck } from './report-problems';
import { SplitFile } from './split-file';
import { EXIT, UsageError } from './usage-error';
import { YamlSource } from './yaml-source';

export interface SynthOptions {
  readonly out: string;
  /** @default - spicepods and k8s, and each cloud the file has a section for */
  readonly target?: readonly Target[];
  readonly format: OutputFormat;
}

/** What one target wrote, for its progress line. */
interface Written {
  readonly dir: string;
  readonly files: readonly string[];
  readonly note?: string;
}

function writeSpicepods(synthesized: SynthesizedSplit, dir: string): Written {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['writer.yaml', spicepodToYaml(synthesized.writer.snapshotOwner.spicepod)],
    ['writer-replica.yaml', spicepodToYaml(synthesized.writer.queryReplica.spicepod)],
    ['reader.yaml', spicepodToYaml(synthesized.reader.spicepod)],
    ...(synthesized.archiver ? [['archiver.yaml', spicepodToYaml(synthesized.archiver.spicepod)] as [string, string]] : []),
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return { dir, files: files.map(([name]) => name) };
}

function writeKubernetes(file: SplitFile, fileDir: string, dir: string): Written {
  const build = buildKubernetes(file, fileDir, dir);
  // Checked already: a problem here would be a bug of the check, not of the file.
  if (!build.app || build.problems.length > 0) throw new Error(`kubernetes: ${build.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  build.app.synth();
  return { dir, files: readdirSync(dir).sort() };
}

function writeAws(file: SplitFile, dir: string): Written {
  const build = buildAws(file, dir);
  if (!build.app || build.problems.length > 0) throw new Error(`aws: ${build.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  build.app.synth();
  const files = readdirSync(dir).filter((name) => name.endsWith('.template.json') || name === 'validation-report.json').sort();
  return { dir, files, note: build.nag ? 'cdk-nag report: validation-report.json' : 'cdk-nag is not installed: no report (npm install cdk-nag)' };
}

async function writePulumiPlan(file: SplitFile, cloud: 'gcp' | 'azure', dir: string): Promise<Written> {
  const plan = await planPulumi(file, cloud);
  if (!plan.resources || plan.problems.length > 0) throw new Error(`${cloud}: ${plan.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plan.json'), `${JSON.stringify({ component: COMPONENTS[cloud], resources: plan.resources }, null, 2)}\n`);
  return { dir, files: ['plan.json'], note: `the resources ${COMPONENTS[cloud]} creates: deploy them with it from a Pulumi program (docs/${cloud}.md)` };
}

const COMPONENTS = { gcp: 'ReadWriteSplitGcp (read-write-split/gcp)', azure: 'ReadWriteSplitAzure (read-write-split/azure)' } as const;

/** The targets a file asks for when `--target` is not given: the Spicepods, Kubernetes, and each cloud it has a section for. */
export function defaultTargets(file: unknown): Target[] {
  const sections = typeof file === 'object' && file !== null ? (file as Record<string, unknown>) : {};
  return ['spicepods', 'k8s', ...(['aws', 'gcp', 'azure'] as const).filter((cloud) => sections[cloud] !== undefined)];
}

/**
 * `synth FILE --out DIR`: checks the file as `validate` does, then writes each target under DIR
 * (`spicepods/`, `k8s/`, `aws/`), replacing what a previous run wrote there. One progress line
 * per target; the same file gives the same bytes.
 */
export async function synthCommand(path: string, options: SynthOptions): Promise<number> {
  const source = YamlSource.read(path);
  // Every target is checked before any is written, its frameworks first.
  const targets = options.target ?? defaultTargets(source.value());
  const check = await checkFile(source, { targets, described: false });
  printCheck(path, check.problems, check.warnings, options.format === 'json' ? 'json' : 'text');
  if (!check.checked) return EXIT.invalid;
  const { file, synthesized } = check.checked;
  const written: Record<string, Written> = {};
  for (const target of targets) {
    const dir = join(options.out, target);
    rmSync(dir, { recursive: true, force: true });
    if (target === 'spicepods') written[target] = writeSpicepods(synthesized, dir);
    else if (target === 'k8s') written[target] = writeKubernetes(file, dirname(path), dir);
    else if (target === 'aws') written[target] = writeAws(file, dir);
    else if (target === 'gcp' || target === 'azure') written[target] = await writePulumiPlan(file, target, dir);
    else throw new UsageError(`unknown target ${target}`);
    if (options.format === 'text') {
      const { files, note } = written[target];
      process.stdout.write(`${target}: ${dir}/ ${files.join(', ')}${note ? ` (${note})` : ''}\n`);
    }
  }
  return EXIT.valid;
}
