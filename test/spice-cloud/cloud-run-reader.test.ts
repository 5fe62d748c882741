import { describe, expect, it } from 'vitest';
import { SpiceReaderCloudRun, SpiceReaderCloudRunArgs } from '../../lib/gcp';
import { installMocks, registeredSince, Registered } from '../gcp/support';
import { componentProblems } from '../support/errors';
import { expectCloudReaderSpicepod, INSIGHTS, INSIGHTS_WITH_STORE } from './support';

installMocks();

/** A Cloud Run reader of a split whose writer is a Spice Cloud app. */
const APP = { image: 'us-docker.pkg.dev/acme-insights/web/reporting:2.3', ports: { containerPort: 8080 } };
const API_KEY = { secret: 'insights-spice-cloud-api-key', version: '2' };
const args = (extra: Partial<SpiceReaderCloudRunArgs> = {}): SpiceReaderCloudRunArgs => ({
  split: INSIGHTS, project: 'acme-insights', location: 'us-west1', app: APP, clusterApiKey: API_KEY, ...extra,
});
const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
const unwrapped = (value: any): unknown => (value && typeof value === 'object' && 'value' in value ? value.value : value);

describe('a Cloud Run reader of a Spice Cloud split', () => {
  it("mounts a Spicepod that delegates every dataset to the app, with the app's key from Secret Manager and nothing restored", async () => {
    new SpiceReaderCloudRun('reporting', args());
    const resources = await registeredSince();
    const [version] = ofType(resources, 'gcp:secretmanager/secretVersion:SecretVersion');
    expectCloudReaderSpicepod(unwrapped(version.inputs.secretData) as string);
    const service = ofType(resources, 'gcp:cloudrunv2/service:Service')[0].inputs;
    const reader = service.template.containers.find((c: { name: string }) => c.name === 'spice-reader');
    expect(reader.envs).toContainEqual({ name: 'SPICE_CLUSTER_API_KEY', valueSource: { secretKeyRef: { secret: API_KEY.secret, version: API_KEY.version } } });
    // The app's endpoint is public: no VPC egress is asked for.
    expect(service.template.vpcAccess).toBeUndefined();
    // Nothing restored: 1Gi for /local, not the 10Gi a restoring reader keeps in memory.
    expect(service.template.volumes).toContainEqual({ name: 'spice-reader-local', emptyDir: { medium: 'MEMORY', sizeLimit: '1024Mi' } });
  });

  it("grants its service account the app's key and its Spicepod secret only: no storage grant", async () => {
    new SpiceReaderCloudRun('reporting', args());
    const resources = await registeredSince();
    expect(ofType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember')).toEqual([]);
    expect(ofType(resources, 'gcp:secretmanager/secretIamMember:SecretIamMember').map((r) => [r.name, r.inputs.role, r.inputs.secretId]).sort()).toEqual([
      ['reporting-cluster-api-key', 'roles/secretmanager.secretAccessor', API_KEY.secret],
      ['reporting-spicepod', 'roles/secretmanager.secretAccessor', 'reporting-us-west1-spicepod'],
    ]);
    const [account] = ofType(resources, 'gcp:serviceaccount/account:Account');
    expect(account.inputs.description).toBe('Spice reader of the insights Spice Cloud app: no storage grant (Cloud Run service reporting in us-west1)');
  });

  it("refuses a reader without the app's key, and the description's own problems, before registering anything", async () => {
    expect(componentProblems(() => new SpiceReaderCloudRun('reporting', args({ clusterApiKey: undefined })), 'reporting')).toEqual([
      "args.clusterApiKey: is missing, but the reader delegates daily_revenue, top_products to the Spice Cloud app, which refuses a query without its API key; give { secret } of the Secret Manager secret holding the app's API key (version: 'latest' unless given)",
    ]);
    expect(componentProblems(() => new SpiceReaderCloudRun('reporting', args({ split: INSIGHTS_WITH_STORE, serviceName: 'Reporting', clusterApiKey: undefined })), 'reporting')).toEqual([
      expect.stringMatching(/^split\.store: /),
      expect.stringMatching(/^args\.serviceName: "Reporting" is not a Cloud Run service name/),
      expect.stringMatching(/^args\.clusterApiKey: is missing, but the reader delegates every dataset to the Spice Cloud app/),
    ]);
    // A dataset name that is not the split's is reported alone: the key, given, is not called unused.
    expect(componentProblems(() => new SpiceReaderCloudRun('reporting', args({ datasets: ['revenue'] })), 'reporting')).toEqual([
      expect.stringMatching(/^args\.datasets\[0\]: "revenue" is not a dataset of the split/),
    ]);
    expect(await registeredSince()).toEqual([]);
  });
});
