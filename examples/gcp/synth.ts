/**
 * Runs the Pulumi program of examples/gcp under mocks (no Pulumi CLI, no cloud credentials) and
 * writes every resource it registers to `<outDir>/resources.json`: `{ type, name, inputs }`,
 * sorted by type and name. Usage: tsx examples/gcp/synth.ts out/gcp
 *
 * The mocks answer the two lookups as a project that is set up would: the project's number, and a
 * subnetwork with Private Google Access (without it the program fails, as `pulumi up` would); and
 * they compute what GCP would (a service account's email, a secret version, a service's URL).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';

const EXAMPLE_PROJECT_NUMBER = '123456789012';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** The id GCP gives a resource: a secret's is its full name, which its versions name. */
function computedId(type: string, name: string, inputs: Record<string, any>): string {
  return type === 'gcp:secretmanager/secret:Secret' ? `projects/${inputs.project}/secrets/${inputs.secretId}` : `${name}-id`;
}

/** What GCP computes that the program reads: a service account's email, a secret version's number, a service's URL. */
function computedOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case 'gcp:serviceaccount/account:Account':
      return { email: `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com` };
    case 'gcp:secretmanager/secretVersion:SecretVersion':
      return { version: '1' };
    case 'gcp:cloudrunv2/service:Service':
      return { uri: `https://${inputs.name}-${EXAMPLE_PROJECT_NUMBER}.${inputs.location}.run.app` };
    default:
      return {};
  }
}

async function main(outDir: string): Promise<void> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: computedId(args.type, args.name, args.inputs), state: { ...args.inputs, ...computedOutputs(args.type, args.inputs) } };
    },
    call: (args) => {
      switch (args.token) {
        case 'gcp:organizations/getProject:getProject':
          return { ...args.inputs, number: EXAMPLE_PROJECT_NUMBER };
        case 'gcp:compute/getSubnetwork:getSubnetwork':
          return { ...args.inputs, privateIpGoogleAccess: true };
        default:
          throw new Error(`the example makes no ${args.token} call`);
      }
    },
  }, 'read-write-split-gcp-example', 'example', false);
  const program = await import('./index.js');
  // Wait for every registration: the program's outputs resolve after their resources.
  await new Promise((resolve) => pulumi.all([program.bucketName, program.writerMembers, program.readerMembers, program.storefrontUri, program.storefrontServiceAccount]).apply(resolve));
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const resources = registered.sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'resources.json'), `${JSON.stringify(resources, null, 2)}\n`);
  for (const resource of resources) console.log(`${resource.type} ${resource.name}`);
  console.log(`${join(outDir, 'resources.json')}: ${resources.length} resources`);
}

main(process.argv[2] ?? 'out/gcp').catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
