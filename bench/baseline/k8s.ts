import { ApiObject, App, Chart, JsonPatch, Yaml } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { appDeployment } from '../workload';

type Json = Record<string, any>;

/** One chart of the hand-written app: its objects as literals, the app Deployment's sidecar as a patch. */
interface BaselineChart {
  readonly id: string;
  readonly namespace?: string;
  readonly objects: readonly Json[];
  /** The ConfigMaps' Spicepods, as objects: serialized when the app is built, each distinct one once. */
  readonly spicepods: ReadonlyMap<Json, Json>;
  /** The application Deployment, written with cdk8s-plus, and its pod with the sidecar, as one literal. */
  readonly app?: { readonly name: string; readonly pod: Json };
}

/**
 * What a platform team would write by hand for the same manifests: every object as a literal
 * (`new ApiObject`), the applications' Deployments with cdk8s-plus and the sidecar added by JSON
 * patches, and each distinct Spicepod serialized once with `yaml`. Prepared (untimed) from the
 * library's own output, so both build exactly the same objects.
 */
export function prepareK8sBaseline(reference: App): BaselineChart[] {
  const distinct = new Map<string, Json>();
  return reference.charts.map((chart) => {
    // Plain values, as literals are: toJson leaves some (quantities, ports) to the YAML writer.
    const docs: Json[] = parseAllDocuments(Yaml.stringify(...chart.toJson())).map((doc) => doc.toJS());
    const deployment = docs.find((d) => d.kind === 'Deployment' && d.spec.template.spec.initContainers);
    const spicepods = new Map<Json, Json>();
    const objects = docs.filter((d) => d !== deployment).map((doc) => {
      const yaml = doc.kind === 'ConfigMap' ? doc.data?.['spicepod.yaml'] : undefined;
      if (yaml && !distinct.has(yaml)) distinct.set(yaml, parse(yaml));
      if (yaml) spicepods.set(doc, distinct.get(yaml)!);
      return doc;
    });
    const pod = deployment?.spec.template;
    return { id: chart.node.id, namespace: chart.namespace, objects, spicepods, app: deployment && { name: deployment.metadata.name, pod } };
  });
}

/** Builds the hand-written app. */
export function baselineK8sApp(charts: readonly BaselineChart[]): App {
  const app = new App();
  const serialized = new Map<Json, string>();
  const yamlOf = (spicepod: Json) => {
    let yaml = serialized.get(spicepod);
    if (yaml === undefined) serialized.set(spicepod, yaml = `# hand-written\n${stringify(spicepod, { lineWidth: 0 })}`);
    return yaml;
  };
  for (const spec of charts) {
    const chart = new Chart(app, spec.id, { namespace: spec.namespace });
    spec.objects.forEach((doc, i) => {
      const spicepod = spec.spicepods.get(doc);
      const object = new ApiObject(chart, `o${i}`, spicepod ? { ...doc, data: { 'spicepod.yaml': yamlOf(spicepod) } } : (doc as any));
      // A Namespace is cluster-scoped: the chart's namespace does not apply to it.
      if (doc.kind === 'Namespace') object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    });
    if (spec.app) {
      // cdk8s-plus resolves its own values after JSON patches: the pod goes in after rendering.
      const object = ApiObject.of(appDeployment(chart, spec.app.name));
      const render = object.toJson.bind(object);
      const pod = spec.app.pod;
      object.toJson = () => {
        const json = render();
        return { ...json, spec: { ...json.spec, template: pod } };
      };
    }
  }
  return app;
}
