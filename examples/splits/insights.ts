import type { SpiceCloudSplitSpec } from 'read-write-split';

/**
 * A split whose writer is a Spice Cloud app (docs/writer-targets.md): the app refreshes and
 * accelerates in Spice Cloud with its own source credentials; readers delegate every dataset to it
 * over Flight with the app's API key and restore nothing. No snapshot store, no writer cluster, so
 * it is not in `exampleSplits` (whose Spicepods and buckets `npm run synth` renders).
 */
export const insights: SpiceCloudSplitSpec = {
  name: 'insights',
  // 2.x readers name the app's region (spiceai_region); the OSS image is fine: nothing is restored.
  image: { tag: '2.0.1' },
  writer: {
    spiceCloud: { region: 'us-east-1' },
    // The app's API key, in this Secret of each reader's namespace.
    apiKey: { secretName: 'insights-spice-cloud', key: 'api-key' },
  },
  datasets: [
    { name: 'daily_revenue', from: 'spice.ai:daily_revenue', description: 'Revenue per day and region, accelerated in the Spice Cloud app' },
    { name: 'top_products', from: 'spice.ai:top_products' },
  ],
};
