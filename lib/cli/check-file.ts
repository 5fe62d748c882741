import { dirname } from 'node:path';
import { checkSplit, Findings, SplitWarning, SynthesizedSplit, ValidationProblem, writerShapeOf } from '../core';
import { AwsBuild, buildAws } from './aws-target';
import { buildCompose, ComposeBuild } from './compose-target';
import { crossSectionProblems } from './cross-section-checks';
import { buildKubernetes, KubernetesBuild } from './kubernetes-target';
import { requireFrameworks } from './optional-module';
import { planPulumi, PulumiPlan } from './pulumi-target';
import { describedSplit, SplitFile } from './split-file';
import { unknownKeys } from './unknown-keys';
import { SourcePosition, YamlSource } from './yaml-source';
import { isMapping } from '../core/mapping';

/** Something to fix, where it is in which file. */
export interface LocatedProblem extends ValidationProblem, SourcePosition {
  readonly file: string;
}

/** A warning of the description, where it is. */
export interface LocatedWarning extends SplitWarning, SourcePosition {
  readonly file: string;
}

/** The sides of a split the file can be checked and synthesized for. */
export type Target = 'spicepods' | 'k8s' | 'aws' | 'gcp' | 'azure' | 'compose';
export const TARGETS: readonly Target[] = ['spicepods', 'k8s', 'aws', 'gcp', 'azure', 'compose'];

/** The targets a file asks for when `--target` is not given: the Spicepods, Kubernetes, and each cloud (and Compose) it has a section for. */
export function defaultTargets(file: unknown): Target[] {
  const sections = typeof file === 'object' && file !== null ? (file as Record<string, unknown>) : {};
  return ['spicepods', 'k8s', ...(['aws', 'gcp', 'azure', 'compose'] as const).filter((side) => sections[side] !== undefined)];
}


export interface FileCheck {
  readonly problems: readonly LocatedProblem[];
  readonly warnings: readonly LocatedWarning[];
  /** The file's content and its split, when it has no problem. */
  readonly checked?: { readonly file: SplitFile; readonly synthesized: SynthesizedSplit; readonly built: SideBuilds };
}


const problemKey = (problem: ValidationProblem) => `${problem.path}\0${problem.message}`;

/** Problems found once each, in the order found (the constructs repeat the description's). */
function distinct(problems: readonly ValidationProblem[]): ValidationProblem[] {
  const seen = new Map<string, ValidationProblem>();
  for (const problem of problems) seen.set(problemKey(problem), problem);
  return [...seen.values()];
}

/** Warnings found once each (a sidecar per application repeats its own). */
function distinctWarnings(warnings: readonly SplitWarning[]): SplitWarning[] {
  const seen = new Map<string, SplitWarning>();
  for (const warning of warnings) seen.set(`${warning.id}\0${warning.path}\0${warning.message}`, warning);
  return [...seen.values()];
}

/** Each side built by its construct: checked here, and what synth writes (each is built once). */
export interface SideBuilds {
  readonly k8s?: KubernetesBuild;
  readonly aws?: AwsBuild;
  readonly gcp?: PulumiPlan;
  readonly azure?: PulumiPlan;
  readonly compose?: ComposeBuild;
}

/** A cloud side of a split whose writer is a Spice Cloud app (a section, or `--target`): refused, nothing built. */
function spiceCloudSection(cloud: 'aws' | 'gcp' | 'azure', given: boolean) {
  return {
    nag: false,
    problems: [{
      path: cloud,
      message: `${given ? 'is set' : 'was asked for (--target)'}, but the writer is a Spice Cloud app (split.writer.spiceCloud): the split has no snapshot store or writer cluster, so no cloud side (readers of the app need no cloud identity)`,
      fix: given ? `remove the ${cloud} section: readers of the app need only its API key` : `leave ${cloud} out of --target: readers of the app need only its API key`,
    }],
  };
}

/** Builds each side the file describes (or `targets` asks for) with its construct. */
async function buildSides(file: SplitFile, synthesized: SynthesizedSplit | undefined, source: YamlSource, targets: readonly Target[], described: boolean): Promise<SideBuilds> {
  const wanted = (target: Target, section: unknown) => targets.includes(target) || (described && section !== undefined);
  const spiceCloud = Boolean(writerShapeOf(undefined, file.split)?.writer.spiceCloud);
  const cloud = (side: 'aws' | 'gcp' | 'azure') => wanted(side, file[side]) && !spiceCloud;
  requireFrameworks((['k8s', 'aws', 'gcp', 'azure'] as const).filter((side) => (side === 'k8s' ? wanted(side, file.kubernetes) : cloud(side))));
  const refused = (side: 'aws' | 'gcp' | 'azure') => (wanted(side, file[side]) && spiceCloud ? spiceCloudSection(side, file[side] !== undefined) : undefined);
  return {
    k8s: wanted('k8s', file.kubernetes) ? buildKubernetes(file, dirname(source.path)) : undefined,
    aws: cloud('aws') ? buildAws(file) : refused('aws'),
    gcp: cloud('gcp') ? await planPulumi(file, 'gcp') : refused('gcp'),
    azure: cloud('azure') ? await planPulumi(file, 'azure') : refused('azure'),
    compose: wanted('compose', file.compose) ? buildCompose(file, synthesized) : undefined,
  };
}

/** Which sides of the file are checked beside the split description. */
export interface SidesToCheck {
  /** These, whether or not the file has a section for them. */
  readonly targets: readonly Target[];
  /** And every side the file has a section for (what `validate` checks). */
  readonly described: boolean;
}

/**
 * Every problem of a description file at once: its YAML, keys it does not know (with the closest
 * known one), then the same checks as the constructs of each side asked for, each at the line and
 * column of the value.
 */
export async function checkFile(source: YamlSource, sides: SidesToCheck = { targets: [], described: false }): Promise<FileCheck> {
  const locate = (problem: ValidationProblem, key = false): LocatedProblem => ({ file: source.path, ...source.positionOf(problem.path, { key }), ...problem });
  const syntax = source.syntaxProblems();
  if (syntax.length > 0) {
    return { problems: syntax.map(({ position, message }) => ({ file: source.path, ...position, path: '(file)', message, fix: 'correct the YAML' })), warnings: [] };
  }
  const value = source.value();
  if (!isMapping(value)) {
    return { problems: [{ file: source.path, ...source.positionOf(''), path: '(file)', message: `${value === null ? 'is empty, so it' : 'holds no mapping, so it'} is not a description file`, fix: 'write a mapping with split: (and kubernetes:, aws:, gcp:, azure:, compose:)' }], warnings: [] };
  }
  const sections = (['split', 'kubernetes', 'aws', 'gcp', 'azure', 'compose'] as const).filter((key) => value[key] !== undefined && !isMapping(value[key]));
  if (sections.length > 0) {
    const fix = (key: string) => (key === 'split' ? "write the split's description under it: name, namespace, image, store, datasets (docs/split-description.md)" : `write the ${key} section's keys under it (docs/cli.md), or leave it out`);
    return { problems: sections.map((key) => locate({ path: key, message: `${JSON.stringify(value[key])} is not a mapping`, fix: fix(key) })), warnings: [] };
  }
  const file = value as unknown as SplitFile;
  const findings = new Findings();
  const synthesized = checkSplit(describedSplit(file), findings.under('split'));
  const built = await buildSides(file, synthesized, source, sides.targets, sides.described);
  // The file's schema finds unknown keys at every depth, placed at the key: the description's own report of one is left out.
  const unknown = unknownKeys(value);
  const keyed = new Set(unknown.map(problemKey));
  const problems = [
    ...unknown.map((problem) => locate(problem, true)),
    ...distinct([...findings.problems, ...Object.values(built).flatMap((side) => side?.problems ?? []), ...(synthesized ? crossSectionProblems(file, synthesized, built) : [])]).filter((problem) => !keyed.has(problemKey(problem))).map((problem) => locate(problem)),
  ];
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  // A value refused must change anyway: a warning about the same value would only say it twice.
  const refusedPaths = new Set(problems.map((problem) => problem.path));
  const warnings = distinctWarnings([...findings.warnings, ...(built.k8s?.warnings ?? [])]).filter((warning) => !refusedPaths.has(warning.path)).map((warning) => ({ file: source.path, ...source.positionOf(warning.path), ...warning }));
  return { problems, warnings, checked: problems.length === 0 && synthesized ? { file, synthesized, built } : undefined };
}
