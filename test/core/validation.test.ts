import { describe, expect, it } from 'vitest';
import { DatasetSpec, lockDescription, resolveSplit, SplitSpec, SplitValidationError, validateSplit } from '../../lib/core';
import { ENTERPRISE_FILE_FORMAT } from '../support/spice-images';
import { awsSplit, ENTERPRISE_2, problemAt, validationError } from '../support/splits';

const orders: DatasetSpec = { name: 'orders', from: 's3://lake/orders/' };

function withDataset(dataset: Partial<DatasetSpec>, extra: Partial<SplitSpec> = {}): SplitSpec {
  return awsSplit({ datasets: [{ ...orders, ...dataset } as DatasetSpec], ...extra });
}

/** [what is wrong, the description, the path it is reported at, what the message says, what the fix says] */
const cases: [string, unknown, string, RegExp, RegExp][] = [
  ['split that is not an object', 'shop', '(split)', /not a split description/, /name, store and datasets/],
  ['split name', awsSplit({ name: 'Shop_1' }), 'name', /"Shop_1" is not a split name/, /DNS label/],
  ['namespace', awsSplit({ namespace: 'Team A' }), 'namespace', /"Team A"/, /lowercase/],
  ['edition', awsSplit({ image: { edition: 'pro' as never } }), 'image.edition', /"pro" is not an edition/, /'oss' or 'enterprise'/],
  ['Enterprise without repository', awsSplit({ image: { edition: 'enterprise', tag: '2.0.1' } }), 'image.repository', /required for the Enterprise/, /Enterprise image repository/],
  ['Enterprise without tag', awsSplit({ image: { edition: 'enterprise', repository: 'r' } }), 'image.tag', /required for the Enterprise/, /pin a tag/],
  ['floating tag', awsSplit({ image: { tag: 'latest-models' } }), 'image.tag', /"latest-models" is a floating tag/, /pin a release tag/],
  ['tag without version', awsSplit({ image: { tag: 'my-build' } }), 'image.tag', /does not start with a Spice version/, /image.version/],
  ['version before snapshots', awsSplit({ image: { tag: '1.7.2' } }), 'image.tag', /predates acceleration snapshots/, /1.8.0 or later/],
  ['OSS 2.x without the snapshots feature', awsSplit({ image: { tag: '2.0.1' } }), 'image.edition', /built without acceleration snapshots.*silently/, /snapshotsFeature: true/],
  ['missing store', awsSplit({ store: undefined as never }), 'store', /is required/, /cloud: 'aws'/],
  ['unknown cloud', awsSplit({ store: { cloud: 'ibm', bucket: 'b', region: 'r' } as never }), 'store.cloud', /"ibm"/, /'aws', 'gcp' or 'azure'/],
  ['S3 bucket name', awsSplit({ store: { cloud: 'aws', bucket: 'My_Bucket', region: 'eu-west-1' } }), 'store.bucket', /"My_Bucket" is not an S3 bucket name/, /3-63 lowercase/],
  ['GCS bucket name', awsSplit({ store: { cloud: 'gcp', bucket: 'x', region: 'europe-west4' } }), 'store.bucket', /not a GCS bucket name/, /3-63/],
  ['Azure account', awsSplit({ store: { cloud: 'azure', account: 'Shop-Snaps', container: 'snaps', region: 'westeurope' } }), 'store.account', /"Shop-Snaps"/, /3-24 lowercase/],
  ['Azure container', awsSplit({ store: { cloud: 'azure', account: 'shopsnaps', container: 'a--b', region: 'westeurope' } }), 'store.container', /"a--b"/, /single '-'/],
  ['Azure store given a bucket', awsSplit({ store: { cloud: 'azure', account: 'shopsnaps', container: 'snaps', bucket: 'snaps', region: 'westeurope' } }), 'store.bucket', /not used by an Azure store/, /named by 'account' and 'container'/],
  ['S3 store given a container', awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots', container: 'snaps', region: 'eu-west-1' } }), 'store.container', /not used by an AWS store/, /named by 'bucket'/],
  ['GCS store without a bucket', awsSplit({ store: { cloud: 'gcp', region: 'europe-west4' } }), 'store.bucket', /undefined is not a GCS bucket name/, /3-63/],
  ['region', awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots', region: 'europe' } }), 'store.region', /"europe" is not an AWS region/, /eu-west-1/],
  ['prefix with a wildcard', awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots', region: 'eu-west-1', prefix: 'spice/*' } }), 'store.prefix', /literal: no wildcards/, /'spice\/orders'/],
  ['prefix with a trailing slash', awsSplit({ store: { cloud: 'aws', bucket: 'shop-snapshots', region: 'eu-west-1', prefix: 'spice/' } }), 'store.prefix', /no leading or trailing/, /between folders/],
  ['no datasets', awsSplit({ datasets: [] }), 'datasets', /is empty/, /at least one dataset/],
  ['dataset name', withDataset({ name: 'Orders!' }), 'datasets[0].name', /"Orders!" is not a dataset name/, /use lowercase letters, digits and _/],
  ['duplicate dataset name', awsSplit({ datasets: [orders, { ...orders, from: 's3://lake/o2/' }] }), 'datasets[1].name', /already the name of datasets\[0\]/, /its own name/],
  ['source', withDataset({ from: 'lake/orders' }), 'datasets[0].from', /"lake\/orders" is not a source/, /<connector>:<path>/],
  ['placement', withDataset({ readers: 'cached' as never }), 'datasets[0].readers', /"cached"/, /'accelerated', 'delegated' or 'writer-only'/],
  ['engine', withDataset({ engine: 'velox' as never }), 'datasets[0].engine', /"velox" is not an engine/, /'duckdb', 'sqlite' or 'turso'/],
  ['Cayenne engine', withDataset({ engine: 'cayenne' as never }), 'datasets[0].engine', /"cayenne" is not rendered by this library: .*data directory/, /'arrow'/],
  ['Postgres engine', withDataset({ engine: 'postgres' as never, readers: 'writer-only' }), 'datasets[0].engine', /external Postgres that needs its own credentials/, /'duckdb'/],
  ['in-memory engine for readers', withDataset({ engine: 'arrow' }), 'datasets[0].engine', /cannot be snapshotted/, /'delegated'/],
  ['refresh mode', withDataset({ refresh: { mode: 'incremental' as never } }), 'datasets[0].refresh.mode', /"incremental"/, /'full', 'append'/],
  ['refresh interval', withDataset({ refresh: { checkInterval: 'often' } }), 'datasets[0].refresh.checkInterval', /"often" is not a duration/, /'10m'/],
  ['interval and cron', withDataset({ refresh: { checkInterval: '5m', cron: '0 * * * *' } }), 'datasets[0].refresh.cron', /together with refresh.checkInterval/, /only one/],
  ['data window without time column', withDataset({ refresh: { dataWindow: '7d' } }), 'datasets[0].refresh.dataWindow', /needs a time column/, /timeColumn/],
  ['trigger for caching', withDataset({ refresh: { mode: 'caching' }, snapshots: { trigger: 'refresh_complete' } }), 'datasets[0].snapshots.trigger', /does not work with refresh mode "caching"/, /'time_interval'/],
  ['threshold with refresh_complete', withDataset({ snapshots: { threshold: '5m' } }), 'datasets[0].snapshots.threshold', /no effect with trigger 'refresh_complete'/, /time_interval/],
  ['threshold that is no duration', withDataset({ snapshots: { trigger: 'time_interval', threshold: 'hourly' } }), 'datasets[0].snapshots.threshold', /"hourly" is not a duration/, /'30m'/],
  ['compaction for SQLite', withDataset({ engine: 'sqlite', snapshots: { compaction: true } }), 'datasets[0].snapshots.compaction', /only with DuckDB, not "sqlite"/, /duckdb engine/],
  ['creation policy', withDataset({ snapshots: { creationPolicy: 'never' as never } }), 'datasets[0].snapshots.creationPolicy', /"never"/, /'on_change' or 'always'/],
  ['credential in params', withDataset({ params: { s3_secret: 'abc' } }), 'datasets[0].params.s3_secret', /credential and would reach every reader/, /datasets\[0\].secretParams.s3_secret/],
  ['secret placeholder in params', withDataset({ params: { endpoint_auth: '${secrets:X}' } }), 'datasets[0].params.endpoint_auth', /credential/, /secretParams/],
  ['credential in engine params', withDataset({ engineParams: { pg_pass: 'x' } }), 'datasets[0].engineParams.pg_pass', /credential/, /cannot hold credentials/],
  ['param that is not a scalar', withDataset({ params: { file_format: ['parquet'] as never } }), 'datasets[0].params.file_format', /not a param value/, /string, number or boolean/],
  ['secret reference', withDataset({ secretParams: { s3_secret: { secretName: 'Lake Keys', key: 'k' } } }), 'datasets[0].secretParams.s3_secret.secretName', /"Lake Keys"/, /lowercase/],
  ['expected size', withDataset({ expectedSize: 'big' }), 'datasets[0].expectedSize', /"big" is not a size/, /'4Gi'/],
  ['database source on a 1.x reader', withDataset({ from: 'postgres:public.orders' }), 'datasets[0].from', /an OSS 1.11.5 reader with an AWS store builds the "postgres" connector.*never becomes ready/, /'datasets\[0\].readers' to 'delegated'.*image.snapshotFileFormat: true/],
  ['database source on an Enterprise 2.x reader with GCS', withDataset({ from: 'mysql:shop.orders' }, { image: ENTERPRISE_2, store: { cloud: 'gcp', bucket: 'shop-snaps', region: 'europe-west4' } }), 'datasets[0].from', /an Enterprise 2.0.1 reader with a GCP store builds the "mysql" connector/, /'delegated'/],
  ['writer replicas', awsSplit({ writer: { replicas: 0 } }), 'writer.replicas', /0 is not a replica count/, /3 or more/],
  ['API key secret', awsSplit({ writer: { apiKey: { secretName: 'k', key: '' } } }), 'writer.apiKey.key', /"" is not a Secret key/, /letters, digits/],
  ['API key secret without key', awsSplit({ writer: { apiKey: { secretName: 'k' } as never } }), 'writer.apiKey.key', /^is missing$/, /key: 'password'/],
  ['no snapshot trigger', withDataset({ snapshots: { trigger: 'append' as never } }), 'datasets[0].snapshots.trigger', /^"append" is not a snapshot trigger$/, /'refresh_complete', 'time_interval' \(with refresh mode "full"\)/],
  ['grpc:// Flight endpoint', awsSplit({ writer: { flightEndpoint: 'grpc://shop-writer:50051' } }), 'writer.flightEndpoint', /grpc:\/\/ and grpcs:\/\/ are rejected/, /'http:\/\/host:50051'/],
  ['grpcs:// Flight endpoint', awsSplit({ writer: { flightEndpoint: 'grpcs://shop-writer:50051' } }), 'writer.flightEndpoint', /not a Flight endpoint/, /grpc\+tls/],
  ['writer CPU', awsSplit({ writer: { resources: { cpu: { request: 'two' } } } }), 'writer.resources.cpu.request', /"two" is not a quantity/, /'500m'/],
  ['request above limit', awsSplit({ reader: { resources: { memory: { request: '8Gi', limit: '4Gi' } } } }), 'reader.resources.memory.request', /"8Gi" is more than the limit "4Gi"/, /raise 'reader.resources.memory.limit'/],
  ['writer storage', awsSplit({ writer: { storageSize: '20 GB' } }), 'writer.storageSize', /"20 GB" is not a size/, /'20Gi'/],
  ['reader disk', awsSplit({ reader: { localDisk: 'lots' } }), 'reader.localDisk', /"lots" is not a size/, /quantity/],
  ['warn bootstrap without source access', awsSplit({ reader: { bootstrapOnFailure: 'warn' } }), 'reader.bootstrapOnFailure', /boots an empty reader that refreshes from the source/, /allowSourceAccess: true/],
  ['bootstrap behaviour', awsSplit({ reader: { bootstrapOnFailure: 'ignore' as never } }), 'reader.bootstrapOnFailure', /"ignore" is not a behaviour/, /'fallback' or 'retry'/],
  ['snapshot check interval', awsSplit({ image: ENTERPRISE_2, reader: { snapshotCheckInterval: 'soon' } }), 'reader.snapshotCheckInterval', /"soon" is not a duration/, /'30s'/],
  ['snapshot check interval on 1.x', awsSplit({ reader: { snapshotCheckInterval: '30s' } }), 'reader.snapshotCheckInterval', /no effect: OSS 1.11.5 readers cannot poll/, /restart with an empty local disk/],
  ['sub-day retention', awsSplit({ retention: { refreshSnapshots: '36h' } }), 'retention.refreshSnapshots', /"36h" is not a whole number of days/, /'24h', '48h' or '72h'/],
  ['refresh retention beyond 72h', awsSplit({ retention: { refreshSnapshots: '7d' } }), 'retention.refreshSnapshots', /longer than 72h/, /retention.dailyArchive/],
  ['retention that is no duration', awsSplit({ retention: { refreshSnapshots: 'forever' } }), 'retention.refreshSnapshots', /"forever" is not a duration/, /whole days/],
  ['archive given as false', awsSplit({ retention: { dailyArchive: false as never } }), 'retention.dailyArchive', /false is not a duration/, /'none' to keep no archive/],
  ['archive not longer than refresh', awsSplit({ retention: { refreshSnapshots: '72h', dailyArchive: '2d' } }), 'retention.dailyArchive', /longer than the refresh snapshots \(3d\)/, /'30d', or 'none'/],
  ['sub-day abort', awsSplit({ retention: { abortIncompleteUploads: '12h' } }), 'retention.abortIncompleteUploads', /whole number of days/, /round it/],
];

describe('bad input', () => {
  it.each(cases)('%s is refused with its path, value and fix', (_what, spec, path, message, fix) => {
    const problem = problemAt(spec, path);
    expect(problem.message).toMatch(message);
    expect(problem.fix).toMatch(fix);
  });

  it('reports every problem at once, in one error type with a stable code', () => {
    const error = validationError(awsSplit({
      name: 'Bad Name',
      datasets: [{ name: 'ok', from: 's3://l/' }, { name: 'Orders!', from: 's3://l/' }, { name: 'ok', from: 'nowhere' }],
      retention: { refreshSnapshots: '36h' },
    }));
    expect(error).toBeInstanceOf(SplitValidationError);
    expect(error.code).toBe('ReadWriteSplitInvalid');
    expect(error.problems.map((p) => p.path)).toEqual(['name', 'datasets[1].name', 'datasets[2].from', 'datasets[2].name', 'retention.refreshSnapshots']);
    expect(error.message).toContain('Invalid read-write split "<unnamed>"'.replace('<unnamed>', 'Bad Name'));
    expect(error.message).toContain('  - datasets[1].name: "Orders!" is not a dataset name; use lowercase letters, digits and _');
  });
});

describe('a split name', () => {
  it.each([
    ['a'.repeat(38), /^"a{38}" is 38 characters long, over a split name's 37/],
    [`${'a'.repeat(36)}-b`, /^"a{36}-b" is 38 characters long, over a split name's 37/],
    // A bad character is what to fix first, whatever the length.
    [`${'a'.repeat(37)}_x`, /^"a{37}_x" is not a split name$/],
    ['Shop', /^"Shop" is not a split name$/],
  ])('%s: says what is wrong with it', (name, message) => {
    expect(problemAt(awsSplit({ name }), 'name').message).toMatch(message);
  });
});

describe('follow-on problems', () => {
  it('does not compare the archive with refresh snapshots it could not read', () => {
    const error = validationError(awsSplit({ retention: { refreshSnapshots: '36h', dailyArchive: '2d' } }));
    expect(error.problems.map((p) => p.path)).toEqual(['retention.refreshSnapshots']);
    const tooLong = validationError(awsSplit({ retention: { refreshSnapshots: '36h', dailyArchive: '4000d' } }));
    expect(tooLong.problems.map((p) => p.message)).toEqual(['"36h" is not a whole number of days; S3, GCS and Azure lifecycle rules count whole days only', '"4000d" must be at most 3650d']);
  });
});

describe('a mistyped edition', () => {
  it('is reported once, without what an OSS image would lack', () => {
    const error = validationError(awsSplit({ image: { edition: 'enterprize' as never, repository: 'example.com/spiceai-enterprise', tag: '2.0.1-enterprise' } }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['image.edition: "enterprize" is not an edition']);
  });
});

describe('image capabilities', () => {
  const forms = (image: SplitSpec['image'], cloud: 'aws' | 'gcp' = 'gcp') => {
    const store = cloud === 'aws' ? awsSplit().store : { cloud, bucket: 'shop-snaps', region: 'europe-west4' } as const;
    return resolveSplit(awsSplit({ image, store })).readerForms.get('orders');
  };

  it('hot-swap exists only in Enterprise 2.0.0-rc.5 and later', () => {
    expect(forms({ ...ENTERPRISE_2, tag: '2.0.0-rc.5-enterprise' })).toBe('snapshot-refresh');
    expect(forms({ ...ENTERPRISE_2, tag: '2.0.0-rc.4-enterprise' })).toBe('restored-source');
    expect(forms({ ...ENTERPRISE_2, tag: '2.1.0' })).toBe('snapshot-refresh');
    expect(forms({ tag: '2.0.1', snapshotsFeature: true })).toBe('restored-source');
  });

  it('reading published snapshots directly needs Enterprise 2.x and an S3 store', () => {
    expect(forms(ENTERPRISE_FILE_FORMAT, 'aws')).toBe('snapshot-file-format');
    expect(() => forms(ENTERPRISE_FILE_FORMAT, 'gcp')).toThrow(/image.snapshotFileFormat: is true, but file_format: snapshot reads s3:\/\/ locations only/);
    expect(forms({ tag: '1.11.5' }, 'aws')).toBe('restored-source');
  });
});

describe('explicit choices that relax a default', () => {
  it('an OSS 2.x build compiled with the snapshots feature is accepted', () => {
    expect(resolveSplit(awsSplit({ image: { tag: '2.0.1', snapshotsFeature: true } })).image.capabilities.snapshots).toBe(true);
  });

  it('readers with source access may boot empty and keep a database source', () => {
    const split = resolveSplit(withDataset({ from: 'postgres:public.orders', secretParams: { pg_pass: { secretName: 'db', key: 'password' } } }, { reader: { bootstrapOnFailure: 'warn', allowSourceAccess: true } }));
    expect(split.reader.bootstrapOnFailure).toBe('warn');
    expect(split.readerForms.get('orders')).toBe('restored-source');
  });

  it("no daily archive when retention.dailyArchive is 'none'", () => {
    expect(resolveSplit(awsSplit({ retention: { dailyArchive: 'none' } })).retention.archiveDays).toBeUndefined();
  });
});

describe('keys no description has (JavaScript, spreads, parsed files: TypeScript catches them only in literals)', () => {
  it('are refused where they are, with the key meant when one is near, and the rest checked as usual', () => {
    const spec = { ...awsSplit(), retentoin: { refreshSnapshots: '24h' }, datasets: [{ name: 'orders', fromm: 's3://lake/orders/', from: 's3://lake/orders/', reader: 'delegated', owner: 'team-a' }] };
    const error = validationError(spec as never);
    expect(error.problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`)).toEqual([
      "retentoin: is not a key of this description; did you mean 'retention'?",
      "datasets[0].fromm: is not a key of this description; did you mean 'from'?",
      "datasets[0].reader: is not a key of this description; did you mean 'readers'?",
      "datasets[0].owner: is not a key of this description; use one of 'name', 'from', 'params', 'secretParams', 'readers', 'engine', 'engineParams', 'refresh', 'snapshots', 'timeColumn', 'description', 'expectedSize'",
    ]);
  });

  it('have a value where the description holds an object: anything else is refused, not replaced by the default', () => {
    const spec = awsSplit({
      retention: '24h' as never,
      writer: 5 as never,
      reader: { resources: { cpu: 1 } } as never,
      datasets: [{ name: 'orders', from: 's3://lake/orders/', refresh: '1m', snapshots: 'always', params: [1, 2] } as never],
    });
    expect(validationError(spec).problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expect.arrayContaining([
      'retention: "24h" is not an object',
      'writer: 5 is not an object',
      'reader.resources.cpu: 1 is not an object',
      'datasets[0].refresh: "1m" is not an object',
      'datasets[0].snapshots: "always" is not an object',
      'datasets[0].params: [1,2] is not a map of params',
    ]));
    expect(validationError(awsSplit({ datasets: 'orders' as never })).problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['datasets: "orders" is not a list']);
    // YAML's `writer:` with every child commented out is null: the defaults, as when it is left out.
    expect(validateSplit(awsSplit({ writer: null as never, retention: null as never })).problems).toEqual([]);
    // YAML reads an unquoted 2 as a number: the fix says to quote it, with a CPU example.
    const cpu = validationError(awsSplit({ writer: { resources: { cpu: { request: 2 as never } } } })).problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`);
    expect(cpu).toEqual(["writer.resources.cpu.request: 2 is not a quantity; write it as a string, in quotes ('2'), e.g. '500m' or '2'"]);
  });

  it('are refused inside the image, the store, the tiers, the retention and a dataset\'s refresh and snapshots too', () => {
    const spec = awsSplit({
      image: { tag: '1.11.5', editon: 'oss' } as never,
      writer: { replica: 3 } as never,
      reader: { localdisk: '20Gi' } as never,
      datasets: [{ name: 'orders', from: 's3://lake/orders/', refresh: { checkinterval: '5m' }, snapshots: { policy: 'always' } } as never],
    });
    expect(validationError(spec).problems.filter((p) => p.message === 'is not a key of this description').map((p) => `${p.path}; ${p.fix}`)).toEqual([
      "image.editon; did you mean 'edition'?",
      "writer.replica; did you mean 'replicas'?",
      "reader.localdisk; did you mean 'localDisk'?",
      "datasets[0].refresh.checkinterval; did you mean 'checkInterval'?",
      expect.stringMatching(/^datasets\[0\]\.snapshots\.policy; /),
    ]);
  });

  it('are refused deeper too: resources, Secret references, TLS, the Spice Cloud app and upgradeFrom', () => {
    const spec = awsSplit({
      writer: {
        resources: { cpu: { requst: '2' }, memroy: { limit: '8Gi' } },
        acceptedApiKeys: [{ secretName: 'keys', key: 'a' }, { secretname: 'keys', key: 'b' }],
        tls: { secretName: 'flight-tls', caCertificate: 'ca', ca: 'x' },
      } as never,
      reader: { resources: { memory: { limt: '4Gi' } } } as never,
      upgradeFrom: { lock: {}, allowed: [] } as never,
      datasets: [{ name: 'orders', from: 'postgres:public.orders', readers: 'delegated', secretParams: { pg_pass: { secretName: 'pg', key: 'password', namespace: 'db' } } } as never],
    });
    expect(validationError(spec).problems.filter((p) => p.message === 'is not a key of this description').map((p) => `${p.path}; ${p.fix}`)).toEqual([
      "writer.resources.memroy; did you mean 'memory'?",
      "writer.resources.cpu.requst; did you mean 'request'?",
      "writer.acceptedApiKeys[1].secretname; did you mean 'secretName'?",
      "writer.tls.ca; use one of 'secretName', 'caCertificate'",
      "reader.resources.memory.limt; did you mean 'limit'?",
      "upgradeFrom.allowed; did you mean 'allow'?",
      "datasets[0].secretParams.pg_pass.namespace; use one of 'secretName', 'key'",
    ]);
  });

  it('take every key of both kinds of description, and of a dataset', () => {
    const every = awsSplit({
      namespace: 'shop', acknowledgedWarnings: [], retention: {}, reader: {},
      datasets: [{ name: 'orders', from: 's3://lake/orders/', params: {}, secretParams: {}, readers: 'accelerated', engine: 'duckdb', engineParams: {}, refresh: {}, snapshots: {}, timeColumn: 'at', description: 'd', expectedSize: '1Gi' }],
    });
    expect(() => resolveSplit(every)).not.toThrow();
    const deeper = awsSplit({
      writer: {
        resources: { cpu: { request: '1', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' } },
        apiKey: { secretName: 'k', key: 'a' }, acceptedApiKeys: [{ secretName: 'k', key: 'b' }],
        tls: { secretName: 't', caCertificate: 'ca' }, flightClientCertificate: { secretName: 'c' },
      },
      reader: { resources: { cpu: { request: '1', limit: '2' }, memory: { request: '1Gi', limit: '2Gi' } } },
      datasets: [{ name: 'orders', from: 'postgres:public.orders', readers: 'delegated', secretParams: { pg_pass: { secretName: 'pg', key: 'password' } } }],
    });
    const unknownKeys = (spec: object) => validateSplit(spec as never).problems.filter((p) => p.message === 'is not a key of this description');
    expect(unknownKeys(deeper)).toEqual([]);
    expect(unknownKeys({ name: 'cloud', writer: { spiceCloud: { region: 'us-west-2', endpoint: 'https://x' }, apiKey: { secretName: 'k', key: 'a' } }, datasets: [{ name: 'orders', from: 'spice.ai:orders' }] })).toEqual([]);
  });
});

describe('datasets that are not objects', () => {
  it('are refused once each at their index, and the others keep their paths (no TypeError)', () => {
    const error = validationError(awsSplit({ datasets: [null, 'orders', { name: 'Bad Name', from: 's3://lake/x/' }, null] as never }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'datasets[0]: null is not a dataset',
      'datasets[1]: "orders" is not a dataset',
      'datasets[2].name: "Bad Name" is not a dataset name',
      'datasets[3]: null is not a dataset',
    ]);
  });
});

describe('warnings for valid but risky choices', () => {
  it('warns that OSS 1.x images ship snapshots only as a default feature, and that their readers cannot hot-swap', () => {
    const { warnings } = resolveSplit(awsSplit());
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'image.edition', message: expect.stringMatching(/Enterprise feature in current spiced builds/) }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'image.tag', message: expect.stringMatching(/OSS 1.11.5 readers cannot hot-swap/) }));
  });

  it('warns that Enterprise 1.x readers cannot hot-swap either', () => {
    const { warnings } = resolveSplit(awsSplit({ image: { ...ENTERPRISE_2, tag: '1.11.2-enterprise' } }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'image.tag', message: expect.stringMatching(/Enterprise 1.11.2 readers cannot hot-swap/) }));
  });

  it('warns that on_change datasets can lose their last snapshot to lifecycle expiry', () => {
    const { warnings } = resolveSplit(awsSplit());
    expect(warnings).toContainEqual(expect.objectContaining({
      path: 'datasets[0].snapshots.creationPolicy',
      message: expect.stringMatching(/^orders snapshot only when their data changes.*cannot bootstrap/),
    }));
    // Placed at the first dataset that snapshots on change.
    const [orders] = awsSplit().datasets;
    const always = { trigger: 'time_interval', threshold: '12h', creationPolicy: 'always' } as const;
    const second = resolveSplit(awsSplit({ datasets: [{ ...orders, snapshots: always }, { ...orders, name: 'returns' }] }));
    expect(second.warnings).toContainEqual(expect.objectContaining({ path: 'datasets[1].snapshots.creationPolicy', message: expect.stringMatching(/^returns snapshot only/) }));
  });

  it('warns that spiced 1.x reaches Azure snapshot locations only with an IMDS managed identity', () => {
    const { warnings } = resolveSplit(awsSplit({ store: { cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' } }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'store.cloud', message: expect.stringMatching(/IMDS managed identity/) }));
  });

  it('warns that bootstrapOnFailure does nothing when readers read published snapshots directly', () => {
    const { warnings } = resolveSplit(awsSplit({ image: ENTERPRISE_FILE_FORMAT, reader: { bootstrapOnFailure: 'retry' } }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'reader.bootstrapOnFailure', message: expect.stringMatching(/has no effect/) }));
  });

  it('warns below 3 writer replicas', () => {
    const { warnings } = resolveSplit(awsSplit({ writer: { replicas: 2 } }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'writer.replicas' }));
  });

  it('warns when readers would serve nothing', () => {
    const { warnings } = resolveSplit(awsSplit({ datasets: [{ ...orders, readers: 'writer-only' }] }));
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'datasets' }));
  });

  it('warns when the reader disk goes beyond the seed\'s read-instance shape', () => {
    const { warnings } = resolveSplit(withDataset({ expectedSize: '40Gi' }));
    // Derived: no line of the description holds it, so the message says where it comes from.
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'reader.localDisk', message: expect.stringMatching(/^is derived as 80Gi per reader from the expectedSize of the accelerated datasets, which is beyond/) }));
    const given = resolveSplit(awsSplit({ reader: { localDisk: '60Gi' } })).warnings.find((w) => w.id === 'large-reader-disk');
    expect(given?.message).toMatch(/^60Gi per reader is beyond the seed's read-instance shape \(10-50Gi\)/);
  });

  it('warns when a given reader disk is less than twice the accelerated datasets, and only then', () => {
    const small = resolveSplit(withDataset({ expectedSize: '6Gi' }, { reader: { localDisk: '8Gi' } })).warnings.filter((w) => w.id === 'reader-disk-small');
    expect(small).toEqual([{
      id: 'reader-disk-small',
      path: 'reader.localDisk',
      message: "8Gi is less than twice the accelerated datasets the reader restores (6Gi by their expectedSize): spiced downloads a new snapshot beside the current file, so restores would fail once the disk fills; "
        + "raise it to at least 12Gi, leave it out to derive it, or correct the datasets' expectedSize",
    }]);
    expect(resolveSplit(withDataset({ expectedSize: '6Gi' }, { reader: { localDisk: '12Gi' } })).warnings.map((w) => w.id)).not.toContain('reader-disk-small');
    // Derived, it is twice the datasets (and at least 10Gi): nothing to warn about.
    expect(resolveSplit(withDataset({ expectedSize: '6Gi' })).warnings.map((w) => w.id)).not.toContain('reader-disk-small');
  });

  it('refuses a disk of zero: an emptyDir the scheduler counts as nothing', () => {
    expect(() => resolveSplit(awsSplit({ reader: { localDisk: '0' } }))).toThrow(/reader\.localDisk: "0" is less than 1Mi; give the disk a size, e.g. '20Gi'/);
  });

  it('says nothing about Enterprise 2.x with three replicas and snapshots on a schedule', () => {
    const scheduled = { ...orders, snapshots: { trigger: 'time_interval', threshold: '12h', creationPolicy: 'always' }, expectedSize: '4Gi' } as const;
    expect(resolveSplit(awsSplit({ image: ENTERPRISE_2, datasets: [scheduled] })).warnings).toEqual([]);
  });

  it('warns when the derived writer volume leaves out file-backed datasets of unknown size: a claim template cannot grow later', () => {
    const datasets: DatasetSpec[] = [
      { ...orders, expectedSize: '30Gi' },
      { name: 'events', from: 's3://lake/events/' },
      { name: 'lookups', from: 's3://lake/lookups/', engine: 'arrow', readers: 'delegated' },
    ];
    expect(resolveSplit(awsSplit({ datasets })).warnings.filter((w) => w.id === 'writer-volume-unsized')).toEqual([{
      id: 'writer-volume-unsized',
      path: 'writer.storageSize',
      message: "is derived as 90Gi, leaving out events (no expectedSize), whose files live on the same volume; a StatefulSet's volume claim template cannot change once deployed, so set writer.storageSize, or expectedSize on it",
    }]);
    const quiet = (extra: Partial<SplitSpec>) => resolveSplit(awsSplit({ datasets, ...extra })).warnings.map((w) => w.id);
    expect(quiet({ writer: { storageSize: '200Gi' } })).not.toContain('writer-volume-unsized');
    expect(quiet({ acknowledgedWarnings: ['writer-volume-unsized'] })).not.toContain('writer-volume-unsized');
    // Deployed (checked against its lock): the volume is the locked one, which the advice would change.
    expect(quiet({ upgradeFrom: { lock: lockDescription(awsSplit({ datasets })) } })).not.toContain('writer-volume-unsized');
  });
});
