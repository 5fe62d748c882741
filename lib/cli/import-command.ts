import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Document, isScalar } from 'yaml';
import { ReadWriteSplitError } from '../core/errors';
import { importSpicepod, SpicepodImport } from '../core/spicepod-import';
import { OutputFormat } from './report-problems';
import { SPLIT_FILE_SCHEMA_PATH } from './unknown-keys';
import { EXIT, UsageError } from './usage-error';
import { YamlSource } from './yaml-source';

export interface ImportOptions {
  readonly name?: string;
  /** @default - standard output */
  readonly out?: string;
  /**
   * Replace `out` when it exists (a description you may have edited since).
   *
   * @default false
   */
  readonly force?: boolean;
  readonly format: OutputFormat;
}

/** The description file of an import, pointing editors at the package's schema. */
function descriptionFile(imported: SpicepodImport, from: string, out: string | undefined): string {
  const schema = relative(out ? dirname(resolve(out)) : process.cwd(), SPLIT_FILE_SCHEMA_PATH).split('\\').join('/');
  const header = [
    `# yaml-language-server: $schema=${schema}`,
    `# Imported from ${from} by read-write-split import: check it, add kubernetes.writerIdentity, then run read-write-split validate.`,
  ];
  const document = new Document({ split: imported.description });
  for (const path of imported.placeholders) {
    const node = document.getIn(['split', ...path.split('.')], true);
    if (isScalar(node)) node.comment = ' placeholder, not from the Spicepod: set it before deploying';
  }
  return `${header.join('\n')}\n${document.toString({ lineWidth: 0 })}`;
}

/** What the user still has to do: Secrets to create, what could not be mapped and why. */
function notes(imported: SpicepodImport): string[] {
  const bySecret = new Map<string, string[]>();
  for (const secret of imported.secrets) bySecret.set(secret.secretName, [...(bySecret.get(secret.secretName) ?? []), `${secret.key} (${secret.from})`]);
  return [
    ...[...bySecret].map(([name, keys]) => `create Secret ${name} in the writers' namespace with keys: ${keys.join(', ')}`),
    'add kubernetes.writerIdentity: the writers\' cloud identity (read-write on the snapshot bucket) is no part of a Spicepod (docs/cli.md)',
    ...imported.unmapped.map((note) => `not mapped: ${note.path}: ${note.reason}`),
  ];
}

/**
 * `import SPICEPOD [--name N] [--out FILE]`: a single-tier Spicepod as a split description file
 * (accelerated datasets restored from snapshots, the rest delegated, secret references as
 * secretParams), and what could not be mapped, on standard error.
 */
export function importCommand(path: string, options: ImportOptions): number {
  const source = YamlSource.read(path);
  const syntax = source.syntaxProblems();
  if (syntax.length > 0) {
    for (const { position, message } of syntax) process.stderr.write(`${path}:${position.line}:${position.column} (file): ${message}; correct the YAML\n`);
    return EXIT.invalid;
  }
  let imported: SpicepodImport;
  try {
    imported = importSpicepod(source.value(), { name: options.name });
  } catch (error) {
    if (!(error instanceof ReadWriteSplitError)) throw error;
    const name = error.problems.find((problem) => problem.path === 'options.name');
    if (name) throw new UsageError(`--name: ${name.message}; ${name.fix}`);
    for (const problem of error.problems) process.stderr.write(`${path}: ${problem.path}: ${problem.message}; ${problem.fix}\n`);
    return EXIT.invalid;
  }
  if (options.force && !options.out) throw new UsageError('--force replaces the --out file: give --out too');
  // --out always gets the description file; the JSON report, asked for, goes to standard output.
  const file = descriptionFile(imported, path, options.out);
  if (options.out) {
    try {
      writeFileSync(options.out, file, { flag: options.force ? 'w' : 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${options.out} exists, and import never replaces a description you may have edited: write to another file, or pass --force to replace it`);
      throw new UsageError(`cannot write ${options.out}: ${code ?? (error as Error).message}`);
    }
  }
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(imported, null, 2)}\n`);
    return EXIT.valid;
  }
  if (!options.out) process.stdout.write(file);
  for (const line of notes(imported)) process.stderr.write(`${line}\n`);
  const { datasets } = imported.description;
  process.stderr.write(`${options.out ?? 'standard output'}: split ${imported.description.name}, ${datasets.length} dataset${datasets.length === 1 ? '' : 's'}`
    + ` (${datasets.filter((d) => d.readers === 'accelerated').length} restored from snapshots), ${imported.unmapped.length} note${imported.unmapped.length === 1 ? '' : 's'}\n`);
  return EXIT.valid;
}
