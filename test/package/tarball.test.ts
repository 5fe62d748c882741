import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from '../support/run';

/** What `npm pack` would publish, from the compiled dist/ (built by `npm test` first). */
const SUBPATHS = ['k8s', 'aws', 'gcp', 'azure', 'compose'];
/**
 * The schemas users read from the installed package: the description file's, the Helm values' and
 * the SpicepodSet's the docs check against, and the README that gives their sources.
 */
const SHIPPED_SCHEMAS = ['schemas/split-file.schema.json', 'schemas/spice-helm-values.schema.json', 'schemas/spicepodset-v2.schema.json', 'schemas/README.md'];

interface PackResult {
  files: { path: string; size: number }[];
  entryCount: number;
  unpackedSize: number;
}

function pack(): PackResult {
  // Packs the working tree without writing a tarball or running lifecycle scripts; no network.
  const result = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline']);
  expect(result.status, result.output).toBe(0);
  const [packed] = JSON.parse(result.stdout) as PackResult[];
  return packed;
}

describe('the published tarball', () => {
  let paths: string[];
  beforeAll(() => {
    paths = pack().files.map((file) => file.path);
  });

  it('ships only the compiled JavaScript, its declarations, the schemas the docs cite, the docs, the examples, package.json, README.md and LICENSE', () => {
    const shipped = ['package.json', 'README.md', 'LICENSE', ...SHIPPED_SCHEMAS];
    const allowed = (path: string) => shipped.includes(path) || /^dist\/.+\.js$/.test(path) || /^dist\/.+\.d\.ts$/.test(path) || /^docs\/[^/]+\.md$/.test(path)
      || /^examples\/.+\.(ts|yaml|json)$/.test(path);
    expect(paths.filter((path) => !allowed(path))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', ...SHIPPED_SCHEMAS]));
  });

  it('ships every document the README links to in docs/, and the command line example it links to', () => {
    const linked = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#]+\.md|examples\/cli\/[^)#]+\.yaml)/g)].map((match) => match[1]);
    expect(linked.length).toBeGreaterThan(5);
    expect(linked).toContain('examples/cli/orders.split.yaml');
    expect(paths).toEqual(expect.arrayContaining(linked));
    // Each example's application manifest ships with it: validate reads it.
    expect(paths).toContain('examples/cli/manifests/legacy-api.yaml');
  });

  it('ships every example file the docs link to or name, with the files each imports', () => {
    const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((file) => `docs/${file}`)];
    const named = docs.flatMap((doc) => {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      const links = [...text.matchAll(/\]\(([^)#\s]+)/g)].map((match) => posix.normalize(posix.join(posix.dirname(doc), match[1])));
      const quoted = [...text.matchAll(/`(examples\/[^`\s<>*]+\.(?:ts|yaml|json))`/g)].map((match) => match[1]);
      return [...links, ...quoted].filter((path) => path.startsWith('examples/'));
    });
    expect(named).toEqual(expect.arrayContaining(['examples/k8s/main.ts', 'examples/aws/app.ts', 'examples/gcp/index.ts', 'examples/azure/index.ts']));
    expect([...new Set(named)].filter((path) => !paths.some((shipped) => shipped === path || shipped.startsWith(`${path.replace(/\/$/, '')}/`)))).toEqual([]);
    const imported = paths.filter((path) => path.startsWith('examples/') && path.endsWith('.ts')).flatMap((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => posix.normalize(posix.join(posix.dirname(path), match[1])));
    });
    expect(imported.length).toBeGreaterThan(5);
    expect(imported.filter((path) => !paths.includes(`${path}.ts`) && !paths.includes(`${path}/index.ts`))).toEqual([]);
  });

  it('ships the entry point and declarations of the root and of every subpath', () => {
    const entries = ['dist/index.js', 'dist/index.d.ts', ...SUBPATHS.flatMap((subpath) => [`dist/${subpath}/index.js`, `dist/${subpath}/index.d.ts`])];
    expect(paths).toEqual(expect.arrayContaining(entries));
  });

  it('ships no source maps, no TypeScript sources but the examples, and none of the repository tooling', () => {
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(paths.filter((path) => /\.[cm]?tsx?$/.test(path) && !/\.d\.[cm]?ts$/.test(path) && !path.startsWith('examples/'))).toEqual([]);
    const tooling = ['.ci/', 'bench/', 'lib/', 'out/', 'schemas/', 'test/', 'test-results/', '.projen/'];
    const allowed = (path: string) => SHIPPED_SCHEMAS.includes(path);
    expect(paths.filter((path) => tooling.some((folder) => path.startsWith(folder)) && !allowed(path))).toEqual([]);
  });

  it('ships JavaScript without inline (or any) source maps', () => {
    const js = paths.filter((path) => path.endsWith('.js'));
    expect(js.length).toBeGreaterThan(SUBPATHS.length);
    const withMaps = js.filter((path) => readFileSync(join(ROOT, path), 'utf8').includes('sourceMappingURL='));
    expect(withMaps).toEqual([]);
  });

  it('ships every file that package.json points at', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const targets: string[] = [manifest.main, manifest.types];
    for (const target of Object.values(manifest.exports as Record<string, string | Record<string, string>>)) {
      targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
    }
    for (const mapped of Object.values(manifest.typesVersions['*'] as Record<string, string[]>)) targets.push(...mapped);
    targets.push(...Object.values(manifest.bin as Record<string, string>));
    expect(targets.map((target) => target.replace(/^\.\//, '')).filter((target) => !paths.includes(target))).toEqual([]);
  });

  it('maps every subpath export for node10 resolution in typesVersions, and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const exported = Object.keys(manifest.exports).filter((key) => !['.', './package.json', ...SHIPPED_SCHEMAS.map((schema) => `./${schema}`)].includes(key));
    expect(exported).toEqual(SUBPATHS.map((subpath) => `./${subpath}`));
    expect(manifest.typesVersions).toEqual({
      '*': Object.fromEntries(SUBPATHS.map((subpath) => [subpath, [manifest.exports[`./${subpath}`].types.replace(/^\.\//, '')]])),
    });
  });
});
