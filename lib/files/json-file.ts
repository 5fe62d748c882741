import { readFileSync } from 'node:fs';
import { ReadWriteSplitError } from '../core/errors';

// The library's files (description locks, Pulumi stack outputs) are read here: lib/core reads none.

/** What a JSON file is for, and how users write it: the errors of `readJsonFile` say so. */
export interface JsonFileKind {
  /** The error's subject, e.g. `Cannot read split identities`. */
  readonly subject: string;
  /** How to write the file when it is missing or cannot be read. */
  readonly missingFix: string;
  /** How to write it when it is not JSON. */
  readonly notJsonFix: string;
}

/**
 * Reads and parses a JSON file.
 *
 * @throws ReadWriteSplitError naming the file, what failed and how to write it
 */
export function readJsonFile(file: string, kind: JsonFileKind): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReadWriteSplitError(kind.subject, [{
      path: file,
      message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      fix: kind.missingFix,
    }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReadWriteSplitError(kind.subject, [{ path: file, message: `is not JSON (${(error as Error).message})`, fix: kind.notJsonFix }]);
  }
}
