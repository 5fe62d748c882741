import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ReadWriteSplitAzure } from '../../lib/azure';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { mockAzureResource } from '../../examples/azure/mock-cloud';
import { installCloudMocks, registeredSince } from '../support/pulumi-mocks';
import { ROOT } from '../support/run';
import { cli } from '../support/cli';

describe('read-write-split synth for GCP and Azure: the plan of the Pulumi component', () => {
  const planOf = (example: string, cloud: string) => {
    const out = mkdtempSync(join(tmpdir(), 'rws-cli-plan-'));
    const result = cli('synth', join('examples', 'cli', example), '--out', out, '--target', cloud);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${cloud}: ${out}/${cloud}/ plan\\.json \\(the resources ReadWriteSplit\\w+ \\(read-write-split/${cloud}\\) creates: deploy them with it from a Pulumi program`));
    return JSON.parse(readFileSync(join(out, cloud, 'plan.json'), 'utf8')) as { resources: { type: string; name: string; inputs: Record<string, any> }[] };
  };

  it('lists what ReadWriteSplitGcp registers for the same description', async () => {
    const file = parse(readFileSync(join(ROOT, 'examples', 'cli', 'catalog.split.yaml'), 'utf8'));
    const plan = planOf('catalog.split.yaml', 'gcp');
    installCloudMocks({ resource: (_type, name, inputs) => ({ id: `${name}-id`, state: inputs }), call: (_token, inputs) => ({ ...inputs, privateIpGoogleAccess: true }) });
    new ReadWriteSplitGcp('catalog', { ...file.gcp, split: file.split });
    const registered = await registeredSince();
    expect(plan.resources.map((r) => [r.type, r.name])).toEqual(registered.map((r) => [r.type, r.name]));
    const bucket = (resources: { type: string; inputs: Record<string, any> }[]) => resources.find((r) => r.type === 'gcp:storage/bucket:Bucket')!.inputs;
    expect(bucket(plan.resources)).toEqual(bucket(registered));
    expect(bucket(plan.resources)).toMatchObject({ name: 'acme-catalog-snapshots', location: 'EUROPE-WEST4', uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced' });
  });

  it('lists the storage account, container, private endpoint, identities and role assignments of ReadWriteSplitAzure, as it registers them', async () => {
    const plan = planOf('telemetry.split.yaml', 'azure');
    const file = parse(readFileSync(join(ROOT, 'examples', 'cli', 'telemetry.split.yaml'), 'utf8'));
    installCloudMocks({ resource: mockAzureResource, call: (_token, inputs) => inputs });
    new ReadWriteSplitAzure('telemetry', { ...file.azure, split: file.split });
    expect(plan.resources.map((r) => [r.type, r.name])).toEqual((await registeredSince()).map((r) => [r.type, r.name]));
    const types = plan.resources.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining([
      'azure-native:storage:StorageAccount', 'azure-native:storage:BlobContainer', 'azure-native:network:PrivateEndpoint',
      'azure-native:managedidentity:UserAssignedIdentity', 'azure-native:managedidentity:FederatedIdentityCredential', 'azure-native:authorization:RoleAssignment',
    ]));
    const account = plan.resources.find((r) => r.type === 'azure-native:storage:StorageAccount')!.inputs;
    expect(account).toMatchObject({ accountName: 'acmetelemetry', allowBlobPublicAccess: false, allowSharedKeyAccess: false, publicNetworkAccess: 'Disabled' });
    const reader = plan.resources.find((r) => r.name === 'telemetry-reader-blob-data')!.inputs;
    expect(reader.condition).toContain('telemetry/refresh/');
  });

  it('shows which identity gets which role, on the container by its ARM id', () => {
    const plan = planOf('telemetry.split.yaml', 'azure');
    const container = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/telemetry-snapshots/providers/Microsoft.Storage/storageAccounts/acmetelemetry/blobServices/default/containers/spice-snapshots';
    const assignments = plan.resources.filter((r) => r.type === 'azure-native:authorization:RoleAssignment').map((r) => [r.name, r.inputs.principalId, r.inputs.scope, r.inputs.roleDefinitionId.split('/').pop()]);
    expect(assignments).toEqual([
      // Storage Blob Data Contributor, and Storage Blob Data Reader.
      ['telemetry-writer-blob-data', '<principalId of telemetry-spice-writer>', container, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'],
      ['telemetry-reader-blob-data', '<principalId of telemetry-spice-reader>', container, '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'],
    ]);
  });

  it('reports the component\'s own problems at the file\'s paths and lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rws-cli-plan-'));
    const text = readFileSync(join(ROOT, 'examples', 'cli', 'catalog.split.yaml'), 'utf8').replace('region: europe-west4, project', 'region: us-east1, project');
    writeFileSync(join(dir, 'catalog.split.yaml'), text);
    const result = cli('validate', join(dir, 'catalog.split.yaml'));
    expect(result.status).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('region: us-east1')) + 1;
    expect(result.stderr).toMatch(new RegExp(`catalog\\.split\\.yaml:${line}:\\d+ gcp\\.cluster\\.region: .*us-east1`));
  });
});
