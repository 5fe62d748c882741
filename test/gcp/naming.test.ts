import { describe, expect, it } from 'vitest';
import { gcpServiceAccountEmail, gcpServiceAccountId } from '../../lib';

const GOOGLE_ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

describe('Google service account names', () => {
  it('are <split>-spice-<tier> when that fits', () => {
    expect(gcpServiceAccountId('catalog', 'writer')).toBe('catalog-spice-writer');
    expect(gcpServiceAccountEmail('acme-catalog', 'catalog', 'reader')).toBe('catalog-spice-reader@acme-catalog.iam.gserviceaccount.com');
  });

  it('are shortened with a hash when the split name is long, and stay distinct', () => {
    const long = 'storefront-recommendations-eu';
    const ids = ['writer', 'reader'].map((tier) => gcpServiceAccountId(long, tier as 'writer' | 'reader'));
    for (const id of ids) expect(id).toMatch(GOOGLE_ACCOUNT_ID);
    expect(ids[0]).toMatch(/^storefront-rec[a-z-]*-[0-9a-f]{6}-writer$/);
    expect(gcpServiceAccountId('storefront-recommendations-us', 'writer')).not.toBe(ids[0]);
    expect(gcpServiceAccountId(`${'a'.repeat(36)}b`, 'reader')).toMatch(GOOGLE_ACCOUNT_ID);
    expect(gcpServiceAccountId('a', 'reader')).toMatch(GOOGLE_ACCOUNT_ID);
  });
});
