import {
  Findings, ownershipFixCommand, parseQuantity, pinnedImageProblems, quote, READER_HELPER_IMAGES, readerInstance, ReaderFile, ReaderInstance, readyWaitCommand, ResolvedSplit, SynthesizedSplit,
} from '../core';
import { isPlaintextFlightEndpoint } from '../core/flight-tls';
import { checkReaderInstance, readerRestores } from '../core/reader-instance-checks';
import { AppPorts, appService, checkApp } from './compose-app';
import { checkStoreCredentials, secretEnvironment, storeCredentials, StoreCredentials } from './compose-credentials';
import { ComposeFile, ComposeMount, ComposePort, ComposeService, literal, LOOPBACK, READER_NETWORK_MODE, SERVICES } from './compose-file';

/** Options of the reader's Compose file. */
export interface ReaderComposeOptions {
  /**
   * The developer's application, a plain Compose service (e.g. `{ image: 'my-app:1.2.3' }`). It
   * joins the reader's network namespace, so it reaches spiced on 127.0.0.1:8090 and :50051 as
   * the sidecar elsewhere, and starts once the reader is ready. Its `ports` are published by the
   * reader's service, on 127.0.0.1 only; network settings (`networks`, `expose`, ...) are refused.
   *
   * @default - the reader alone, for local tools (a SQL client, a notebook)
   */
  readonly app?: ComposeService;
  /**
   * Service name of `app`.
   *
   * @default 'app'
   */
  readonly appName?: string;
  /**
   * The datasets this reader serves.
   *
   * @default - every dataset the split gives readers
   */
  readonly datasets?: readonly string[];
  /**
   * Port of the reader's Prometheus metrics inside the shared network namespace (not published).
   *
   * @default 9090
   */
  readonly metricsPort?: number;
  /**
   * Where the Spice image is pulled from, without tag or digest: a mirror of the split's image
   * (the split's tag and digest are kept, so the reader runs the writers' release).
   *
   * @default - the split's image repository
   */
  readonly imageRepository?: string;
  /**
   * Image of the two helper services (ownership fix and readiness wait): it needs `sh`, `chown`,
   * `chmod`, `sleep` and `wget` (busybox). Pinned: a tag other than `latest`, or a digest.
   *
   * @default 'busybox:1.36.1'
   */
  readonly helperImage?: string;
  /**
   * How long the `spice-reader-ready` service waits for the reader's `/v1/ready` (every dataset
   * restored, the writers reached when it delegates) before it fails, and with it the start of
   * `app`.
   *
   * @default 600
   */
  readonly readyTimeoutSeconds?: number;
}

/** The reader's Compose file and the files it reads beside it. */
export interface ReaderCompose {
  /** The Compose file as a plain object; `composeYaml` renders it. */
  readonly compose: ComposeFile;
  /** Files to write beside `compose.yaml`, by relative path: the Spicepod, and the writers' CA when it delegates over TLS. */
  readonly files: Readonly<Record<string, string>>;
  /** What to do before `docker compose up` (credentials, API key), rendered as the file's header. */
  readonly notes: readonly string[];
  /** The reader model the file was made from. */
  readonly instance: ReaderInstance;
}

export const DEFAULT_HELPER_IMAGE: string = READER_HELPER_IMAGES.default;
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;
const MAX_READY_TIMEOUT_SECONDS = 86_400;

/** File names beside `compose.yaml`, by what spiced reads them for. */
const FILE_NAMES: Readonly<Record<ReaderFile['purpose'], string>> = { 'spicepod': 'spicepod.yaml', 'flight-ca': 'flight-ca.crt' };

const NO_APP_PORTS: AppPorts = { published: [], targets: [], indexes: [] };

function checkOptions(options: ReaderComposeOptions, findings: Findings): void {
  if (options.helperImage !== undefined) {
    for (const problem of pinnedImageProblems(options.helperImage, DEFAULT_HELPER_IMAGE)) findings.problem('helperImage', problem.message, problem.fix);
  }
  const timeout = options.readyTimeoutSeconds;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_READY_TIMEOUT_SECONDS)) {
    findings.problem('readyTimeoutSeconds', `${quote(timeout)} is not a whole number of seconds from 1 to ${MAX_READY_TIMEOUT_SECONDS}`, `use e.g. ${DEFAULT_READY_TIMEOUT_SECONDS}`);
  }
}

/** The core's checks of a reader off Kubernetes, with its `appPorts[i]` paths pointing at the entries of `app.ports`. */
function checkInstance(synthesized: SynthesizedSplit, options: ReaderComposeOptions, appPorts: AppPorts, findings: Findings): void {
  const own = new Findings();
  checkReaderInstance(synthesized, 'compose', { datasets: options.datasets, metricsPort: options.metricsPort, appPorts: appPorts.targets, imageRepository: options.imageRepository }, own);
  for (const problem of own.problems) {
    const path = problem.path.replace(/^appPorts\[(\d+)\]/, (_, i: string) => `app.ports[${appPorts.indexes[Number(i)]}]`);
    findings.problem(path, problem.message, problem.fix);
  }
}

const volumeName = (role: string) => `${SERVICES.reader}-${role}`;
const configName = (purpose: string) => `${SERVICES.reader}-${purpose}`;

/** spiced's writable directories, one named volume each (fresh ones are root-owned). */
function dirMounts(instance: ReaderInstance): ComposeMount[] {
  return instance.writableDirs.map((dir) => ({ type: 'volume', source: volumeName(dir.role), target: literal(dir.path) }));
}

const loopbackPort = (port: number): ComposePort => ({ target: port, published: String(port), host_ip: LOOPBACK, protocol: 'tcp' });

/** The reader's memory (CPU limits are left out: Docker refuses more CPUs than the laptop has). */
function memory(instance: ReaderInstance): Record<string, number> {
  const limit = parseQuantity(instance.resources.memory.limit);
  const request = parseQuantity(instance.resources.memory.request);
  return { ...(limit ? { mem_limit: Math.ceil(limit) } : {}), ...(request ? { mem_reservation: Math.ceil(request) } : {}) };
}

function readerService(instance: ReaderInstance, credentials: StoreCredentials, appPorts: AppPorts, spiceCloud: boolean): ComposeService {
  const plainEnv = Object.fromEntries(Object.entries(instance.env).map(([name, value]) => [name, literal(value)]));
  return {
    image: instance.image,
    entrypoint: instance.command.map(literal),
    command: instance.args.map(literal),
    working_dir: literal(instance.workingDir),
    user: `${instance.user.uid}:${instance.user.gid}`,
    read_only: true,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    environment: { ...plainEnv, ...secretEnvironment(instance, spiceCloud), ...credentials.environment },
    volumes: [...dirMounts(instance), ...credentials.mounts],
    configs: instance.files.map((file) => ({ source: configName(file.purpose), target: literal(`${file.dir}/${file.name}`) })),
    ports: [loopbackPort(instance.ports.http), loopbackPort(instance.ports.flight), ...appPorts.published],
    ...memory(instance),
    labels: { 'read-write-split.split': instance.splitName, 'read-write-split.spicepod-sha256': instance.spicepodChecksum },
    depends_on: { [SERVICES.init]: { condition: 'service_completed_successfully' } },
  };
}

/** Runs once before the reader: hands the fresh, root-owned volumes to spiced's user. */
function initService(instance: ReaderInstance, helperImage: string): ComposeService {
  return {
    image: helperImage,
    user: 'root',
    network_mode: 'none',
    // Only what chown and chmod on another user's directories need.
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'FOWNER'],
    command: ownershipFixCommand(instance).map(literal),
    volumes: dirMounts(instance),
  };
}

/** Waits in the reader's network namespace for `/v1/ready`: the `FROM scratch` image has no shell for a healthcheck. */
function readyService(instance: ReaderInstance, helperImage: string, timeoutSeconds: number): ComposeService {
  return {
    image: helperImage,
    user: `${instance.user.uid}:${instance.user.gid}`,
    read_only: true,
    cap_drop: ['ALL'],
    network_mode: READER_NETWORK_MODE,
    command: readyWaitCommand(instance, timeoutSeconds).map(literal),
    depends_on: { [SERVICES.reader]: { condition: 'service_started' } },
  };
}

const NO_STORE_CREDENTIALS: StoreCredentials = { environment: {}, mounts: [], howTo: [] };

/** Where the reader's data comes from: the snapshot store, or (a Spice Cloud writer, delegated datasets only) the writers alone. */
function sourceNotes(split: ResolvedSplit, credentials: StoreCredentials, restores: boolean): string[] {
  if (!split.store) return [`Writer: the Spice Cloud app at ${split.writer.flightEndpoint}; nothing is restored, every dataset is queried there.`];
  if (!restores) return [`Snapshots: none restored (${split.store.refresh.uri} is not read): every dataset of this reader is queried on the writers.`];
  return [`Snapshots: ${split.store.refresh.uri} (read-only, with your own credentials; none is written in this file).`, '', ...credentials.howTo];
}

function notesOf(split: ResolvedSplit, instance: ReaderInstance, credentials: StoreCredentials, appName: string | undefined, restores: boolean): string[] {
  const what = appName ? `the Spice reader of split "${split.name}" beside the service "${appName}"` : `the Spice reader of split "${split.name}"`;
  const cloud = split.writer.spiceCloud !== undefined;
  return [
    `Generated by read-write-split: ${what}, with Docker Compose. Do not edit; regenerate it.`,
    ...sourceNotes(split, credentials, restores),
    ...(instance.delegates ? [
      '',
      cloud
        ? `Delegated datasets query the Spice Cloud app at ${split.writer.flightEndpoint}: this machine must reach it.`
        : `Delegated datasets query the writers at ${split.writer.externalFlightEndpoint}: this machine must reach it (VPN).`,
      ...(!cloud && isPlaintextFlightEndpoint(split.writer.externalFlightEndpoint) ? ['It is plaintext: the API key below crosses that network unencrypted (writer.tls would encrypt it).'] : []),
      ...instance.secretEnv.map((binding) => `export ${binding.envVar}=<${cloud ? "the Spice Cloud app's API key" : 'a reader API key of the writer cluster'}> (Secret ${binding.secret.secretName}/${binding.secret.key})`),
    ] : []),
    '',
    `Then: docker compose up -d. spiced answers on ${instance.endpoints.http} and ${instance.endpoints.flight}, on this machine only;`,
    `${SERVICES.ready} exits 0 once every dataset is ready (docker compose logs ${SERVICES.ready}).`,
    ...(restores ? ['docker compose down --volumes drops the restored files: the next up restores the newest snapshot.'] : []),
    ...instance.secretEnv.map((binding) => `Every docker compose command (down and logs too) needs ${binding.envVar} set; any value does for down.`),
  ];
}

/**
 * The reader of a split on a developer's laptop, as a Compose file: spiced (the same reader as
 * the Kubernetes sidecar, from the core's model), a busybox service that hands its volumes to
 * spiced's user first, and, with `app`, the application in the reader's network namespace,
 * started once a busybox waiter has seen `/v1/ready`. Ports are published on 127.0.0.1 only;
 * credentials come from the developer's shell and are never written in the file.
 *
 * @throws SplitValidationError listing every problem at once
 */
export function readerCompose(synthesized: SynthesizedSplit, options: ReaderComposeOptions = {}): ReaderCompose {
  const findings = new Findings();
  const appName = options.appName ?? 'app';
  const appPorts = options.app === undefined ? NO_APP_PORTS : checkApp(options.app, appName, findings);
  checkOptions(options, findings);
  // A reader that restores nothing (of a Spice Cloud app, or of delegated datasets only) reads no
  // bucket: the API key is its only credential.
  const restores = readerRestores(synthesized.split, options.datasets);
  if (restores) checkStoreCredentials(synthesized, findings);
  checkInstance(synthesized, options, appPorts, findings);
  findings.throwIfProblems(synthesized.split.name);

  const { split } = synthesized;
  const instance = readerInstance(synthesized, 'compose', { datasets: options.datasets, metricsPort: options.metricsPort, appPorts: appPorts.targets, imageRepository: options.imageRepository });
  const credentials = split.store && restores ? storeCredentials(split.store) : NO_STORE_CREDENTIALS;
  const helperImage = options.helperImage ?? DEFAULT_HELPER_IMAGE;
  const services: Record<string, ComposeService> = {
    [SERVICES.init]: initService(instance, helperImage),
    [SERVICES.reader]: readerService(instance, credentials, appPorts, split.writer.spiceCloud !== undefined),
    [SERVICES.ready]: readyService(instance, helperImage, options.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS),
  };
  if (options.app !== undefined) services[appName] = appService(options.app);
  const compose: ComposeFile = {
    services,
    volumes: Object.fromEntries(instance.writableDirs.map((dir) => [volumeName(dir.role), {}])),
    configs: Object.fromEntries(instance.files.map((file) => [configName(file.purpose), { file: `./${FILE_NAMES[file.purpose]}` }])),
  };
  const files = Object.fromEntries(instance.files.map((file) => [FILE_NAMES[file.purpose], file.content]));
  return { compose, files, notes: notesOf(split, instance, credentials, options.app === undefined ? undefined : appName, restores), instance };
}
