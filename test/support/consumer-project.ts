import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, bin, run } from './run';

const dirs: string[] = [];

/** A temporary directory, removed by `removeTempDirs` (call it from `afterAll`). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `read-write-split-${prefix}-`));
  dirs.push(dir);
  return dir;
}

/** Removes the temporary directories; rmSync removes symlinks themselves, never what they point at. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A consumer project: its TypeScript files and how it is configured. */
export interface Consumer {
  /** Source files by name. */
  readonly files: Readonly<Record<string, string>>;
  /** compilerOptions beside the common ones. */
  readonly compilerOptions: Record<string, unknown>;
  /** `"type"` of the consumer's package.json. */
  readonly type?: 'module';
  /** The directory installed as node_modules/read-write-split; the repository root by default. */
  readonly packageDir?: string;
}

/**
 * Writes the consumer project to a temporary directory and type-checks it with the repository's
 * tsc against the compiled package (dist/, built by `npm test` first), installed the way users
 * install it: `node_modules/read-write-split` holds package.json and dist/, beside the frameworks.
 */
export function typeCheckConsumer(consumer: Consumer) {
  const dir = tempDir('consumer');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: consumer.type }));
  for (const [name, source] of Object.entries(consumer.files)) writeFileSync(join(dir, name), source);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: [], noEmit: true, ...consumer.compilerOptions },
    files: Object.keys(consumer.files),
  }));
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
