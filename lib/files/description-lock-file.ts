import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescriptionLock, parseDescriptionLock, REPAIR_LOCK } from '../core/description-lock';
import { ReadWriteSplitError } from '../core/errors';
import { SplitSpec } from '../core/split';
import { lockDescription } from '../core/synthesize';
import { readJsonFile } from './json-file';

const WRITE_IT = 'write it from the last deployed description with writeDescriptionLock(file, spec) and commit it (a split not deployed yet has no lock: leave upgradeFrom out until its first deploy)';

/**
 * Reads a committed description lock, for `SplitSpec.upgradeFrom.lock`. Resolve `file` from the
 * module that reads it (e.g. `join(__dirname, 'orders.lock.json')`), so that it is found whatever
 * the working directory of the tool that runs the program.
 *
 * @throws ReadWriteSplitError when the file is missing, is not JSON or holds no valid lock, naming the file and the field
 */
export function readDescriptionLock(file: string): DescriptionLock {
  const json = readJsonFile(file, { subject: 'Cannot read description lock', missingFix: WRITE_IT, notJsonFix: REPAIR_LOCK });
  return parseDescriptionLock(json, file);
}

/**
 * Writes the lock of a description (checked first, against its own `upgradeFrom` too) as JSON:
 * run it after a deploy, and commit the file. Creates the file's folder when it is missing.
 *
 * @returns the lock written
 * @throws SplitValidationError when the description has a problem; ReadWriteSplitError when the file cannot be written
 */
export function writeDescriptionLock(file: string, spec: SplitSpec): DescriptionLock {
  const lock = lockDescription(spec);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  } catch (error) {
    throw new ReadWriteSplitError('Cannot write description lock', [{
      path: file,
      message: `cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      fix: 'write it to a path you may write to',
    }]);
  }
  return lock;
}
