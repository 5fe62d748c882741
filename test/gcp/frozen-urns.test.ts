import { describe, expect, it } from 'vitest';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { catalog } from '../../examples/splits/catalog';
import { derivedSplit } from '../support/example-splits';
import { installMocks, registeredSince, registeredUrns } from './support';

installMocks();

/**
 * The URNs of the example's resources, frozen: a changed URN makes `pulumi up` replace the resource
 * (the bucket is protected, so the update would fail; the grants would be deleted and re-created).
 */
describe('frozen URNs', () => {
  it('keeps the URN of every resource of the catalog example', async () => {
    new ReadWriteSplitGcp('catalog', {
      split: catalog,
      cluster: { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' },
      subnetwork: { name: 'gke-nodes' },
    });
    await registeredSince();
    expect(registeredUrns()).toEqual([
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucket:Bucket::catalog-snapshots',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucketIAMMember:BucketIAMMember::catalog-reader-storefront/catalog-reader',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucketIAMMember:BucketIAMMember::catalog-writer-storefront/catalog-writer',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp::catalog',
    ]);
  });

  it('keeps the URNs of the Google service accounts of impersonation', async () => {
    const before = new Set(registeredUrns());
    new ReadWriteSplitGcp('shop', {
      split: derivedSplit(catalog, { name: 'shop' }),
      cluster: { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' },
      privateGoogleAccessManagedElsewhere: true,
      impersonateServiceAccounts: true,
    });
    await registeredSince();
    expect(registeredUrns().filter((urn) => !before.has(urn))).toEqual([
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:serviceaccount/account:Account::shop-reader',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:serviceaccount/account:Account::shop-writer',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:serviceaccount/iAMMember:IAMMember::shop-reader-wi-storefront/shop-reader',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:serviceaccount/iAMMember:IAMMember::shop-writer-wi-storefront/shop-writer',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucket:Bucket::shop-snapshots',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucketIAMMember:BucketIAMMember::shop-reader',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp$gcp:storage/bucketIAMMember:BucketIAMMember::shop-writer',
      'urn:pulumi:stack::project::read-write-split:index:ReadWriteSplitGcp::shop',
    ]);
  });
});
