import { basename, extname, resolve } from 'node:path';
import type { ApiObject, App } from 'cdk8s';
import { ValidationProblem } from '../core/errors';
import { ApplicationManifest, SplitFile } from './split-file';
import { optionalModule } from './optional-module';
import { PathedProblem, problemsOf } from './thrown-problems';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** The cdk8s app of a file: the split's chart, and a chart per application manifest with the sidecar added. */
export interface KubernetesBuild {
  readonly app?: App;
  readonly problems: readonly PathedProblem[];
}

function workloadOf(objects: readonly ApiObject[], app: ApplicationManifest, at: string): ApiObject | ValidationProblem {
  const workloads = objects.filter((object) => WORKLOAD_KINDS.includes(object.kind));
  const chosen = app.workload === undefined ? workloads : workloads.filter((object) => object.name === app.workload);
  if (chosen.length === 1) return chosen[0];
  const names = workloads.map((object) => `${object.kind}/${object.name}`).join(', ') || 'none';
  return chosen.length === 0 && app.workload !== undefined
    ? { path: `${at}.workload`, message: `${JSON.stringify(app.workload)} is not a workload of ${app.manifest} (it holds ${names})`, fix: 'name one of them' }
    : { path: `${at}.manifest`, message: `${JSON.stringify(app.manifest)} holds ${chosen.length === 0 ? 'no' : 'several'} workloads (${names})`, fix: 'name the one that gets the sidecar with workload, or give a Deployment, StatefulSet or DaemonSet' };
}

/**
 * Builds (does not synthesize) the Kubernetes side of a file with the same constructs a cdk8s app
 * uses; their problems come back with paths of the file (`kubernetes.…`, `split.…`).
 */
export function buildKubernetes(file: SplitFile, fileDir: string, outdir?: string): KubernetesBuild {
  const cdk8s = optionalModule<typeof import('cdk8s')>('cdk8s', 'k8s');
  const { ReadWriteSplitChart } = optionalModule<typeof import('../k8s')>('../k8s', 'k8s');
  const app = new cdk8s.App({ outdir, outputFileExtension: '.yaml' });
  const { apps = [], ...props } = file.kubernetes ?? {};
  let split: InstanceType<typeof ReadWriteSplitChart>;
  try {
    split = new ReadWriteSplitChart(app, file.split?.name ?? 'split', { ...props, split: file.split });
  } catch (error) {
    return { problems: problemsOf(error, { props: 'kubernetes' }) };
  }
  const problems: PathedProblem[] = [];
  apps.forEach((spec, i) => {
    const at = `kubernetes.apps[${i}]`;
    try {
      const name = basename(spec.manifest, extname(spec.manifest));
      const chart = new cdk8s.Chart(app, name, { namespace: spec.namespace });
      const included = new cdk8s.Include(chart, 'manifest', { url: resolve(fileDir, spec.manifest) });
      const workload = workloadOf(included.apiObjects, spec, at);
      if (!(workload instanceof cdk8s.ApiObject)) {
        problems.push(workload);
        return;
      }
      const { manifest: _manifest, workload: _workload, ...options } = spec;
      const namespace = spec.namespace ?? workload.metadata.namespace;
      split.readerSidecar(chart, 'reader', { ...options, namespace }).addToManifest(workload);
    } catch (error) {
      problems.push(...problemsOf(error, { props: at, other: at }));
    }
  });
  return { app, problems };
}
