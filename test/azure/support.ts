import * as pulumi from '@pulumi/pulumi';
import { mockAzureCall, mockAzureResource } from '../../examples/azure/mock-cloud';

/** One resource the mocked Pulumi run registered, with the options the component gave it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  /** What the mocked Azure answered: the inputs plus the ARM id and computed ids (an identity's clientId, principalId). */
  readonly state: Record<string, any>;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

const registered: Omit<Registered, 'protect' | 'retainOnDelete'>[] = [];
const options = new Map<string, { protect?: boolean; retainOnDelete?: boolean }>();

/**
 * Installs the Pulumi mocks (once per test file: vitest runs each file in its own worker, and
 * setMocks is global to the process). Every resource is recorded with its inputs and answered as
 * the example's mocked Azure answers (ARM ids, identities' client, principal and tenant ids).
 */
export function installMocks(): void {
  pulumi.runtime.setMocks({
    newResource: (args) => {
      const answer = mockAzureResource(args.type, args.name, args.inputs);
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, state: answer.state });
      return answer;
    },
    call: (args) => mockAzureCall(args.token, args.inputs),
  }, 'project', 'stack', false);
}

/**
 * The mock monitor sees no resource options, so they are read where the SDK applies them: a
 * transformation on the component receives every child's options.
 */
export const recordOptions: pulumi.ResourceTransformation = (args) => {
  options.set(args.name, { protect: args.opts.protect, retainOnDelete: args.opts.retainOnDelete });
  return undefined;
};

/** Waits until every registration so far has reached the mocks, then returns what was registered since the last call. */
export async function registeredSince(): Promise<Registered[]> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const found = registered.splice(0).map((resource) => ({ ...resource, ...options.get(resource.name) }));
  options.clear();
  return found;
}

/** URNs of every resource the mock monitor registered in this process. */
export function registeredUrns(): string[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return [...monitor.getRegisteredResources().keys()].sort();
}

/** An Output's value under mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The resources of one type. */
export function ofType(resources: readonly Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of a type and name. */
export function named(resources: readonly Registered[], type: string, name: string): Registered {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} in ${resources.map((r) => `${r.type} ${r.name}`).join(', ')}`);
  return found;
}

/** Registration order follows when inputs resolve: compare as sets. */
export const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Azure built-in roles the component assigns. */
export const ROLE = {
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
} as const;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resource types of azure-native the component registers. */
export const T = {
  component: 'read-write-split:index:ReadWriteSplitAzure',
  account: 'azure-native:storage:StorageAccount',
  blobService: 'azure-native:storage:BlobServiceProperties',
  container: 'azure-native:storage:BlobContainer',
  policy: 'azure-native:storage:ManagementPolicy',
  endpoint: 'azure-native:network:PrivateEndpoint',
  zone: 'azure-native:privatedns:PrivateZone',
  link: 'azure-native:privatedns:VirtualNetworkLink',
  zoneGroup: 'azure-native:network:PrivateDnsZoneGroup',
  identity: 'azure-native:managedidentity:UserAssignedIdentity',
  credential: 'azure-native:managedidentity:FederatedIdentityCredential',
  role: 'azure-native:authorization:RoleAssignment',
} as const;
