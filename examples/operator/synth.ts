/**
 * The writer side of the `catalog` example split (GCP, Enterprise 2.x) with its writer roles as
 * `SpicepodSet`s of the Spice.ai Enterprise Kubernetes operator instead of the library's
 * StatefulSets (docs/writer-targets.md). Usage:
 * tsx examples/operator/synth.ts out/operator
 *
 * Writes `<outDir>/catalog.k8s.yaml`: the Namespace, the writers' ServiceAccount, one SpicepodSet
 * per writer role (`catalog-writer-owner`, 1 replica; `catalog-writer-replica`), the Service readers
 * dial and its internal load balancer for readers on Cloud Run, the PodDisruptionBudget, the
 * archiver and the NetworkPolicies. The operator (and its CRDs) must be installed in the cluster. Set SPICEPODSET_CRD to the operator's CRD file
 * (`kubectl get crd spicepodsets.spice.ai -o yaml`) to validate the SpicepodSets against it.
 */
import { rmSync } from 'node:fs';
import { App } from 'cdk8s';
import { ReadWriteSplitChart } from 'read-write-split/k8s';
import { catalog } from '../splits/catalog';

function main(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const app = new App({ outdir: outDir });
  new ReadWriteSplitChart(app, 'catalog', {
    split: catalog,
    writerIdentity: { type: 'gke-workload-identity' },
    // The Enterprise image lives in AWS Marketplace ECR: one pull Secret (a SpicepodSet takes one).
    pods: { imagePullSecrets: ['spice-enterprise-pull'] },
    // Readers on Cloud Run dial the writers through GKE's internal load balancer (as in examples/k8s).
    externalReaderCidrs: ['10.40.8.0/24'],
    flightLoadBalancer: { cloud: 'gcp' },
    workloads: {
      type: 'spicepodset',
      // Query replicas bootstrap from the snapshots: a fresh generation on empty volumes is fine for
      // them. The snapshot owner always rolls RollingOrdered (BlueGreen would make two uploaders).
      updateStrategy: { type: 'BlueGreen' },
      kubernetesVersion: '1.33',
      ...(process.env.SPICEPODSET_CRD ? { crdFile: process.env.SPICEPODSET_CRD } : {}),
    },
  });
  app.synth();
}

main(process.argv[2] ?? 'out/operator');
