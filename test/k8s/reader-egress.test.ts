import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it, vi } from 'vitest';
import { formatProblem, SnapshotStoreSpec, SplitSpec, synthesizeSplit } from '../../lib';
import { LINK_LOCAL_IDENTITY_ENDPOINTS, ReaderEgressOptions, ReadWriteSplitChart, SpiceReaderSidecar, SpiceReaderSidecarProps, WorkloadIdentity } from '../../lib/k8s';
import { thrown } from '../support/errors';
import { expectValidManifests, find, K8sObject, WRITER_IRSA } from '../support/k8s';
import { awsSplit } from '../support/splits';

const IRSA = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' } as const;
/** The S3 prefix list's blocks and the STS interface endpoint's subnet, as a user would give them. */
const S3_BLOCKS = ['52.218.0.0/17', '3.5.64.0/21'];
const STS_SUBNET = '10.0.128.0/24';
const AWS_EGRESS: ReaderEgressOptions = { objectStoreCidrs: S3_BLOCKS, identityEndpoints: [{ cidrs: [STS_SUBNET] }] };

/** The cluster DNS pods, and the node-local resolvers (NodeLocal DNSCache, GKE's metadata server under Cloud DNS). */
const DNS_RULE = {
  to: [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    { ipBlock: { cidr: '169.254.20.10/32' } },
    { ipBlock: { cidr: '169.254.169.254/32' } },
  ],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};
const WRITER_RULE = {
  to: [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
    podSelector: { matchLabels: { 'read-write-split.io/split': 'shop', 'read-write-split.io/tier': 'writer' } },
  }],
  ports: [{ protocol: 'TCP', port: 50051 }],
};
const blocks = (...cidrs: string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
const OBJECT_STORE_RULE = { to: blocks(...S3_BLOCKS), ports: [{ protocol: 'TCP', port: 443 }] };

/** The test split with its snapshots on another cloud, one accelerated dataset. */
const onStore = (store: SnapshotStoreSpec) => synthesizeSplit(awsSplit({ store, datasets: [{ name: 'orders', from: 's3://lake/orders/' }] }));
const GCS = { cloud: 'gcp', bucket: 'shop-snapshots', region: 'europe-west4' } as const;
const AZURE = { cloud: 'azure', account: 'shopsnaps', container: 'snaps', region: 'westeurope' } as const;

function sidecarProps(props: Partial<SpiceReaderSidecarProps>): SpiceReaderSidecarProps {
  return { synthesized: synthesizeSplit(awsSplit()), identity: IRSA, ...props };
}

/** The NetworkPolicy of a Deployment `web` (port 8080) with the reader sidecar, and every object of its chart. */
function rendered(props: Partial<SpiceReaderSidecarProps>): { policy: K8sObject; docs: K8sObject[] } {
  const chart = new Chart(Testing.app(), 'app', { namespace: 'storefront' });
  const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1', portNumber: 8080 }] });
  new SpiceReaderSidecar(chart, 'reader', sidecarProps(props)).addTo(web);
  const docs = Testing.synth(chart);
  return { policy: find(docs, 'NetworkPolicy', 'web-spice-reader'), docs };
}

const egressOf = (props: Partial<SpiceReaderSidecarProps>) => rendered(props).policy.spec.egress;

/** Every problem the sidecar's construction reports, formatted. */
function problems(props: Partial<SpiceReaderSidecarProps>): string[] {
  return thrown(() => new SpiceReaderSidecar(new Chart(Testing.app(), 'app'), 'reader', sidecarProps(props))).problems.map(formatProblem);
}

describe('reader egress, opted in', () => {
  it('allows DNS, the writers\' Flight port, the bucket on 443 and the identity\'s endpoint, in valid manifests', async () => {
    const { policy, docs } = rendered({ egress: AWS_EGRESS });
    await expectValidManifests(docs);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toEqual([
      DNS_RULE,
      WRITER_RULE, // the writer pods of the split's namespace, Flight only: readers never dial the writers' HTTP port
      OBJECT_STORE_RULE,
      { to: blocks(STS_SUBNET), ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    // Ingress stays as without egress.
    expect(policy.spec.ingress[0]).toEqual({ ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  it('adds the application\'s own rules after the reader\'s: pods, namespaces, blocks and port ranges', async () => {
    const { policy, docs } = rendered({
      egress: {
        ...AWS_EGRESS,
        rules: [
          { to: [{ podLabels: { app: 'cache' } }], ports: [{ port: 6379 }] },
          { to: [{ namespace: 'payments', podLabels: { app: 'api' } }, { namespaceLabels: { team: 'data' } }] },
          { to: [{ cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] }, { cidr: '2001:db8::/32' }], ports: [{ port: 30000, endPort: 32767, protocol: 'UDP' }] },
        ],
      },
    });
    await expectValidManifests(docs);
    expect(policy.spec.egress.slice(4)).toEqual([
      { to: [{ podSelector: { matchLabels: { app: 'cache' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { team: 'data' } } }] },
      { to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ protocol: 'UDP', port: 30000, endPort: 32767 }] },
    ]);
  });

  it('reaches only what the reader\'s datasets need: no bucket for a delegating reader, no writers for a restoring one', () => {
    expect(egressOf({ datasets: ['history'], egress: {} })).toEqual([DNS_RULE, WRITER_RULE]);
    expect(egressOf({ datasets: ['orders'], egress: AWS_EGRESS })).toEqual([DNS_RULE, OBJECT_STORE_RULE, { to: blocks(STS_SUBNET), ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  it('resolves names where the user says: other DNS pods, and resolvers by address, none of them node-local with []', () => {
    const [dns] = egressOf({ datasets: ['history'], egress: { dns: { namespace: 'dns', podLabels: { app: 'coredns' }, cidrs: ['10.0.0.2/32'] } } });
    expect(dns.to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } },
      { ipBlock: { cidr: '10.0.0.2/32' } },
    ]);
    const [podsOnly] = egressOf({ datasets: ['history'], egress: { dns: { cidrs: [] } } });
    expect(podsOnly.to).toEqual([DNS_RULE.to[0]]);
  });

  it('is absent without the opt-in: ingress only, as before', () => {
    const { policy } = rendered({});
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec).not.toHaveProperty('egress');
  });
});

describe('the endpoints each identity gets credentials from', () => {
  const identityRules = (synthesized: SpiceReaderSidecarProps['synthesized'], identity: WorkloadIdentity | undefined, egress: ReaderEgressOptions = {}) =>
    egressOf({ synthesized, identity, egress: { objectStoreCidrs: ['10.0.0.0/24'], ...egress } }).slice(2);

  it('EKS Pod Identity: the agent on 169.254.170.23 and fd00:ec2::23, port 80', () => {
    expect(identityRules(synthesizeSplit(awsSplit({ datasets: [{ name: 'orders', from: 's3://lake/orders/' }] })), { type: 'aws-pod-identity' })).toEqual([
      { to: blocks('169.254.170.23/32', 'fd00:ec2::23/128'), ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
  });

  it('GKE: the metadata server, as pods dial it (80) and where iptables dataplanes send it (988), with or without an identity', () => {
    const metadata = [
      { to: blocks('169.254.169.254/32'), ports: [{ protocol: 'TCP', port: 80 }] },
      { to: blocks('169.254.169.252/32'), ports: [{ protocol: 'TCP', port: 988 }] },
    ];
    expect(identityRules(onStore(GCS), { type: 'gke-workload-identity' })).toEqual(metadata);
    expect(identityRules(onStore(GCS), undefined)).toEqual(metadata);
  });

  it('Azure: the blocks of Entra ID for Workload Identity, required; the Instance Metadata Service without', () => {
    const workloadIdentity = { type: 'azure-workload-identity', clientId: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c' } as const;
    expect(problems({ synthesized: onStore(AZURE), identity: workloadIdentity, egress: { objectStoreCidrs: ['10.1.0.0/24'] } })).toEqual([
      expect.stringMatching(/^props\.egress\.identityEndpoints: is missing: Azure Workload Identity exchanges the pod's token with Entra ID \(login\.microsoftonline\.com\) over HTTPS.*AzureActiveDirectory service tag/),
    ]);
    expect(identityRules(onStore(AZURE), workloadIdentity, { identityEndpoints: [{ cidrs: ['20.190.128.0/18'] }] })).toEqual([
      { to: blocks('20.190.128.0/18'), ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(identityRules(onStore(AZURE), undefined)).toEqual([{ to: blocks('169.254.169.254/32'), ports: [{ protocol: 'TCP', port: 80 }] }]);
  });

  it('replaces the defaults when given, and can keep them by spreading LINK_LOCAL_IDENTITY_ENDPOINTS', () => {
    const synthesized = onStore(GCS);
    const identity = { type: 'gke-workload-identity' } as const;
    const own = { cidrs: ['fd20:ce::254/128'], ports: [80] };
    expect(identityRules(synthesized, identity, { identityEndpoints: [own] })).toEqual([{ to: blocks('fd20:ce::254/128'), ports: [{ protocol: 'TCP', port: 80 }] }]);
    expect(identityRules(synthesized, identity, { identityEndpoints: [...LINK_LOCAL_IDENTITY_ENDPOINTS.gkeMetadataServer, own] })).toHaveLength(3);
  });
});

describe('a writer endpoint outside the cluster', () => {
  const external = (flightEndpoint: string) => synthesizeSplit(awsSplit({ writer: { flightEndpoint } }));

  it('needs the blocks its host resolves to, and is reached on its own port', () => {
    expect(problems({ synthesized: external('grpc+tls://flight.example.com'), datasets: ['history'], egress: {} })).toEqual([
      expect.stringMatching(/^props\.egress\.writerEndpointCidrs: is missing: this reader delegates history to writer\.flightEndpoint "grpc\+tls:\/\/flight\.example\.com", outside the cluster, on port 443.*the load balancer's addresses/),
    ]);
    const rules = egressOf({ synthesized: external('http://10.30.0.10:8815'), datasets: ['history'], egress: { writerEndpointCidrs: ['10.30.0.10/32'] } });
    expect(rules).toEqual([DNS_RULE, { to: blocks('10.30.0.10/32'), ports: [{ protocol: 'TCP', port: 8815 }] }]);
  });

  it('treats the writer Service\'s own names as in the cluster, and refuses blocks for it', () => {
    const inCluster = external('http://shop-writer.shop.svc:50051');
    expect(egressOf({ synthesized: inCluster, datasets: ['history'], egress: {} })).toEqual([DNS_RULE, WRITER_RULE]);
    // DNS names are case-insensitive, and a trailing dot names the same Service.
    for (const spelling of ['http://Shop-Writer.shop.svc.cluster.local.:50051', 'http://shop-writer.shop.:50051']) {
      expect(egressOf({ synthesized: external(spelling), datasets: ['history'], egress: {} }), spelling).toEqual([DNS_RULE, WRITER_RULE]);
    }
    expect(problems({ datasets: ['history'], egress: { writerEndpointCidrs: ['10.30.0.10/32'] } })).toEqual([
      "props.egress.writerEndpointCidrs: is set, but the split's writer.flightEndpoint is the writer Service in the cluster, whose pods the rule selects; leave it out",
    ]);
  });
});

describe('bad egress at synth time, every problem at once', () => {
  it('refuses a restoring reader without the bucket\'s blocks, naming the prop and where they come from', () => {
    expect(problems({ egress: { identityEndpoints: [] } })).toEqual([
      'props.egress.objectStoreCidrs: is missing: this reader restores orders from the snapshot bucket over HTTPS (443), which the egress policy would block; '
      + 'give the CIDRs of the S3 prefix list (com.amazonaws.<region>.s3, for a gateway endpoint) or the subnets of your S3 interface endpoint',
    ]);
    expect(problems({ synthesized: onStore(GCS), identity: undefined, egress: { objectStoreCidrs: [] } })).toEqual([
      expect.stringMatching(/^props\.egress\.objectStoreCidrs: is empty: .*"199\.36\.153\.8\/30" \(private\.googleapis\.com\)/),
    ]);
  });

  it('refuses IRSA without the blocks of STS', () => {
    expect(problems({ egress: { objectStoreCidrs: S3_BLOCKS } })).toEqual([
      expect.stringMatching(/^props\.egress\.identityEndpoints: is missing: IRSA exchanges the pod's token with AWS STS .*STS interface endpoint/),
    ]);
  });

  it('refuses what is not a CIDR block, or has bits beyond its prefix, with the block to write', () => {
    expect(problems({ egress: { ...AWS_EGRESS, objectStoreCidrs: ['10.0.0.300/8', '10.1.2.3/16', '10.0.0.1', 'fd00::1/8', '10.0.0.0/33', 's3.amazonaws.com'] } })).toEqual([
      'props.egress.objectStoreCidrs[0]: "10.0.0.300/8" is not a CIDR block; write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"',
      'props.egress.objectStoreCidrs[1]: "10.1.2.3/16" has address bits set beyond its /16 prefix; write "10.1.0.0/16", or a longer prefix for a smaller block',
      'props.egress.objectStoreCidrs[2]: "10.0.0.1" is not a CIDR block; write "10.0.0.1/32" for this one address, or the range\'s block with its prefix length (e.g. "10.0.0.0/24")',
      'props.egress.objectStoreCidrs[3]: "fd00::1/8" has address bits set beyond its /8 prefix; write "fd00::/8", or a longer prefix for a smaller block',
      'props.egress.objectStoreCidrs[4]: "10.0.0.0/33" is not a CIDR block; write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"',
      'props.egress.objectStoreCidrs[5]: "s3.amazonaws.com" is not a CIDR block; write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"',
    ]);
  });

  it('refuses every address (0.0.0.0/0, ::/0) unless allowAnyDestination says so on purpose', () => {
    const anywhere: ReaderEgressOptions = { ...AWS_EGRESS, rules: [{ to: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }, { cidr: '::/0' }], ports: [{ port: 443 }] }] };
    expect(problems({ egress: anywhere })).toEqual([
      expect.stringMatching(/^props\.egress\.rules\[0\]\.to\[0\]\.cidr: "0\.0\.0\.0\/0" is every address.*set 'egress\.allowAnyDestination' to true/),
      expect.stringMatching(/^props\.egress\.rules\[0\]\.to\[1\]\.cidr: "::\/0" is every address/),
    ]);
    expect(egressOf({ egress: { ...anywhere, allowAnyDestination: true } }).at(-1)).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '::/0' } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    });
  });

  it('refuses rules that would allow every destination or name none, mixed peers, and bad ports', () => {
    const rules = [
      { to: [] },
      { to: [{ cidr: '10.0.0.0/8', podLabels: { app: 'x' } }, {}, { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }, { namespace: 'a', namespaceLabels: { b: 'c' } }] },
      { to: [{ podLabels: { app: 'db' } }], ports: [{ port: 0 }, { port: 8000, endPort: 7000 }, { port: 53, protocol: 'ICMP' }] },
    ] as unknown as ReaderEgressOptions['rules'];
    expect(problems({ egress: { ...AWS_EGRESS, rules, dns: { namespace: 'Kube System' }, identityEndpoints: [{ cidrs: [], ports: [70000] }] } })).toEqual([
      'props.egress.identityEndpoints[0].cidrs: is empty: an endpoint needs at least one block, which the egress policy would block; list its CIDR blocks, or drop the endpoint',
      'props.egress.identityEndpoints[0].ports[0]: 70000 is not a port; use a number from 1 to 65535',
      'props.egress.dns.namespace: "Kube System" is not a Kubernetes namespace; use a DNS label, e.g. \'kube-system\'',
      "props.egress.rules[0].to: is empty: the rule would allow every destination; list the destinations; for any, { cidr: '0.0.0.0/0' } with 'egress.allowAnyDestination'",
      'props.egress.rules[1].to[0]: has both cidr and pod or namespace selectors; make them two destinations',
      'props.egress.rules[1].to[1]: {} names no destination; give cidr, or podLabels with namespace or namespaceLabels',
      'props.egress.rules[1].to[2].except[0]: "11.0.0.0/16" is not inside cidr "10.0.0.0/8"; list only smaller blocks inside cidr',
      'props.egress.rules[1].to[3]: has both namespace and namespaceLabels; select the namespaces one way',
      'props.egress.rules[2].ports[0].port: 0 is not a port; use a number from 1 to 65535',
      'props.egress.rules[2].ports[1].endPort: 7000 is not a port at or above 8000; give the last port of the range, or leave it out for one port',
      'props.egress.rules[2].ports[2].protocol: "ICMP" is not a protocol; use \'TCP\', \'UDP\' or \'SCTP\'',
    ]);
  });

  it('reports egress problems with the sidecar\'s other problems', () => {
    expect(problems({ metricsPort: 0, egress: {} })).toEqual([
      'props.metricsPort: 0 is not a port; use a number from 1 to 65535',
      expect.stringMatching(/^props\.egress\.objectStoreCidrs: is missing/),
      expect.stringMatching(/^props\.egress\.identityEndpoints: is missing/),
    ]);
  });
});

describe('reader egress through the split\'s chart', () => {
  it('passes egress with the other options of readerSidecar', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = Testing.app();
    const split: SplitSpec = awsSplit();
    const chart = new ReadWriteSplitChart(app, 'shop', { split, writerIdentity: WRITER_IRSA });
    const shop = new Chart(app, 'storefront', { namespace: 'storefront' });
    const web = new kplus.Deployment(shop, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web:1', portNumber: 8080 }] });
    chart.readerSidecar(shop, 'reader', { identity: IRSA, egress: AWS_EGRESS }).addTo(web);
    expect(find(Testing.synth(shop), 'NetworkPolicy', 'web-spice-reader').spec.egress).toHaveLength(4);
  });
});
