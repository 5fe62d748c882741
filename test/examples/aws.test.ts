import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsRoleName } from '../../lib';
import { inventory } from '../../examples/splits/inventory';
import { orders } from '../../examples/splits/orders';
import { bin, ROOT, run } from '../support/run';

/** Runs the example CDK app with the real aws-cdk CLI, offline, as `npm run synth:aws` does. */
let out: string;
let result: ReturnType<typeof run>;
const template = (stack: string) => JSON.parse(readFileSync(join(out, `${stack}.template.json`), 'utf8'));
const resources = (stack: string, type: string) => Object.values(template(stack).Resources as Record<string, any>).filter((r) => r.Type === type);

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rws-aws-'));
  result = run(bin('cdk'), ['synth', '--quiet', '--no-notices', '--output', out], {
    cwd: join(ROOT, 'examples', 'aws'),
    env: { CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
}, 240_000);

describe('the example CDK app (cdk synth)', () => {
  it('synthesizes both stacks offline', () => {
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['OrdersSnapshots.template.json', 'InventorySnapshots.template.json']));
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  });

  it('names the roles the Kubernetes example binds its ServiceAccounts to', () => {
    const names = resources('OrdersSnapshots', 'AWS::IAM::Role').map((r) => r.Properties.RoleName).sort();
    expect(names).toEqual([awsRoleName('orders', 'eu-west-1', 'reader'), awsRoleName('orders', 'eu-west-1', 'writer')]);
  });

  it('keeps each bucket in its split\'s region, named by the split', () => {
    for (const [stack, split] of [['OrdersSnapshots', orders], ['InventorySnapshots', inventory]] as const) {
      const [bucket] = resources(stack, 'AWS::S3::Bucket');
      expect(bucket.Properties.BucketName).toBe((split.store as { bucket: string }).bucket);
    }
    expect(resources('InventorySnapshots', 'AWS::EKS::PodIdentityAssociation')).toHaveLength(2);
    expect(resources('InventorySnapshots', 'AWS::KMS::Key')).toHaveLength(1);
  });

  it('makes no telemetry or notice lookups', () => {
    expect(result.output).not.toMatch(/telemetry|NOTICES/i);
  });
});
