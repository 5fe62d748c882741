import fc from 'fast-check';
import type { DatasetSpec } from '../../lib/core';
import { AppSpec, NeutralDescription, validDescriptions } from './descriptions';

/** Where a defect must be reported: in the description (every target) or in an application (Kubernetes). */
export interface ExpectedProblem {
  /**
   * Which props hold the defect: the split description, the reader app of that index (Kubernetes),
   * or the cloud adapters' own props (the namespaces whose readers they trust).
   */
  readonly in: 'split' | { readonly app: number } | 'cloud';
  /** The property path the library's error must name, below `split.`, the app's sidecar or the adapter's props. */
  readonly path: RegExp;
}

/** A description made invalid on purpose, with every problem the library must name. */
export interface InvalidDescription {
  readonly description: NeutralDescription;
  readonly expected: readonly ExpectedProblem[];
  readonly defects: readonly string[];
}

type Spec = NeutralDescription['spec'];
interface Defect {
  readonly name: string;
  /** The field the defect changes: no two defects of one description change the same. */
  readonly field: string;
  apply(description: NeutralDescription, at: number): { description: NeutralDescription; expected: readonly ExpectedProblem[] };
}

const exact = (path: string) => new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}$`);

/** Replaces a field of the description itself. */
function specDefect(name: string, path: string, patch: (spec: Spec) => Partial<Spec>): Defect {
  return {
    name,
    field: path.split(/[.[]/)[0],
    apply: (description) => ({
      description: { ...description, spec: { ...description.spec, ...patch(description.spec) } },
      expected: [{ in: 'split', path: exact(path) }],
    }),
  };
}

/** Appends a broken copy of the first dataset under a name of its own, so defects never overwrite each other. */
function datasetDefect(name: string, field: string, patch: (dataset: DatasetSpec) => DatasetSpec): Defect {
  return {
    name,
    field: `datasets: ${name}`,
    apply: (description) => {
      const { datasets } = description.spec;
      const fresh = { ...datasets[0], name: `broken_${datasets.length}` };
      return {
        description: { ...description, spec: { ...description.spec, datasets: [...datasets, patch(fresh)] } },
        expected: [{ in: 'split', path: exact(`datasets[${datasets.length}].${field}`) }],
      };
    },
  };
}

/** Changes one application (the one at `at`, modulo their number). */
function appDefect(name: string, path: RegExp, patch: (app: AppSpec) => AppSpec, cloudPath?: RegExp): Defect {
  return {
    name,
    field: `apps: ${name}`,
    apply: (description, at) => {
      const apps = [...description.apps];
      const i = at % apps.length;
      apps[i] = patch(apps[i]);
      const inApp: ExpectedProblem = { in: { app: i }, path };
      return { description: { ...description, apps }, expected: cloudPath ? [inApp, { in: 'cloud', path: cloudPath }] : [inApp] };
    },
  };
}

const delegatedDatabase = (dataset: DatasetSpec): DatasetSpec => ({
  name: dataset.name, from: `postgres:app.${dataset.name}`, readers: 'delegated', secretParams: { pg_pass: { secretName: 'sources', key: 'pg' } },
});

/** Every kind of mistake the generator makes; each must be named by the library on every target it reaches. */
export const DEFECTS: readonly Defect[] = [
  datasetDefect('dataset name with capitals', 'name', (d) => ({ ...d, name: `Bad-${d.name}` })),
  datasetDefect('unknown engine', 'engine', (d) => ({ ...d, engine: 'cayenne' as never })),
  datasetDefect('memory engine for accelerated readers', 'engine', (d) => ({ ...d, from: `s3://lake/${d.name}/`, secretParams: undefined, readers: 'accelerated', engine: 'arrow' })),
  datasetDefect('refresh interval that is no duration', 'refresh.checkInterval', (d) => ({ ...d, refresh: { checkInterval: 'often' } })),
  datasetDefect('expected size that is no quantity', 'expectedSize', (d) => ({ ...d, expectedSize: '10 GB' })),
  datasetDefect('database source without credentials', 'secretParams', (d) => ({ ...delegatedDatabase(d), secretParams: undefined })),
  datasetDefect('secret that Kubernetes cannot name', 'secretParams.pg_pass.secretName', (d) => ({ ...delegatedDatabase(d), secretParams: { pg_pass: { secretName: 'Source_Creds', key: 'pg' } } })),
  datasetDefect('source spiced cannot read', 'from', (d) => ({ ...d, from: 'nowhere' })),
  datasetDefect('unknown reader placement', 'readers', (d) => ({ ...d, readers: 'everyone' as never })),
  {
    name: 'two datasets of one name',
    field: 'datasets: duplicate',
    apply: (description) => {
      const datasets = [...description.spec.datasets, { ...description.spec.datasets[0] }];
      return { description: { ...description, spec: { ...description.spec, datasets } }, expected: [{ in: 'split', path: exact(`datasets[${datasets.length - 1}].name`) }] };
    },
  },
  specDefect('split name with capitals', 'name', (s) => ({ name: `Bad_${s.name}` })),
  specDefect('namespace Kubernetes rejects', 'namespace', () => ({ namespace: 'Apps_NS' })),
  specDefect('no writer replica', 'writer.replicas', () => ({ writer: { replicas: 0 } })),
  specDefect('floating image tag', 'image.tag', () => ({ image: { edition: 'enterprise', repository: 'example.com/spiceai-enterprise', tag: 'latest' } })),
  specDefect('refresh retention under a day', 'retention.refreshSnapshots', () => ({ retention: { refreshSnapshots: '12h' } })),
  specDefect('archive shorter than refresh snapshots', 'retention.dailyArchive', () => ({ retention: { refreshSnapshots: '72h', dailyArchive: '2d' } })),
  specDefect('unknown bootstrap behaviour', 'reader.bootstrapOnFailure', () => ({ reader: { bootstrapOnFailure: 'crash' as never } })),
  specDefect('acknowledging an unknown warning', 'acknowledgedWarnings[0]', () => ({ acknowledgedWarnings: ['no-such-warning'] })),
  {
    name: 'store prefix with slashes around it',
    field: 'store',
    apply: (description) => ({ description: { ...description, prefix: '/spice/' }, expected: [{ in: 'split', path: exact('store.prefix') }] }),
  },
  appDefect('app port that is the sidecar\'s Flight port', /\.containers\[app\]$/, (a) => ({ ...a, port: 50051 })),
  appDefect('app on the host network', /\.hostNetwork$/, (a) => ({ ...a, hostNetwork: true })),
  appDefect('app with a ServiceAccount of its own', /\.serviceAccountName$/, (a) => ({ ...a, serviceAccountName: 'app-runner' })),
  appDefect('app in a namespace Kubernetes rejects', /\.namespace$/, (a) => ({ ...a, namespace: 'Apps_NS' }), /^readerNamespaces\[\d+\]$/),
];

/**
 * A valid description with one to three defects of different kinds, and every problem they must
 * raise. Kinds touch different fields, so no defect undoes another.
 */
export const invalidDescriptions: fc.Arbitrary<InvalidDescription> = fc
  .record({
    description: validDescriptions,
    defects: fc.uniqueArray(fc.constantFrom(...DEFECTS), { minLength: 1, maxLength: 3, selector: (d) => d.field }),
    at: fc.nat(8),
  })
  .map(({ description, defects, at }) => {
    let current = description;
    const expected: ExpectedProblem[] = [];
    for (const defect of defects) {
      const applied = defect.apply(current, at);
      current = applied.description;
      expected.push(...applied.expected);
    }
    return { description: current, expected, defects: defects.map((d) => d.name) };
  });
