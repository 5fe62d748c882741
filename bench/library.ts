import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App, Chart } from 'cdk8s';
import { ReadWriteSplitAws } from '../dist/aws';
import { ReadWriteSplitChart } from '../dist/k8s';
import { BENCH_ENV } from './baseline/aws';
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

/** The AWS side as a user writes it with the library: one construct in a stack. */
export function libraryAwsApp(datasets: number, apps: number): CdkApp {
  const app = new CdkApp();
  const stack = new Stack(app, 'Bench', { env: BENCH_ENV });
  new ReadWriteSplitAws(stack, 'Split', {
    split: benchSplit(datasets),
    cluster: { region: BENCH_ENV.region, trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
    vpcEndpointId: 'vpce-0123456789abcdef0',
    readerNamespaces: benchApps(apps).map((app) => app.namespace),
  });
  return app;
}
