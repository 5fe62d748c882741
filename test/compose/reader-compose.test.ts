import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeYaml, readerCompose } from '../../lib/compose';
import { GCP_CREDENTIALS_PATH } from '../../lib/compose/compose-credentials';
import { formatProblem, ownershipFixCommand, readerInstance, readyWaitCommand, renderReaderSpicepod, spicepodToYaml, SplitSpec, synthesizeSplit } from '../../lib/core';
import { thrown } from '../support/errors';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';
import { composeSchemaChecksum, expectValidCompose } from './compose-schema';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n';
const WRITERS = 'http://shop-writers.internal.example.com:50051';
const GCS = { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } as const;
const ADLS = { cloud: 'azure', account: 'shopsnapshots', container: 'snapshots', region: 'westeurope' } as const;

const delegating = synthesizeSplit(awsSplit({ writer: { flightEndpoint: WRITERS } }));
const inCluster = synthesizeSplit(awsSplit());
const APP = { image: 'example.com/shop-web:1.4.2', ports: ['8080:8080', { target: 8443, published: '9443' }], depends_on: ['cache'] };
const CACHE = { image: 'redis:7.2.5' };

type Service = Record<string, any>;
const servicesOf = (compose: unknown) => (compose as { services: Record<string, Service> }).services;
const problemsOf = (attempt: () => unknown) => thrown(attempt).problems.map(formatProblem);
/** What a string in the file is after Compose's interpolation, for a file with no variable in it: `$$` is `$`. */
const interpolated = (values: readonly string[]) => values.map((value) => value.replace(/\$\$/g, '$'));

/** Every generated file of a split: the Compose file is valid against the Compose specification, the Spicepod against Spice's. */
function generated(spec: SplitSpec, options: Parameters<typeof readerCompose>[1] = {}) {
  const result = readerCompose(synthesizeSplit(spec), options);
  const text = composeYaml(result);
  const compose = parse(text);
  expectValidCompose(compose);
  expectValidSpicepod(result.files['spicepod.yaml']);
  return { result, text, compose, services: servicesOf(compose) };
}

describe('the reader on a laptop with Docker Compose', () => {
  it('uses the vendored Compose schema recorded in schemas/README.md', () => {
    expect(composeSchemaChecksum()).toBe('1f91e091f16b2dd50ab8860e02bb391d22df553d91c145eacedb1b6eff9c3f0e');
    // The validator is live: what Compose refuses, it refuses.
    expect(() => expectValidCompose({ services: { a: { image: 'x', depends_on: { b: { condition: 'service_ready' } } } } })).toThrow(/condition/);
    expect(() => expectValidCompose({ services: { a: { image: 'x', ports: [{ target: 80, host_ip: '127.0.0.1', bind: true }] } } })).toThrow(/ports/);
  });

  it("renders a valid Compose file whose Spicepod is the core's reader Spicepod, delivered as a config", () => {
    const { result, compose, services } = generated(awsSplit({ writer: { flightEndpoint: WRITERS } }));
    expect(result.files).toEqual({ 'spicepod.yaml': spicepodToYaml(delegating.reader.spicepod) });
    expect(compose.configs).toEqual({ 'spice-reader-spicepod': { file: './spicepod.yaml' } });
    const reader = services['spice-reader'];
    const model = readerInstance(delegating, 'compose');
    expect(reader.configs).toEqual([{ source: 'spice-reader-spicepod', target: '/spicepod/spicepod.yaml' }]);
    expect(reader).toMatchObject({
      image: model.image, entrypoint: [...model.command], command: [...model.args], working_dir: '/app', user: '65534:65534', read_only: true,
      labels: { 'read-write-split.split': 'shop', 'read-write-split.spicepod-sha256': model.spicepodChecksum },
    });
    expect(reader.environment.HOME).toBe('/app');
  });

  it('serves the datasets the developer names, with the Spicepod the core renders for them', () => {
    const { result } = generated(awsSplit(), { datasets: ['orders'] });
    expect(result.files['spicepod.yaml']).toBe(spicepodToYaml(renderReaderSpicepod(inCluster.split, { datasets: ['orders'] }).spicepod));
    expect(result.instance.delegates).toBe(false);
  });

  it('publishes on 127.0.0.1 only: the reader, and the application through the reader it shares a network namespace with', () => {
    const { services } = generated(awsSplit({ writer: { flightEndpoint: WRITERS } }), { app: APP });
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port: any) => ({ name, ...port })));
    expect(published).toEqual([
      { name: 'spice-reader', target: 8090, published: '8090', host_ip: '127.0.0.1', protocol: 'tcp' },
      { name: 'spice-reader', target: 50051, published: '50051', host_ip: '127.0.0.1', protocol: 'tcp' },
      { name: 'spice-reader', target: 8080, published: '8080', host_ip: '127.0.0.1' },
      { name: 'spice-reader', target: 8443, published: '9443', host_ip: '127.0.0.1' },
    ]);
    expect(services.app.network_mode).toBe('service:spice-reader');
    expect(services['spice-reader-ready'].network_mode).toBe('service:spice-reader');
    expect(services['spice-reader-init'].network_mode).toBe('none');
    expect(services['spice-reader-init']).toMatchObject({ cap_drop: ['ALL'], cap_add: ['CHOWN', 'FOWNER'] });
  });

  it('starts the reader after its volumes are handed over, and the application after the reader is ready', () => {
    const { services } = generated(awsSplit({ writer: { flightEndpoint: WRITERS } }), { app: APP, readyTimeoutSeconds: 120 });
    const model = readerInstance(delegating, 'compose', { appPorts: [8080, 8443] });
    const [init, reader, ready, app] = ['spice-reader-init', 'spice-reader', 'spice-reader-ready', 'app'].map((name) => services[name]);
    expect(init).toMatchObject({ image: 'busybox:1.36.1', user: 'root' });
    expect(interpolated(init.command)).toEqual(ownershipFixCommand(model));
    expect(init.volumes).toEqual(reader.volumes.filter((mount: any) => mount.type === 'volume'));
    expect(init.volumes.map((mount: any) => mount.target)).toEqual(['/local', '/app', '/tmp']);
    expect(reader.depends_on).toEqual({ 'spice-reader-init': { condition: 'service_completed_successfully' } });
    expect(ready).toMatchObject({ image: 'busybox:1.36.1', user: '65534:65534', read_only: true, depends_on: { 'spice-reader': { condition: 'service_started' } } });
    expect(interpolated(ready.command)).toEqual(readyWaitCommand(model, 120));
    expect(app.depends_on).toEqual({ 'cache': { condition: 'service_started' }, 'spice-reader-ready': { condition: 'service_completed_successfully' } });
    expect(app.ports).toBeUndefined();
    expect(app.image).toBe(APP.image);
  });

  it('leaves no $ for Compose to interpolate but the variables it reads from the shell on purpose', () => {
    for (const spec of [awsSplit({ writer: { flightEndpoint: WRITERS } }), awsSplit({ store: GCS, image: ENTERPRISE_2, writer: { flightEndpoint: WRITERS } })]) {
      const { text } = generated(spec, { app: { ...APP, depends_on: undefined } });
      const body = text.split('\n').filter((line) => !line.startsWith('#')).join('\n');
      const variables = [...body.replace(/\$\$/g, '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)?/g)].map((match) => match[1]);
      expect(new Set(variables)).toEqual(new Set(spec.store.cloud === 'gcp' ? ['SPICE_CLUSTER_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'HOME'] : ['SPICE_CLUSTER_API_KEY']));
    }
  });

  it('runs without an application too: the reader for local tools, and the waiter that says when it is ready', () => {
    const { services } = generated(awsSplit(), { datasets: ['orders'] });
    expect(Object.keys(services)).toEqual(['spice-reader-init', 'spice-reader', 'spice-reader-ready']);
    expect(services['spice-reader'].environment.SPICE_CLUSTER_API_KEY).toBeUndefined();
  });

  it('delivers the writers\' CA as a config when it delegates over TLS', () => {
    const tls = awsSplit({ image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: CA }, flightEndpoint: 'https://shop-writers.internal.example.com:50051' } });
    const { result, compose, services } = generated(tls);
    expect(result.files['flight-ca.crt']).toBe(CA);
    expect(compose.configs['spice-reader-flight-ca']).toEqual({ file: './flight-ca.crt' });
    expect(services['spice-reader'].configs).toContainEqual({ source: 'spice-reader-flight-ca', target: '/etc/spice/flight-ca/ca.crt' });
  });
});

describe("the developer's own credentials", () => {
  const MARKERS = { AWS_ACCESS_KEY_ID: 'AKIAMARKER0000000000', AWS_SECRET_ACCESS_KEY: 'marker-secret', AWS_SESSION_TOKEN: 'marker-token', SPICE_CLUSTER_API_KEY: 'marker-api-key', AZURE_STORAGE_TOKEN: 'marker-azure' };
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(MARKERS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('S3: passes the AWS variables through by name, and requires the cluster API key from the shell; no value is in any file', () => {
    const { result, text, services } = generated(awsSplit({ writer: { flightEndpoint: WRITERS } }), { app: APP });
    const all = text + Object.values(result.files).join('\n');
    for (const value of Object.values(MARKERS)) expect(all).not.toContain(value);
    expect(all).not.toContain('shop-db');
    const env = services['spice-reader'].environment;
    expect(env).toMatchObject({ AWS_ACCESS_KEY_ID: null, AWS_SECRET_ACCESS_KEY: null, AWS_SESSION_TOKEN: null, AWS_EC2_METADATA_DISABLED: 'true' });
    expect(env.SPICE_CLUSTER_API_KEY).toMatch(/^\$\{SPICE_CLUSTER_API_KEY:\?[^$}]+\}$/);
    expect(result.instance.secretEnv.map((binding) => binding.envVar)).toEqual(['SPICE_CLUSTER_API_KEY']);
    expect(services.app.environment).toBeUndefined();
    expect(text).toContain('aws configure export-credentials');
  });

  it('GCS (Spice 2.x): mounts the Application Default Credentials read-only, never creating a missing file', () => {
    const { services } = generated(awsSplit({ store: GCS, image: ENTERPRISE_2 }), { datasets: ['orders'] });
    const reader = services['spice-reader'];
    expect(reader.environment.GOOGLE_APPLICATION_CREDENTIALS).toBe(GCP_CREDENTIALS_PATH);
    expect(reader.volumes).toContainEqual({
      type: 'bind', source: '${GOOGLE_APPLICATION_CREDENTIALS:-${HOME}/.config/gcloud/application_default_credentials.json}',
      target: GCP_CREDENTIALS_PATH, read_only: true, bind: { create_host_path: false },
    });
  });

  it('a reader of delegated datasets only restores nothing: no store credential, and its notes say so', () => {
    const { result, services } = generated(awsSplit({ store: GCS, image: ENTERPRISE_2, writer: { flightEndpoint: WRITERS } }), { datasets: ['history'] });
    const reader = services['spice-reader'];
    expect(Object.keys(reader.environment).filter((name) => /^(AWS|GOOGLE|AZURE)_/.test(name))).toEqual([]);
    expect(reader.volumes.filter((volume: Service) => volume.type === 'bind')).toEqual([]);
    expect(result.notes).toContain('Snapshots: none restored (gs://shop-snapshots/shop/refresh/ is not read): every dataset of this reader is queried on the writers.');
    expect(result.notes.filter((line) => line.includes('--volumes'))).toEqual([]);
    // Nor is a Spice 1.x reader of GCS refused for a metadata server it would never use.
    expect(() => readerCompose(synthesizeSplit(awsSplit({ store: GCS, writer: { flightEndpoint: WRITERS } })), { datasets: ['history'] })).not.toThrow();
    // A reader that restores keeps both.
    const restoring = generated(awsSplit({ store: GCS, image: ENTERPRISE_2, writer: { flightEndpoint: WRITERS } }), { datasets: ['orders', 'history'] });
    expect(restoring.services['spice-reader'].environment.GOOGLE_APPLICATION_CREDENTIALS).toBe(GCP_CREDENTIALS_PATH);
    expect(restoring.result.notes.filter((line) => line.includes('--volumes'))).toHaveLength(1);
  });

  it('Azure (Spice 2.x): passes the AZURE_* variables through by name', () => {
    const { text, services } = generated(awsSplit({ store: ADLS, image: ENTERPRISE_2 }), { datasets: ['orders'] });
    expect(services['spice-reader'].environment).toMatchObject({ AZURE_STORAGE_TOKEN: null, AZURE_CLIENT_ID: null, AZURE_TENANT_ID: null, AZURE_CLIENT_SECRET: null });
    expect(text).not.toContain('marker-azure');
  });
});

describe('what cannot work on a laptop is refused', () => {
  it('a GCS or Azure store with a Spice 1.x image, which reads them only through a cloud metadata endpoint', () => {
    expect(problemsOf(() => readerCompose(synthesizeSplit(awsSplit({ store: GCS })), { datasets: ['orders'] }))).toEqual([
      'split.image.tag: "1.11.5" is Spice 1.11.5, which reads GCS snapshot locations (gs://shop-snapshots/shop/refresh/) only with the metadata server of a cloud VM, and a laptop has none: the reader would never restore a snapshot; use an image of Spice 2.0.0-rc.5 or later (it reads GOOGLE_APPLICATION_CREDENTIALS), or run this reader in GKE or Cloud Run',
    ]);
    expect(problemsOf(() => readerCompose(synthesizeSplit(awsSplit({ store: ADLS })), { datasets: ['orders'] }))).toEqual([
      'split.image.tag: "1.11.5" is Spice 1.11.5, which reads Azure snapshot locations (abfss://snapshots@shopsnapshots.dfs.core.windows.net/shop/refresh/) only with the IMDS managed identity of a cloud VM, and a laptop has none: the reader would never restore a snapshot; use an image of Spice 2.0.0-rc.5 or later (it reads AZURE_* variables), or run this reader in AKS or Container Apps',
    ]);
  });

  it("delegation to the writers' in-cluster address", () => {
    const problems = problemsOf(() => readerCompose(inCluster));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address .* which a reader on Docker Compose cannot resolve/);
  });

  it('every problem of the options at once, each at its property', () => {
    const app = {
      image: 'example.com/shop-web:1.4.2',
      networks: ['front'],
      expose: [8080],
      ports: ['0.0.0.0:8080:8080', '8090:8081', '9000-9010:9000-9010', { target: 50051, published: '50052' }],
    };
    expect(problemsOf(() => readerCompose(delegating, { app, appName: 'spice-reader', helperImage: 'busybox', readyTimeoutSeconds: 0 }))).toEqual([
      "appName: \"spice-reader\" is not a free service name; use letters, digits, '.', '_' and '-', other than spice-reader, spice-reader-init, spice-reader-ready, e.g. 'app'",
      'app.networks: is set (["front"]), but the application joins the reader\'s network namespace (network_mode: service:spice-reader), where Docker refuses it; remove app.networks: the application reaches spiced on 127.0.0.1 and its ports are published on the spice-reader service',
      'app.expose: is set ([8080]), but the application joins the reader\'s network namespace (network_mode: service:spice-reader), where Docker refuses it; remove app.expose: the application reaches spiced on 127.0.0.1 and its ports are published on the spice-reader service',
      'app.ports[0]: publishes on "0.0.0.0": the reader\'s file publishes on 127.0.0.1 only, so that nothing outside the laptop reaches the application or spiced; drop the address, or use 127.0.0.1',
      "app.ports[1]: publishes host port 8090, which the reader's service publishes on 127.0.0.1; publish the application on another host port",
      'app.ports[2]: "9000-9010:9000-9010" is not a single port mapping (port ranges and other forms are not moved to the reader\'s service); use a container port, or HOST:CONTAINER (e.g. "8080:8080"), or { target: 8080, published: "8080" }',
      "helperImage: \"busybox\" has no tag or digest: each pull takes whatever 'latest' is then; pin a tag or a digest, e.g. 'busybox:1.36.1'",
      'readyTimeoutSeconds: 0 is not a whole number of seconds from 1 to 86400; use e.g. 600',
      "app.ports[3]: 50051 is the reader's Arrow Flight port: the application and spiced share one network namespace on Docker Compose; move the application to another port",
    ]);
  });
});

describe('the example app file runs as Compose would run it', () => {
  it('is valid with a self-contained application (its dependency in the same file)', () => {
    const result = readerCompose(delegating, { app: APP });
    const compose = { ...result.compose, services: { ...result.compose.services, cache: CACHE } };
    expectValidCompose(parse(composeYaml({ compose, notes: result.notes })));
  });
});
