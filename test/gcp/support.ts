import { installCloudMocks } from '../support/pulumi-mocks';

export { recordOptions, registeredSince, registeredUrns, valueOf } from '../support/pulumi-mocks';
export type { Registered } from '../support/pulumi-mocks';

const subnetworks = { privateIpGoogleAccess: true as boolean | undefined };
export const invokes: { token: string; inputs: Record<string, any> }[] = [];

/** Outputs the provider computes that the component reads (a service account's `name`, `email`). */
export function computedOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type !== 'gcp:serviceaccount/account:Account') return {};
  const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
  return { email, member: `serviceAccount:${email}`, name: `projects/${inputs.project}/serviceAccounts/${email}` };
}

/**
 * Installs the Pulumi mocks: resources answered with their inputs and what GCP computes, the
 * subnetwork lookup with `privateIpGoogleAccess` as set by `subnetworkHasPrivateGoogleAccess`.
 */
export function installMocks(): void {
  installCloudMocks({
    resource: (type, name, inputs) => ({ id: `${name}-id`, state: { ...inputs, ...computedOutputs(type, inputs) } }),
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
