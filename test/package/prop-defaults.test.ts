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
 * Every optional property users write that carries no `@default` tag, as `Type.property (file)`:
 * of the exported types, and of the object types their properties hold (inline ones included);
 * how many were checked; the names every subpath exports.
 */
function undocumentedDefaults(): { checked: number; missing: string[]; exported: Set<string> } {
  const dist = join(ROOT, 'dist');
  const entries = SUBPATHS.map((subpath) => join(dist, `${subpath}.d.ts`));
  const program = ts.createProgram(entries, { strict: true, skipLibCheck: true, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const inDist = (declaration?: ts.Declaration) => declaration?.getSourceFile().fileName.startsWith(dist) ?? false;
  const seen = new Set<ts.Declaration>();
  const visited = new Set<ts.Type>();
  const missing: string[] = [];
  const exported = new Set<string>();

  const visit = (type: ts.Type, owner: string): void => {
    if (visited.has(type)) return;
    visited.add(type);
    if (type.isUnion() || type.isIntersection()) return type.types.forEach((member) => visit(member, owner));
    if (checker.isArrayType(type)) return visit(checker.getTypeArguments(type as ts.TypeReference)[0], owner);
    const named = type.aliasSymbol ?? type.getSymbol();
    // Classes are what users get (a construct passed as a prop), not what they write.
    if (!(type.flags & ts.TypeFlags.Object) || (named?.flags ?? 0) & ts.SymbolFlags.Class) return;
    if (NOT_WRITTEN_BY_USERS.has(named?.name ?? '') || !inDist(named?.declarations?.[0])) return;
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.declarations?.[0];
      if (!declaration || !inDist(declaration)) continue;
      if (property.flags & ts.SymbolFlags.Optional && !seen.has(declaration)) {
        seen.add(declaration);
        if (!ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'default')) {
          missing.push(`${owner}.${property.name} (${relative(dist, declaration.getSourceFile().fileName)})`);
        }
      }
      visit(checker.getNonNullableType(checker.getTypeOfSymbol(property)), `${owner}.${property.name}`);
    }
  };

  for (const entry of entries) {
    for (const exportedSymbol of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!)) {
      const symbol = exportedSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exportedSymbol) : exportedSymbol;
      exported.add(symbol.name);
      if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) && !NOT_WRITTEN_BY_USERS.has(symbol.name)) {
        visit(checker.getDeclaredTypeOfSymbol(symbol), symbol.name);
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
