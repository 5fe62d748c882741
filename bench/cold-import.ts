import { execFileSync } from 'node:child_process';
import { median } from './measure';

/** What a cold `require` of some modules costs in a fresh Node process. */
export interface ColdImport {
  readonly ms: number;
  readonly modules: number;
}

/** Each subpath of the package, and what loading its framework alone costs (the baseline). */
export const COLD_IMPORTS: readonly { readonly subpath: string; readonly baseline: readonly string[] }[] = [
  { subpath: 'read-write-split', baseline: ['yaml'] },
  { subpath: 'read-write-split/k8s', baseline: ['cdk8s', 'cdk8s-plus-28'] },
  {
    subpath: 'read-write-split/aws',
    // aws-cdk-lib loads a module when a class of it is first used: the hand-written stack uses these.
    baseline: [
      'aws-cdk-lib#Stack', 'aws-cdk-lib#RemovalPolicy', 'aws-cdk-lib#Duration', 'aws-cdk-lib#CfnOutput', 'aws-cdk-lib#CfnJson', 'aws-cdk-lib#Annotations',
      'aws-cdk-lib/aws-s3#Bucket', 'aws-cdk-lib/aws-iam#Role', 'aws-cdk-lib/aws-iam#PolicyStatement', 'aws-cdk-lib/aws-kms#Key',
      'aws-cdk-lib/aws-ec2#GatewayVpcEndpoint', 'aws-cdk-lib/aws-eks#CfnPodIdentityAssociation',
    ],
  },
  { subpath: 'read-write-split/gcp', baseline: ['@pulumi/pulumi', '@pulumi/gcp/storage', '@pulumi/gcp/serviceaccount', '@pulumi/gcp/compute'] },
  {
    subpath: 'read-write-split/azure',
    baseline: ['@pulumi/pulumi', '@pulumi/azure-native/storage', '@pulumi/azure-native/authorization', '@pulumi/azure-native/managedidentity', '@pulumi/azure-native/network', '@pulumi/azure-native/privatedns'],
  },
];

/**
 * Loads the modules in a fresh process (the package by its own name, from the built dist/);
 * `module#name` also reads an export, for frameworks that load their parts on first use.
 */
function loadOnce(modules: readonly string[], cwd: string): ColdImport {
  const script = `const t=process.hrtime.bigint();for(const s of ${JSON.stringify(modules)}){const[m,e]=s.split('#');const x=require(m);if(e)void x[e];}`
    + 'const ms=Number(process.hrtime.bigint()-t)/1e6;console.log(JSON.stringify({ms,modules:Object.keys(require.cache).length}))';
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' }));
}

/** Median of `runs` cold loads of the subpath and of its baseline, taken alternately. */
export function coldImport(subpath: string, baseline: readonly string[], cwd: string, runs = 7) {
  const library: ColdImport[] = [];
  const frameworks: ColdImport[] = [];
  for (let i = 0; i < runs; i++) {
    library.push(loadOnce([subpath], cwd));
    frameworks.push(loadOnce(baseline, cwd));
  }
  return {
    subpath,
    baseline: baseline.join(' '),
    libraryMs: median(library.map((r) => r.ms)),
    baselineMs: median(frameworks.map((r) => r.ms)),
    ratio: median(library.map((r, i) => r.ms / frameworks[i].ms)),
    libraryModules: library[0].modules,
    baselineModules: frameworks[0].modules,
  };
}
