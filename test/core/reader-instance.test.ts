import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  formatProblem, ownershipFixCommand, readerDiskBytes, readerInstance, renderReaderSpicepod, spicepodToYaml, synthesizeSplit,
} from '../../lib/core';
import { thrown } from '../support/errors';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { awsSplit, ENTERPRISE_2 } from '../support/splits';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n';
const accelerated = synthesizeSplit(awsSplit());
const behindBalancer = synthesizeSplit(awsSplit({ writer: { flightEndpoint: 'http://shop-writers.internal.example.com:50051' } }));

const problemsOf = (attempt: () => unknown) => thrown(attempt).problems.map(formatProblem);

describe('the reader beside an application off Kubernetes', () => {
  it("is the core's reader Spicepod, image and sizing, with nothing of the sources", () => {
    const reader = readerInstance(behindBalancer, 'ecs-fargate');
    expect(reader.spicepodYaml).toBe(spicepodToYaml(behindBalancer.reader.spicepod));
    expectValidSpicepod(parse(reader.spicepodYaml));
    expect(reader.image).toBe(behindBalancer.split.image.reference);
    expect(reader.resources).toEqual(behindBalancer.split.reader.resources);
    expect(reader.writableDirs.find((dir) => dir.role === 'local')).toMatchObject({ path: '/local', sizeBytes: reader.localDiskBytes });
    expect(readerDiskBytes(reader)).toBeGreaterThan(reader.localDiskBytes);
    expect(reader.secretEnv.map((binding) => binding.purpose)).toEqual(['cluster-api-key']);
    expect(JSON.stringify(reader)).not.toContain('shop-db');
    expect(reader.spicepodYaml).toContain('http://shop-writers.internal.example.com:50051');
  });

  it('dials the external endpoint off Kubernetes, while the sidecars and the archiver keep the in-cluster one', () => {
    const external = 'https://shop-writers.internal.example.com:50051';
    const split = synthesizeSplit(awsSplit({ image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: CA }, externalFlightEndpoint: external } }));
    const endpointsOf = (yaml: string) => parse(yaml).datasets.filter((d: any) => d.params?.spiceai_endpoint).map((d: any) => d.params.spiceai_endpoint);
    const inCluster = 'https://shop-writer.shop.svc.cluster.local:50051';
    expect(endpointsOf(readerInstance(split, 'ecs-fargate').spicepodYaml)).toEqual([external]);
    expect(endpointsOf(readerInstance(split, 'compose', { datasets: ['history'] }).spicepodYaml)).toEqual([external]);
    expectValidSpicepod(parse(readerInstance(split, 'ecs-fargate').spicepodYaml));
    expect(endpointsOf(spicepodToYaml(split.reader.spicepod))).toEqual([inCluster]);
    expect(endpointsOf(spicepodToYaml(split.archiver!.spicepod))).toEqual([inCluster]);
  });

  it('refuses any name only the cluster resolves for a reader off it, and lets a one-label name through (a Compose sibling, a search domain)', () => {
    const inCluster = synthesizeSplit(awsSplit({ writer: { flightEndpoint: 'http://shop-writer.shop.svc:50051' } }));
    expect(problemsOf(() => readerInstance(inCluster, 'ecs-fargate'))[0]).toMatch(/^split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address "http:\/\/shop-writer\.shop\.svc:50051", which a reader on ECS Fargate cannot resolve/);
    const trailingDot = synthesizeSplit(awsSplit({ writer: { flightEndpoint: 'http://shop-writer.shop.svc.cluster.local.:50051' } }));
    expect(problemsOf(() => readerInstance(trailingDot, 'ecs-fargate'))[0]).toMatch(/^split\.writer\.externalFlightEndpoint: is \(as writer\.flightEndpoint\) the writers' in-cluster address/);
    const sibling = synthesizeSplit(awsSplit({ writer: { externalFlightEndpoint: 'http://flight-proxy:50051' } }));
    expect(parse(readerInstance(sibling, 'compose', { datasets: ['history'] }).spicepodYaml).datasets[0].params.spiceai_endpoint).toBe('http://flight-proxy:50051');
  });

  it('refuses an external endpoint nothing off the cluster resolves, or plaintext beside TLS, and warns of plaintext outside it', () => {
    const problems = (writer: object) => problemsOf(() => synthesizeSplit(awsSplit({ image: ENTERPRISE_2, writer })));
    expect(problems({ externalFlightEndpoint: 'http://shop-writer.shop.svc:50051' })).toEqual([
      "writer.externalFlightEndpoint: \"http://shop-writer.shop.svc:50051\" is a cluster Service name, which readers outside the cluster cannot resolve; give the address of an internal load balancer in front of the writers' Flight port (the chart's flightLoadBalancer renders one), or leave it out if no reader runs outside the cluster",
    ]);
    expect(problems({ externalFlightEndpoint: 'grpc://writers.internal:50051' })[0]).toMatch(/^writer\.externalFlightEndpoint: "grpc:\/\/writers\.internal:50051" is not a Flight endpoint spiced accepts/);
    // No host, or a port no load balancer listens on, is no endpoint either (for both endpoints).
    for (const endpoint of ['http://:50051', 'http://writers.internal:0', 'http://writers.internal:99999']) {
      expect(problems({ externalFlightEndpoint: endpoint }), endpoint).toEqual([expect.stringMatching(/^writer\.externalFlightEndpoint: .* is not a Flight endpoint spiced accepts/)]);
      expect(problems({ flightEndpoint: endpoint }), endpoint).toEqual([expect.stringMatching(/^writer\.flightEndpoint: .* is not a Flight endpoint spiced accepts/)]);
    }
    expect(problems({ tls: { secretName: 'shop-writer-tls', caCertificate: CA }, externalFlightEndpoint: 'http://writers.internal:50051' })).toEqual([
      "writer.externalFlightEndpoint: \"http://writers.internal:50051\" is plaintext, but the writers serve TLS (writer.tls); use 'https://' or 'grpc+tls://'",
    ]);
    const plaintext = synthesizeSplit(awsSplit({ writer: { externalFlightEndpoint: 'http://10.20.0.9:50051' } }));
    expect(plaintext.warnings.map((w) => `${w.id} ${w.path}`)).toContain('plaintext-flight-endpoint writer.externalFlightEndpoint');
    expect(plaintext.warnings.find((w) => w.path === 'writer.externalFlightEndpoint')!.message).toContain('delegating readers outside the cluster send the cluster API key to 10.20.0.9 unencrypted');
  });

  it('listens on loopback where nothing outside the task probes it, and on the instance elsewhere', () => {
    expect(readerInstance(behindBalancer, 'ecs-fargate').args.slice(0, 6)).toEqual(['--http', '127.0.0.1:8090', '--flight', '127.0.0.1:50051', '--metrics', '127.0.0.1:9090']);
    expect(readerInstance(accelerated, 'compose', { datasets: ['orders'] }).args.slice(0, 6)).toEqual(['--http', '0.0.0.0:8090', '--flight', '0.0.0.0:50051', '--metrics', '127.0.0.1:9090']);
    expect(readerInstance(accelerated, 'compose', { datasets: ['orders'] }).endpoints).toEqual({ http: 'http://127.0.0.1:8090', flight: 'grpc://127.0.0.1:50051' });
  });

  it('serves the datasets the application names, without the cluster API key when none is delegated', () => {
    const reader = readerInstance(accelerated, 'compose', { datasets: ['orders'] });
    expect(reader.spicepodYaml).toBe(spicepodToYaml(renderReaderSpicepod(accelerated.split, { datasets: ['orders'] }).spicepod));
    expect(reader.delegates).toBe(false);
    expect(reader.secretEnv).toEqual([]);
    expect(reader.files.map((file) => `${file.dir}/${file.name}`)).toEqual(['/spicepod/spicepod.yaml']);
  });

  it("delivers the writers' CA with the Spicepod when it delegates over TLS", () => {
    const tls = synthesizeSplit(awsSplit({ image: ENTERPRISE_2, writer: { tls: { secretName: 'shop-writer-tls', caCertificate: CA }, flightEndpoint: 'https://shop-writers.internal.example.com:50051' } }));
    const reader = readerInstance(tls, 'ecs-fargate');
    expect(reader.files.find((file) => file.purpose === 'flight-ca')).toEqual({ dir: '/etc/spice/flight-ca', name: 'ca.crt', content: CA, purpose: 'flight-ca' });
    expect(parse(reader.spicepodYaml).datasets.find((d: { name: string }) => d.name === 'history').params.spiceai_tls_ca_certificate_file).toBe('/etc/spice/flight-ca/ca.crt');
  });

  it('hands the writable directories to the image user with one command', () => {
    expect(ownershipFixCommand(readerInstance(accelerated, 'compose', { datasets: ['orders'] }))).toEqual(['sh', '-c', 'chown -R 65534:65534 /local /app /tmp && chmod 0700 /local /app /tmp']);
  });

  it("refuses, all at once, what would deploy but never work: the in-cluster writer address, the app's ports, another cloud's store", () => {
    expect(problemsOf(() => readerInstance(accelerated, 'cloud-run', { appPorts: [8080, 8090, 50051], metricsPort: 70000 }))).toEqual([
      'metricsPort: 70000 is not a port; use a number from 1 to 65535',
      "appPorts[1]: 8090 is the reader's HTTP port: the application and spiced share one network namespace on Cloud Run; move the application to another port",
      "appPorts[2]: 50051 is the reader's Arrow Flight port: the application and spiced share one network namespace on Cloud Run; move the application to another port",
      'split.store.cloud: "aws" is not the cloud of Cloud Run (gcp): the reader\'s identity there reaches no aws bucket; run this reader where the aws store is, or keep it a Kubernetes sidecar',
    ]);
    expect(problemsOf(() => readerInstance(accelerated, 'ecs-fargate'))).toEqual([
      "split.writer.externalFlightEndpoint: is (as writer.flightEndpoint) the writers' in-cluster address \"http://shop-writer.shop.svc.cluster.local:50051\", which a reader on ECS Fargate cannot resolve, so its delegated datasets (history) would never load; "
        + "set writer.externalFlightEndpoint to an address the platform reaches (an internal load balancer in front of the writers' Flight port 50051: the chart's flightLoadBalancer renders one), or give this reader accelerated datasets only (datasets)",
    ]);
    expect(problemsOf(() => readerInstance(accelerated, 'compose', { datasets: ['customers'] }))).toEqual([
      'datasets[0]: "customers" is writer-only: no reader Spicepod holds it; set its \'readers\' to \'accelerated\' or \'delegated\', or drop it here',
    ]);
  });

  it("pulls the split's tag from a mirror where the platform cannot reach the split's registry", () => {
    const enterprise = synthesizeSplit(awsSplit({
      image: { ...ENTERPRISE_2, repository: '709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol' },
      store: { cloud: 'azure', account: 'shopsnaps', container: 'spice-snapshots', region: 'westeurope' },
    }));
    expect(problemsOf(() => readerInstance(enterprise, 'container-apps', { datasets: ['orders'] }))).toEqual([
      'imageRepository: is not given, so Azure Container Apps would pull the split\'s image "709825985650.dkr.ecr.us-east-1.amazonaws.com/spice-ai/spiceai-enterprise-byol:2.0.1-enterprise" '
        + 'from a private registry Azure Container Apps holds no lasting credentials for; copy the image into a registry Azure Container Apps pulls from and give that repository as imageRepository '
        + "(the split's tag is kept), e.g. 'acme.azurecr.io/spice-ai/spiceai-enterprise-byol'",
    ]);
    const mirrored = readerInstance(enterprise, 'container-apps', { datasets: ['orders'], imageRepository: 'acme.azurecr.io/spice-ai/spiceai-enterprise-byol' });
    expect(mirrored.image).toBe('acme.azurecr.io/spice-ai/spiceai-enterprise-byol:2.0.1-enterprise');
    expect(readerInstance(enterprise, 'compose', { datasets: ['orders'] }).image).toBe(enterprise.split.image.reference);
    expect(problemsOf(() => readerInstance(enterprise, 'compose', { datasets: ['orders'], imageRepository: 'acme.azurecr.io/spice:2.0.1' }))).toEqual([
      "imageRepository: \"acme.azurecr.io/spice:2.0.1\" is not an image repository; write it without tag or digest, e.g. 'registry.example.com/spice/spiceai'",
    ]);
  });
});
