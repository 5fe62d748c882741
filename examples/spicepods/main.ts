/**
 * Renders every example split into `<outDir>/<split>/`: `writer.yaml` (the snapshot owner),
 * `writer-replica.yaml` (the other writer replicas), `reader.yaml`, `archiver.yaml` (writes the
 * daily archive) and `plan.json` (retention, sizing and warnings). Usage: tsx examples/spicepods/main.ts out/spicepods
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatWarning, spicepodToYaml, SplitValidationError, synthesizeSplit } from 'read-write-split';
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
    if (result.archiver) writeFileSync(join(dir, 'archiver.yaml'), spicepodToYaml(result.archiver.spicepod));
    const plan = { retention: result.retention, sizing: result.sizing, warnings: result.warnings };
    writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    for (const warning of result.warnings) console.warn(`[Warning at ${result.split.name}] ${formatWarning(warning)} [ack: ${warning.id}]`);
    console.log(`${dir}/: ${readdirSync(dir).join(', ')}`);
  }
}

try {
  main(process.argv[2] ?? 'out/spicepods');
} catch (error) {
  if (!(error instanceof SplitValidationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
