import * as pulumi from '@pulumi/pulumi';
import { CryptoKeyIAMMember } from '@pulumi/gcp/kms/cryptoKeyIAMMember';
import { Findings, quote } from '../core/errors';
import { PROJECT_ID } from './checks';

/** A Cloud KMS key's resource name (its project by id or number); the groups are its project and its location. */
const KMS_KEY_NAME = new RegExp(`^projects/(${PROJECT_ID.source.slice(1, -1)}|\\d+)/locations/([a-z0-9-]+)/keyRings/[\\w-]{1,63}/cryptoKeys/[\\w-]{1,63}$`);

/** The role the Cloud Storage service agent needs on a bucket's key: it encrypts and decrypts every object. */
export const STORAGE_AGENT_KEY_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/** A customer-managed key for the bucket: a Cloud KMS key name, of the bucket's own location. */
export function checkKmsKey(args: { kmsKeyName?: unknown; kmsKeyGrantedElsewhere?: unknown }, bucketRegion: unknown, at: Findings): void {
  const { kmsKeyName, kmsKeyGrantedElsewhere } = args;
  if (kmsKeyGrantedElsewhere === true && kmsKeyName === undefined) {
    at.problem('kmsKeyGrantedElsewhere', 'is true, but no kmsKeyName is given', 'give kmsKeyName, or leave kmsKeyGrantedElsewhere out');
  }
  // A key from another stack is an Output: GCS checks its location when the bucket is created.
  if (kmsKeyName === undefined || at.isLateBound(kmsKeyName)) return;
  const match = typeof kmsKeyName === 'string' ? KMS_KEY_NAME.exec(kmsKeyName) : null;
  if (match === null) {
    at.problem('kmsKeyName', `${quote(kmsKeyName)} is not a Cloud KMS key name`, "write the key's resource name, e.g. 'projects/acme-security/locations/europe-west4/keyRings/storage/cryptoKeys/spice-snapshots'");
  } else if (typeof bucketRegion === 'string' && match[2] !== bucketRegion) {
    at.problem('kmsKeyName', `is in location ${match[2]}, but the bucket is in ${bucketRegion}: Cloud Storage encrypts a bucket only with a key of the bucket's location`, `use a key of a key ring in ${bucketRegion}`);
  }
}

/**
 * The project's Cloud Storage service agent (`service-<project number>@gs-project-accounts...`),
 * which encrypts and decrypts the bucket's objects with its key.
 */
export function storageServiceAgent(projectNumber: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`serviceAccount:service-${projectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
}

/**
 * Grants the Cloud Storage service agent the bucket's key, and gives the key name back from the
 * grant: the bucket that takes it is created only once the agent may use the key (else GCS refuses
 * the bucket). The grant is kept as the bucket is (`retain`): without it, GCS could no longer
 * decrypt the objects already written.
 */
export function grantKeyToStorageAgent(
  name: string,
  grant: { readonly kmsKeyName: pulumi.Input<string>; readonly projectNumber: pulumi.Input<string>; readonly retain: boolean },
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const member = storageServiceAgent(grant.projectNumber);
  const resource = new CryptoKeyIAMMember(name, { cryptoKeyId: grant.kmsKeyName, role: STORAGE_AGENT_KEY_ROLE, member }, { parent, retainOnDelete: grant.retain });
  return resource.cryptoKeyId;
}
