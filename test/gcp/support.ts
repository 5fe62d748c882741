import { installCloudMocks } from '../support/pulumi-mocks';

export { recordOptions, registeredSince, registeredUrns, valueOf } from '../support/pulumi-mocks';
export type { Registered } from '../support/pulumi-mocks';

const subnetworks = { privateIpGoogleAccess: true as boolean | undefined };
export const invokes: { token: string; inputs: Record<string, any> }[] = [];

/** Outputs the provider computes that the component reads (a service account's `name`, `email`). */
export function computedOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type === 'gcp:secretmanager/secret:Secret') return { name: `projects/${inputs.project}/secrets/${inputs.secretId}` };
  if (type === 'gcp:secretmanager/secretVersion:SecretVersion') return { version: '1', name: `${inputs.secret}/versions/1` };
  if (type === 'gcp:cloudrunv2/service:Service') return { uri: `https://${inputs.name}-abc123-ew.a.run.app` };
  if (type !== 'gcp:serviceaccount/account:Account') return {};
  const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
  return { email, member: `serviceAccount:${email}`, name: `projects/${inputs.project}/serviceAccounts/${email}` };
}

/** The id the provider gives: a secret's is its full name, which a secret version names. */
function computedId(type: string, name: string, inputs: Record<string, any>): string {
  return type === 'gcp:secretmanager/secret:Secret' ? `projects/${inputs.project}/secrets/${inputs.secretId}` : `${name}-id`;
}

/**
 * Installs the Pulumi mocks: resources answered with their inputs and what GCP computes, the
 * subnetwork lookup with `privateIpGoogleAccess` as set by `subnetworkHasPrivateGoogleAccess`.
 */
export function installMocks(): void {
  installCloudMocks({
    resource: (type, name, inputs) => ({ id: computedId(type, name, inputs), state: { ...inputs, ...computedOutputs(type, inputs) } }),
    call: (token, inputs) => {
      invokes.push({ token, inputs });
      if (token === 'gcp:compute/getSubnetwork:getSubnetwork') return { ...inputs, privateIpGoogleAccess: subnetworks.privateIpGoogleAccess };
      return inputs;
    },
  });
}

export function subnetworkHasPrivateGoogleAccess(value: boolean | undefined): void {
  subnetworks.privateIpGoogleAccess = value;
}
