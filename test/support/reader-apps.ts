import { parseAllDocuments } from 'yaml';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { synthesizeSplit } from '../../lib';
import { SpiceReaderSidecar, SpiceReaderSidecarProps } from '../../lib/k8s';
import { awsSplit } from './splits';
import { find, K8sObject } from './k8s';

// The reader sidecar's tests: an application chart, a restricted app, the sidecar of the test split.

export const readerSplit = synthesizeSplit(awsSplit());

export function appChart() {
  return new Chart(Testing.app(), 'app', { namespace: 'shop-app' });
}

export function restrictedApp(chart: Chart, containers: kplus.ContainerProps[] = [{ name: 'web', image: 'web:1', portNumber: 8080 }]) {
  const secure = { user: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };
  return new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    containers: containers.map((c) => ({ ...c, securityContext: secure })),
  });
}

export function sidecar(chart: Chart, props: Partial<SpiceReaderSidecarProps> = {}) {
  return new SpiceReaderSidecar(chart, 'reader', { synthesized: readerSplit, identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/shop-reader' }, ...props });
}

export const podSpec = (docs: K8sObject[], kind: string, name: string) => find(docs, kind, name).spec.template.spec;
export const yamlDocs = (yaml: string): K8sObject[] => parseAllDocuments(yaml).map((doc) => doc.toJS());
