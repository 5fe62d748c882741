import { describe, expect, it } from 'vitest';
import { catalog } from '../../examples/splits/catalog';
import { lockDescription } from '../../lib/core';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { componentProblems } from '../support/errors';
import { installMocks } from './support';

installMocks();

const CLUSTER = { region: 'europe-west4', project: 'acme-catalog', projectNumber: '123456789012' };

describe('ReadWriteSplitGcp with an upgraded description', () => {
  it('refuses a removed dataset, through the same error as every other problem', () => {
    const lock = lockDescription({ ...catalog, upgradeFrom: undefined });
    const split = { ...catalog, datasets: catalog.datasets.slice(0, 1), upgradeFrom: { lock } };
    const problems = componentProblems(() => new ReadWriteSplitGcp('catalog', { split, cluster: CLUSTER, subnetwork: { name: 'gke-nodes' } }), 'catalog');
    expect(problems).toEqual([expect.stringMatching(/^split\.datasets: no longer have "reviews" \(datasets\[1\] in the lock, delegated\).*allow: \[\{ change: 'dataset-removed', dataset: 'reviews' \}\] \}$/)]);
  });
});
