import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalog } from '../../examples/splits/catalog';
import { orders } from '../../examples/splits/orders';
import { renderReaderSpicepod, resolveSplit, spicepodToYaml } from '../../lib/core';
import { bin, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { expectValidCompose } from './compose-schema';

/** Runs the example script (what `synth:compose` is to run) into a fresh directory. */
let out: string;
let result: ReturnType<typeof run>;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'compose-'));
  result = run(bin('tsx'), ['examples/compose/synth.ts', out]);
}, 300_000);

describe('examples/compose/synth.ts', () => {
  it('writes a valid compose.yaml and its Spicepod for each laptop reader', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['catalog', 'orders']);
    for (const [spec, datasets] of [[orders, ['orders']], [catalog, ['products']]] as const) {
      const dir = join(out, spec.name);
      expect(readdirSync(dir).sort()).toEqual(['compose.yaml', 'spicepod.yaml']);
      const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8'));
      expectValidCompose(compose);
      const spicepod = readFileSync(join(dir, 'spicepod.yaml'), 'utf8');
      expectValidSpicepod(spicepod);
      expect(spicepod).toBe(spicepodToYaml(renderReaderSpicepod(resolveSplit(spec), { datasets: [...datasets] }).spicepod));
      expect(statSync(join(dir, 'spicepod.yaml')).mode & 0o004).toBe(0o004);
      expect(compose.configs['spice-reader-spicepod']).toEqual({ file: './spicepod.yaml' });
    }
  });
});
