import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { K8sObject } from '../support/k8s';
import { ROOT } from '../support/run';
import { cli, description, docsOf } from '../support/cli';

// The Kubernetes and cloud sections of one file must agree: each pod's ServiceAccount trusted by
// the identity it carries, and that identity the one the cloud section creates.

const example = (name: string) => parse(readFileSync(join(ROOT, 'examples', 'cli', name), 'utf8'));
const LEGACY_API = join(ROOT, 'examples', 'cli', 'manifests', 'legacy-api.yaml');

/** A folder holding the file (and the example's application manifest, or the one given). */
function project(file: Record<string, any>, manifest = readFileSync(LEGACY_API, 'utf8')): string {
  const dir = mkdtempSync(join(tmpdir(), 'rws-cli-cross-'));
  writeFileSync(join(dir, 'api.yaml'), manifest);
  writeFileSync(join(dir, 'split.yaml'), stringify(file));
  return dir;
}

const withApp = (file: Record<string, any>, app: Record<string, unknown>): Record<string, any> => ({ ...file, kubernetes: { ...file.kubernetes, apps: [{ manifest: 'api.yaml', ...app }] } });

/** The problems validate reports, as { path, message, fix }. */
function problemsOf(dir: string): { path: string; message: string; fix: string }[] {
  const result = cli('validate', join(dir, 'split.yaml'), '--format', 'json');
  return JSON.parse(result.stdout).problems.map(({ path, message, fix }: Record<string, string>) => ({ path, message, fix }));
}

/** Every pod template of the manifests, with the namespace of its workload. */
function podsOf(objects: K8sObject[]): { workload: string; namespace: string; serviceAccount: string }[] {
  return objects.flatMap((object) => {
    const template = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : ['Deployment', 'StatefulSet', 'Job'].includes(object.kind) ? object.spec.template : undefined;
    return template ? [{ workload: `${object.kind}/${object.metadata.name}`, namespace: object.metadata.namespace, serviceAccount: template.spec.serviceAccountName }] : [];
  });
}

/**
 * For each pod of the written manifests: its ServiceAccount names an IAM role (IRSA), the template
 * creates a role of that name, and the role's trust admits that ServiceAccount.
 */
function expectEveryPodTrusted(out: string): string[] {
  const objects = readdirSync(join(out, 'k8s')).filter((f) => f.endsWith('.yaml')).flatMap((f) => docsOf(join(out, 'k8s', f)));
  const template = JSON.parse(readFileSync(join(out, 'aws', readdirSync(join(out, 'aws')).find((f) => f.endsWith('.template.json'))!), 'utf8'));
  const roles = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::IAM::Role');
  const checked = podsOf(objects).flatMap((pod) => {
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.serviceAccount && o.metadata.namespace === pod.namespace);
    expect(account, `${pod.workload} runs as ${pod.namespace}/${pod.serviceAccount}, which the manifests hold`).toBeDefined();
    // A reader restart schedule rolls pods with kubectl: it holds no cloud identity.
    if (pod.workload.endsWith('-spice-restart')) {
      expect(account!.metadata.annotations?.['eks.amazonaws.com/role-arn'], `${pod.workload} holds no IAM role`).toBeUndefined();
      return [];
    }
    const roleName = String(account!.metadata.annotations?.['eks.amazonaws.com/role-arn']).split(':role/')[1];
    const role = roles.find((r) => r.Properties.RoleName === roleName);
    expect(role, `${pod.workload}'s role ${roleName} is in the template`).toBeDefined();
    const subjects = role.Properties.AssumeRolePolicyDocument.Statement.flatMap((s: any) => Object.entries(s.Condition?.StringEquals ?? {})
      .filter(([key]) => key.endsWith(':sub')).flatMap(([, value]) => value));
    expect(subjects, `${roleName} trusts ${pod.workload}`).toContain(`system:serviceaccount:${pod.namespace}:${pod.serviceAccount}`);
    return [`${pod.workload} ${roleName}`];
  });
  return checked;
}

describe('read-write-split validate compares the kubernetes section with the cloud section', () => {
  it("synthesizes the example so that every pod's ServiceAccount is trusted by the role it names", () => {
    const out = mkdtempSync(join(tmpdir(), 'rws-cli-cross-out-'));
    const result = cli('synth', join('examples', 'cli', 'orders.split.yaml'), '--out', out);
    expect(result.status, result.output).toBe(0);
    expect(expectEveryPodTrusted(out)).toEqual(expect.arrayContaining([
      'StatefulSet/orders-writer-owner orders-eu-west-1-spice-writer',
      'StatefulSet/orders-writer-replica orders-eu-west-1-spice-writer',
      'Deployment/legacy-api orders-eu-west-1-spice-reader',
    ]));
  });

  it('refuses role ARNs, an identity type and a namespace the aws section does not create or trust, all at once, and writes nothing', () => {
    const file = withApp(description, { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::444455556666:role/orders-eu-west-1-spice-reader' }, datasets: ['orders'] });
    file.kubernetes.writerIdentity = { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/orders-writer' };
    file.aws = { ...file.aws, readerNamespaces: ['billing'] };
    const dir = project(file);
    expect(problemsOf(dir)).toEqual([
      {
        path: 'kubernetes.writerIdentity.roleArn',
        message: 'names role orders-writer, not orders-eu-west-1-spice-writer: the writers would assume another role than the writer role the aws section creates and grants the bucket to',
        fix: 'use "arn:aws:iam::111122223333:role/orders-eu-west-1-spice-writer"',
      },
      {
        path: 'kubernetes.apps[0].manifest',
        message: "runs its pod as ServiceAccount shop/orders-reader, which the aws section does not trust as a reader (it trusts billing/orders-reader): every restore would be denied",
        fix: 'add shop to aws.readerNamespaces',
      },
      {
        path: 'kubernetes.apps[0].identity.roleArn',
        message: 'names account 444455556666, not 111122223333 (aws.account): the readers would assume another role than the reader role the aws section creates and grants the bucket to',
        fix: 'use "arn:aws:iam::111122223333:role/orders-eu-west-1-spice-reader"',
      },
    ]);
    const synth = cli('synth', join(dir, 'split.yaml'), '--out', join(dir, 'out'));
    expect(synth.status).toBe(1);
    expect(readdirSync(dir)).toEqual(['api.yaml', 'split.yaml']);
  });

  it("says once that a reader role is another region's: the refusal, not also the warning of the same value", () => {
    const file = withApp(description, { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/orders-us-east-1-spice-reader' }, datasets: ['orders'] });
    const result = cli('validate', join(project(file), 'split.yaml'), '--format', 'json');
    const report = JSON.parse(result.stdout);
    expect(report.problems.map(({ path, message }: Record<string, string>) => ({ path, message }))).toEqual([{
      path: 'kubernetes.apps[0].identity.roleArn',
      message: 'names role orders-us-east-1-spice-reader, not orders-eu-west-1-spice-reader: the readers would assume another role than the reader role the aws section creates and grants the bucket to',
    }]);
    expect(report.warnings.filter((warning: { path: string }) => warning.path === 'kubernetes.apps[0].identity.roleArn')).toEqual([]);
    // Without the aws section nothing refuses it: the warning speaks.
    const { aws: _aws, ...k8sOnly } = file;
    const alone = JSON.parse(cli('validate', join(project(k8sOnly), 'split.yaml'), '--format', 'json').stdout);
    expect(alone.problems).toEqual([]);
    expect(alone.warnings.map((warning: { id: string; path: string }) => `${warning.id} ${warning.path}`)).toContain('irsa-role-of-another-split kubernetes.apps[0].identity.roleArn');
  });

  it("holds both sections to the description's reader.namespaces: an app elsewhere, and an aws.readerNamespaces that differs", () => {
    const file = withApp(description, { identity: description.kubernetes.apps[0].identity, datasets: ['orders'] });
    file.split = { ...file.split, reader: { ...file.split.reader, namespaces: ['web'] } };
    file.aws = { ...file.aws, readerNamespaces: ['shop'] };
    expect(problemsOf(project(file))).toEqual([
      {
        path: 'kubernetes.apps[0].namespace',
        message: "is shop, but the description's reader.namespaces is web: the cloud side trusts the reader ServiceAccount there only, so every restore would be denied",
        fix: "add shop to the description's reader.namespaces (and deploy the cloud side again), or run the application in one of those",
      },
      {
        path: 'aws.readerNamespaces',
        message: "is shop, but the description's reader.namespaces is web: the other side reads the description, so the two would disagree on where readers run",
        fix: "leave readerNamespaces out (the description's reader.namespaces is used), or make the two the same list, in the same order",
      },
    ]);
    // Said once, in the description, both sections follow it.
    const { readerNamespaces: _given, ...aws } = file.aws;
    expect(problemsOf(project({ ...file, split: { ...file.split, reader: { ...file.split.reader, namespaces: ['shop'] } }, aws }))).toEqual([]);
  });

  it('refuses IRSA identities when the aws section trusts EKS Pod Identity', () => {
    const file = withApp(description, { identity: description.kubernetes.apps[0].identity, datasets: ['orders'] });
    file.aws = { ...file.aws, cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'shop' } } };
    const problems = problemsOf(project(file));
    expect(problems.map((p) => p.path)).toEqual(['kubernetes.writerIdentity.type', 'kubernetes.apps[0].identity.type']);
    expect(problems[0]).toEqual({
      path: 'kubernetes.writerIdentity.type',
      message: "is 'aws-irsa', but the aws section's roles trust EKS Pod Identity (aws.cluster.trust.type 'aws-pod-identity'): the writers would get no role",
      fix: 'use { type: aws-pod-identity } (the aws section creates the associations)',
    });
  });

  it("takes the roles' partition and account from the cluster's OIDC provider when aws.account is not given", () => {
    const file = withApp(description, { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::999988887777:role/orders-cn-north-1-spice-reader' }, datasets: ['orders'] });
    const provider = 'arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE0123456789ABCDEF';
    file.split = { ...file.split, store: { ...file.split.store, region: 'cn-north-1' }, datasets: file.split.datasets.map((d: any) => ({ ...d, params: { ...d.params, ...(d.params.s3_region ? { s3_region: 'cn-north-1' } : {}) } })) };
    file.kubernetes.writerIdentity = { type: 'aws-irsa', roleArn: 'arn:aws-cn:iam::111122223333:role/orders-cn-north-1-spice-writer' };
    const { account: _account, ...aws } = file.aws;
    file.aws = { ...aws, cluster: { region: 'cn-north-1', trust: { type: 'aws-irsa', oidcProviderArn: provider } } };
    expect(problemsOf(project(file))).toEqual([{
      path: 'kubernetes.apps[0].identity.roleArn',
      message: "names account 999988887777, not 111122223333 (the cluster's OIDC provider's), partition aws, not aws-cn (the cluster's OIDC provider's): the readers would assume another role than the reader role the aws section creates and grants the bucket to",
      fix: 'use "arn:aws-cn:iam::111122223333:role/orders-cn-north-1-spice-reader"',
    }]);
  });

  it('leaves alone what the file cannot tell: an application with a role of its own, a namespace given at apply time', () => {
    // The application keeps its ServiceAccount and its own role (granted read on the snapshots by its owners).
    const manifest = `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: legacy-api, namespace: shop, annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/legacy-api" } }\n---\n${readFileSync(LEGACY_API, 'utf8')
      .replace('    spec:\n      securityContext:', '    spec:\n      serviceAccountName: legacy-api\n      securityContext:')}`;
    const ownRole = withApp(description, { identity: { type: 'aws-irsa', roleArn: 'arn:aws:iam::111122223333:role/legacy-api' }, keepWorkloadServiceAccount: true, datasets: ['orders'] });
    expect(problemsOf(project(ownRole, manifest))).toEqual([]);
    // No namespace in the manifest or the entry: kubectl -n or the GitOps tool gives it.
    const noNamespace = withApp({ ...description, aws: { ...description.aws, readerNamespaces: ['billing'] } }, { identity: description.kubernetes.apps[0].identity, datasets: ['orders'] });
    expect(problemsOf(project(noNamespace, readFileSync(LEGACY_API, 'utf8').replace('  namespace: shop\n', '')))).toEqual([]);
  });

  it('asks for a kept ServiceAccount in aws.readerServiceAccounts, and once it is there, the role trusts it', () => {
    const manifest = `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: legacy-api, namespace: shop }\n---\n${readFileSync(LEGACY_API, 'utf8')
      .replace('    spec:\n      securityContext:', '    spec:\n      serviceAccountName: legacy-api\n      securityContext:')}`;
    const file = withApp(description, { identity: description.kubernetes.apps[0].identity, keepWorkloadServiceAccount: true, datasets: ['orders'] });
    expect(problemsOf(project(file, manifest))).toEqual([{
      path: 'kubernetes.apps[0].manifest',
      message: 'runs its pod as ServiceAccount shop/legacy-api, which the aws section does not trust as a reader (it trusts shop/orders-reader): every restore would be denied',
      fix: 'add { namespace: shop, name: legacy-api } to aws.readerServiceAccounts',
    }]);
    const trusted = project({ ...file, aws: { ...file.aws, readerServiceAccounts: [{ namespace: 'shop', name: 'legacy-api' }] } }, manifest);
    const result = cli('synth', join(trusted, 'split.yaml'), '--out', join(trusted, 'out'));
    expect(result.status, result.output).toBe(0);
    expect(expectEveryPodTrusted(join(trusted, 'out'))).toContain('Deployment/legacy-api orders-eu-west-1-spice-reader');
  });

  it('asks for a kept ServiceAccount in readerServiceAccounts under EKS Pod Identity too: its one association must be the reader role', () => {
    const manifest = `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: legacy-api, namespace: shop }\n---\n${readFileSync(LEGACY_API, 'utf8')
      .replace('    spec:\n      securityContext:', '    spec:\n      serviceAccountName: legacy-api\n      securityContext:')}`;
    const file = withApp(description, { identity: { type: 'aws-pod-identity' }, keepWorkloadServiceAccount: true, datasets: ['orders'] });
    file.kubernetes.writerIdentity = { type: 'aws-pod-identity' };
    file.aws = { ...file.aws, cluster: { region: 'eu-west-1', trust: { type: 'aws-pod-identity', clusterName: 'shop' } } };
    expect(problemsOf(project(file, manifest))).toEqual([{
      path: 'kubernetes.apps[0].manifest',
      message: 'runs its pod as ServiceAccount shop/legacy-api, which the aws section does not trust as a reader (it trusts shop/orders-reader): every restore would be denied',
      fix: 'add { namespace: shop, name: legacy-api } to aws.readerServiceAccounts',
    }]);
    expect(problemsOf(project({ ...file, aws: { ...file.aws, readerServiceAccounts: [{ namespace: 'shop', name: 'legacy-api' }] } }, manifest))).toEqual([]);
  });

  it('refuses Google service accounts the gcp section does not grant, and a namespace it does not trust', () => {
    const catalog = example('catalog.split.yaml');
    const app = { datasets: ['products'] };
    const impersonating = withApp({ ...catalog, gcp: { ...catalog.gcp, impersonateServiceAccounts: true, readerNamespaces: ['storefront', 'shop'] } }, app);
    expect(problemsOf(project(impersonating))).toEqual([
      {
        path: 'kubernetes.writerIdentity',
        message: 'names no Google service account, but the gcp section grants the bucket to catalog-spice-writer@acme-catalog.iam.gserviceaccount.com, which the writers impersonate (gcp.impersonateServiceAccounts): every upload would be denied',
        fix: 'use { type: gke-workload-identity, googleServiceAccountEmail: catalog-spice-writer@acme-catalog.iam.gserviceaccount.com }',
      },
      {
        path: 'kubernetes.apps[0].identity',
        message: 'names no Google service account, but the gcp section grants the bucket to catalog-spice-reader@acme-catalog.iam.gserviceaccount.com, which the readers impersonate (gcp.impersonateServiceAccounts): every restore would be denied',
        fix: 'use { type: gke-workload-identity, googleServiceAccountEmail: catalog-spice-reader@acme-catalog.iam.gserviceaccount.com }',
      },
    ]);
    const direct = withApp(catalog, { ...app, identity: { type: 'gke-workload-identity', googleServiceAccountEmail: 'catalog-spice-reader@acme-catalog.iam.gserviceaccount.com' } });
    expect(problemsOf(project(direct))).toEqual([
      {
        path: 'kubernetes.apps[0].manifest',
        message: 'runs its pod as ServiceAccount shop/catalog-reader, which the gcp section does not trust as a reader (it trusts storefront/catalog-reader): every restore would be denied',
        fix: "set split.reader.namespaces: [storefront, shop] (without it, the gcp section trusts only the split's namespace)",
      },
      {
        path: 'kubernetes.apps[0].identity.googleServiceAccountEmail',
        message: 'names catalog-spice-reader@acme-catalog.iam.gserviceaccount.com, but the gcp section grants the bucket to the Kubernetes ServiceAccounts themselves (gcp.impersonateServiceAccounts is false by default): the readers would act as catalog-spice-reader@acme-catalog.iam.gserviceaccount.com, which holds no grant',
        fix: 'leave googleServiceAccountEmail out, or set gcp.impersonateServiceAccounts: true and use catalog-spice-reader@acme-catalog.iam.gserviceaccount.com',
      },
    ]);
  });

  it("refuses an application in a namespace the azure section gives no federated credential, and a reader given the writers' client id", () => {
    // The example says where readers run in its description; here the azure section says it, as a program of its own would.
    const example_ = example('telemetry.split.yaml');
    const { namespaces: _described, ...reader } = example_.split.reader;
    const telemetry = { ...example_, split: { ...example_.split, reader }, azure: { ...example_.azure, readerNamespaces: ['devices'] } };
    const readerClientId = '0b7d2c4e-1f3a-4c5b-9d8e-7a6b5c4d3e2f';
    const file = withApp(telemetry, { identity: { type: 'azure-workload-identity', clientId: readerClientId }, datasets: ['device_models'] });
    expect(problemsOf(project(file))).toEqual([{
      path: 'kubernetes.apps[0].manifest',
      message: 'runs its pod as ServiceAccount shop/telemetry-reader, which the azure section does not trust as a reader (it trusts devices/telemetry-reader): every restore would be denied',
      fix: 'add shop to azure.readerNamespaces',
    }]);
    const trusted = { ...file, azure: { ...file.azure, readerNamespaces: ['devices', 'shop'] } };
    expect(problemsOf(project(trusted))).toEqual([]);
    const writersId = withApp(trusted, { identity: telemetry.kubernetes.writerIdentity, datasets: ['device_models'] });
    // The sidecar itself refuses the writers' identity (in TypeScript too), at the app's identity.
    expect(problemsOf(project(writersId))).toEqual([{
      path: 'kubernetes.apps[0].identity',
      message: "is the writers' identity too (read-write, trusted by the writers' ServiceAccount only): the readers would get no access, or read-write if it trusted them",
      fix: 'give the readers the reader identity the cloud side creates (its identities.reader)',
    }]);
    // Spice 1.x reads Azure with the nodes' identity: there are no federated credentials to compare.
    const nodes = { ...file, split: { ...file.split, image: { edition: 'oss', repository: 'spiceai/spiceai', tag: '1.11.5' } }, azure: { ...file.azure, cluster: { location: 'westeurope' }, nodeIdentity: { principalId: '7f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f' } } };
    expect(problemsOf(project(nodes))).toEqual([]);
  });

  it('refuses a cloud section of a Spice Cloud split at the section, and says so beside a store given to it', () => {
    const insights = example('insights.split.yaml');
    const gcp = { cluster: { region: 'us-east1', project: 'acme', projectNumber: '123456789012' }, subnetwork: { name: 'gke-nodes' } };
    const section = {
      path: 'gcp',
      message: 'is set, but the writer is a Spice Cloud app (split.writer.spiceCloud): the split has no snapshot store or writer cluster, so no cloud side (readers of the app need no cloud identity)',
      fix: 'remove the gcp section: readers of the app need only its API key',
    };
    const apps = insights.kubernetes.apps.map((app: Record<string, unknown>) => ({ ...app, manifest: 'api.yaml' }));
    expect(problemsOf(project({ ...insights, kubernetes: { ...insights.kubernetes, apps }, gcp }))).toEqual([section]);
    const withStore = { ...insights, split: { ...insights.split, store: { cloud: 'gcp', bucket: 'acme-insights', region: 'us-east1' } }, kubernetes: { ...insights.kubernetes, apps, writerIdentity: { type: 'gke-workload-identity' } }, gcp };
    expect(problemsOf(project(withStore)).map((p) => p.path)).toEqual(['split.store', 'kubernetes.writerIdentity', 'gcp']);
    // Asked for on the command line, with no section: said as asked.
    const asked = cli('validate', join(project({ ...insights, kubernetes: { ...insights.kubernetes, apps } }), 'split.yaml'), '--target', 'spicepods,aws', '--format', 'json');
    expect(JSON.parse(asked.stdout).problems.map((p: Record<string, string>) => `${p.path}: ${p.message.split(',')[0]}; ${p.fix}`)).toEqual([
      'aws: was asked for (--target); leave aws out of --target: readers of the app need only its API key',
    ]);
  });
});
