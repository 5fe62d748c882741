import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it, vi } from 'vitest';
import type { SplitSpec } from '../../lib';
import { ReadWriteSplitAzure, ReadWriteSplitAzureArgs } from '../../lib/azure';
import { MOCK_OIDC_ISSUER, MOCK_SUBSCRIPTION } from '../../examples/azure/mock-cloud';
import { telemetry } from '../../examples/splits/telemetry';
import { derivedSplit } from '../support/example-splits';
import { installMocks, registeredSince, T } from './support';
import { componentProblems } from '../support/errors';

installMocks();

const SUBNET_ID = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-nodes`;
const CLUSTER = { location: 'westeurope', oidcIssuerUrl: MOCK_OIDC_ISSUER };
const BASE: ReadWriteSplitAzureArgs = { split: telemetry, resourceGroupName: 'acme-telemetry', cluster: CLUSTER, privateEndpointManagedElsewhere: true };
const KUBELET = '6b1f0c2e-4d3a-4e5f-8a7b-9c0d1e2f3a4b';
const oss: SplitSpec = { ...telemetry, image: { tag: '1.11.5' } };

/** Every problem the component reports, as `path: message; fix`. */
function problemsOf(args: ReadWriteSplitAzureArgs): string[] {
  return componentProblems(() => new ReadWriteSplitAzure('bad', args), 'bad');
}

describe('bad input', () => {
  it('lists every problem in one error, before any resource is registered', async () => {
    const problems = problemsOf({
      split: { ...telemetry, store: { cloud: 'azure', account: 'Shop-Snaps', container: 'a--b', region: 'northeurope' }, retention: { refreshSnapshots: '12h' } },
      resourceGroupName: 'acme-telemetry',
      cluster: { location: 'westeurope' },
      privateEndpoint: { subnetId: '/subscriptions/x/subnets/y', privateDnsZoneId: '/subscriptions/abc/privateDnsZones/privatelink.blob.core.windows.net' },
      privateEndpointManagedElsewhere: true,
      nodeIdentity: { principalId: KUBELET },
      readerNamespaces: ['Shop!'],
      readerServiceAccounts: [{ namespace: 'shop', name: 'API_client' }],
      accountSku: 'Premium_LRS',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'split.store.account',
      'split.store.container',
      'split.retention.refreshSnapshots',
      'args.cluster.location',
      'args.cluster.oidcIssuerUrl',
      'args.privateEndpointManagedElsewhere',
      'args.privateEndpoint.subnetId',
      'args.privateEndpoint.privateDnsZoneId',
      'args.nodeIdentity',
      'args.accountSku',
      'args.readerNamespaces[0]',
      'args.readerServiceAccounts[0].name',
    ]);
    const all = problems.join('\n');
    expect(all).toMatch(/"Shop-Snaps" is not a storage account name; use 3-24 lowercase letters and digits/);
    expect(all).toMatch(/"a--b" is not a container name; .*single '-'/);
    expect(all).toMatch(/"12h" is not a whole number of days; .*round it to whole days/);
    expect(all).toMatch(/args\.cluster\.location: westeurope is not the store's region northeurope; keep the storage account in the location of the cluster/);
    expect(all).toMatch(/args\.cluster\.oidcIssuerUrl: is missing: .*; give the cluster's issuer, e\.g\. containerservice\.getManagedClusterOutput/);
    expect(all).toMatch(/args\.privateEndpointManagedElsewhere: is true together with privateEndpoint; .*not both/);
    expect(all).toMatch(/"\/subscriptions\/x\/subnets\/y" is not a subnet id; use the subnet's resource id: '\/subscriptions\/<id>\/resourceGroups\/<rg>\/providers\/Microsoft\.Network\/virtualNetworks\/<vnet>\/subnets\/<subnet>'/);
    expect(all).toMatch(/"\/subscriptions\/abc\/privateDnsZones\/privatelink\.blob\.core\.windows\.net" is not the id of a privatelink\.blob private DNS zone; use the zone's resource id/);
    expect(all).toMatch(/args\.nodeIdentity: is only for spiced 1\.x: .*would let every pod on them write the snapshots; remove it/);
    expect(all).toMatch(/"Premium_LRS" is not a StorageV2 standard SKU; use one of Standard_LRS, Standard_ZRS/);
    expect(all).toMatch(/"Shop!" is not a Kubernetes namespace; use a DNS label/);
    expect(all).toMatch(/"API_client" is not a ServiceAccount name; use lowercase letters, digits, '-' and '\.'/);
    expect(await registeredSince()).toEqual([]);
  });

  it('requires the private endpoint, or the statement that it is managed elsewhere', () => {
    expect(problemsOf({ ...BASE, privateEndpointManagedElsewhere: undefined })).toEqual([
      expect.stringMatching(/^args\.privateEndpoint: is missing: the storage account refuses public network access.*; give \{ subnetId \} .*or set privateEndpointManagedElsewhere: true/),
    ]);
    expect(problemsOf({ ...BASE, privateEndpointManagedElsewhere: 'yes' as unknown as boolean })).toEqual([
      expect.stringMatching(/^args\.privateEndpoint: is missing/),
      expect.stringMatching(/^args\.privateEndpointManagedElsewhere: "yes" is not a boolean; use true or false/),
    ]);
  });

  it('refuses a store of another cloud', () => {
    const onGcp = derivedSplit(telemetry, { store: { cloud: 'gcp', bucket: 'acme-telemetry', region: 'europe-west4' } as SplitSpec['store'] });
    expect(problemsOf({ ...BASE, split: onGcp })).toEqual([
      expect.stringMatching(/^split\.store\.cloud: 'gcp' is not 'azure': this component creates an Azure storage account; set store\.cloud to 'azure'/),
    ]);
  });

  it('refuses more reader ServiceAccounts than one identity trusts (20 federated credentials)', async () => {
    const readers = (namespaces: number) => ({
      readerNamespaces: Array.from({ length: namespaces }, (_, i) => `team${i}`),
      readerServiceAccounts: Array.from({ length: 6 }, (_, i) => ({ namespace: 'apps', name: `app${i}` })),
    });
    expect(problemsOf({ ...BASE, ...readers(15) })).toEqual([
      expect.stringMatching(/^args\.readerNamespaces: with readerServiceAccounts names 21 reader ServiceAccounts, but a managed identity trusts at most 20 federated credentials; group readers/),
    ]);
    new ReadWriteSplitAzure('twenty', { ...BASE, ...readers(14) });
    expect((await registeredSince()).filter((r) => r.type === T.credential)).toHaveLength(21);
  });

  it('refuses Pulumi Outputs in the description, which the cdk8s app shares, and in the args that name resources', () => {
    const split = { ...telemetry, namespace: pulumi.output('telemetry'), store: { ...telemetry.store, account: pulumi.output('acmetelemetry') } } as unknown as SplitSpec;
    // Each once, at its path: nothing derived from them quotes an Output's placeholder text.
    expect(problemsOf({ ...BASE, split })).toEqual([
      expect.stringMatching(/^split\.store\.account: is a Pulumi Output/),
      expect.stringMatching(/^split\.namespace: is a Pulumi Output or Promise, but the description is shared with the Kubernetes app and must hold plain values; write the value itself$/),
    ]);
    expect(problemsOf({ ...BASE, readerNamespaces: [pulumi.output('shop') as unknown as string] })).toContainEqual(
      expect.stringMatching(/^args\.readerNamespaces\[0\]: is a Pulumi Output or Promise, but it names resources/),
    );
  });

  it('refuses a reader ServiceAccount listed twice or granted already', () => {
    expect(problemsOf({ ...BASE, readerServiceAccounts: [{ namespace: 'shop', name: 'api' }, { namespace: 'shop', name: 'api' }, { namespace: 'telemetry', name: 'telemetry-reader' }] })).toEqual([
      expect.stringMatching(/^args\.readerServiceAccounts\[1\]: "shop\/api" is listed twice/),
      expect.stringMatching(/^args\.readerServiceAccounts\[2\]: "telemetry\/telemetry-reader" is the reader ServiceAccount of a reader namespace/),
    ]);
  });
});

describe('the cluster and the image', () => {
  it('on Spice 2.x, refuses an issuer that is not an https URL, and the node identity', () => {
    expect(problemsOf({ ...BASE, cluster: { location: 'westeurope', oidcIssuerUrl: 'westeurope.oic.prod-aks.azure.com/x' }, nodeIdentity: { principalId: KUBELET } })).toEqual([
      expect.stringMatching(/^args\.cluster\.oidcIssuerUrl: "westeurope\.oic\.prod-aks\.azure\.com\/x" is not an OIDC issuer URL; use the cluster's https:\/\/ issuer URL \(az aks show --query oidcIssuerProfile\.issuerUrl\)/),
      expect.stringMatching(/^args\.nodeIdentity: is only for spiced 1\.x/),
    ]);
  });

  it('on Spice 1.x, requires the node identity and refuses the issuer', () => {
    expect(problemsOf({ ...BASE, split: oss })).toEqual([
      expect.stringMatching(/^args\.cluster\.oidcIssuerUrl: is not used: spiced 1\.x reads abfss:\/\/ locations through the nodes' managed identity.*; remove it, or use a Spice 2\.x image/),
      expect.stringMatching(/^args\.nodeIdentity: is missing: spiced 1\.x opens abfss:\/\/ locations with the nodes' managed identity only.*; give \{ principalId \} of the cluster's kubelet identity \(identityProfile\.kubeletidentity\.objectId\)/),
    ]);
  });

  it("on Spice 1.x, refuses a node identity that is not a principal's object id", () => {
    const resourceId = `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/mc/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agentpool`;
    expect(problemsOf({ ...BASE, split: oss, cluster: { location: 'westeurope' }, nodeIdentity: { principalId: resourceId } })).toEqual([
      expect.stringMatching(/^args\.nodeIdentity\.principalId: ".*agentpool" is not a principal \(object\) id; use the kubelet identity's objectId \(a GUID\)/),
    ]);
  });

  it('refuses a location that is not an Azure location, and a resource group name Azure refuses', () => {
    expect(problemsOf({ ...BASE, resourceGroupName: 'acme telemetry.', cluster: { location: 'West-Europe', oidcIssuerUrl: MOCK_OIDC_ISSUER } })).toEqual([
      expect.stringMatching(/^args\.resourceGroupName: "acme telemetry\." is not a resource group name/),
      expect.stringMatching(/^args\.cluster\.location: "West-Europe" is not an Azure location; write the cluster's location, e\.g\. 'westeurope'/),
    ]);
  });
});

describe('values known only at deploy time', () => {
  it('are accepted for the subnet, DNS zone, issuer, resource group and node identity (the subnet and issuer are checked at deploy time)', async () => {
    const warn = vi.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    new ReadWriteSplitAzure('late', {
      ...BASE,
      privateEndpointManagedElsewhere: undefined,
      privateEndpoint: { subnetId: pulumi.output(SUBNET_ID), privateDnsZoneId: pulumi.output('zone') },
      cluster: { location: 'westeurope', oidcIssuerUrl: pulumi.output(MOCK_OIDC_ISSUER) },
      resourceGroupName: pulumi.output('acme-telemetry'),
    });
    new ReadWriteSplitAzure('late-oss', { ...BASE, split: derivedSplit(oss, { name: 'fleet' }), cluster: { location: 'westeurope' }, nodeIdentity: { principalId: pulumi.output(KUBELET) } });
    const types = (await registeredSince()).map((r) => r.type);
    warn.mockRestore();
    expect(types.filter((type) => type === T.account)).toHaveLength(2);
    expect(types).toContain(T.endpoint);
  });

  it('are accepted as Promises too, which pulumi.Input allows', async () => {
    new ReadWriteSplitAzure('promised', {
      ...BASE,
      privateEndpointManagedElsewhere: undefined,
      privateEndpoint: { subnetId: Promise.resolve(SUBNET_ID) },
      cluster: { location: 'westeurope', oidcIssuerUrl: Promise.resolve(MOCK_OIDC_ISSUER) },
      resourceGroupName: Promise.resolve('acme-telemetry'),
    });
    const registered = await registeredSince();
    expect(registered.find((r) => r.type === T.account)?.inputs.resourceGroupName).toBe('acme-telemetry');
    expect(registered.map((r) => r.type)).toContain(T.endpoint);
  });
});
