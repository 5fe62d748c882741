import { describe, expect, it } from 'vitest';
import { bin, run } from '../support/run';

/**
 * A subnetwork without Private Google Access fails the program at deploy time, as `pulumi up`
 * would, before the bucket or any grant is created. The failure ends the process (an unhandled
 * rejection, as Pulumi reports it), so the program runs in its own process under the same mocks.
 */
describe('the Private Google Access check', () => {
  it.each(['direct', 'impersonate', 'output-name'])('fails the deployment before any resource is created (%s)', (mode) => {
    const result = run(bin('tsx'), ['test/gcp/fixtures/no-private-google-access.ts', mode]);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain(
      'args.subnetwork: the subnetwork "gke-nodes" in europe-west4 has no Private Google Access, so GKE nodes without external addresses cannot reach the snapshot bucket; '
      + 'enable it (gcloud compute networks subnets update gke-nodes --region europe-west4 --project acme-catalog --enable-private-ip-google-access',
    );
    expect(result.stdout.trim().split('\n')).toEqual(['registered read-write-split:index:ReadWriteSplitGcp catalog']);
  });

  it("names a Shared VPC's host project, where the subnetwork was looked up", () => {
    const result = run(bin('tsx'), ['test/gcp/fixtures/no-private-google-access.ts', 'shared-vpc']);
    expect(result.status, result.output).not.toBe(0);
    expect(result.stderr).toContain(
      'args.subnetwork: the subnetwork "gke-nodes" of project acme-network-host in europe-west4 has no Private Google Access, so GKE nodes without external addresses cannot reach the snapshot bucket; '
      + 'enable it (gcloud compute networks subnets update gke-nodes --region europe-west4 --project acme-network-host --enable-private-ip-google-access',
    );
  });
});
