import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleSplits } from '../../examples/splits';
import { lockFile } from '../../examples/splits/upgrade';
import { lockDescription } from '../../lib/core';
import { bin, run } from '../support/run';

const committed = join(__dirname, '..', '..', 'examples', 'splits', 'locks');

/** Runs the script of `npm run lock` into a fresh directory, leaving the committed locks alone. */
let out: string;
let result: ReturnType<typeof run>;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-locks-'));
  result = run(bin('tsx'), ['examples/lock/main.ts', out]);
});

describe('the committed locks of the example splits', () => {
  it('are one per example split', () => {
    expect(readdirSync(committed).sort()).toEqual(exampleSplits.map((spec) => `${spec.name}.lock.json`).sort());
  });

  it.each(exampleSplits.map((spec) => [spec.name, spec] as const))('%s: its description is checked against its own lock on every synth', (_, spec) => {
    expect(spec.upgradeFrom?.lock).toEqual(lockDescription(spec));
  });

  it('are what `npm run lock` writes from the current descriptions, byte for byte: run it after changing one', () => {
    expect(result.status, result.output).toBe(0);
    for (const spec of exampleSplits) {
      expect(readFileSync(lockFile(spec.name, out), 'utf8'), `${spec.name}.lock.json is out of date: run npm run lock`).toBe(readFileSync(lockFile(spec.name), 'utf8'));
    }
  });
});
