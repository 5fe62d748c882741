import { SynthesizedSplit } from '../core';
import { quote, ReadWriteSplitError, ValidationProblem } from '../core/errors';
import { ReaderCompose, readerCompose } from '../compose/reader-compose';
import { ComposeReader, SplitFile } from './split-file';

/** A Compose reader of the file and the folder it is written to. */
export interface BuiltComposeReader {
  readonly name: string;
  readonly result: ReaderCompose;
}

/** The file's Compose readers, each made by `readerCompose`. */
export interface ComposeBuild {
  readonly readers: readonly BuiltComposeReader[];
  readonly problems: readonly ValidationProblem[];
}

/**
 * A folder name that is also the Compose project's name as Compose derives it from the folder
 * (it drops '.', so `my.app` and `myapp` would share containers and volumes).
 */
const FOLDER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const isObject = (value: unknown): value is ComposeReader => typeof value === 'object' && value !== null && !Array.isArray(value);

function nameProblems(readers: readonly ComposeReader[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  readers.forEach((reader, i) => {
    if (!isObject(reader)) {
      problems.push({ path: `compose.readers[${i}]`, message: `${quote(reader)} is not a reader`, fix: "write its name and options, e.g. { name: 'storefront', datasets: [...] }" });
      return;
    }
    const path = `compose.readers[${i}].name`;
    if (typeof reader.name !== 'string' || !FOLDER_NAME.test(reader.name)) {
      problems.push({ path, message: `${quote(reader.name)} is not a folder name`, fix: "use lowercase letters, digits, '_' and '-' (at most 63), e.g. the application's name" });
    } else if (seen.has(reader.name)) {
      problems.push({ path, message: `${quote(reader.name)} is the name of an earlier reader: both would be written to compose/${reader.name}/`, fix: 'give each reader a name of its own' });
    }
    seen.add(reader.name);
  });
  return problems;
}

/** `readerCompose`'s problems at the file's paths: the description's (`split.…`) stay, the options' go under the reader's entry. */
function problemsOf(error: unknown, at: string): ValidationProblem[] {
  if (!(error instanceof ReadWriteSplitError)) throw error;
  return error.problems.map((problem) => (problem.path === 'split' || problem.path.startsWith('split.') ? problem : { ...problem, path: `${at}.${problem.path}` }));
}

/**
 * Each reader of the file's `compose` section, made by `readerCompose` from the checked split
 * (undefined when the split has problems: those are reported, and no reader is made).
 */
export function buildCompose(file: SplitFile, synthesized: SynthesizedSplit | undefined): ComposeBuild {
  const section = file.compose;
  if (section === undefined) {
    return { readers: [], problems: [{ path: 'compose', message: 'is missing, but the compose target was asked for', fix: "add compose: { readers: [{ name: 'storefront', datasets: [...] }] } (docs/cli.md)" }] };
  }
  if (section.readers === undefined) {
    return { readers: [], problems: [{ path: 'compose.readers', message: 'is missing', fix: "list one reader or more, e.g. [{ name: 'storefront' }]" }] };
  }
  if (!Array.isArray(section.readers) || section.readers.length === 0) {
    return { readers: [], problems: [{ path: 'compose.readers', message: `${quote(section.readers)} is not a list of readers`, fix: "list one reader or more, e.g. [{ name: 'storefront' }]" }] };
  }
  const problems = nameProblems(section.readers);
  const readers: BuiltComposeReader[] = [];
  if (synthesized === undefined) return { readers, problems };
  section.readers.forEach((reader, i) => {
    if (!isObject(reader)) return;
    const { name, ...options } = reader;
    try {
      readers.push({ name, result: readerCompose(synthesized, options) });
    } catch (error) {
      problems.push(...problemsOf(error, `compose.readers[${i}]`));
    }
  });
  return { readers, problems };
}
