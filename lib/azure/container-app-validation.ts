import type * as inputs from '@pulumi/azure-native/types/input';
import { Findings, quote, ReaderInstance, readerInstance, splitNameOf, SplitWarning, SynthesizedSplit } from '../core';
import { checkReaderInstance, crossRegionWarning } from '../core/reader-instance-checks';
import { pulumiFindings } from '../pulumi/checks';
import { pulumiReaderSplit, ReaderSplitComponent } from '../pulumi/reader-split';
import { ContainerRegistryRef, SpiceReaderContainerAppArgs } from './container-app-args';
import {
  checkAllocation, checkClusterApiKey, checkConsumptionTotal, checkContainerAppDisk, checkContainerAppName, checkHelperImage, checkIdentityName,
  checkManagedEnvironmentId, checkObjectStoreIdentity, checkReservedName, ContainerAppAllocation, readerAllocationOf,
} from './container-app-checks';
import { AZURE_LOCATION, checkResourceGroup, normalizedLocation } from './checks';
import { ReadWriteSplitAzure } from './read-write-split-azure';

// Every check of SpiceReaderContainerApp's args, run before the component registers anything.

/** A port the app takes, read from its ingress or probes, with where it was given. */
interface AppPort {
  readonly port: number;
  readonly path: string;
}

const isPlainPort = (port: unknown): port is number => typeof port === 'number';

/** Ports the application's ingress and probes name: the reader must not take them. */
function derivedAppPorts(args: SpiceReaderContainerAppArgs): AppPort[] {
  const ports: AppPort[] = [];
  const ingress = args.ingress as inputs.app.IngressArgs | undefined;
  if (ingress && typeof ingress === 'object') {
    if (isPlainPort(ingress.targetPort)) ports.push({ port: ingress.targetPort, path: 'ingress.targetPort' });
    const mappings = ingress.additionalPortMappings;
    if (Array.isArray(mappings)) {
      mappings.forEach((mapping, i) => {
        const target = (mapping as inputs.app.IngressPortMappingArgs | undefined)?.targetPort;
        if (isPlainPort(target)) ports.push({ port: target, path: `ingress.additionalPortMappings[${i}].targetPort` });
      });
    }
  }
  const probes = (args.container as inputs.app.ContainerArgs | undefined)?.probes;
  if (Array.isArray(probes)) {
    probes.forEach((probe, i) => {
      const p = probe as inputs.app.ContainerAppProbeArgs | undefined;
      const httpPort = (p?.httpGet as inputs.app.ContainerAppProbeHttpGetArgs | undefined)?.port;
      const tcpPort = (p?.tcpSocket as inputs.app.ContainerAppProbeTcpSocketArgs | undefined)?.port;
      if (isPlainPort(httpPort)) ports.push({ port: httpPort, path: `container.probes[${i}].httpGet.port` });
      if (isPlainPort(tcpPort)) ports.push({ port: tcpPort, path: `container.probes[${i}].tcpSocket.port` });
    });
  }
  return ports;
}

/** The model's checks, with the ports read from ingress and probes reported where they were given. */
function checkModel(args: SpiceReaderContainerAppArgs, synthesized: SynthesizedSplit, own: Findings): ReaderInstance | undefined {
  const given = args.appPorts;
  const derived = Array.isArray(given) || given === undefined ? derivedAppPorts(args) : [];
  const appPorts = Array.isArray(given) || given === undefined ? [...(given ?? []), ...derived.map((p) => p.port)] : given;
  const options = { datasets: args.datasets, appPorts, metricsPort: args.metricsPort, imageRepository: args.imageRepository, localDisk: args.localDisk };
  const scratch = new Findings(own.isLateBound);
  checkReaderInstance(synthesized, 'container-apps', options, scratch);
  const userPorts = given?.length ?? 0;
  for (const problem of scratch.problems) {
    const index = /^appPorts\[(\d+)\]$/.exec(problem.path);
    const path = index && Number(index[1]) >= userPorts ? derived[Number(index[1]) - userPorts].path : problem.path;
    own.problem(path, problem.message, problem.fix);
  }
  if (scratch.problems.length > 0) return undefined;
  return readerInstance(synthesized, 'container-apps', options);
}

/** A list argument as an array (anything else is the type checker's to refuse). */
const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);

/** What the component builds from once its args passed every check. */
export interface CheckedContainerAppReader {
  readonly synthesized: SynthesizedSplit;
  readonly instance: ReaderInstance;
  readonly reader: ContainerAppAllocation;
  readonly app: ContainerAppAllocation;
  /** Warnings of a Spice Cloud split's description, checked here (a ReadWriteSplitAzure logged its own). */
  readonly warnings: readonly SplitWarning[];
}

const AZURE_COMPONENT: ReaderSplitComponent = {
  name: 'ReadWriteSplitAzure',
  grants: 'container',
  synthesizedOf: (split) => (split instanceof ReadWriteSplitAzure ? split.synthesized : undefined),
};

/** The app's location: the store's region by default, so required for a Spice Cloud split. */
function checkLocation(location: unknown, spiceCloud: boolean, own: Findings): void {
  if (location === undefined) {
    if (spiceCloud) own.problem('location', 'is missing, and a Spice Cloud split has no store whose region it could default to', "give the app's Azure region, e.g. 'westeurope'");
  } else if (typeof location !== 'string' || !AZURE_LOCATION.test(normalizedLocation(location))) {
    own.problem('location', `${quote(location)} is not an Azure location`, "use an Azure region, e.g. 'westeurope'");
  }
}

/** Checks everything before any resource is registered; returns the reader and the allocations when usable. */
export function checkArgs(name: string, args: SpiceReaderContainerAppArgs): CheckedContainerAppReader {
  const findings = pulumiFindings();
  const own = findings.under('args');
  if (!args || typeof args !== 'object') {
    own.problem('(split)', `${quote(args)} is not the component's args`, 'give { split, resourceGroupName, managedEnvironmentId, container, cpu, memory }');
    findings.throwIfProblems('<unnamed>', name);
  }
  // The other args are checked even when the split is unusable: every problem at once.
  const { synthesized, spiceCloud } = pulumiReaderSplit(args.split, AZURE_COMPONENT, findings);
  // A reader of a Spice Cloud app opens no abfss:// location.
  // Reported at the description's paths (split.…), as its own problems are.
  if (synthesized && !spiceCloud) checkObjectStoreIdentity(synthesized, findings);
  checkLocation(args.location, spiceCloud, own);
  checkResourceGroup(args.resourceGroupName, own);
  checkManagedEnvironmentId(args.managedEnvironmentId, own);
  checkContainerAppName(args.containerAppName ?? name, args.containerAppName !== undefined, own);
  checkIdentityName(args.identityName, own);
  checkHelperImage(args.helperImage, own);
  if (args.environmentType !== undefined && args.environmentType !== 'workload-profiles' && args.environmentType !== 'consumption-only') {
    own.problem('environmentType', `${quote(args.environmentType)} is not an environment type`, "use 'workload-profiles' or 'consumption-only'");
  }

  const container = args.container as inputs.app.ContainerArgs | undefined;
  if (!container || typeof container !== 'object') {
    own.problem('container', `${quote(container)} is not a container`, "give the app's container, e.g. { name: 'app', image: 'acme/app:1.2.3' }");
  } else {
    if (container.name === undefined) own.problem('container.name', 'is missing', "name the app's container, e.g. 'app'");
    checkReservedName(container.name, 'container.name', own);
    if (container.image === undefined) own.problem('container.image', 'is missing', "give the app's image, e.g. 'acme/app:1.2.3'");
  }
  list(args.secrets).forEach((secret, i) => checkReservedName((secret as inputs.app.SecretArgs)?.name, `secrets[${i}].name`, own));
  list(args.containerRegistries).forEach((registry, i) => {
    const server = (registry as ContainerRegistryRef | undefined)?.server;
    if (typeof server !== 'string' || !/^[a-z0-9]{5,50}\.azurecr\.(io|cn|us)$/.test(server)) {
      own.problem(`containerRegistries[${i}].server`, `${quote(server)} is not an Azure Container Registry login server`, "use '<registry>.azurecr.io'");
    }
  });
  list(args.volumes).forEach((volume, i) => checkReservedName((volume as inputs.app.VolumeArgs)?.name, `volumes[${i}].name`, own));
  const ingress = args.ingress as inputs.app.IngressArgs | undefined;
  if (ingress !== undefined && (typeof ingress !== 'object' || ingress === null)) {
    own.problem('ingress', `${quote(ingress)} is not an ingress`, 'give { targetPort } of the app, or leave it out for no ingress');
  } else if (ingress && own.isLateBound(ingress)) {
    // Its fields are read here (internal by default, the app's ports): an Output would spread into nothing.
    own.problem('ingress', 'is a Pulumi Output, but the component reads its fields (external, targetPort) when the program runs', 'give the ingress as a plain object; its fields may be Outputs');
  } else if (ingress && ingress.targetPort === undefined) {
    own.problem('ingress.targetPort', "is missing: ingress must name the app's port, and never the reader's", "give the app's port, e.g. 8080");
  }

  const instance = synthesized && checkModel(args, synthesized, own);
  // A Spice Cloud split's reader delegates every dataset, known even when its description has problems.
  checkClusterApiKey(args.clusterApiKey, instance?.delegates ?? (spiceCloud || undefined), spiceCloud, own);

  // Allocations: the reader's (given or the split's limits), the app's (given or what the totals leave).
  const reader = args.readerResources === undefined
    ? (instance ? readerAllocationOf(instance) : undefined)
    : checkAllocation(args.readerResources, 'readerResources', own);
  const totalsGiven = args.cpu !== undefined || args.memory !== undefined;
  const totals = totalsGiven ? checkAllocation({ cpu: args.cpu, memory: args.memory }, '', own) : undefined;
  const appResources = container && typeof container === 'object' ? container.resources : undefined;
  let app = appResources === undefined ? undefined : checkAllocation(appResources, 'container.resources', own);
  if (appResources === undefined && !totalsGiven) {
    own.problem('cpu', "and memory are missing, and so is the app's container.resources", "give the replica's totals, e.g. cpu: 1, memory: '2Gi' (the app gets what the reader leaves), or container.resources");
  }
  if (reader && totals && appResources === undefined) {
    app = { cpu: totals.cpu - reader.cpu, memory: totals.memory - reader.memory };
    if (app.cpu <= 0 || app.memory <= 0) {
      own.problem('cpu', `${totals.cpu / 100} vCPU with memory ${totals.memory / 100}Gi (the replica's totals) leave the app nothing once the reader has its ${reader.cpu / 100} vCPU and ${reader.memory / 100}Gi`, 'raise the totals, or lower readerResources');
      app = undefined;
    }
  } else if (reader && totals && app && (app.cpu + reader.cpu !== totals.cpu || app.memory + reader.memory !== totals.memory)) {
    own.problem('cpu', `${totals.cpu / 100} vCPU with memory ${totals.memory / 100}Gi (the replica's totals) are not the app's container.resources plus the reader's (${(app.cpu + reader.cpu) / 100} vCPU, ${(app.memory + reader.memory) / 100}Gi)`, 'give the totals or container.resources, not both');
  }
  if (reader && app) {
    const total = { cpu: app.cpu + reader.cpu, memory: app.memory + reader.memory };
    const parts = `app ${app.cpu / 100} vCPU / ${app.memory / 100}Gi, reader ${reader.cpu / 100} vCPU / ${reader.memory / 100}Gi`;
    const dedicated = args.workloadProfileName !== undefined && args.workloadProfileName !== 'Consumption';
    if (!dedicated) checkConsumptionTotal(total, parts, args.environmentType ?? 'workload-profiles', own);
    if (instance) checkContainerAppDisk(instance, total.cpu, args.localDisk !== undefined, findings);
  }
  findings.throwIfProblems(synthesized?.split.name ?? splitNameOf(args.split), name);
  const allocation = (a: { cpu: number; memory: number }): ContainerAppAllocation => ({ cpu: a.cpu / 100, memory: `${a.memory / 100}Gi` });
  // Given in any of Azure's spellings ('West Europe'), compared in the store's.
  const location = typeof args.location === 'string' ? normalizedLocation(args.location) : undefined;
  const region = crossRegionWarning(synthesized!, args.datasets, location, 'args.location');
  const readerWarnings = instance!.warnings.map((warning) => ({ ...warning, path: `args.${warning.path}` }));
  return { synthesized: synthesized!, instance: instance!, reader: allocation(reader!), app: allocation(app!), warnings: [...(spiceCloud ? findings.warnings : []), ...readerWarnings, ...(region ? [region] : [])] };
}
