import {
  checkReaderDisk, Findings, parseQuantity, splitNameOf, quote, readerDiskBytes, readerInstance, ReaderInstance, ROOT_PATH, SplitWarning, SynthesizedSplit,
} from '../core';
import { checkReaderInstance, crossRegionWarning, delegatedDatasets, readerRestores } from '../core/reader-instance-checks';
import { isKnownAtDeploy, pulumiFindings } from '../pulumi/checks';
import { pulumiReaderSplit, ReaderSplitComponent } from '../pulumi/reader-split';
import { GCP_REGION, PROJECT_ID, RESERVED_PROJECT_WORDS } from './checks';
import { readerContainerMemoryBytes, readerCpu, readerMemoryBytes } from './cloud-run-containers';
import {
  CLOUD_RUN_MAX, DEFAULT_APP_LIMITS, DEFAULT_APP_PORT, INGRESS_VALUES, READER_CONTAINER, SpiceReaderCloudRunArgs,
} from './cloud-run-reader-args';

// What the Cloud Run reader refuses: values that would deploy but never serve, reported all at once.

/** What the component builds from once its args passed every check. */
export interface CheckedCloudRunReader {
  readonly synthesized: SynthesizedSplit;
  readonly instance: ReaderInstance;
  readonly serviceName: string;
  /** The reader image Cloud Run pulls: the split's, or its tag in `imageRepository`. */
  readonly image: string;
  /** Warnings of a Spice Cloud split's description, checked here (a ReadWriteSplitGcp logged its own). */
  readonly warnings: readonly SplitWarning[];
}

/** Cloud Run service names: lowercase letters, digits and '-', a letter first, no '-' last, at most 49. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/;
const SECRET = /^(projects\/[^/]+\/secrets\/)?[A-Za-z0-9_-]{1,255}$/;
const SECRET_VERSION = /^(latest|[1-9]\d*)$/;
const SERVICE_ACCOUNT_EMAIL = /^[a-z0-9][-a-z0-9]*@[-a-z0-9.]+\.gserviceaccount\.com$/;

type Loose = Record<string, any>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !isKnownAtDeploy(value);
const gib = (bytes: number) => `${Math.ceil((bytes / 2 ** 30) * 10) / 10} GiB`;

/** The application's port, the one the reader must not take: Cloud Run's 8080 when it names none; undefined when only known at deploy time. */
function appPorts(app: Loose): number[] | undefined {
  const ports = app.ports;
  if (ports === undefined) return [DEFAULT_APP_PORT];
  if (!isObject(ports)) return undefined;
  if (ports.containerPort === undefined) return [DEFAULT_APP_PORT];
  return isKnownAtDeploy(ports.containerPort) ? undefined : [ports.containerPort];
}

/** The core's paths, as this component's args name them. */
function argsPath(path: string): string {
  if (path.startsWith('appPorts')) return 'args.app.ports.containerPort';
  if (['datasets', 'metricsPort', 'imageRepository', 'localDisk'].some((arg) => path.startsWith(arg))) return `args.${path}`;
  return path;
}

function checkPlace(args: Loose, componentName: string, own: Findings): string {
  const serviceName = args.serviceName ?? componentName;
  if (typeof serviceName !== 'string' || !SERVICE_NAME.test(serviceName)) {
    own.problem('serviceName', `${quote(serviceName)} is not a Cloud Run service name${args.serviceName === undefined ? " (the component's name is used when serviceName is left out)" : ''}`, "use 1-49 lowercase letters, digits and '-', starting with a letter, e.g. 'catalog-web'");
  }
  if (typeof args.project !== 'string' || !PROJECT_ID.test(args.project) || RESERVED_PROJECT_WORDS.test(args.project)) {
    own.problem('project', `${quote(args.project)} is not a Google Cloud project id`, "write the project id (plain: it names the service account and the secrets), e.g. 'acme-catalog'");
  }
  if (typeof args.location !== 'string' || !GCP_REGION.test(args.location)) {
    own.problem('location', `${quote(args.location)} is not a GCP region`, "write the service's region, e.g. 'europe-west4'");
  }
  if (args.ingress !== undefined && !INGRESS_VALUES.includes(args.ingress)) {
    own.problem('ingress', `${quote(args.ingress)} is not a Cloud Run ingress setting`, `use one of ${INGRESS_VALUES.join(', ')}, or leave it out for internal traffic only`);
  }
  const email = args.serviceAccountEmail;
  if (email !== undefined && !own.isLateBound(email) && (typeof email !== 'string' || !SERVICE_ACCOUNT_EMAIL.test(email))) {
    own.problem('serviceAccountEmail', `${quote(email)} is not a service account email`, "give the email of an existing service account, e.g. 'catalog-web@acme-catalog.iam.gserviceaccount.com', or leave it out to create one");
  }
  return serviceName;
}

function checkApp(app: unknown, own: Findings): void {
  if (!isObject(app)) {
    own.problem('app', `${quote(app)} is not a container`, "give the application's container, e.g. { image: 'europe-docker.pkg.dev/acme/web:1.4', ports: { containerPort: 8080 } }");
    return;
  }
  if (app.name === READER_CONTAINER) {
    own.problem('app.name', `${quote(app.name)} is the reader's container name`, 'name the application another way, e.g. \'app\'');
  }
  if (app.image === undefined || app.image === '') {
    own.problem('app.image', `${quote(app.image)} is no image`, "give the application's image, e.g. 'europe-docker.pkg.dev/acme/web:1.4'");
  }
}

function checkSecretRef(ref: unknown, own: Findings): void {
  if (!isObject(ref)) {
    own.problem('clusterApiKey', `${quote(ref)} is not a secret reference`, "give { secret: 'spice-cluster-api-key', version: '1' }");
    return;
  }
  if (!own.isLateBound(ref.secret) && (typeof ref.secret !== 'string' || !SECRET.test(ref.secret))) {
    own.problem('clusterApiKey.secret', `${quote(ref.secret)} is not a Secret Manager secret`, "give its id, e.g. 'spice-cluster-api-key', or 'projects/<project>/secrets/<id>' in another project");
  }
  if (ref.version !== undefined && !own.isLateBound(ref.version) && (typeof ref.version !== 'string' || !SECRET_VERSION.test(ref.version))) {
    own.problem('clusterApiKey.version', `${quote(ref.version)} is not a secret version`, "give a version number as a string, e.g. '3', or 'latest'");
  }
}

/**
 * A reader that delegates dials the writers with the cluster API key, over the VPC; one that does
 * not needs neither. A Spice Cloud app is dialled with its API key at a public endpoint, which
 * Cloud Run reaches without VPC egress.
 */
function checkDelegationArgs(args: Loose, names: readonly string[], spiceCloud: boolean, own: Findings): void {
  if (names.length > 0) {
    if (args.clusterApiKey === undefined) {
      own.problem(
        'clusterApiKey',
        spiceCloud
          ? `is missing, but the reader delegates ${names.join(', ')} to the Spice Cloud app, which refuses a query without its API key`
          : `is missing, but the reader delegates ${names.join(', ')} to the writers, which refuse a query without the cluster API key`,
        spiceCloud
          ? "give { secret } of the Secret Manager secret holding the app's API key (version: 'latest' unless given)"
          : "give { secret, version } of the Secret Manager secret holding the split's cluster API key, or give this reader accelerated datasets only (datasets)",
      );
    } else {
      checkSecretRef(args.clusterApiKey, own);
    }
    if (args.vpcAccess === undefined && !spiceCloud) {
      own.problem('vpcAccess', `is missing, but the reader delegates ${names.join(', ')} to the writers, whose Flight endpoint is an internal address`, "give Direct VPC egress, e.g. { networkInterfaces: [{ network: 'default', subnetwork: 'run-egress' }], egress: 'PRIVATE_RANGES_ONLY' }, or give this reader accelerated datasets only (datasets)");
    }
  } else if (args.clusterApiKey !== undefined) {
    own.problem('clusterApiKey', 'is given, but the reader delegates no dataset, so it would hold a key it never uses', 'leave it out');
  }
}

/** A limit of the application's, when known: Cloud Run's default when it sets none, 0 when it is only known at deploy time. */
function appLimit(app: Loose, kind: 'cpu' | 'memory', own: Findings): number {
  const resources = app.resources;
  if (resources === undefined) return parseQuantity(DEFAULT_APP_LIMITS[kind])!;
  if (!isObject(resources)) return 0;
  const limits = resources.limits;
  if (limits === undefined) return parseQuantity(DEFAULT_APP_LIMITS[kind])!;
  if (!isObject(limits)) return 0;
  const value = limits[kind];
  if (value === undefined) return parseQuantity(DEFAULT_APP_LIMITS[kind])!;
  if (own.isLateBound(value)) return 0;
  const parsed = parseQuantity(value);
  if (parsed === undefined) own.problem(`app.resources.limits.${kind}`, `${quote(value)} is not a quantity`, kind === 'cpu' ? "write vCPUs, e.g. '1'" : "write bytes with a unit, e.g. '512Mi'");
  return parsed ?? 0;
}

/**
 * The instance must fit Cloud Run's maxima: the reader's in-memory volumes count against its
 * memory, so the acceleration files, HOME and scratch come on top of its memory limit.
 */
function checkInstanceSize(instance: ReaderInstance, app: Loose, ownDisk: boolean, findings: Findings, own: Findings): void {
  const appMemory = appLimit(app, 'memory', own);
  const appCpu = appLimit(app, 'cpu', own);
  const readerMemory = parseQuantity(instance.resources.memory.limit) ?? 0;
  const disk = readerDiskBytes(instance);
  const raised = readerContainerMemoryBytes(instance);
  if (readerMemory + disk < raised && raised + appMemory > CLOUD_RUN_MAX.memoryBytes) {
    findings.problem(
      'split.reader.resources.cpu.limit',
      `${quote(instance.resources.cpu.limit)} gives the reader ${readerCpu(instance)} vCPU, for which Cloud Run requires ${gib(raised)} of memory: with the application's ${gib(appMemory)} that is more than Cloud Run's 32 GiB per instance`,
      "lower reader.resources.cpu.limit, or the application's memory limit",
    );
    return;
  }
  if (readerMemory + disk + appMemory > CLOUD_RUN_MAX.memoryBytes) {
    checkReaderDisk(
      disk,
      Math.max(0, CLOUD_RUN_MAX.memoryBytes - readerMemory - appMemory),
      `what Cloud Run leaves for the reader's in-memory volumes of an instance's 32 GiB once the reader's memory limit (${gib(readerMemory)}) and the application's (${gib(appMemory)}) are counted`,
      `${ownDisk ? 'lower localDisk' : 'give this reader a smaller localDisk'}, lower reader.resources.memory.limit, give this reader fewer accelerated datasets (datasets), or keep it a Kubernetes sidecar`,
      findings,
      ownDisk ? 'args.localDisk' : undefined,
    );
    // The vCPU Cloud Run ties to that memory would be reported too, with the same fix.
    return;
  }
  const cpu = readerCpu(instance);
  if (cpu + appCpu > CLOUD_RUN_MAX.cpu) {
    findings.problem(
      'split.reader.resources.cpu.limit',
      `${quote(instance.resources.cpu.limit)} gives the reader ${cpu} vCPU (Cloud Run's minimum for its ${gib(readerMemoryBytes(instance))} of memory and in-memory volumes, if higher), which with the application's ${appCpu} make ${cpu + appCpu}, more than Cloud Run's ${CLOUD_RUN_MAX.cpu} vCPU per instance`,
      `lower reader.resources.cpu.limit, ${ownDisk ? 'localDisk' : "this reader's localDisk"} or reader.resources.memory.limit, or the application's cpu limit`,
    );
  }
}

/** The GCP component, known by its shape. */
const GCP_COMPONENT: ReaderSplitComponent = {
  name: 'ReadWriteSplitGcp',
  grants: 'bucket',
  synthesizedOf: (split) => (isObject(split) && split.bucketName !== undefined && isObject(split.synthesized) ? split.synthesized as SynthesizedSplit : undefined),
};

/**
 * Checks every arg of the Cloud Run reader, and the reader the core derives from them, before any
 * resource is registered.
 *
 * @throws SplitValidationError listing every problem
 */
export function checkCloudRunReader(componentName: string, args: SpiceReaderCloudRunArgs): CheckedCloudRunReader {
  const findings = pulumiFindings();
  const own = findings.under('args');
  const loose = args as unknown as Loose;
  if (!isObject(loose)) {
    own.problem(ROOT_PATH, `${quote(args)} is not the component's args`, 'give { split, project, location, app }');
    findings.throwIfProblems('<unnamed>', componentName);
  }
  const { synthesized, spiceCloud } = pulumiReaderSplit(loose.split, GCP_COMPONENT, findings);
  const serviceName = checkPlace(loose, componentName, own);
  checkApp(loose.app, own);
  const datasets = loose.datasets;
  if (datasets !== undefined && !(Array.isArray(datasets) && datasets.every((d) => typeof d === 'string'))) {
    own.problem('datasets', `${quote(datasets)} is not a list of dataset names`, "name the datasets this application reads, e.g. ['products'], or leave it out for all");
  }
  const validDatasets = datasets === undefined || own.problems.every((p) => p.path !== 'args.datasets') ? datasets : undefined;
  if (synthesized) {
    const ports = isObject(loose.app) ? appPorts(loose.app) : undefined;
    const options = { datasets: validDatasets, appPorts: ports, metricsPort: loose.metricsPort, imageRepository: loose.imageRepository, localDisk: loose.localDisk };
    const scratch = new Findings(findings.isLateBound);
    checkReaderInstance(synthesized, 'cloud-run', options, scratch);
    for (const problem of scratch.problems) findings.problem(argsPath(problem.path), problem.message, problem.fix);
    // With a dataset that is not the split's, what this reader delegates is not known: the key is judged once the list is fixed.
    if (!scratch.problems.some((problem) => problem.path.startsWith('datasets'))) checkDelegationArgs(loose, delegatedDatasets(synthesized, validDatasets), spiceCloud, own);
    if (scratch.problems.length === 0) {
      const instance = readerInstance(synthesized, 'cloud-run', options);
      if (isObject(loose.app)) checkInstanceSize(instance, loose.app, loose.localDisk !== undefined, findings, own);
      findings.throwIfProblems(synthesized.split.name, componentName);
      const inRegion = GCP_REGION.test(String(loose.location));
      const region = inRegion ? crossRegionWarning(synthesized, validDatasets, loose.location, 'args.location') : undefined;
      const delegation = inRegion && !spiceCloud ? globalAccessWarning(synthesized, validDatasets, String(loose.location)) : undefined;
      const egress = allTrafficEgressWarning(synthesized, validDatasets, loose.vpcAccess, String(loose.location));
      const readerWarnings = instance.warnings.map((warning) => ({ ...warning, path: argsPath(warning.path) }));
      const warnings = [...(spiceCloud ? findings.warnings : []), ...readerWarnings, ...(region ? [region] : []), ...(delegation ? [delegation] : []), ...(egress ? [egress] : [])];
      return { synthesized, instance, serviceName, image: instance.image, warnings };
    }
  }
  // A Spice Cloud split's reader delegates every dataset, known even when its description has problems.
  if (!synthesized && spiceCloud) checkDelegationArgs(loose, ['every dataset'], true, own);
  findings.throwIfProblems(synthesized?.split.name ?? splitNameOf(loose.split), componentName);
  // Unreachable: without a split there is a problem to throw.
  throw new Error('unreachable');
}

/**
 * Direct VPC egress of all traffic sends the restores (storage.googleapis.com) through the egress
 * subnetwork, which reaches Google APIs only with Private Google Access or Cloud NAT. The
 * component cannot tell which the VPC has (NAT is another resource), so it warns; known only for
 * plain args (an Output is not read).
 */
function allTrafficEgressWarning(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined, vpcAccess: unknown, location: string): SplitWarning | undefined {
  const id = 'cloud-run-all-traffic-egress';
  if (!isObject(vpcAccess) || vpcAccess.egress !== 'ALL_TRAFFIC' || !synthesized.split.store || synthesized.split.acknowledgedWarnings.has(id) || !readerRestores(synthesized.split, datasets)) return undefined;
  const interfaces = Array.isArray(vpcAccess.networkInterfaces) ? vpcAccess.networkInterfaces : [];
  const subnet = isObject(interfaces[0]) && typeof interfaces[0].subnetwork === 'string' ? interfaces[0].subnetwork : undefined;
  const through = subnet === undefined ? 'the egress subnetwork' : `the subnetwork ${subnet}`;
  const enable = subnet === undefined ? '' : ` (gcloud compute networks subnets update ${subnet} --region ${location} --enable-private-ip-google-access)`;
  return {
    id,
    path: 'args.vpcAccess.egress',
    message: `is 'ALL_TRAFFIC', so the reader downloads its snapshots from storage.googleapis.com through ${through}, which reaches Google APIs only with Private Google Access${enable} or Cloud NAT, or every restore fails; `
      + "the component cannot check it: make sure one is on, or use 'PRIVATE_RANGES_ONLY' (Google APIs go direct, the writers' internal address still through the VPC)",
  };
}

/**
 * A reader that delegates from another region than the writers (in the store's region: the GCP
 * component keeps them together) dials GKE's internal passthrough load balancer, which takes
 * clients of its own region only unless global access is on. The chart cannot see the reader's
 * region, so the reader says it.
 */
function globalAccessWarning(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined, location: string): SplitWarning | undefined {
  const id = 'gke-load-balancer-region';
  const store = synthesized.split.store;
  if (!store || location === store.region || synthesized.split.acknowledgedWarnings.has(id) || delegatedDatasets(synthesized, datasets).length === 0) return undefined;
  return {
    id,
    path: 'args.location',
    message: `is ${location}, but the writers' Flight load balancer is in ${store.region}: a GKE internal passthrough load balancer takes clients of its own region only, so every delegated query would time out; `
      + `give the chart's flightLoadBalancer the annotation networking.gke.io/internal-load-balancer-allow-global-access: "true", or run the reader in ${store.region}`,
  };
}
