import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSplitIdentities, ReadWriteSplitError } from '../../lib';
import { Chart, Testing } from 'cdk8s';
import { ReadWriteSplitChart, readSplitIdentities } from '../../lib/k8s';
import { telemetry } from '../../examples/splits/telemetry';
import { MOCK_TENANT } from '../../examples/azure/mock-cloud';
import { componentProblems, thrown } from '../support/errors';

const WRITER = { type: 'azure-workload-identity', clientId: '85912b4d-b3fd-4193-8d9e-72bc37fcb6c8', tenantId: MOCK_TENANT } as const;
const READER = { type: 'azure-workload-identity', clientId: '13ced50c-3db9-4d2b-8333-c13aec64a8bb', tenantId: MOCK_TENANT } as const;
/** What `pulumi stack output --json` prints for the Azure example. */
const STACK_OUTPUTS = { accountName: 'acmetelemetry', telemetryIdentities: { writer: WRITER, reader: READER } };

const problems = (attempt: () => unknown) => thrown(attempt, ReadWriteSplitError).problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`);

describe('parseSplitIdentities', () => {
  it('reads the identities of one output of a whole stack-output document', () => {
    expect(parseSplitIdentities(STACK_OUTPUTS, 'outputs.json', 'telemetryIdentities')).toEqual({ writer: WRITER, reader: READER });
  });

  it('reads one output value without a key, and a tier left out as absent', () => {
    expect(parseSplitIdentities({ writer: WRITER, reader: READER }, 'identities.json')).toEqual({ writer: WRITER, reader: READER });
    expect(parseSplitIdentities({ writer: WRITER }, 'identities.json')).toEqual({ writer: WRITER, reader: undefined });
    expect(parseSplitIdentities({}, 'identities.json')).toEqual({ writer: undefined, reader: undefined });
  });

  it('names the outputs there are when the key is missing, and how to export it', () => {
    expect(problems(() => parseSplitIdentities(STACK_OUTPUTS, 'outputs.json', 'shopIdentities'))).toEqual([
      "outputs.json.shopIdentities: is not a stack output (outputs: 'accountName', 'telemetryIdentities'); export the component's identities from the Pulumi program, e.g. `export const shopIdentities = split.identities`, and write the file again",
    ]);
    expect(problems(() => parseSplitIdentities([], 'outputs.json', 'telemetryIdentities'))).toEqual([
      expect.stringMatching(/^outputs\.json: \[\] is not the JSON of `pulumi stack output --json`; write the file with `pulumi stack output --json > <file>`/),
    ]);
  });

  it('refuses a client id that is not a GUID, with the path to it', () => {
    const document = { telemetryIdentities: { writer: { ...WRITER, clientId: 'telemetry-spice-writer' }, reader: { ...READER, tenantId: 'acme' } } };
    const error = thrown(() => parseSplitIdentities(document, 'outputs.json', 'telemetryIdentities'), ReadWriteSplitError);
    expect(error.problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`)).toEqual([
      'outputs.json.telemetryIdentities.writer.clientId: "telemetry-spice-writer" is not a managed identity client id; use the GUID of the user-assigned identity (its clientId)',
      'outputs.json.telemetryIdentities.reader.tenantId: "acme" is not a tenant id; use the GUID of the Entra tenant, or leave it out for the cluster default',
    ]);
    expect(error.message).toMatch(/^Invalid split identities \(2 problems\):/);
  });

  it('refuses what is no identities, and keys that are no tier', () => {
    expect(problems(() => parseSplitIdentities('abc', 'identities.json'))).toEqual([
      expect.stringMatching(/^identities\.json\S*: "abc" is not \{ writer, reader \} identities; export the component's `identities` output/),
    ]);
    expect(problems(() => parseSplitIdentities({ writer: WRITER, readers: READER }, 'identities.json'))).toEqual([
      expect.stringMatching(/^identities\.json\.readers: is not a tier; keep only 'writer' and 'reader'/),
    ]);
    expect(problems(() => parseSplitIdentities({ writer: { type: 'azure-identity', clientId: WRITER.clientId } }, 'identities.json'))).toEqual([
      expect.stringMatching(/^identities\.json\.writer\.type: "azure-identity" is not an identity type/),
    ]);
  });
});

describe('readSplitIdentities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rws-identities-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads the file `pulumi stack output --json` wrote', () => {
    const path = file('outputs.json', `${JSON.stringify(STACK_OUTPUTS, null, 2)}\n`);
    expect(readSplitIdentities(path, 'telemetryIdentities')).toEqual({ writer: WRITER, reader: READER });
    const single = file('telemetry.json', JSON.stringify(STACK_OUTPUTS.telemetryIdentities));
    expect(readSplitIdentities(single)).toEqual({ writer: WRITER, reader: READER });
  });

  it('names the file in the path of a problem inside it', () => {
    const path = file('bad-client.json', JSON.stringify({ telemetryIdentities: { writer: { ...WRITER, clientId: '' } } }));
    expect(problems(() => readSplitIdentities(path, 'telemetryIdentities'))).toEqual([
      expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.telemetryIdentities\\.writer\\.clientId: "" is not a managed identity client id`)),
    ]);
  });

  it('says how to write a missing file', () => {
    const path = join(dir, 'missing.json');
    const error = thrown(() => readSplitIdentities(path, 'telemetryIdentities'), ReadWriteSplitError);
    expect(error.problems).toEqual([{ path, message: 'cannot be read (ENOENT)', fix: 'write it from the stack that created the identities: `pulumi stack output --json > <file>`' }]);
    expect(error.message).toMatch(/^Cannot read split identities \(1 problem\):/);
  });

  it('says how to write a file that is not JSON (pulumi stack output without --json)', () => {
    const path = file('plain.txt', 'Current stack outputs (2):\n    OUTPUT  VALUE\n');
    const [problem] = thrown(() => readSplitIdentities(path, 'telemetryIdentities'), ReadWriteSplitError).problems;
    expect(problem.path).toBe(path);
    expect(problem.message).toMatch(/^is not JSON \(.+\)$/);
    expect(problem.fix).toBe('write it with `pulumi stack output --json > <file>` (the --json flag matters)');
  });
});

describe('identities read from a stack output remember their tier', () => {
  it("refuse the readers' identity given to the writers, and the writers' to a reader: a client id says nothing of its tier", () => {
    const ids = parseSplitIdentities(STACK_OUTPUTS, 'outputs.json', 'telemetryIdentities');
    expect(componentProblems(() => new ReadWriteSplitChart(Testing.app(), 'telemetry', { split: telemetry, writerIdentity: ids.reader }), 'telemetry')).toEqual([
      "props.writerIdentity: is the identity read as identities.reader (read-only, trusted by the readers' ServiceAccount only): the writers would get no access; give the writers identities.writer",
    ]);
    const app = Testing.app();
    const split = new ReadWriteSplitChart(app, 'telemetry', { split: telemetry, writerIdentity: ids.writer });
    const web = new Chart(app, 'web', { namespace: 'telemetry' });
    expect(componentProblems(() => split.readerSidecar(web, 'reader', { identity: ids.writer }), 'web/reader')).toEqual([
      "props.identity: is the identity read as identities.writer (read-write, trusted by the writers' ServiceAccount only): the readers would get no access, or read-write if it trusted them; give the readers identities.reader",
    ]);
    expect(() => split.readerSidecar(web, 'right', { identity: ids.reader })).not.toThrow();
    // The same values written by hand carry no tier: nothing to go by but the other tier's identity.
    expect(() => new ReadWriteSplitChart(Testing.app(), 'telemetry', { split: telemetry, writerIdentity: { ...READER } })).not.toThrow();
  });
});
