import { expect } from 'vitest';
import { parse } from 'yaml';
import { SpiceCloudSplitSpec } from '../../lib';
import { expectValidSpicepod } from '../support/spicepod-schema';

/** A split whose writer is a Spice Cloud app in us-west-2, read by readers on 1.11.5 (the regional endpoint). */
export const INSIGHTS: SpiceCloudSplitSpec = {
  name: 'insights',
  image: { tag: '1.11.5' },
  writer: { spiceCloud: { region: 'us-west-2' }, apiKey: { secretName: 'insights-spice-cloud', key: 'api-key' } },
  datasets: [{ name: 'daily_revenue', from: 'spice.ai:daily_revenue' }, { name: 'top_products', from: 'spice.ai:sales.top_products' }],
};
export const INSIGHTS_ENDPOINT = 'https://us-west-2-prod-aws-flight.spiceai.io';

/** INSIGHTS with a store, which a Spice Cloud split refuses. */
export const INSIGHTS_WITH_STORE = { ...INSIGHTS, store: { cloud: 'aws', bucket: 'insights', region: 'us-west-2' } } as SpiceCloudSplitSpec;

/** The reader Spicepod a platform delivers for INSIGHTS: every dataset delegated to the app with its key, nothing restored. */
export function expectCloudReaderSpicepod(yaml: string): void {
  expectValidSpicepod(yaml);
  const pod = parse(yaml);
  expect(pod.snapshots).toBeUndefined();
  const params = { spiceai_endpoint: INSIGHTS_ENDPOINT, spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' };
  expect(pod.datasets.map((d: any) => [d.name, d.from, d.params, d.acceleration])).toEqual([
    ['daily_revenue', 'spice.ai:daily_revenue', params, undefined],
    ['top_products', 'spice.ai:sales.top_products', params, undefined],
  ]);
}
