import { Testing } from 'cdk8s';
import { describe, expect, it, vi } from 'vitest';
import { ReadWriteSplitChart, WARNING_METADATA } from '../../lib/k8s';
import { awsSplit } from '../support/splits';
import { expectValidManifests, find, K8sObject, WRITER_IRSA } from '../support/k8s';
import { thrown } from '../support/errors';

type ChartProps = ConstructorParameters<typeof ReadWriteSplitChart>[2];

const READERS = ['10.20.0.0/24', '10.21.0.0/24'];

function synth(props: Partial<ChartProps> = {}) {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const chart = new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ writer: { replicas: 3 } }), writerIdentity: WRITER_IRSA, ...props });
  return Testing.synth(chart) as K8sObject[];
}

/** Whether a pod template's labels match a Service's selector. */
const selects = (service: K8sObject, template: K8sObject) => Object.entries(service.spec.selector).every(([key, value]) => template.metadata.labels[key] === value);

describe('the internal load balancer of the writers\' Flight port (flightLoadBalancer)', () => {
  it('is rendered only when asked for', () => {
    expect(synth({ externalReaderCidrs: READERS }).filter((d) => d.spec?.type === 'LoadBalancer')).toEqual([]);
  });

  it('puts every writer behind an internal load balancer that admits the external readers only and keeps their address', async () => {
    const docs = synth({ externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'aws' } });
    await expectValidManifests(docs);
    const balancer = find(docs, 'Service', 'shop-writer-flight');
    expect(balancer.metadata.namespace).toBe('shop');
    expect(balancer.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
    expect(balancer.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: READERS,
      selector: find(docs, 'Service', 'shop-writer').spec.selector,
      ports: [{ name: 'flight', port: 50051, targetPort: 'spice-flight', protocol: 'TCP' }],
    });
    const writers = docs.filter((d) => d.kind === 'StatefulSet');
    expect(writers.map((w) => [w.metadata.name, selects(balancer, w.spec.template)])).toEqual([['shop-writer-owner', true], ['shop-writer-replica', true]]);
    expect(selects(balancer, find(docs, 'Deployment', 'shop-archiver').spec.template)).toBe(false);
    // The port it names in the writers' pods is the one their NetworkPolicy opens to the same ranges.
    for (const writer of writers) {
      const named = writer.spec.template.spec.containers.flatMap((c: K8sObject) => c.ports ?? []).find((p: K8sObject) => p.name === 'spice-flight');
      expect(named.containerPort).toBe(50051);
    }
    const ingress = find(docs, 'NetworkPolicy', 'shop-writer').spec.ingress[0];
    expect(ingress.ports).toEqual([{ protocol: 'TCP', port: 50051 }]);
    expect(ingress.from).toEqual(expect.arrayContaining(READERS.map((cidr) => ({ ipBlock: { cidr } }))));
  });

  it('is internal on GKE and AKS by their own annotations, with the user\'s beside them', () => {
    const gcp = find(synth({ externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'gcp', annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' } } }), 'Service', 'shop-writer-flight');
    expect(gcp.metadata.annotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal', 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' });
    const azure = find(synth({ externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'azure', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'readers' } } }), 'Service', 'shop-writer-flight');
    expect(azure.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true', 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'readers' });
  });

  it('listens on the port the readers outside the cluster dial: their endpoint\'s, or its scheme\'s default', () => {
    const listening = (externalFlightEndpoint: string) => find(
      synth({ split: awsSplit({ writer: { replicas: 3, externalFlightEndpoint }, acknowledgedWarnings: ['plaintext-flight-endpoint'] }), externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'aws' } }),
      'Service', 'shop-writer-flight',
    ).spec.ports;
    expect(listening('http://shop-flight.internal.example:8443')).toEqual([{ name: 'flight', port: 8443, targetPort: 'spice-flight', protocol: 'TCP' }]);
    expect(listening('http://shop-flight.internal.example')[0].port).toBe(80);
    expect(listening('http://shop-flight.internal.example:50051')[0].port).toBe(50051);
  });

  it('reaches Helm-run writers by port number, as the writer Service does', () => {
    const docs = synth({ externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'gcp' }, workloads: { type: 'helm', chartVersion: '2.2.0', podSecurity: 'baseline' } });
    expect(find(docs, 'Service', 'shop-writer-flight').spec.ports).toEqual([{ name: 'flight', port: 50051, targetPort: 50051, protocol: 'TCP' }]);
    expect(find(docs, 'Service', 'shop-writer-flight').spec.selector).toEqual(find(docs, 'Service', 'shop-writer').spec.selector);
  });

  it('refuses IPv6 reader ranges behind an AWS load balancer, and ip targets: neither keeps the reader\'s address', () => {
    const v6 = ['10.20.0.0/24', 'fd00:20::/64'];
    const error = thrown(() => synth({ externalReaderCidrs: v6, flightLoadBalancer: { cloud: 'aws', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' } } }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.flightLoadBalancer.annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"]: "ip" would replace the library\'s "instance", whose targets keep the client\'s address (ip targets do not, by default), which the writers\' NetworkPolicy admits readers by',
      "props.flightLoadBalancer: would accept IPv6 ranges (fd00:20::/64 of externalReaderCidrs): the AWS Load Balancer Controller refuses them for an IPv4 load balancer, and a dual-stack one passes IPv6 readers to its IPv4 instance targets without their address, which the writers' NetworkPolicy admits them by",
    ]);
    const dualStack = { 'service.beta.kubernetes.io/aws-load-balancer-ip-address-type': 'dualstack' };
    expect(thrown(() => synth({ externalReaderCidrs: v6, flightLoadBalancer: { cloud: 'aws', annotations: dualStack } })).problems.map((p) => p.path)).toEqual(['props.flightLoadBalancer']);
    // GKE and AKS take IPv6 ranges as they are.
    expect(() => synth({ externalReaderCidrs: v6, flightLoadBalancer: { cloud: 'azure' } })).not.toThrow();
  });

  it('refuses a load balancer of another cloud than the cluster its writers\' identity runs on: that controller would make it public', () => {
    const gcsSplit = awsSplit({ store: { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' }, writer: { replicas: 3 } });
    const error = thrown(() => synth({ split: gcsSplit, writerIdentity: { type: 'gke-workload-identity' }, externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'aws' } }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}; ${p.fix}`)).toEqual([
      'props.flightLoadBalancer.cloud: is "aws", but the writers run on gcp (writerIdentity is "gke-workload-identity"): its controller ignores aws\'s annotations and would make the load balancer public; use cloud: \'gcp\'',
    ]);
    expect(find(synth({ split: gcsSplit, writerIdentity: { type: 'gke-workload-identity' }, externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'gcp' } }), 'Service', 'shop-writer-flight').spec.type).toBe('LoadBalancer');
  });

  it('warns, until acknowledged, of a load balancer for another cloud than the one IRSA and an S3 store, or Azure Workload Identity and an Azure store, point to', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const warned = (props: Partial<ChartProps>) => new ReadWriteSplitChart(Testing.app(), 'shop', { split: awsSplit({ writer: { replicas: 3 } }), writerIdentity: WRITER_IRSA, externalReaderCidrs: READERS, ...props })
      .node.metadata.filter((entry) => entry.type === WARNING_METADATA && entry.data.id === 'flight-load-balancer-cloud').map((entry) => entry.data.message);
    expect(warned({ flightLoadBalancer: { cloud: 'azure' } })).toEqual([
      "is \"azure\", but the writers use \"aws-irsa\" (writerIdentity) and their snapshot store is on S3, so they likely run on EKS: its controller ignores azure's annotations and would make the load balancer public; use cloud: 'aws', or acknowledge this warning if the cluster runs on AKS",
    ]);
    expect(warned({ flightLoadBalancer: { cloud: 'aws' } })).toEqual([]);
    expect(warned({ split: awsSplit({ writer: { replicas: 3 }, acknowledgedWarnings: ['flight-load-balancer-cloud'] }), flightLoadBalancer: { cloud: 'azure' } })).toEqual([]);
    const azureStore = awsSplit({ store: { cloud: 'azure', account: 'shopsnapshots', container: 'spice', region: 'westeurope' }, writer: { replicas: 3 } });
    const azureIdentity = { type: 'azure-workload-identity', clientId: '6f1c2a3b-0000-4000-8000-000000000001' } as const;
    expect(warned({ split: azureStore, writerIdentity: azureIdentity, flightLoadBalancer: { cloud: 'gcp' } })).toHaveLength(1);
    expect(warned({ split: azureStore, writerIdentity: azureIdentity, flightLoadBalancer: { cloud: 'azure' } })).toEqual([]);
  });

  it('asks for the external readers\' ranges when the description gives them an endpoint of their own: the NetworkPolicy would drop them', () => {
    const split = awsSplit({ writer: { replicas: 3, externalFlightEndpoint: 'http://shop-flight.internal.example:50051' } });
    const error = thrown(() => synth({ split }));
    expect(error.problems.map((p) => p.path)).toEqual(['props.externalReaderCidrs']);
    // Asked once, by the endpoint, when the load balancer is given too.
    expect(thrown(() => synth({ split, flightLoadBalancer: { cloud: 'aws' } })).problems.map((p) => p.path)).toEqual(['props.externalReaderCidrs']);
    expect(error.problems[0].message).toBe("is missing, but readers outside the cluster dial \"http://shop-flight.internal.example:50051\" (split.writer.externalFlightEndpoint): the writers' NetworkPolicy admits reader pods of the cluster only, and would drop them");
    expect(() => synth({ split, externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'aws' } })).not.toThrow();
    // The same address as flightEndpoint, spelled with a capital and a trailing slash, is no endpoint of their own.
    const same = awsSplit({ writer: { replicas: 3, flightEndpoint: 'http://Shop-Flight.internal.example:50051', externalFlightEndpoint: 'http://shop-flight.internal.example:50051/' } });
    expect(() => synth({ split: same })).not.toThrow();
    const defaultPort = awsSplit({ writer: { replicas: 3, flightEndpoint: 'https://shop-flight.internal.example', externalFlightEndpoint: 'https://shop-flight.internal.example:443' } });
    expect(() => synth({ split: defaultPort })).not.toThrow();
  });

  it('refuses, all at once, a load balancer nothing may pass, an unknown cloud and annotations that would make it public or that Kubernetes rejects', () => {
    const error = thrown(() => synth({
      flightLoadBalancer: {
        cloud: 'ibm' as never,
        annotations: { 'bad key!': 'x', 'networking.gke.io/internal-load-balancer-subnet': 7 as never },
      },
    }));
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.flightLoadBalancer.cloud: "ibm" is not a cloud of an internal load balancer',
      'props.flightLoadBalancer.annotations["bad key!"]: is not an annotation key',
      'props.flightLoadBalancer.annotations["networking.gke.io/internal-load-balancer-subnet"]: 7 is not a string',
      "props.flightLoadBalancer: is given without externalReaderCidrs: the writers' NetworkPolicy would admit nothing that comes through it",
    ]);
    const publicAws = thrown(() => synth({ externalReaderCidrs: READERS, flightLoadBalancer: { cloud: 'aws', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } } }));
    expect(publicAws.problems).toEqual([{
      path: 'props.flightLoadBalancer.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]',
      message: '"internet-facing" would replace the library\'s "internal", which keeps the load balancer internal',
      fix: 'leave it out',
    }]);
  });
});
