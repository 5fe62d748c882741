import type * as Pulumi from '@pulumi/pulumi';
import type { ReadWriteSplitAzureArgs } from '../azure/read-write-split-azure';
import type { ReadWriteSplitGcpArgs } from '../gcp/read-write-split-gcp';
import { optionalModule } from './optional-module';
import { AzureTarget, describedSplit, GcpTarget, SplitFile } from './split-file';
import { ValidationProblem } from '../core/errors';
import { problemsOf } from './thrown-problems';

/** One resource the component would create: its type, name and inputs (computed values as `<output of ...>`). */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface PulumiPlan {
  readonly problems: readonly ValidationProblem[];
  /** The resources, in the order the component registers them; undefined when there are problems. */
  readonly resources?: readonly PlannedResource[];
}

// The file's plain sections are the components' args: assignable (below), and naming every arg (a
// new arg of a component fails this type until the file's section has it too).
type Uncovered<Args, Section> = Exclude<keyof Omit<Args, 'split'>, keyof Section>;
type Covered<Missing extends never> = Missing;
export type GcpSectionComplete = Covered<Uncovered<ReadWriteSplitGcpArgs, GcpTarget>>;
export type AzureSectionComplete = Covered<Uncovered<ReadWriteSplitAzureArgs, AzureTarget>>;

const gcpArgs = (file: SplitFile, gcp: GcpTarget): ReadWriteSplitGcpArgs => ({ ...gcp, split: describedSplit(file) });
const azureArgs = (file: SplitFile, azure: AzureTarget): ReadWriteSplitAzureArgs => ({ ...azure, split: describedSplit(file) });

const registered: PlannedResource[] = [];
let pulumi: typeof Pulumi | undefined;

/** Azure's subscription, known only once deployed: the placeholder in every resource id. */
const UNKNOWN_GUID = '00000000-0000-0000-0000-000000000000';

/** The ARM provider path of the Azure resources whose ids a plan shows as scopes; others keep the Pulumi type. */
const ARM_PATHS: Record<string, (inputs: Record<string, any>) => string> = {
  'azure-native:storage:StorageAccount': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}`,
  'azure-native:storage:BlobContainer': (i) => `Microsoft.Storage/storageAccounts/${i.accountName}/blobServices/default/containers/${i.containerName}`,
  'azure-native:managedidentity:UserAssignedIdentity': (i) => `Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName}`,
  'azure-native:network:PrivateEndpoint': (i) => `Microsoft.Network/privateEndpoints/${i.privateEndpointName}`,
  'azure-native:privatedns:PrivateZone': (i) => `Microsoft.Network/privateDnsZones/${i.privateZoneName}`,
};

/**
 * What the cloud would answer for a resource, as placeholders the components accept: Azure ids in
 * ARM's shape under the zero-GUID subscription (the components derive subscriptions and scopes
 * from them), an identity's ids named after it (`<principalId of NAME>`, so a plan shows which
 * identity gets which role), GCP ids as `<id of NAME>`.
 */
function answer(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, unknown> } {
  if (!type.startsWith('azure-native:')) return { id: `<id of ${name}>`, state: { ...inputs, name: inputs.name ?? name } };
  const path = ARM_PATHS[type]?.(inputs) ?? `${type.split(':').slice(1).join('/')}/${name}`;
  const id = `/subscriptions/${UNKNOWN_GUID}/resourceGroups/${inputs.resourceGroupName ?? 'unknown'}/providers/${path}`;
  // A container's inputs name its account too: the container's own name comes first.
  const known = inputs.containerName ?? inputs.accountName ?? inputs.resourceName ?? inputs.privateZoneName ?? inputs.privateEndpointName ?? name;
  const computed = (key: string) => `<${key} of ${known}>`;
  return { id, state: { ...inputs, id, name: known, principalId: computed('principalId'), clientId: computed('clientId'), tenantId: computed('tenantId') } };
}

/**
 * Pulumi's own mocks, installed once per process: no engine and no cloud is reached. Lookups are
 * answered as passing (the components check them again at deploy time: e.g. the subnetwork's
 * Private Google Access).
 */
function mocked(side: 'gcp' | 'azure'): typeof Pulumi {
  if (pulumi) return pulumi;
  pulumi = optionalModule<typeof Pulumi>('@pulumi/pulumi', side);
  pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return answer(args.type, args.name, args.inputs);
    },
    call: (args) => ({ ...args.inputs, privateIpGoogleAccess: true }),
  }, 'read-write-split', 'plan', true);
  return pulumi;
}

async function settled(): Promise<void> {
  await (pulumi!.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/**
 * The resources `ReadWriteSplitGcp` or `ReadWriteSplitAzure` would create for the file, from the
 * component itself under Pulumi's mocks; problems come back with paths of the file.
 */
export async function planPulumi(file: SplitFile, cloud: 'gcp' | 'azure'): Promise<PulumiPlan> {
  const section = file[cloud];
  if (!section) return { problems: [{ path: cloud, message: `is missing, but the ${cloud} target was asked for`, fix: `add a ${cloud} section (docs/cli.md)` }] };
  mocked(cloud);
  await settled();
  registered.length = 0;
  // What the component refuses once values resolve (a deploy-time check) rejects a promise of its own.
  const failures: unknown[] = [];
  const onFailure = (error: unknown) => failures.push(error);
  process.on('unhandledRejection', onFailure);
  // The component logs the description's warnings (pulumi.log.warn, on the console without an
  // engine): the command prints each once, at its line.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await planComponent(file, cloud, section, failures);
  } finally {
    console.warn = warn;
    process.off('unhandledRejection', onFailure);
  }
}

async function planComponent(file: SplitFile, cloud: 'gcp' | 'azure', section: GcpTarget | AzureTarget, failures: readonly unknown[]): Promise<PulumiPlan> {
  try {
    if (cloud === 'gcp') {
      const { ReadWriteSplitGcp } = optionalModule<typeof import('../gcp')>('../gcp', 'gcp');
      new ReadWriteSplitGcp(file.split?.name ?? 'split', gcpArgs(file, section as GcpTarget));
    } else {
      const { ReadWriteSplitAzure } = optionalModule<typeof import('../azure')>('../azure', 'azure');
      new ReadWriteSplitAzure(file.split?.name ?? 'split', azureArgs(file, section as AzureTarget));
    }
  } catch (error) {
    return { problems: problemsOf(error, { props: cloud, propsKey: 'args' }) };
  }
  await settled();
  const resources = registered.splice(0);
  if (failures.length > 0) {
    return { problems: failures.map((error) => ({ path: cloud, message: `the component refused a value once resolved: ${String((error as Error)?.message ?? error).split('\n')[0]}`, fix: 'correct the value it names' })) };
  }
  return { problems: [], resources };
}
