/**
 * The writer cluster of the `orders` split with its writer roles as releases of the Spice Helm
 * chart, for a GitOps repository. Usage: tsx examples/helm/synth.ts out/helm
 *
 * Writes into `<outDir>/<split>/`:
 * - the library's manifests (cdk8s synth: Namespace enforcing baseline, ServiceAccount, the Service
 *   readers dial, PodDisruptionBudget, NetworkPolicies, archiver), applied first;
 * - `<release>.values.yaml` for each writer role (snapshot owner, query replicas), each headed by
 *   its `helm upgrade --install` command.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { awsRoleArn, SplitValidationError } from 'read-write-split';
import { HelmWriterRelease, ReadWriteSplitChart } from 'read-write-split/k8s';
import { EXAMPLE_AWS_ACCOUNT } from '../splits/aws-account';
import { orders } from '../splits/orders';

/** The chart version the values are rendered for, and that `helm --version` installs. */
const CHART_VERSION = '2.2.0';

function main(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const dir = join(outDir, orders.name);
  const app = new App({ outdir: dir });
  const chart = new ReadWriteSplitChart(app, orders.name, {
    split: orders,
    writerIdentity: { type: 'aws-irsa', roleArn: awsRoleArn(EXAMPLE_AWS_ACCOUNT, orders.name, orders.store.region, 'writer') },
    workloads: { type: 'helm', chartVersion: CHART_VERSION, podSecurity: 'baseline' },
  });
  app.synth();
  const releases = [chart.writer.owner, chart.writer.replicas].filter((r): r is HelmWriterRelease => r instanceof HelmWriterRelease);
  for (const release of releases) writeFileSync(join(dir, `${release.releaseName}.values.yaml`), release.valuesYaml);
  console.log(`${dir}/: ${readdirSync(dir).join(', ')}`);
}

try {
  main(process.argv[2] ?? 'out/helm');
} catch (error) {
  if (!(error instanceof SplitValidationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
