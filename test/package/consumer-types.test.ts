import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Consumer, removeTempDirs, tempDir, typeCheckConsumer } from '../support/consumer-project';
import { ROOT } from '../support/run';

/** A tiny consumer of every subpath, type-checked against the compiled package as users install it. */
const CONSUMER = `
import { synthesizeSplit, type SplitSpec } from 'read-write-split';
import { ReadWriteSplitChart, type ReadWriteSplitChartProps } from 'read-write-split/k8s';
import { ReadWriteSplitAws, type ReadWriteSplitAwsProps } from 'read-write-split/aws';
import * as gcp from 'read-write-split/gcp';
import * as azure from 'read-write-split/azure';
import { readerCompose, type ReaderComposeOptions } from 'read-write-split/compose';

export type Props = [SplitSpec, ReadWriteSplitChartProps, ReadWriteSplitAwsProps, ReaderComposeOptions];
export const values = [synthesizeSplit, ReadWriteSplitChart, ReadWriteSplitAws, gcp, azure, readerCompose];

// The declarations were loaded, not an \`any\`: a number is no split description.
// @ts-expect-error
synthesizeSplit(42);
`;

afterAll(removeTempDirs);

/** Type-checks CONSUMER as index.ts. */
const typeCheck = (options: Omit<Consumer, 'files'>) => typeCheckConsumer({ ...options, files: { 'index.ts': CONSUMER } });

/** A copy of the package whose package.json went through `edit`, with the real dist/ beside it. */
function packageWith(edit: (manifest: Record<string, unknown>) => void): string {
  const dir = tempDir('package');
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'), 'junction');
  return dir;
}

const NODE10 = { module: 'commonjs' }; // no moduleResolution: TypeScript picks node10, as older CDK apps have it
const NODE16 = { module: 'node16', moduleResolution: 'node16' };

describe('a consumer project type-checks against the built package', { timeout: 120_000 }, () => {
  it('under node10 resolution ("module": "commonjs"), through typesVersions', () => {
    const result = typeCheck({ compilerOptions: NODE10 });
    expect(result.errors).toEqual([]);
    expect(result.status, result.output).toBe(0);
  });

  it('under node16 resolution from a CommonJS consumer, through exports', () => {
    const result = typeCheck({ compilerOptions: NODE16 });
    expect(result.errors).toEqual([]);
    expect(result.status, result.output).toBe(0);
  });

  it('under node16 resolution from an ES module consumer, through exports', () => {
    const result = typeCheck({ compilerOptions: NODE16, type: 'module' });
    expect(result.errors).toEqual([]);
    expect(result.status, result.output).toBe(0);
  });

  it('fails under node10 with TS2307 for every subpath (and only those) without typesVersions', () => {
    const packageDir = packageWith((manifest) => {
      expect(manifest.typesVersions).toBeDefined();
      delete manifest.typesVersions;
    });
    const result = typeCheck({ compilerOptions: NODE10, packageDir });
    expect(result.status).not.toBe(0);
    expect(result.errors.map((line) => line.replace(/^index\.ts\(\d+,\d+\): /, ''))).toEqual(
      ['k8s', 'aws', 'gcp', 'azure', 'compose'].map((subpath) =>
        `error TS2307: Cannot find module 'read-write-split/${subpath}' or its corresponding type declarations.`),
    );
  });
});
