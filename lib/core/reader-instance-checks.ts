import { Findings, quote, SplitWarning } from './errors';
import { SPICE_PORTS } from './naming';
import { flightEndpointParts, isClusterOnlyHost } from './flight-tls';
import { ECR_REPOSITORY } from './image-reference';
import { checkReaderDatasets } from './reader-spicepod';
import { checkGivenReaderDisk } from './sizing';
import { SynthesizedSplit } from './synthesize';

/** Where a reader runs beside an application, off Kubernetes. */
export type ReaderPlatform = 'ecs-fargate' | 'cloud-run' | 'container-apps' | 'compose';

/** Each platform's name in messages, and the store cloud it reaches with its own identity (compose: any). */
export const READER_PLATFORMS: Readonly<Record<ReaderPlatform, { readonly title: string; readonly cloud?: 'aws' | 'gcp' | 'azure'; readonly mirror?: string }>> = {
  'ecs-fargate': { title: 'ECS Fargate', cloud: 'aws' },
  'cloud-run': { title: 'Cloud Run', cloud: 'gcp', mirror: 'europe-west4-docker.pkg.dev/acme/spice/spiceai-enterprise-byol' },
  'container-apps': { title: 'Azure Container Apps', cloud: 'azure', mirror: 'acme.azurecr.io/spice-ai/spiceai-enterprise-byol' },
  'compose': { title: 'Docker Compose' },
};

/**
 * Private registries a platform holds no lasting credentials for: Cloud Run pulls with its service
 * account only, and an ECR token (the Enterprise image's AWS Marketplace registry) lasts 12 hours.
 */
const UNREACHABLE_REGISTRIES: Readonly<Partial<Record<ReaderPlatform, RegExp>>> = {
  'cloud-run': new RegExp(`${ECR_REPOSITORY.source}|^[a-z0-9]+\\.azurecr\\.io/`),
  'container-apps': ECR_REPOSITORY,
};
/** An image repository without tag or digest. */
const REPOSITORY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?(\/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)+$/;

/** The reader's image: the split's tag and digest, from `repository` when the platform pulls a mirror. */
export function readerImageReference(synthesized: SynthesizedSplit, repository: string | undefined): string {
  const { image } = synthesized.split;
  return repository === undefined ? image.reference : `${repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

function checkImageRepository(synthesized: SynthesizedSplit, platform: ReaderPlatform, repository: unknown, findings: Findings): void {
  const { title, mirror } = READER_PLATFORMS[platform];
  if (repository !== undefined && (typeof repository !== 'string' || !REPOSITORY.test(repository))) {
    findings.problem('imageRepository', `${quote(repository)} is not an image repository`, `write it without tag or digest, e.g. '${mirror ?? 'registry.example.com/spice/spiceai'}'`);
    return;
  }
  const reference = readerImageReference(synthesized, repository as string | undefined);
  if (UNREACHABLE_REGISTRIES[platform]?.test(reference)) {
    findings.problem(
      'imageRepository',
      `${repository === undefined ? `is not given, so ${title} would pull the split's image ${quote(reference)}` : `${quote(repository)} is`} from a private registry ${title} holds no lasting credentials for`,
      `copy the image into a registry ${title} pulls from and give that repository as imageRepository (the split's tag is kept), e.g. '${mirror}'`,
    );
  }
}

const PORT_ROLES = { http: 'HTTP', flight: 'Arrow Flight', metrics: 'metrics' } as const;

const isPort = (port: unknown): port is number => Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;

interface PortOptions {
  readonly appPorts?: readonly number[];
  readonly metricsPort?: number;
}

/** The application and spiced share one network namespace: no port may be taken twice. */
function checkPorts(options: PortOptions, title: string, findings: Findings): void {
  if (options.metricsPort !== undefined && !isPort(options.metricsPort)) {
    findings.problem('metricsPort', `${quote(options.metricsPort)} is not a port`, 'use a number from 1 to 65535');
  }
  const reader = { http: SPICE_PORTS.http, flight: SPICE_PORTS.flight, metrics: isPort(options.metricsPort) ? options.metricsPort : SPICE_PORTS.metrics };
  if (reader.metrics === reader.http || reader.metrics === reader.flight) {
    findings.problem('metricsPort', `${reader.metrics} is the reader's ${reader.metrics === reader.http ? 'HTTP' : 'Arrow Flight'} port`, 'use another port, e.g. 9090');
  }
  if (options.appPorts !== undefined && !Array.isArray(options.appPorts)) {
    findings.problem('appPorts', `${quote(options.appPorts)} is not a list of ports`, 'list the ports the application listens on, e.g. [8080]');
    return;
  }
  (options.appPorts ?? []).forEach((port, i) => {
    if (!isPort(port)) {
      findings.problem(`appPorts[${i}]`, `${quote(port)} is not a port`, 'use a number from 1 to 65535');
      return;
    }
    const taken = (Object.keys(reader) as (keyof typeof reader)[]).find((role) => reader[role] === port);
    if (taken) {
      findings.problem(
        `appPorts[${i}]`,
        `${port} is the reader's ${PORT_ROLES[taken]} port: the application and spiced share one network namespace on ${title}`,
        taken === 'metrics' ? 'move the application to another port, or set metricsPort' : 'move the application to another port',
      );
    }
  });
}

/** The datasets a reader serving `datasets` (every one by default) delegates to the writers. */
export function delegatedDatasets(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined): string[] {
  return synthesized.split.datasets.filter((d) => d.readers === 'delegated' && (datasets === undefined || datasets.includes(d.name))).map((d) => d.name);
}

/** A reader that delegates dials the writers: off the cluster, the in-cluster address resolves nowhere. */
function checkDelegation(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined, title: string, findings: Findings): void {
  const { split } = synthesized;
  const delegated = delegatedDatasets(synthesized, datasets);
  if (delegated.length === 0) return;
  const endpoint = split.writer.externalFlightEndpoint;
  const host = flightEndpointParts(endpoint)?.host;
  if (host !== undefined && isClusterOnlyHost(host, split.namespace)) {
    const given = endpoint === split.writer.flightEndpoint ? ' (as writer.flightEndpoint)' : '';
    findings.problem(
      'split.writer.externalFlightEndpoint',
      `is${given} the writers' in-cluster address ${quote(endpoint)}, which a reader on ${title} cannot resolve, so its delegated datasets (${delegated.join(', ')}) would never load`,
      "set writer.externalFlightEndpoint to an address the platform reaches (an internal load balancer in front of the writers' Flight port 50051: the chart's flightLoadBalancer renders one), or give this reader accelerated datasets only (datasets)",
    );
  }
  if (split.writer.flightClientCertificate) {
    findings.problem(
      'split.writer.flightClientCertificate',
      `is a client certificate with its key in a Kubernetes Secret, which a reader on ${title} cannot mount`,
      'give this reader accelerated datasets only (datasets), or run it as a Kubernetes sidecar',
    );
  }
}

/** The store must be one the platform's identity reaches: an ECS task role reads S3, not GCS. */
function checkStoreCloud(synthesized: SynthesizedSplit, platform: ReaderPlatform, findings: Findings): void {
  const { title, cloud } = READER_PLATFORMS[platform];
  const store = synthesized.split.store;
  // A reader of a Spice Cloud app (no store) needs nothing of a cloud: it holds the app's API key only.
  if (store && cloud !== undefined && store.cloud !== cloud) {
    findings.problem('split.store.cloud', `${quote(store.cloud)} is not the cloud of ${title} (${cloud}): the reader's identity there reaches no ${store.cloud} bucket`, `run this reader where the ${store.cloud} store is, or keep it a Kubernetes sidecar`);
  }
}

/** Every check a reader off Kubernetes needs beyond the split's own. */
export function checkReaderInstance(
  synthesized: SynthesizedSplit,
  platform: ReaderPlatform,
  options: { readonly datasets?: readonly string[]; readonly appPorts?: readonly number[]; readonly metricsPort?: number; readonly imageRepository?: string; readonly localDisk?: string },
  findings: Findings,
): void {
  const { title } = READER_PLATFORMS[platform] ?? { title: String(platform) };
  const before = findings.problems.length;
  checkReaderDatasets(synthesized.split, options.datasets, findings, 'datasets');
  if (options.localDisk !== undefined) {
    checkGivenReaderDisk(options.localDisk, synthesized.split.datasets, options.datasets, 'localDisk', findings, findings.problems.length === before);
  }
  checkPorts(options, title, findings);
  checkStoreCloud(synthesized, platform, findings);
  checkImageRepository(synthesized, platform, options.imageRepository, findings);
  if (findings.problems.length === 0) checkDelegation(synthesized, options.datasets, title, findings);
}

/**
 * Refuses a reader whose disk (acceleration files, HOME, scratch) exceeds what the platform gives
 * one instance. `limit` says what the platform allows and why, `fix` what to change.
 */
export function checkReaderDisk(diskBytes: number, limitBytes: number, limit: string, fix: string, findings: Findings, path = 'split.reader.localDisk'): void {
  if (diskBytes > limitBytes) {
    const gib = (bytes: number) => `${Math.ceil((bytes / 2 ** 30) * 10) / 10} GiB`;
    findings.problem(path, `needs ${gib(diskBytes)} with HOME and scratch, more than ${limit} (${gib(limitBytes)})`, fix);
  }
}

/** Whether a reader of these datasets (all by default) restores any from snapshots: one of them is accelerated. */
export function readerRestores(split: { readonly datasets: readonly { readonly name: string; readonly readers: string }[] }, datasets: readonly string[] | undefined): boolean {
  return split.datasets.some((dataset) => dataset.readers === 'accelerated' && (datasets === undefined || datasets.includes(dataset.name)));
}

/**
 * A reader off Kubernetes in another region than its snapshots: it works where the store admits
 * it, but every restore crosses regions (slower starts, inter-region transfer). A warning the
 * description can acknowledge; none for a reader that restores nothing (a Spice Cloud split, delegated
 * datasets only) or a region not given as text.
 */
export function crossRegionWarning(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined, location: unknown, path: string): SplitWarning | undefined {
  const id = 'reader-cross-region';
  const store = synthesized.split.store;
  const moot = !store || !readerRestores(synthesized.split, datasets) || synthesized.split.acknowledgedWarnings.has(id);
  if (moot || typeof location !== 'string' || location === store.region) return undefined;
  return {
    id,
    path,
    message: `is ${location}, but the split's snapshots are in ${store.region}: every restore crosses regions (slower starts, inter-region transfer charges); run the reader in ${store.region}, or acknowledge this`,
  };
}
