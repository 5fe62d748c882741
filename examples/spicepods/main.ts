/**
 * Renders every example split into `<outDir>/<split>/`: `writer.yaml` (the snapshot owner),
 * `writer-replica.yaml` (the other writer replicas), `reader.yaml` and `plan.json` (retention,
 * sizing and warnings). Usage: tsx examples/spicepods/main.ts out/spicepods
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spicepodToYaml, SplitValidationError, synthesizeSplit } from 'read-write-split';
import { exampleSplits } from '../splits';

function main(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const spec of exampleSplits) {
    const result = synthesizeSplit(spec);
    const dir = join(outDir, result.split.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'writer.yaml'), spicepodToYaml(result.writer.snapshotOwner.spicepod));
    writeFileSync(join(dir, 'writer-replica.yaml'), spicepodToYaml(result.writer.queryReplica.spicepod));
    writeFileSync(join(dir, 'reader.yaml'), spicepodToYaml(result.reader.spicepod));
    const plan = { retention: result.retention, sizing: result.sizing, warnings: result.warnings };
    writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    for (const warning of result.warnings) console.warn(`[WARNING] ${result.split.name}: ${warning.path}: ${warning.message}`);
    console.log(`${dir}/{writer,writer-replica,reader}.yaml`);
  }
}

try {
  main(process.argv[2] ?? 'out/spicepods');
} catch (error) {
  if (!(error instanceof SplitValidationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
