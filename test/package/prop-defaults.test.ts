import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run';

const SUBPATHS = ['index', 'k8s/index', 'aws/index', 'gcp/index', 'azure/index', 'compose/index'];

/** Exported types users read rather than write: their optional fields have no default to document. */
const NOT_WRITTEN_BY_USERS = new Set([
  // What the library returns.
  'SynthesizedSplit', 'TierSizing', 'SizingReport', 'BucketEstimate', 'BucketReport', 'SplitIdentities', 'SpiceVersion',
  'ResolvedSplit', 'ResolvedWriter', 'ResolvedReader', 'ResolvedDataset', 'ResolvedRefresh', 'ResolvedDatasetSnapshots',
  'ResolvedSnapshotStore', 'ResolvedSpiceImage', 'ResolvedSpiceCloud', 'ResolvedRetention',
  // Spice's Spicepod format and the Compose file format, as the library writes them.
  'Spicepod', 'SpicepodDataset', 'SpicepodAcceleration', 'SpicepodSnapshots', 'ComposeFile', 'ComposeMount', 'ComposePort',
]);

/**
 * Every optional property of the exported types users write that carries no `@default` tag, as
 * `Type.property (file)`; how many were checked; the names every subpath exports.
 */
function undocumentedDefaults(): { checked: number; missing: string[]; exported: Set<string> } {
  const dist = join(ROOT, 'dist');
  const entries = SUBPATHS.map((subpath) => join(dist, `${subpath}.d.ts`));
  const program = ts.createProgram(entries, { strict: true, skipLibCheck: true, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Declaration>();
  const missing: string[] = [];
  const exported = new Set<string>();
  for (const entry of entries) {
    for (const exportedSymbol of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!)) {
      const symbol = exportedSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exportedSymbol) : exportedSymbol;
      exported.add(symbol.name);
      if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) || NOT_WRITTEN_BY_USERS.has(symbol.name)) continue;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      for (const member of type.isUnion() ? type.types : [type]) {
        for (const property of checker.getPropertiesOfType(member)) {
          const declaration = property.declarations?.[0];
          if (!(property.flags & ts.SymbolFlags.Optional) || !declaration?.getSourceFile().fileName.startsWith(dist) || seen.has(declaration)) continue;
          seen.add(declaration);
          if (!ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'default')) {
            missing.push(`${symbol.name}.${property.name} (${relative(dist, declaration.getSourceFile().fileName)})`);
          }
        }
      }
    }
  }
  return { checked: seen.size, missing, exported };
}

describe('the built package documents its defaults', () => {
  it('gives every optional property users write a @default tag', () => {
    const { checked, missing, exported } = undocumentedDefaults();
    expect(checked).toBeGreaterThan(200);
    expect(missing).toEqual([]);
    // The list apart names exported types only: a renamed type leaves no stale entry behind.
    expect([...NOT_WRITTEN_BY_USERS].filter((name) => !exported.has(name))).toEqual([]);
  });
});
