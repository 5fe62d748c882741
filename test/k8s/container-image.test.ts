import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitError, SplitSpec, SplitValidationError, synthesizeSplit } from '../../lib';
import { ReaderRestartSchedule, ReadWriteSplitChart, ReadWriteSplitChartProps, SpiceWriterCluster, WARNING_METADATA } from '../../lib/k8s';
import { expectValidManifests, find, K8sObject } from '../support/k8s';
import { DIGEST } from '../support/spice-images';
import { awsSplit } from '../support/splits';
import { thrown } from '../support/errors';

/** The library's error an attempt throws, whatever its class. */
const thrownAny = (attempt: () => unknown) => thrown(attempt, ReadWriteSplitError);

const WRITER_ARN = 'arn:aws:iam::111122223333:role/shop-writer';
const ARGS = ['--http', '0.0.0.0:8090', '--flight', '0.0.0.0:50051', '--metrics', '0.0.0.0:9090', '/spicepod/spicepod.yaml'];

afterEach(() => vi.restoreAllMocks());

/** The writer chart and an application chart with the reader sidecar, synthesized together. */
function synth(image: SplitSpec['image']): K8sObject[] {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const app = Testing.app();
  const split = new ReadWriteSplitChart(app, 'shop', { split: awsSplit({ image }), writerIdentity: { type: 'aws-irsa', roleArn: WRITER_ARN } });
  const apps = new Chart(app, 'apps', { namespace: 'shop' });
  const web = new kplus.Deployment(apps, 'web', { metadata: { name: 'web' }, containers: [{ name: 'web', image: 'web:1', portNumber: 8080, securityContext: { user: 10001 } }] });
  split.readerSidecar(apps, 'reader', { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } }).addTo(web);
  return [...Testing.synth(split), ...Testing.synth(apps)];
}

/** Every spiced container: the snapshot owner, the query replicas, the archiver and the reader sidecar. */
function spicedContainers(docs: K8sObject[]): K8sObject[] {
  return [
    find(docs, 'StatefulSet', 'shop-writer-owner').spec.template.spec.containers[0],
    find(docs, 'StatefulSet', 'shop-writer-replica').spec.template.spec.containers[0],
    find(docs, 'Deployment', 'shop-archiver').spec.template.spec.containers[0],
    find(docs, 'Deployment', 'web').spec.template.spec.initContainers[0],
  ];
}


describe('the spiced container', () => {
  it('launches /usr/local/bin/spiced explicitly, as the Spice Helm chart does, whatever the image\'s entrypoint', () => {
    const containers = spicedContainers(synth(undefined));
    expect(containers.map((c) => c.name)).toEqual(['spiced', 'spiced', 'spiced', 'spice-reader']);
    for (const container of containers) {
      expect(container.command).toEqual(['/usr/local/bin/spiced']);
      expect(container.args).toEqual(ARGS);
    }
  });

  it('runs a digest-pinned image as repository:tag@digest in every tier, pulled only when the node lacks it', async () => {
    const docs = synth({ tag: '1.11.5', digest: DIGEST });
    await expectValidManifests(docs);
    for (const container of spicedContainers(docs)) {
      expect(container.image).toBe(`spiceai/spiceai:1.11.5@${DIGEST}`);
      expect(container.imagePullPolicy).toBe('IfNotPresent');
    }
    expect(spicedContainers(synth({ tag: `1.11.5@${DIGEST}` }))[0].image).toBe(`spiceai/spiceai:1.11.5@${DIGEST}`);
  });

  it('renders only references in the OCI grammar: a registry with a port, never a tag that smuggles a command', () => {
    const image = { edition: 'enterprise', repository: 'registry.example.com:5000/spice/spiceai-enterprise', tag: '2.0.1-enterprise' } as const;
    expect(spicedContainers(synth(image)).map((c) => c.image)).toEqual(Array(4).fill('registry.example.com:5000/spice/spiceai-enterprise:2.0.1-enterprise'));
    const error = thrownAny(() => synth({ repository: 'spiceai/spiceai', tag: 'v1.11.5 ; rm' }));
    expect(error).toBeInstanceOf(SplitValidationError);
    expect(error.problems).toEqual([
      { path: 'split.image.tag', message: '"v1.11.5 ; rm" is not an image tag', fix: "use letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), e.g. '1.11.5'" },
    ]);
    expect(thrownAny(() => synth({ repository: 'Spice AI/spiced' })).message).toContain('split.image.repository: "Spice AI/spiced" is not an image repository');
  });

  it('warns, until acknowledged, that a pull Secret for an ECR image expires within 12 hours', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ecr = { edition: 'enterprise', repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol', tag: '2.0.1-enterprise' } as const;
    const warned = (image: SplitSpec['image'], pods: { imagePullSecrets?: string[] }, acknowledgedWarnings: string[] = []) => new ReadWriteSplitChart(
      Testing.app(), 'shop', { split: awsSplit({ image, store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, acknowledgedWarnings }), writerIdentity: { type: 'gke-workload-identity' }, pods },
    ).node.metadata.filter((entry) => entry.type === WARNING_METADATA && entry.data.id === 'ecr-pull-secret-expiry').map((entry) => `${entry.data.path}: ${entry.data.message}`);
    expect(warned(ecr, { imagePullSecrets: ['spice-enterprise-pull'] })).toEqual([
      expect.stringMatching(/^props\.pods\.imagePullSecrets: \["spice-enterprise-pull"\] pull 709825985650\.dkr\.ecr\.us-east-1\.amazonaws\.com\/spice-ai\/spiceai-enterprise-byol from Amazon ECR, whose docker credentials last 12 hours: .*ECRAuthorizationToken generator/),
    ]);
    expect(warned(ecr, { imagePullSecrets: ['spice-enterprise-pull'] }, ['ecr-pull-secret-expiry'])).toEqual([]);
    expect(warned(ecr, {})).toEqual([]);
    expect(warned({ edition: 'enterprise', repository: 'europe-west4-docker.pkg.dev/acme/spice/spiceai-enterprise', tag: '2.0.1-enterprise' }, { imagePullSecrets: ['mirror-pull'] })).toEqual([]);
  });

  it('warns that a cluster other than EKS cannot pull an ECR image without a pull Secret', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ecr = { edition: 'enterprise', repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol', tag: '2.0.1-enterprise' } as const;
    const gcs = { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } as const;
    const warned = (props: Partial<ReadWriteSplitChartProps>, split: Partial<SplitSpec> = { store: gcs }) => new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ image: ecr, ...split }), ...props })
      .node.metadata.filter((entry) => entry.type === WARNING_METADATA && entry.data.id === 'ecr-image-off-eks').map((entry) => `${entry.data.path}: ${entry.data.message}`);
    expect(warned({ writerIdentity: { type: 'gke-workload-identity' } })).toEqual([
      'props.pods.imagePullSecrets: is not set, but the writers pull 709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol from Amazon ECR on a GKE cluster, whose nodes hold no AWS credentials: every spiced pod would stay in ImagePullBackOff; '
        + "mirror the image to the cluster's registry (Artifact Registry) and set split.image.repository, or give pods.imagePullSecrets kept fresh (ECR's credentials last 12 hours)",
    ]);
    // GKE told by the store alone (the nodes' service account), and AKS by its identity.
    expect(warned({})).toHaveLength(1);
    expect(warned({ writerIdentity: { type: 'azure-workload-identity', clientId: '00000000-0000-0000-0000-000000000001' } }, { store: { cloud: 'azure', account: 'shopsnapshots', container: 'spice', region: 'westeurope' } })[0]).toMatch(/from Amazon ECR on an AKS cluster, .*\(Azure Container Registry\)/);
    // EKS pulls with the nodes' role; a pull Secret given is the other warning's business.
    expect(warned({ writerIdentity: { type: 'aws-pod-identity' } }, {})).toEqual([]);
    expect(warned({ writerIdentity: { type: 'gke-workload-identity' }, pods: { imagePullSecrets: ['ecr-pull'] } })).toEqual([]);
  });

  it('is reported by a writer cluster built on its own, once by the chart, and printed once', () => {
    const printed = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ecr = { edition: 'enterprise', repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol', tag: '2.0.1-enterprise' } as const;
    const split = (acknowledgedWarnings: string[] = []) => awsSplit({ image: ecr, store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, acknowledgedWarnings });
    const pods = { imagePullSecrets: ['spice-enterprise-pull'] };
    const recorded = (app: ReturnType<typeof Testing.app>) => app.node.findAll()
      .flatMap((c) => c.node.metadata.filter((entry) => entry.type === WARNING_METADATA && entry.data.id === 'ecr-pull-secret-expiry').map((entry) => `${c.node.path}: ${entry.data.path}`));
    const alone = (acknowledged?: string[]) => {
      const app = Testing.app();
      new SpiceWriterCluster(new Chart(app, 'shop'), 'Writers', { synthesized: synthesizeSplit(split(acknowledged)), identity: { type: 'gke-workload-identity' }, pods });
      return app;
    };
    expect(recorded(alone())).toEqual(['shop/Writers: props.pods.imagePullSecrets']);
    const ecrLines = () => printed.mock.calls.map(([line]) => String(line)).filter((line) => line.endsWith('[ack: ecr-pull-secret-expiry]'));
    expect(ecrLines()).toEqual([expect.stringMatching(/^\[Warning at shop\/Writers\] .*Amazon ECR/)]);
    expect(recorded(alone(['ecr-pull-secret-expiry']))).toEqual([]);
    const app = Testing.app();
    new ReadWriteSplitChart(app, 'shop', { split: split(), writerIdentity: { type: 'gke-workload-identity' }, pods });
    expect(recorded(app)).toEqual(['shop: props.pods.imagePullSecrets']);
    expect(ecrLines()).toEqual([expect.stringMatching(/^\[Warning at shop\/Writers\] /), expect.stringMatching(/^\[Warning at shop\] /)]);
  });
});

describe('the kubectl image of a reader restart schedule', () => {
  function schedule(kubectlImage: string) {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ name: 'web', image: 'web:1', portNumber: 8080 }] });
    new ReaderRestartSchedule(chart, 'restart', { workload: web, schedule: '0 */6 * * *', kubectlImage });
    return find(Testing.synth(chart), 'CronJob', 'web-spice-restart').spec.jobTemplate.spec.template.spec.containers[0].image;
  }

  it('is rendered as given when pinned by a release tag or a digest, and refused when it floats, has no tag, or breaks the grammar', () => {
    expect(schedule('registry.k8s.io/kubectl:v1.31.0')).toBe('registry.k8s.io/kubectl:v1.31.0');
    expect(schedule(`registry.k8s.io/kubectl:v1.31.0@${DIGEST}`)).toBe(`registry.k8s.io/kubectl:v1.31.0@${DIGEST}`);
    expect(schedule(`localhost:5000/kubectl@${DIGEST}`)).toBe(`localhost:5000/kubectl@${DIGEST}`);
    const problems = (image: string) => thrownAny(() => schedule(image)).problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`);
    expect(problems('registry.k8s.io/kubectl')).toEqual([
      "props.kubectlImage: \"registry.k8s.io/kubectl\" has no tag or digest: each pull takes whatever 'latest' is then; pin a tag or a digest, e.g. 'registry.k8s.io/kubectl:v1.31.0'",
    ]);
    expect(problems('bitnami/kubectl:latest')).toEqual([
      "props.kubectlImage: \"bitnami/kubectl:latest\" has a floating tag: each pull may take another version; pin a release tag or a digest, e.g. 'registry.k8s.io/kubectl:v1.31.0'",
    ]);
    expect(problems('registry.k8s.io/kubectl:v1.31.0 ; rm')).toEqual([
      "props.kubectlImage: \"v1.31.0 ; rm\" is not an image tag; use letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-'), e.g. 'v1.31.0'",
    ]);
    expect(problems('Registry.k8s.io/Kubectl:v1.31.0@sha256:1234')).toEqual([
      expect.stringMatching(/^props.kubectlImage: "Registry.k8s.io\/Kubectl" is not an image repository; /),
      expect.stringMatching(/^props.kubectlImage: "sha256:1234" is not an image digest; /),
    ]);
  });

  it('is reported with the schedule\'s other problems, in its own error', () => {
    const chart = new Chart(Testing.app(), 'apps');
    const job = new ApiObject(chart, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' } });
    const error = thrownAny(() => new ReaderRestartSchedule(chart, 'bad', { workload: job, schedule: 'hourly', kubectlImage: 'kubectl' }));
    expect(error).not.toBeInstanceOf(SplitValidationError);
    expect(error.problems.map((p) => p.path)).toEqual(['props.schedule', 'props.kubectlImage', 'props.workload']);
  });
});
