import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { composeYaml, readerCompose } from '../../lib/compose';
import { synthesizeSplit } from '../../lib/core';
import { expectValidCompose } from '../compose/compose-schema';
import { CLI, cli } from '../support/cli';
import { ROOT, run } from '../support/run';
import { expectValidSpicepod } from '../support/spicepod-schema';

const CATALOG = join('examples', 'cli', 'catalog.split.yaml');
const catalogFile = () => parse(readFileSync(join(ROOT, CATALOG), 'utf8'));

/** Writes a description file into a fresh directory; returns its path. */
function described(file: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rws-cli-compose-')), 'catalog.split.yaml');
  writeFileSync(path, stringify(file));
  return path;
}

describe('read-write-split synth --target compose', () => {
  let out: string;
  let result: ReturnType<typeof cli>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'rws-cli-compose-out-'));
    result = cli('synth', CATALOG, '--out', out, '--target', 'compose');
  });

  it('writes each reader of the file into a folder of its own: what readerCompose gives for the same description', () => {
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toBe(`compose: ${out}/compose/ storefront/compose.yaml, storefront/spicepod.yaml (docker compose up -d in each folder; its header says what to export first)\n`);
    const dir = join(out, 'compose', 'storefront');
    expect(readdirSync(dir).sort()).toEqual(['compose.yaml', 'spicepod.yaml']);
    const { split, compose } = catalogFile();
    const { name, ...options } = compose.readers[0];
    expect(name).toBe('storefront');
    const expected = readerCompose(synthesizeSplit(split), options);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(composeYaml(expected));
    expect(readFileSync(join(dir, 'spicepod.yaml'), 'utf8')).toBe(expected.files['spicepod.yaml']);
  });

  it('writes a valid Compose file whose reader dials the writers\' external endpoint, on 127.0.0.1 only, with no source credential', () => {
    const text = readFileSync(join(out, 'compose', 'storefront', 'compose.yaml'), 'utf8');
    const compose = parse(text);
    expectValidCompose(compose);
    const reader = compose.services['spice-reader'];
    expect(reader.ports.map((port: { host_ip: string }) => port.host_ip)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(Object.keys(reader.environment).sort()).toEqual(['GOOGLE_APPLICATION_CREDENTIALS', 'HOME', 'SPICE_CLUSTER_API_KEY']);
    const spicepod = readFileSync(join(out, 'compose', 'storefront', 'spicepod.yaml'), 'utf8');
    expectValidSpicepod(spicepod);
    expect(parse(spicepod).datasets.find((d: { name: string }) => d.name === 'reviews').from).toBe('spice.ai:reviews');
    expect(spicepod).toContain('spiceai_endpoint: http://catalog-flight.internal.acme.example:50051');
    expect(spicepod).not.toMatch(/svc\.cluster\.local|mysql_pass|s3_secret/);
    expect(text).toContain('# It is plaintext: the API key below crosses that network unencrypted');
  });

  it('writes the files readable by spiced (uid 65534) whatever the umask', () => {
    const strict = mkdtempSync(join(tmpdir(), 'rws-cli-compose-umask-'));
    const synth = run('sh', ['-c', `umask 077 && "${process.execPath}" "${CLI}" synth "${CATALOG}" --out "${strict}" --target compose`], { cwd: ROOT });
    expect(synth.status, synth.output).toBe(0);
    for (const file of ['compose.yaml', 'spicepod.yaml']) expect(statSync(join(strict, 'compose', 'storefront', file)).mode & 0o777).toBe(0o644);
  });
});

describe('read-write-split validate, on a file with Compose readers', () => {
  it('reports every reader\'s problems at once, each at its line, and the split\'s at the split\'s', () => {
    const file = catalogFile();
    file.compose.readers = [
      { name: 'storefront', app: { image: 'ghcr.io/acme/storefront:1.4.2', ports: ['0.0.0.0:8080:8080'] } },
      { name: 'storefront', datasets: ['nope'], helperImage: 'busybox:latest' },
      { name: 'Bad/Name', datasets: ['products'] },
    ];
    const path = described(file);
    const result = cli('validate', path);
    expect(result.status).toBe(1);
    const problems = result.stderr.trimEnd().split('\n').map((line) => line.replace(`${path}:`, ''));
    expect(problems.pop()).toBe(' 5 problems');
    expect(problems.map((line) => line.replace(/^\d+:\d+ /, '').split(':')[0])).toEqual([
      'compose.readers[0].app.ports[0]',
      'compose.readers[1].name',
      'compose.readers[1].datasets[0]',
      'compose.readers[1].helperImage',
      'compose.readers[2].name',
    ]);
    expect(problems[1]).toMatch(/^\d+:\d+ compose\.readers\[1\]\.name: "storefront" is the name of an earlier reader: both would be written to compose\/storefront\/; give each reader a name of its own$/);
    // The reader delegates reviews: without the split's external endpoint that is the split's problem, at its place.
    file.split.writer = undefined;
    file.compose.readers = [{ name: 'storefront' }];
    const delegating = cli('validate', described(file));
    expect(delegating.stderr).toMatch(/:\d+:\d+ split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address "http:\/\/catalog-writer\.storefront\.svc\.cluster\.local:50051", which a reader on Docker Compose cannot resolve/);
  });

  it('asks for the section when --target compose is given without it, and refuses an empty list', () => {
    const file = catalogFile();
    const { compose: _, ...rest } = file;
    const missing = cli('validate', described(rest), '--target', 'compose');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("compose: is missing, but the compose target was asked for; add compose: { readers: [{ name: 'storefront', datasets: [...] }] } (docs/cli.md)");
    const empty = cli('validate', described({ ...rest, compose: { readers: [] } }));
    expect(empty.stderr).toContain('compose.readers: [] is not a list of readers');
    expect(cli('validate', described({ ...rest, compose: {} })).stderr).toContain('compose.readers: is missing; list one reader or more');
  });

  it('reports an entry that is no reader, and datasets that are no list, instead of failing', () => {
    const { compose: _, ...rest } = catalogFile();
    const result = cli('validate', described({ ...rest, compose: { readers: [null, { name: 'laptop', datasets: 'products' }] } }));
    expect(result.status, result.output).toBe(1);
    expect(result.stderr).toMatch(/:\d+:\d+ compose\.readers\[0\]: null is not a reader; /);
    expect(result.stderr).toMatch(/:\d+:\d+ compose\.readers\[1\]\.datasets: "products" is not a list of dataset names; list them, e\.g\. \['products'\]/);
    expect(result.output).not.toMatch(/internal error|TypeError/);
  });
});
