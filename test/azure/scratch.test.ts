import { it } from 'vitest';
import { ReadWriteSplitAzure } from '../../lib/azure';
import { telemetry } from '../../examples/splits/telemetry';
import { MOCK_OIDC_ISSUER } from '../../examples/azure/mock-cloud';
import { installMocks, recordOptions, registeredSince, registeredUrns, valueOf } from './support';
installMocks();
const SUBNET = '/subscriptions/3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-nodes';
it('dumps', async () => {
  const c = new ReadWriteSplitAzure('telemetry', { split: telemetry, resourceGroupName: 'acme-telemetry', cluster: { location: 'westeurope', oidcIssuerUrl: MOCK_OIDC_ISSUER }, privateEndpoint: { subnetId: SUBNET }, readerNamespaces: ['devices'] }, { transformations: [recordOptions] });
  const rs = await registeredSince();
  for (const r of rs) console.log(r.type, r.name, JSON.stringify(r.inputs), r.protect, r.retainOnDelete);
  console.log(JSON.stringify(await valueOf(c.identities)));
  console.log(registeredUrns().join('\n'));
  const o = new ReadWriteSplitAzure('oss', { split: { ...telemetry, name: 'oss', image: { tag: '1.11.5' } }, resourceGroupName: 'acme-telemetry', cluster: { location: 'westeurope' }, privateEndpointManagedElsewhere: true, nodeIdentity: { principalId: '11111111-2222-4333-8444-555555555555' } }, { transformations: [recordOptions] });
  for (const r of await registeredSince()) console.log(r.type, r.name, JSON.stringify(r.inputs));
  console.log(JSON.stringify(await valueOf(o.identities)));
});
