import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, bin, run } from '../support/run';

/**
 * Type-checks a tiny consumer project against the compiled package (dist/, built by `npm test`
 * first) the way users install it: `node_modules/read-write-split` holds package.json and dist/.
 */
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

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `read-write-split-${prefix}-`));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  // rmSync removes the symlinks themselves, never what they point at.
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Consumer {
  /** compilerOptions beside the common ones. */
  readonly compilerOptions: Record<string, string>;
  /** `"type"` of the consumer's package.json. */
  readonly type?: 'module';
  /** The directory installed as node_modules/read-write-split; the repository root by default. */
  readonly packageDir?: string;
}

/** Writes the consumer project to a temporary directory and type-checks it with the repository's tsc. */
function typeCheck(consumer: Consumer) {
  const dir = tempDir('consumer');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: consumer.type }));
  writeFileSync(join(dir, 'index.ts'), CONSUMER);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      types: [],
      noEmit: true,
      ...consumer.compilerOptions,
    },
    files: ['index.ts'],
  }));
  // node_modules: the package under test, and the frameworks it imports, as an install would have them.
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'read-write-split') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry), 'junction');
  }
  symlinkSync(consumer.packageDir ?? ROOT, join(modules, 'read-write-split'), 'junction');
  const result = run(bin('tsc'), ['--noEmit', '--pretty', 'false', '-p', '.'], { cwd: dir });
  return { ...result, errors: result.stdout.split('\n').filter((line) => / error TS\d+/.test(line)) };
}

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
