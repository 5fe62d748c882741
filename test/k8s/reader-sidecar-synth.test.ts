import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { SplitValidationError } from '../../lib';
import { find, K8sObject } from '../support/k8s';
import { appChart, podSpec, restrictedApp, sidecar, yamlDocs } from '../support/reader-apps';

describe('bad input at synth time', () => {
  it('refuses a reader for a dataset the writer does not have', () => {
    expect(() => sidecar(appChart(), { datasets: ['invoices'] })).toThrow(/props.datasets\[0\]: "invoices" is not a dataset of the split/);
  });

  it('refuses the sidecar added twice', () => {
    const chart = appChart();
    const web = restrictedApp(chart);
    const reader = sidecar(chart);
    reader.addTo(web);
    expect(() => reader.addTo(web)).toThrow(SplitValidationError);
    expect(() => reader.addTo(web)).toThrow(/already has a "spice-reader" container: the reader sidecar was added twice/);
  });

  it('refuses a port clash with the app container, even one added after the sidecar', () => {
    const chart = appChart();
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    web.addContainer({ name: 'exporter', image: 'exporter:1', portNumber: 9090, securityContext: { user: 10001 } });
    expect(() => Testing.synth(chart)).toThrow(/containers\[exporter\]: port 9090 is also the sidecar's metrics port.*set the sidecar's 'metricsPort' to a free port/);
  });

  // A validation is the only pre-synth hook cdk8s has: what one changes after the sidecar's checks still reaches the output.
  it('renders the workload as a validation running after its checks left it', () => {
    const chart = appChart();
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    new Chart(chart.node.root as App, 'later').node.addValidation({ validate: () => (web.metadata.addLabel('team', 'payments'), []) });
    expect(find(yamlDocs((chart.node.root as App).synthYaml()), 'Deployment', 'web').metadata.labels).toMatchObject({ team: 'payments' });
  });

  // Without a validation of the user's, the output takes the rendering the checks made in the same synth call.
  it('synthesizes the same workload whether or not the app holds a validation of its own', () => {
    const build = (withOwnValidation: boolean) => {
      const chart = appChart();
      const web = restrictedApp(chart);
      sidecar(chart).addTo(web);
      web.addContainer({ name: 'admin', image: 'admin:1', portNumber: 8443, securityContext: { user: 10001 } });
      if (withOwnValidation) chart.node.addValidation({ validate: () => [] });
      return (chart.node.root as App).synthYaml();
    };
    const reused = build(false);
    expect(podSpec(yamlDocs(reused), 'Deployment', 'web').initContainers.map((c: K8sObject) => c.name)).toEqual(['spice-reader']);
    expect(reused).toBe(build(true));
  });

  it('renders the workload afresh for a chart synthesized again after a change, in the same turn', () => {
    const chart = appChart();
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    expect(podSpec(Testing.synth(chart), 'Deployment', 'web').containers.map((c: K8sObject) => c.name)).toEqual(['web']);
    web.addContainer({ name: 'admin', image: 'admin:1', portNumber: 8443, securityContext: { user: 10001 } });
    expect(podSpec(Testing.synth(chart), 'Deployment', 'web').containers.map((c: K8sObject) => c.name)).toEqual(['web', 'admin']);
  });

  // app.synthYaml() and app.synth() (what `cdk8s synth` runs) check the workload once per call.
  it('checks and renders the workload afresh in each app synth call, even one of the same turn', () => {
    const chart = appChart();
    const app = chart.node.root as App;
    const web = restrictedApp(chart);
    sidecar(chart).addTo(web);
    const containersOf = (yaml: string) => podSpec(yamlDocs(yaml), 'Deployment', 'web').containers.map((c: K8sObject) => c.name);
    expect(containersOf(app.synthYaml())).toEqual(['web']);
    web.addContainer({ name: 'admin', image: 'admin:1', portNumber: 8443, securityContext: { user: 10001 } });
    const again = yamlDocs(app.synthYaml());
    expect(podSpec(again, 'Deployment', 'web').containers.map((c: K8sObject) => c.name)).toEqual(['web', 'admin']);
    expect(find(again, 'NetworkPolicy', 'web-spice-reader').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }]);
    web.addContainer({ name: 'exporter', image: 'exporter:1', portNumber: 9090, securityContext: { user: 10001 } });
    expect(() => app.synthYaml()).toThrow(/containers\[exporter\]: port 9090 is also the sidecar's metrics port/);
  });

  it('accepts the clash once the metrics port moves', () => {
    const chart = appChart();
    sidecar(chart, { metricsPort: 9464 }).addTo(restrictedApp(chart, [{ name: 'web', image: 'web:1', portNumber: 9090 }]));
    expect(podSpec(Testing.synth(chart), 'Deployment', 'web').initContainers[0].args).toContain('0.0.0.0:9464');
  });

  it('refuses an app without ports unless appPorts says which', () => {
    const chart = appChart();
    sidecar(chart).addTo(restrictedApp(chart, [{ name: 'worker', image: 'worker:1' }]));
    expect(() => Testing.synth(chart)).toThrow(/declare no ports: the NetworkPolicy .* would admit no traffic/);
    const ok = appChart();
    sidecar(ok, { appPorts: [] }).addTo(restrictedApp(ok, [{ name: 'worker', image: 'worker:1' }]));
    expect(find(Testing.synth(ok), 'NetworkPolicy', 'web-spice-reader').spec.ingress).toHaveLength(1);
  });

  it('refuses clashes with init containers, port names, and a metrics port on another sidecar port', () => {
    const chart = new Chart(Testing.app(), 'x', { namespace: 'shop' });
    const object = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            initContainers: [{ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always', ports: [{ containerPort: 9090 }] }],
            containers: [{ name: 'api', image: 'api:1', ports: [{ name: 'spice-http', containerPort: 8080 }] }],
          },
        },
      },
    });
    const reader = sidecar(chart, { metricsPort: 50051 });
    const attempt = () => reader.addToManifest(object);
    expect(attempt).toThrow(/Deployment\/api.metricsPort: 50051 is also the sidecar's HTTP or Flight port/);
    expect(attempt).toThrow(/Deployment\/api.containers\[api\]: port name "spice-http" is also a port name of the sidecar/);
    const plain = sidecar(new Chart(Testing.app(), 'y', { namespace: 'shop' }));
    expect(() => plain.addToManifest(object)).toThrow(/containers\[proxy\]: port 9090 is also the sidecar's metrics port/);
  });

  it('refuses appPorts that would open the sidecar\'s ports', () => {
    const chart = appChart();
    sidecar(chart, { appPorts: [8080, 50051] }).addTo(restrictedApp(chart));
    expect(() => Testing.synth(chart)).toThrow(/appPorts: 50051 is a port of the sidecar and would be opened to every source/);
  });

  it('refuses a workload in another namespace than the sidecar', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const other = new Chart(app, 'other', { namespace: 'other' });
    expect(() => sidecar(shop).addTo(restrictedApp(other))).toThrow(/namespace: is other, but the sidecar's ConfigMap and ServiceAccount go to shop/);
  });

  it('refuses a manifest that uses another ServiceAccount, or is no workload', () => {
    const chart = new Chart(Testing.app(), 'legacy');
    const deployment = new ApiObject(chart, 'd', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8090 }] }] } } },
    });
    const reader = sidecar(chart);
    const attempt = () => reader.addToManifest(deployment);
    expect(attempt).toThrow(/Deployment\/api.serviceAccountName: is "api", but the reader's read-only bucket identity is bound to "shop-reader"/);
    expect(attempt).toThrow(/Deployment\/api.containers\[api\]: port 8090 is also the sidecar's http port/);
    const service = new ApiObject(chart, 's', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } });
    expect(() => sidecar(new Chart(Testing.app(), 'x')).addToManifest(service)).toThrow(/Service\/api: is not a workload with a pod template/);
  });
});
