/**
 * Runs the Pulumi program of examples/azure under mocks (no Pulumi CLI, no Azure credentials) and
 * writes every resource it registers to `<outDir>/resources.json` (`{ type, name, inputs }`,
 * sorted by type and name), and its exports to `<outDir>/stack-outputs.json`, as
 * `pulumi stack output --json` prints them. Usage: tsx examples/azure/synth.ts out/azure
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { mockAzureCall, mockAzureResource } from './mock-cloud';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** An Output's value, once every resource it depends on was registered. */
function settled<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((resolved) => resolve(resolved as T)));
}

async function main(outDir: string): Promise<void> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return mockAzureResource(args.type, args.name, args.inputs);
    },
    call: (args) => mockAzureCall(args.token, args.inputs),
  }, 'read-write-split-azure-example', 'example', false);
  const program = await import('./index.js');
  const outputs = {
    accountName: await settled(program.accountName),
    refreshLocation: program.refreshLocation,
    telemetryIdentities: await settled(program.telemetryIdentities),
  };
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const resources = registered.sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'resources.json'), `${JSON.stringify(resources, null, 2)}\n`);
  writeFileSync(join(outDir, 'stack-outputs.json'), `${JSON.stringify(outputs, null, 2)}\n`);
  for (const resource of resources) console.log(`${resource.type} ${resource.name}`);
  console.log(`${join(outDir, 'resources.json')}: ${resources.length} resources; ${join(outDir, 'stack-outputs.json')}`);
}

main(process.argv[2] ?? 'out/azure').catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
