import { expect } from 'vitest';
import { AnySplitSpec, resolveSplit, SplitSpec, SplitValidationError, storedSplit, StoredSplit } from '../../lib/core';

/** A small valid split on AWS with the default OSS 1.11 image and one dataset of each placement. */
export function awsSplit(overrides: Partial<SplitSpec> = {}): SplitSpec {
  return {
    name: 'shop',
    store: { cloud: 'aws', bucket: 'shop-snapshots', region: 'eu-west-1' },
    datasets: [
      { name: 'orders', from: 's3://lake/orders/', params: { file_format: 'parquet' }, expectedSize: '1Gi' },
      {
        name: 'history',
        from: 'postgres:public.history',
        params: { pg_host: 'db.internal' },
        secretParams: { pg_pass: { secretName: 'shop-db', key: 'password' } },
        readers: 'delegated',
        expectedSize: '1Gi',
      },
      {
        name: 'customers',
        from: 'postgres:public.customers',
        secretParams: { pg_pass: { secretName: 'shop-db', key: 'password' } },
        readers: 'writer-only',
        expectedSize: '1Gi',
      },
    ],
    ...overrides,
  };
}

/** An Enterprise 2.x image. */
export const ENTERPRISE_2 = { edition: 'enterprise', repository: 'example.com/spiceai-enterprise', tag: '2.0.1-enterprise' } as const;

/** The validation error a spec throws; fails the test when it does not throw one. */
export function validationError(spec: unknown): SplitValidationError {
  try {
    resolveSplit(spec as SplitSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(SplitValidationError);
    return error as SplitValidationError;
  }
  throw new Error('expected the split to be refused, but it was accepted');
}

/** The problem reported at a path; fails the test when there is none. */
export function problemAt(spec: unknown, path: string) {
  const error = validationError(spec);
  const problem = error.problems.find((p) => p.path === path);
  expect(problem, `no problem at ${path}; got:\n${error.message}`).toBeDefined();
  return problem!;
}

/** A resolved split with its snapshot store, for the core's renderers of the writer side. */
export function resolveStoredSplit(spec: AnySplitSpec): StoredSplit {
  return storedSplit(resolveSplit(spec), 'the test');
}
