import { App as CdkApp, Stack } from 'aws-cdk-lib';
import type * as pulumi from '@pulumi/pulumi';
import { App, Chart } from 'cdk8s';
import { ReadWriteSplitAws } from '../dist/aws';
import { ReadWriteSplitAzure } from '../dist/azure';
import { ReadWriteSplitGcp } from '../dist/gcp';
import { ReadWriteSplitChart } from '../dist/k8s';
import { BENCH_ENV } from './baseline/aws';
import type { SplitSpec } from '../dist/core';
import { appDeployment, benchApps } from './workload';

// Each program takes its description prepared, as each baseline takes its literals prepared: what a
// user's own code spends building either is not what the library costs.

/**
 * The Kubernetes side as a user writes it with the library: the split's chart, and one chart per
 * application whose Deployment gets the reader sidecar.
 */
export function libraryK8sApp(split: SplitSpec, apps: number): App {
  const app = new App();
  const chart = new ReadWriteSplitChart(app, 'bench', { split, writerIdentity: { type: 'aws-pod-identity' } });
  for (const { name, namespace } of benchApps(apps)) {
    const appChart = new Chart(app, name, { namespace });
    chart.readerSidecar(appChart, 'Reader', { identity: { type: 'aws-pod-identity' } }).addTo(appDeployment(appChart, name));
  }
  return app;
}

export const BENCH_ENDPOINT = 'vpce-0123456789abcdef0';
export const BENCH_CLUSTER = 'prod';

/** The AWS side as a user writes it with the library: one construct in a stack. */
export function libraryAwsApp(split: SplitSpec, apps: number): CdkApp {
  const app = new CdkApp();
  const stack = new Stack(app, 'Bench', { env: BENCH_ENV });
  new ReadWriteSplitAws(stack, 'Split', {
    split,
    cluster: { region: BENCH_ENV.region, trust: { type: 'aws-pod-identity', clusterName: BENCH_CLUSTER } },
    vpcEndpointId: BENCH_ENDPOINT,
    readerNamespaces: benchApps(apps).map((app) => app.namespace),
  });
  return app;
}

const OIDC_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/6f1c2a3b-0000-4000-8000-000000000001/';
const NODE_SUBNET = '/subscriptions/3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f/resourceGroups/aks/providers/Microsoft.Network/virtualNetworks/aks/subnets/nodes';

/** The GCP side as a Pulumi program writes it with the library (under the bench's mocks). */
export function libraryGcpProgram(split: SplitSpec, apps: number, opts?: pulumi.ComponentResourceOptions): void {
  new ReadWriteSplitGcp('bench', {
    split,
    cluster: { region: 'europe-west4', project: 'acme-bench', projectNumber: '123456789012' },
    subnetwork: { name: 'gke-nodes' },
    readerNamespaces: benchApps(apps).map((app) => app.namespace),
  }, opts);
}

/** The Azure side as a Pulumi program writes it with the library (under the bench's mocks). */
export function libraryAzureProgram(split: SplitSpec, apps: number, opts?: pulumi.ComponentResourceOptions): void {
  new ReadWriteSplitAzure('bench', {
    split,
    resourceGroupName: 'snapshots',
    cluster: { location: 'westeurope', oidcIssuerUrl: OIDC_ISSUER },
    privateEndpoint: { subnetId: NODE_SUBNET },
    // A managed identity trusts at most 20 federated credentials: 50 apps share 20 namespaces.
    readerNamespaces: [...new Set(benchApps(apps).map((_, i) => `team-${i % 20}`))],
  }, opts);
}
