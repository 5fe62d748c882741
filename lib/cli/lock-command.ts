import { writeFileSync } from 'node:fs';
import { ReadWriteSplitError } from '../core/errors';
import { lockDescription } from '../core/synthesize';
import { checkFile, defaultTargets } from './check-file';
import { OutputFormat, printCheck } from './report-problems';
import { describedSplit, SplitFile } from './split-file';
import { EXIT, UsageError } from './usage-error';
import { YamlSource } from './yaml-source';

/** Where a description file holds the lock of its deployed split. */
const LOCK_PATH = ['split', 'upgradeFrom', 'lock'];

/**
 * `lock FILE`: after a deploy, writes the lock of the file's split into the file itself
 * (`split.upgradeFrom.lock`), so that the next `validate` and `synth` compare the description with
 * what is deployed. The description must be valid, against its previous lock too (its allowances
 * included: they are kept, to be removed in the same commit). With `stdout`, the lock is printed
 * as JSON instead, and the file is left as it is.
 */
export async function lockCommand(path: string, options: { readonly format: OutputFormat; readonly stdout?: boolean }): Promise<number> {
  const source = YamlSource.read(path);
  const check = await checkFile(source, { targets: defaultTargets(source.value()), described: true });
  if (check.problems.length > 0) {
    printCheck(path, check.problems, check.warnings, options.format);
    return EXIT.invalid;
  }
  const file = source.value() as SplitFile;
  let lock: ReturnType<typeof lockDescription>;
  try {
    lock = lockDescription(describedSplit(file));
  } catch (error) {
    if (!(error instanceof ReadWriteSplitError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${path}: split: ${problem.message}; ${problem.fix}\n`);
    return EXIT.invalid;
  }
  if (options.stdout) {
    process.stdout.write(`${JSON.stringify(lock, null, 2)}\n`);
    return EXIT.valid;
  }
  source.document.setIn(LOCK_PATH, lock);
  try {
    writeFileSync(path, source.document.toString({ lineWidth: 0 }));
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const allowances = file.split?.upgradeFrom?.allow?.length ?? 0;
  process.stderr.write(`${path}: wrote the lock of split ${lock.name} (${lock.datasets.length} datasets) at split.upgradeFrom.lock`
    + `${allowances > 0 ? `; remove the ${allowances} allowance${allowances === 1 ? '' : 's'} of split.upgradeFrom.allow in the same commit` : ''}\n`);
  return EXIT.valid;
}
