import { describe, expect, it } from 'vitest';
import { SpiceReaderContainerApp, SpiceReaderContainerAppArgs } from '../../lib/azure';
import { MOCK_SUBSCRIPTION } from '../../examples/azure/mock-cloud';
import { installMocks, registeredSince, Registered } from '../azure/support';
import { componentProblems } from '../support/errors';
import { expectCloudReaderSpicepod, INSIGHTS, INSIGHTS_WITH_STORE } from './support';

installMocks();

/** A Container Apps reader of a split whose writer is a Spice Cloud app. */
const ENVIRONMENT_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-apps/providers/Microsoft.App/managedEnvironments/apps`;
const VAULT_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-apps/providers/Microsoft.KeyVault/vaults/acme-apps`;
const KEY_URL = 'https://acme-apps.vault.azure.net/secrets/insights-spice-cloud-api-key';
const args = (extra: Partial<SpiceReaderContainerAppArgs> = {}): SpiceReaderContainerAppArgs => ({
  split: INSIGHTS,
  resourceGroupName: 'acme-apps',
  managedEnvironmentId: ENVIRONMENT_ID,
  location: 'westus2',
  container: { name: 'web', image: 'acme/reporting-web:2.3.0' },
  cpu: 2.5,
  memory: '5Gi',
  clusterApiKey: { secretUrl: KEY_URL, keyVaultId: VAULT_ID },
  ...extra,
});
const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);

describe('a Container Apps reader of a Spice Cloud split', () => {
  it("delivers a Spicepod that delegates every dataset to the app, with the app's key from Key Vault and nothing restored", async () => {
    new SpiceReaderContainerApp('reporting', args());
    const resources = await registeredSince();
    const [app] = ofType(resources, 'azure-native:app:ContainerApp');
    const secrets = app.inputs.configuration.secrets;
    expectCloudReaderSpicepod(secrets.find((s: { name: string }) => s.name === 'spice-reader-spicepod').value);
    const [identity] = ofType(resources, 'azure-native:managedidentity:UserAssignedIdentity');
    expect(secrets).toContainEqual({ name: 'spice-reader-cluster-api-key', keyVaultUrl: KEY_URL, identity: identity.state.id });
    const reader = app.inputs.template.containers.find((c: { name: string }) => c.name === 'spice-reader');
    // The reader opens no store: no identity is selected for object_store.
    expect(reader.env.map((e: { name: string }) => e.name)).toEqual(['HOME', 'SPICE_CLUSTER_API_KEY', 'SPICEPOD_SHA256']);
    expect(app.inputs.location).toBe('westus2');
    expect(identity.inputs.location).toBe('westus2');
  });

  it("gives the app's identity the Key Vault secret only: no storage role", async () => {
    new SpiceReaderContainerApp('reporting', args());
    const roles = ofType(await registeredSince(), 'azure-native:authorization:RoleAssignment');
    expect(roles.map((r) => [r.name, r.inputs.scope])).toEqual([['reporting-cluster-api-key', `${VAULT_ID}/secrets/insights-spice-cloud-api-key`]]);
  });

  it("refuses a reader without the app's key or a location, and the description's own problems, before registering anything", async () => {
    expect(componentProblems(() => new SpiceReaderContainerApp('reporting', args({ clusterApiKey: undefined, location: undefined })), 'reporting')).toEqual([
      "args.location: is missing, and a Spice Cloud split has no store whose region it could default to; give the app's Azure region, e.g. 'westeurope'",
      expect.stringMatching(/^args\.clusterApiKey: is missing: this reader delegates every dataset to the Spice Cloud app over Arrow Flight and must present the app's API key/),
    ]);
    // The description's problems and the args' together.
    expect(componentProblems(() => new SpiceReaderContainerApp('reporting', args({ split: INSIGHTS_WITH_STORE, clusterApiKey: undefined, containerAppName: 'Reporting_Web' })), 'reporting')).toEqual([
      expect.stringMatching(/^split\.store: /),
      expect.stringMatching(/^args\.containerAppName: "Reporting_Web" is not a container app name/),
      expect.stringMatching(/^args\.clusterApiKey: is missing/),
    ]);
    // A replica of 0.5 vCPU has 2 GiB of ephemeral storage: 1Gi of /local, HOME and scratch do not fit, and nothing is restored to trim.
    expect(componentProblems(() => new SpiceReaderContainerApp('reporting', args({ cpu: 0.5, memory: '1Gi', readerResources: { cpu: 0.25, memory: '0.5Gi' } })), 'reporting')).toEqual([
      expect.stringMatching(/^split\.reader\.localDisk: needs 2\.3 GiB with HOME and scratch, more than the ephemeral storage Container Apps gives a replica of 0\.5 vCPU \(2 GiB\); set this reader's localDisk to at most \d+Mi \(this reader restores nothing\), give the replica more vCPU/),
    ]);
    expect(await registeredSince()).toEqual([]);
  });
});
