import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/run';

/**
 * A Pulumi component can be offered to other languages only if its args map onto a Pulumi package
 * schema: scalars, enums of strings, arrays, maps and objects, each optionally `Input<T>` or
 * absent. This maps the built `.d.ts` of the args onto those schema types, as a consumer's compiler
 * reads them, and reports every union and callback that has no schema form.
 */
interface Mapped { readonly schema: Record<string, string>; readonly problems: string[] }

/**
 * Spicepod param values are strings, numbers or booleans, as in the Spicepod YAML: a schema writes
 * such a map value as `pulumi.json#/Any`, the one union allowed, by name.
 */
const ANY_SCALARS = new Set(['ParamValue']);

function mapArgs(file: string, typeName: string): Mapped {
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const symbol = checker.getExportsOfModule(module).find((exported) => exported.name === typeName)!;
  const schema: Record<string, string> = {};
  const problems: string[] = [];
  const walking = new Set<ts.Type>();

  const isPulumiWrapper = (type: ts.Type) => ['Promise', 'OutputInstance', 'Output'].includes(type.getSymbol()?.name ?? '');

  function map(type: ts.Type, path: string): string {
    if (type.aliasSymbol && ANY_SCALARS.has(type.aliasSymbol.name)) return 'any';
    if (type.flags & ts.TypeFlags.String) return 'string';
    if (type.flags & ts.TypeFlags.Number) return 'number';
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
    if (type.flags & ts.TypeFlags.StringLiteral) return 'enum';
    if (type.isUnion()) return mapUnion(type, path);
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      return `array<${map(checker.getTypeArguments(type as ts.TypeReference)[0], `${path}[]`)}>`;
    }
    if (type.getCallSignatures().length > 0) {
      problems.push(`${path}: a callback has no schema form`);
      return 'invalid';
    }
    const index = type.getStringIndexType();
    if (index) return `map<${map(index, `${path}{}`)}>`;
    if (type.flags & ts.TypeFlags.Object) return mapObject(type, path);
    problems.push(`${path}: ${checker.typeToString(type)} has no schema form`);
    return 'invalid';
  }

  function mapUnion(type: ts.UnionType, path: string): string {
    const members = type.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    const plain = members.filter((member) => !isPulumiWrapper(member));
    const input = plain.length < members.length ? 'input ' : '';
    if (plain.every((member) => member.flags & ts.TypeFlags.BooleanLiteral)) return `${input}boolean`;
    if (plain.every((member) => member.flags & ts.TypeFlags.StringLiteral)) return `${input}enum`;
    if (plain.length === 1) return `${input}${map(plain[0], path)}`;
    problems.push(`${path}: the union ${checker.typeToString(type)} has no schema form`);
    return 'invalid';
  }

  function mapObject(type: ts.Type, path: string): string {
    if (walking.has(type)) return 'object';
    walking.add(type);
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration ?? property.declarations![0];
      const propertyPath = path ? `${path}.${property.name}` : property.name;
      schema[propertyPath] = map(checker.getTypeOfSymbolAtLocation(property, declaration), propertyPath);
    }
    walking.delete(type);
    return 'object';
  }

  map(checker.getDeclaredTypeOfSymbol(symbol), '');
  return { schema, problems };
}

describe('component args that other languages can be offered', () => {
  it('ReadWriteSplitGcpArgs maps onto Pulumi schema types, with no union or callback', () => {
    const { schema, problems } = mapArgs(join(ROOT, 'dist', 'gcp', 'index.d.ts'), 'ReadWriteSplitGcpArgs');
    expect(problems).toEqual([]);
    expect(schema).toMatchObject({
      'split': 'object',
      'split.store': 'object',
      'split.store.cloud': 'enum',
      'split.store.bucket': 'string',
      'split.datasets': 'array<object>',
      'split.datasets[].params': 'map<any>',
      'split.datasets[].readers': 'enum',
      'split.retention.dailyArchive': 'string',
      'split.upgradeFrom.lock.lockVersion': 'number',
      'split.upgradeFrom.lock.store.cloud': 'enum',
      'split.upgradeFrom.lock.datasets': 'array<object>',
      'split.upgradeFrom.lock.datasets[].engine': 'enum',
      'split.upgradeFrom.allow': 'array<object>',
      'split.upgradeFrom.allow[].change': 'enum',
      'split.upgradeFrom.allow[].dataset': 'string',
      'cluster.projectNumber': 'input string',
      'subnetwork.name': 'input string',
      'readerServiceAccounts': 'array<object>',
      'impersonateServiceAccounts': 'boolean',
    });
  });

  it('ReadWriteSplitAzureArgs maps onto Pulumi schema types, with no union or callback', () => {
    const { schema, problems } = mapArgs(join(ROOT, 'dist', 'azure', 'index.d.ts'), 'ReadWriteSplitAzureArgs');
    expect(problems).toEqual([]);
    expect(schema).toMatchObject({
      'split.store.account': 'string',
      'resourceGroupName': 'input string',
      'cluster.location': 'string',
      'cluster.oidcIssuerUrl': 'input string',
      'privateEndpoint.subnetId': 'input string',
      'nodeIdentity.principalId': 'input string',
      'accountSku': 'string',
    });
  });

  it('reports the unions and callbacks that a schema cannot carry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-args-'));
    const file = join(dir, 'index.d.ts');
    writeFileSync(file, [
      'export interface Bad {',
      '  readonly store: { cloud: "aws"; bucket: string } | { cloud: "azure"; account: string };',
      '  readonly size?: string | number;',
      '  readonly onReady?: (name: string) => void;',
      '  readonly fine?: readonly string[];',
      '}',
    ].join('\n'));
    const { problems } = mapArgs(file, 'Bad');
    expect(problems).toEqual([
      expect.stringMatching(/^store: the union .* has no schema form$/),
      expect.stringMatching(/^size: the union string \| number \| undefined has no schema form$/),
      'onReady: a callback has no schema form',
    ]);
  });
});
