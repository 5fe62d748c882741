import { Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SpiceCloudSplitSpec, spicepodToYaml, synthesizeSplit, validateSplit } from '../../lib';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { expectValidManifests, K8sObject, restrictedAppDeployment, spicepodOf } from '../support/k8s';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { ENTERPRISE_2 } from '../support/splits';

const table = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}(\.[a-z_][a-z0-9_]{0,10}){0,2}$/);
const datasetName = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const writer = fc.oneof(
  fc.constantFrom('us-east-1', 'us-west-2').map((region) => ({ region })),
  fc.constantFrom('https://flight.example.com', 'grpc+tls://flight.example.com:443').map((endpoint) => ({ endpoint })),
);
const image = fc.constantFrom({ tag: '1.11.5' }, { tag: '2.0.1' }, ENTERPRISE_2, { ...ENTERPRISE_2, tag: '2.0.0-rc.5-enterprise' });

/** Spice Cloud descriptions: 1-6 datasets with their own names, each a table of the app. */
const descriptions = fc.record({
  image,
  spiceCloud: writer,
  datasets: fc.uniqueArray(fc.record({ name: datasetName, table, description: fc.option(fc.constant('a table of the app'), { nil: undefined }) }), { minLength: 1, maxLength: 6, selector: (d) => d.name }),
}).map(({ image: img, spiceCloud, datasets }): SpiceCloudSplitSpec => ({
  name: 'insights',
  image: img,
  writer: { spiceCloud },
  datasets: datasets.map(({ name, table: t, description }) => ({ name, from: `spice.ai:${t}`, ...(description ? { description } : {}) })),
}));

/** What a reader dials: the region where the image's connector builds the endpoint from it (2.0.0 and later), else the endpoint. */
function expectedParams(spec: SpiceCloudSplitSpec): Record<string, string> {
  const { region, endpoint } = spec.writer.spiceCloud;
  const candidate = /-rc\./.test(spec.image?.tag ?? '');
  const major = Number((spec.image?.tag ?? '').split('.')[0]);
  if (region && major >= 2 && !candidate) return { spiceai_region: region };
  return { spiceai_endpoint: endpoint ?? `https://${region}-prod-aws-flight.spiceai.io` };
}

describe('Spice Cloud descriptions (property)', () => {
  it('are valid, and every reader delegates every dataset to the app with its key only, restoring nothing', async () => {
    await fc.assert(fc.asyncProperty(descriptions, async (spec) => {
      expect(validateSplit(spec).problems).toEqual([]);
      const synthesized = synthesizeSplit(spec);
      const reader = parse(spicepodToYaml(synthesized.reader.spicepod));
      expectValidSpicepod(reader);
      expect(reader.snapshots).toBeUndefined();
      expect(reader.datasets.map((d: K8sObject) => [d.name, d.from, d.params])).toEqual(spec.datasets.map((d) => [
        d.name, d.from, { ...expectedParams(spec), spiceai_api_key: '${secrets:SPICE_CLUSTER_API_KEY}' },
      ]));
      expect(synthesized.reader.secretEnv.map((binding) => binding.envVar)).toEqual(['SPICE_CLUSTER_API_KEY']);

      const app = Testing.app();
      const split = new ReadWriteSplitChart(app, 'insights', { split: spec });
      const chart = new Chart(app, 'reporting', { namespace: 'reporting' });
      split.readerSidecar(chart, 'reader', { datasets: [spec.datasets[0].name] }).addTo(restrictedAppDeployment(chart, 'web'));
      expect(Testing.synth(split)).toEqual([]);
      const docs = Testing.synth(chart) as K8sObject[];
      await expectValidManifests(docs);
      expect(spicepodOf(docs.find((d) => d.kind === 'ConfigMap')!).datasets.map((d: K8sObject) => d.name)).toEqual([spec.datasets[0].name]);
    }), { numRuns: 60 });
  }, 120_000);
});
