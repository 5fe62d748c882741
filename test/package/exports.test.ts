import { describe, expect, it } from 'vitest';
import { run } from '../support/run';

/** These tests load the compiled dist/ (built by `npm test` first) under plain Node, as users do. */
const FRAMEWORKS = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@pulumi/pulumi', '@pulumi/gcp', '@pulumi/azure-native'];

function node(script: string) {
  return run(process.execPath, ['-e', script]);
}

describe('the compiled package under plain Node', () => {
  it.each(['read-write-split', 'read-write-split/k8s', 'read-write-split/aws', 'read-write-split/gcp', 'read-write-split/azure', 'read-write-split/compose'])(
    'require(%j) loads',
    (subpath) => {
      const result = node(`require(${JSON.stringify(subpath)}); console.log('loaded')`);
      expect(result.stdout.trim(), result.output).toBe('loaded');
    },
  );

  it("resolves the description file's JSON Schema (an export), which a program can read", () => {
    const result = node(`
      const file = require.resolve('read-write-split/schemas/split-file.schema.json');
      const schema = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
      console.log(require('node:path').relative(process.cwd(), file), schema.$ref.replace('#/definitions/', '') in schema.definitions);`);
    expect(result.stdout.trim(), result.output).toBe('schemas/split-file.schema.json true');
  });

  it('import() of the core works from ESM with named exports', () => {
    const result = run(process.execPath, ['--input-type=module', '-e', `
      import { synthesizeSplit, SplitValidationError } from 'read-write-split';
      const r = synthesizeSplit({ name: 'esm', store: { cloud: 'gcp', bucket: 'esm-snaps', region: 'europe-west4' },
        datasets: [{ name: 'orders', from: 's3://lake/orders/' }] });
      console.log(r.reader.spicepod.name, typeof SplitValidationError);`]);
    expect(result.stdout.trim(), result.output).toBe('esm-reader function');
  });

  function loadedBy(subpath: string): string[] {
    const result = node(`
      require(${JSON.stringify(subpath)});
      console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('node_modules'))));`);
    return JSON.parse(result.stdout);
  }
  const frameworksIn = (files: string[]) => FRAMEWORKS.filter((framework) => files.some((file) => file.includes(`/node_modules/${framework}/`)));

  it('loading the core loads no framework', () => {
    expect(frameworksIn(loadedBy('read-write-split'))).toEqual([]);
  });

  it('loading the Compose target loads no framework', () => {
    expect(frameworksIn(loadedBy('read-write-split/compose'))).toEqual([]);
  });

  it('loading the Kubernetes adapter loads cdk8s only, never aws-cdk-lib or Pulumi', () => {
    // cdk8s-plus-28 is only a type of addTo's parameter: users of included manifests need not install it.
    const files = loadedBy('read-write-split/k8s');
    expect(frameworksIn(files)).toEqual(['constructs', 'cdk8s']);
    // Ajv and the package's own yaml load only for what needs them (a SpicepodSet CRD file, Helm values): cdk8s brings its own yaml.
    expect(files.filter((file) => /\/node_modules\/(ajv|yaml)\//.test(file) && !file.includes('/node_modules/cdk8s/'))).toEqual([]);
  });

  it('loading the GCP adapter loads @pulumi/gcp only through the resource files it uses, never aws-cdk-lib or cdk8s', () => {
    const files = loadedBy('read-write-split/gcp');
    expect(frameworksIn(files)).toEqual(['@pulumi/pulumi', '@pulumi/gcp']);
    const gcp = files.filter((file) => file.includes('/node_modules/@pulumi/gcp/')).map((file) => file.replace(/^.*\/node_modules\/@pulumi\/gcp\//, ''));
    expect(gcp).not.toContain('index.js');
    expect(gcp.filter((file) => file.includes('/')).sort()).toEqual([
      'cloudrunv2/service.js', 'compute/getSubnetwork.js', 'kms/cryptoKeyIAMMember.js', 'secretmanager/secret.js', 'secretmanager/secretIamMember.js', 'secretmanager/secretVersion.js',
      'serviceaccount/account.js', 'serviceaccount/iammember.js', 'storage/bucket.js', 'storage/bucketIAMMember.js',
    ]);
  });

  it('loading the Azure adapter loads @pulumi/azure-native by the service submodules it uses, never the package root', () => {
    const files = loadedBy('read-write-split/azure');
    expect(frameworksIn(files)).toEqual(['@pulumi/pulumi', '@pulumi/azure-native']);
    const azure = files.filter((file) => file.includes('/node_modules/@pulumi/azure-native/')).map((file) => file.replace(/^.*\/node_modules\/@pulumi\/azure-native\//, ''));
    // The root index.js would load about 270 service submodules.
    expect(azure).not.toContain('index.js');
    const services = azure.filter((file) => /^[a-z]+\/index\.js$/.test(file)).map((file) => file.split('/')[0]).sort();
    expect(services).toEqual(['app', 'authorization', 'managedidentity', 'network', 'privatedns', 'storage']);
    // Their enums come along, nothing else.
    expect(azure.filter((file) => file.startsWith('types/')).sort()).toEqual(['app', 'authorization', 'network', 'privatedns', 'storage'].map((service) => `types/enums/${service}/index.js`));
  });

  it('does not export internals beyond the declared subpaths', () => {
    const result = node(`try { require('read-write-split/dist/core/split'); console.log('open'); } catch (e) { console.log(e.code); }`);
    expect(result.stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});
