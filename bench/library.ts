import { App, Chart } from 'cdk8s';
import { ReadWriteSplitChart } from '../lib/k8s';
import { appDeployment, benchApps, benchSplit } from './workload';

/**
 * The Kubernetes side as a user writes it with the library: the split's chart, and one chart per
 * application whose Deployment gets the reader sidecar.
 */
export function libraryK8sApp(datasets: number, apps: number): App {
  const app = new App();
  const split = new ReadWriteSplitChart(app, 'bench', { split: benchSplit(datasets), writerIdentity: { type: 'aws-pod-identity' } });
  for (const { name, namespace } of benchApps(apps)) {
    const chart = new Chart(app, name, { namespace });
    split.readerSidecar(chart, 'Reader', { identity: { type: 'aws-pod-identity' } }).addTo(appDeployment(chart, name));
  }
  return app;
}
