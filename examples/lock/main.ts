/**
 * Writes the lock of every example split from its current description: run it after a deploy
 * (`npm run lock`) and commit the files, so that the next synth checks changes against what is
 * deployed. Usage: tsx examples/lock/main.ts [dir], by default examples/splits/locks.
 */
import { relative } from 'node:path';
import { ReadWriteSplitError, writeDescriptionLock } from 'read-write-split';
import { exampleSplits } from '../splits';
import { lockFile } from '../splits/upgrade';

function main(dir: string | undefined): void {
  for (const spec of exampleSplits) {
    const file = lockFile(spec.name, dir);
    writeDescriptionLock(file, spec);
    console.log(`${relative(process.cwd(), file)}: the lock of ${spec.name}`);
  }
}

try {
  main(process.argv[2]);
} catch (error) {
  if (!(error instanceof ReadWriteSplitError)) throw error;
  console.error(error.message);
  process.exit(1);
}
