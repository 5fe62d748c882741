import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App as CdkApp, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expect } from 'vitest';
import { SplitSpec, WorkloadIdentity } from '../../lib/core';
import { ReadWriteSplitAws } from '../../lib/aws';
import { ReadWriteSplitAzure } from '../../lib/azure';
import { ReadWriteSplitGcp } from '../../lib/gcp';
import { ReadWriteSplitChart } from '../../lib/k8s';
import { mockAzureCall, mockAzureResource, MOCK_OIDC_ISSUER } from '../../examples/azure/mock-cloud';
import { K8sObject } from '../support/k8s';
import { computedOutputs } from '../gcp/support';
import { installCloudMocks, Registered, registeredSince } from '../support/pulumi-mocks';
import { AppSpec, Cloud, NeutralDescription, onCloud, REGIONS } from './descriptions';

const ACCOUNT = '111122223333';
/** Each tier's managed identity (a reader given the writers' is refused). */
const AZURE_CLIENT_IDS = { writer: '6f1c2a3b-1111-4000-8000-000000000001', reader: '6f1c2a3b-2222-4000-8000-000000000002' } as const;
const AZURE_SUBNET = '/subscriptions/3f2b6c1e-8d4a-4b7e-9c55-1a2b3c4d5e6f/resourceGroups/aks/providers/Microsoft.Network/virtualNetworks/aks/subnets/nodes';
const APP_SECURITY = { user: 10001, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } };

/** The Kubernetes identity of a tier on a cloud; spiced 1.x on Azure reads blobs as the node, so gets none. */
function identityFor(spec: SplitSpec, tier: 'writer' | 'reader'): WorkloadIdentity | undefined {
  switch (spec.store.cloud) {
    case 'aws': return { type: 'aws-pod-identity' };
    case 'gcp': return { type: 'gke-workload-identity' };
    default: return spec.image ? { type: 'azure-workload-identity', clientId: AZURE_CLIENT_IDS[tier] } : undefined;
  }
}

/** Namespaces of the description's applications: the clouds trust their reader ServiceAccounts. */
export const appNamespaces = (description: NeutralDescription) => [...new Set(description.apps.map((a) => a.namespace))];

function appWorkload(chart: Chart, app: AppSpec): kplus.Deployment | kplus.StatefulSet {
  const props = {
    metadata: { name: app.name },
    containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', portNumber: app.port, securityContext: APP_SECURITY }],
    hostNetwork: app.hostNetwork,
    serviceAccount: app.serviceAccountName ? kplus.ServiceAccount.fromServiceAccountName(chart, 'Account', app.serviceAccountName) : undefined,
  };
  return app.kind === 'Deployment' ? new kplus.Deployment(chart, 'App', props) : new kplus.StatefulSet(chart, 'App', props);
}

/**
 * The split's chart and one chart per application with a reader sidecar, synthesized as
 * `cdk8s synth` does. Throws what the library throws.
 */
export function synthK8s(description: NeutralDescription, cloud: Cloud): { writerSide: K8sObject[]; apps: K8sObject[] } {
  const spec = onCloud(description, cloud);
  const app = new App();
  const split = new ReadWriteSplitChart(app, 'split', { split: spec, writerIdentity: identityFor(spec, 'writer') });
  const charts = description.apps.map((appSpec, i) => {
    const chart = new Chart(app, `app${i}`, { namespace: appSpec.namespace });
    split.readerSidecar(chart, 'Reader', { identity: identityFor(spec, 'reader'), datasets: appSpec.datasets }).addTo(appWorkload(chart, appSpec));
    return chart;
  });
  return { writerSide: split.toJson(), apps: charts.flatMap((chart) => chart.toJson()) };
}

/** The same checks as `cdk synth` with cdk-nag: the template and cdk-nag's report. Throws what the library throws. */
export function synthAws(description: NeutralDescription): { template: Record<string, any>; nagReports: unknown[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'rws-property-'));
  try {
    const app = new CdkApp({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Split', { env: { account: ACCOUNT, region: REGIONS.aws } });
    new ReadWriteSplitAws(stack, 'Split', {
      split: onCloud(description, 'aws'),
      cluster: { region: REGIONS.aws, trust: { type: 'aws-pod-identity', clusterName: 'prod' } },
      vpcEndpointId: 'vpce-0123456789abcdef0',
      readerNamespaces: appNamespaces(description),
    });
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    return { template: assembly.getStackByName('Split').template, nagReports: report.pluginReports };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

let components = 0;

/** Pulumi's mocks answering as GCP and Azure would (one process can install only one set). */
export function installPropertyMocks(): void {
  installCloudMocks({
    resource: (type, name, inputs) => {
      if (type.startsWith('azure-native:')) return mockAzureResource(type, name, inputs);
      return { id: `${name}-id`, state: { ...inputs, ...computedOutputs(type, inputs) } };
    },
    call: (token, inputs) => (token.startsWith('azure-native:') ? mockAzureCall(token, inputs) : { ...inputs, privateIpGoogleAccess: true }),
  });
}

/** The GCP component under mocks, and every resource it registered. Throws what the library throws. */
export async function synthGcp(description: NeutralDescription): Promise<Registered[]> {
  new ReadWriteSplitGcp(`gcp${components++}`, {
    split: onCloud(description, 'gcp'),
    cluster: { region: REGIONS.gcp, project: 'acme-property', projectNumber: '123456789012' },
    subnetwork: { name: 'gke-nodes' },
    readerNamespaces: appNamespaces(description),
  });
  return registeredSince();
}

/** The Azure component under mocks, and every resource it registered. Throws what the library throws. */
export async function synthAzure(description: NeutralDescription): Promise<Registered[]> {
  const spec = onCloud(description, 'azure');
  new ReadWriteSplitAzure(`azure${components++}`, {
    split: spec,
    resourceGroupName: 'snapshots',
    privateEndpoint: { subnetId: AZURE_SUBNET },
    // spiced 1.x reads blobs as the node: its kubelet identity is granted instead of workload identities.
    ...(spec.image
      ? { cluster: { location: REGIONS.azure, oidcIssuerUrl: MOCK_OIDC_ISSUER } }
      : { cluster: { location: REGIONS.azure }, nodeIdentity: { principalId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' } }),
    readerNamespaces: appNamespaces(description),
  });
  return registeredSince();
}

/** Statements of every IAM policy in a template attached to a role whose name contains `tier`. */
export function awsStatements(template: Record<string, any>, tier: 'writer' | 'reader'): Record<string, any>[] {
  const resources = Object.entries<Record<string, any>>(template.Resources);
  const roleIds = resources.filter(([, r]) => r.Type === 'AWS::IAM::Role' && String(r.Properties.RoleName).endsWith(`-spice-${tier}`)).map(([id]) => id);
  expect(roleIds).toHaveLength(1);
  return resources
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: any) => role.Ref === roleIds[0]))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
}
