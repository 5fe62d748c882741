import { App, Stack } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import { bench, describe } from 'vitest';
import { ReadWriteSplitAws } from '../lib/aws';
import { ReadWriteSplitChart } from '../lib/k8s';
import { inventory } from '../examples/splits/inventory';

/** What users pay per `cdk8s synth` / `cdk synth` for one split, framework included. */
describe('adapters', () => {
  const warn = console.warn;
  console.warn = () => undefined;
  bench('ReadWriteSplitChart synth (cdk8s)', () => {
    Testing.synth(new ReadWriteSplitChart(Testing.app(), 'inventory', { split: inventory, writerIdentity: { type: 'aws-pod-identity' } }));
  });
  bench('ReadWriteSplitAws synth (aws-cdk-lib)', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-east-1' } });
    new ReadWriteSplitAws(stack, 'I', { split: inventory, cluster: { region: 'us-east-1', trust: { type: 'aws-pod-identity', clusterName: 'c' } }, vpcEndpointId: 'vpce-1' });
    app.synth();
  });
  console.warn = warn;
});
