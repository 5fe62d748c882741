import { describe, expect, it } from 'vitest';
import { bin, run } from '../support/run';

/** Checks of values known only at deploy time fail the program, as `pulumi up` would (own process: the failure ends it). */
describe('deploy-time checks', () => {
  it('fail on a subnet id that resolves to no subnet, and link the DNS zone to no network derived from it', () => {
    const result = run(bin('tsx'), ['test/azure/fixtures/bad-subnet-id.ts']);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain(
      "args.privateEndpoint.subnetId: \"/subscriptions/3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f/resourceGroups/acme-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet\" is not a subnet id; use the subnet's resource id: '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'",
    );
    expect(result.stdout).not.toContain('azure-native:privatedns:VirtualNetworkLink');
  });

  it('fail on an OIDC issuer that resolves to "", with the command that enables it, and create no identity nor credential', () => {
    const result = run(bin('tsx'), ['test/azure/fixtures/empty-oidc-issuer.ts']);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain('args.cluster.oidcIssuerUrl: "" is not an OIDC issuer URL, so no federated credential can trust the cluster\'s tokens');
    expect(result.stderr).toContain('az aks update --enable-oidc-issuer --enable-workload-identity');
    expect(result.stdout).toContain('registered azure-native:storage:StorageAccount telemetry-account');
    expect(result.stdout).not.toContain('UserAssignedIdentity');
    expect(result.stdout).not.toContain('FederatedIdentityCredential');
    expect(result.stdout).not.toContain('RoleAssignment');
  });

  it('fail on a Key Vault secret URL that resolves to no secret, and grant no role on the vault\'s secrets', () => {
    const result = run(bin('tsx'), ['test/azure/fixtures/bad-key-vault-secret-url.ts']);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain('args.clusterApiKey.secretUrl: "https://acme-apps.vault.azure.net/keys/spice-cluster-api-key" is not a Key Vault secret URL');
    expect(result.stdout).not.toContain('devices-api-cluster-api-key');
  });
});
