import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { formatProblem, ReadWriteSplitError, synthesizeSplit, validateSplit } from '../../lib/core';
import { expectValidManifests, K8sObject, podTemplates, restrictedViolations, spicepodOf } from '../support/k8s';
import { expectValidSpicepod } from '../support/spicepod-schema';
import { Registered, registeredSince } from '../support/pulumi-mocks';
import { CLOUDS, NeutralDescription, onCloud, validDescriptions } from './descriptions';
import { ExpectedProblem, InvalidDescription, invalidDescriptions } from './defects';
import { awsStatements, synthAws, synthAzure, synthGcp, synthK8s } from './targets';

/** The Secret every generated source credential lives in: only the writer side may name it. */
const SOURCE_SECRET = 'sources';

function expectValidSpicepods(description: NeutralDescription): void {
  for (const cloud of CLOUDS) {
    const result = synthesizeSplit(onCloud(description, cloud));
    for (const tier of [result.writer.snapshotOwner, result.writer.queryReplica, result.reader, result.archiver]) {
      if (tier) expectValidSpicepod(tier.spicepod);
    }
  }
}

async function expectValidKubernetes(description: NeutralDescription): Promise<void> {
  for (const cloud of CLOUDS) {
    const { writerSide, apps } = synthK8s(description, cloud);
    const docs = [...writerSide, ...apps];
    await expectValidManifests(docs);
    for (const { name, template } of podTemplates(docs)) expect(restrictedViolations(template.spec), name).toEqual([]);
    for (const configMap of docs.filter((d: K8sObject) => d.kind === 'ConfigMap' && d.data?.['spicepod.yaml'])) expectValidSpicepod(spicepodOf(configMap));
    // The credential split: nothing on the application side names the source credentials.
    expect(JSON.stringify(apps)).not.toContain(`"${SOURCE_SECRET}"`);
    expect(apps.filter((d) => ['Deployment', 'StatefulSet'].includes(d.kind))).toHaveLength(description.apps.length);
  }
}

function expectLeastPrivilegeOnAws(description: NeutralDescription): void {
  const { template, nagReports } = synthAws(description);
  expect(nagReports).toEqual([]);
  const statements = [...awsStatements(template, 'writer'), ...awsStatements(template, 'reader')];
  for (const statement of statements) expect([statement.Resource].flat()).not.toContain('*');
  const readerActions = awsStatements(template, 'reader').flatMap((s) => [s.Action].flat());
  expect(readerActions.filter((action) => !/^s3:(Get|List)\w*$/.test(action))).toEqual([]);
  const buckets = Object.values<Record<string, any>>(template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket');
  expect(buckets.map((b) => b.Properties.PublicAccessBlockConfiguration)).toEqual(buckets.map(() => ({
    BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
  })));
}

const ofType = (resources: readonly Registered[], type: string) => resources.filter((r) => r.type === type);

async function expectLeastPrivilegeOnGcp(description: NeutralDescription): Promise<void> {
  const resources = await synthGcp(description);
  const [bucket] = ofType(resources, 'gcp:storage/bucket:Bucket');
  expect(bucket.inputs).toMatchObject({ publicAccessPrevention: 'enforced', uniformBucketLevelAccess: true });
  const grants = ofType(resources, 'gcp:storage/bucketIAMMember:BucketIAMMember');
  expect(grants.length).toBeGreaterThan(0);
  for (const grant of grants) {
    expect(grant.inputs.member).not.toMatch(/^(allUsers|allAuthenticatedUsers)$/);
    expect(grant.inputs.role).toBe(/-reader/.test(grant.name) ? 'roles/storage.objectViewer' : 'roles/storage.objectUser');
  }
}

const BLOB_DATA_READER = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

async function expectLeastPrivilegeOnAzure(description: NeutralDescription): Promise<void> {
  const resources = await synthAzure(description);
  const [account] = ofType(resources, 'azure-native:storage:StorageAccount');
  expect(account.inputs).toMatchObject({ allowBlobPublicAccess: false, allowSharedKeyAccess: false, publicNetworkAccess: 'Disabled' });
  const readerAssignments = ofType(resources, 'azure-native:authorization:RoleAssignment').filter((r) => /-reader/.test(r.name));
  const refresh = `${description.prefix ?? description.spec.name}/refresh/`;
  for (const assignment of readerAssignments) {
    expect(assignment.inputs.roleDefinitionId).toMatch(new RegExp(`/${BLOB_DATA_READER}$`));
    expect(assignment.inputs.condition.match(/StringStartsWith '[^']*'/g)).toEqual([`StringStartsWith '${refresh}'`, `StringStartsWith '${refresh}'`]);
  }
}

/** A valid description renders on every target into output every validator accepts. */
export async function expectRendersEverywhere(description: NeutralDescription): Promise<void> {
  expectValidSpicepods(description);
  await expectValidKubernetes(description);
  expectLeastPrivilegeOnAws(description);
  await expectLeastPrivilegeOnGcp(description);
  await expectLeastPrivilegeOnAzure(description);
}

/** How cdk8s reports the validations constructs add to workloads (checked at `cdk8s synth`). */
const CDK8S_VALIDATION = /^Validation failed with the following errors:\n/;

/**
 * The problems the library reports for an attempt: its own error, or its validations as cdk8s
 * reports them at synth (`[construct] path: message`). Never a framework's own error, never silence.
 */
async function reportedProblems(attempt: () => unknown): Promise<{ path: string }[]> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof ReadWriteSplitError) {
      expect(error.message).toContain(formatProblem(error.problems[0]));
      return [...error.problems];
    }
    const message = (error as Error)?.message ?? '';
    if (CDK8S_VALIDATION.test(message)) return [...message.matchAll(/^\s+\[[^\]]+\] (\S+): /gm)].map(([, path]) => ({ path }));
    throw new Error(`expected the library's error, got ${(error as Error)?.stack ?? String(error)}`);
  }
  throw new Error('expected the library\'s error, but the input was accepted');
}

function expectNamed(problems: readonly { path: string }[], expected: readonly ExpectedProblem[], prefix: string, where: string): void {
  for (const { path } of expected) {
    const found = problems.some((p) => p.path.startsWith(prefix) && path.test(p.path.slice(prefix.length)));
    expect(found, `${where}: no problem at ${prefix}${path.source} among\n${problems.map((p) => p.path).join('\n')}`).toBe(true);
  }
}

/**
 * Every invalid description ends in the library's error naming each defect, on every target it
 * reaches; a Pulumi component registers nothing.
 */
export async function expectRefusedEverywhere({ description, expected }: InvalidDescription): Promise<void> {
  const inSplit = expected.filter((e) => e.in === 'split');
  const inCloudProps = expected.filter((e) => e.in === 'cloud');
  if (inSplit.length === 0) {
    const inApps = expected.filter((e) => typeof e.in === 'object');
    for (const cloud of CLOUDS) expectNamed(await reportedProblems(() => synthK8s(description, cloud)), inApps, '', `kubernetes on ${cloud}`);
  } else {
    for (const cloud of CLOUDS) {
      expectNamed(validateSplit(onCloud(description, cloud)).problems, inSplit, '', `validateSplit on ${cloud}`);
      expectNamed(await reportedProblems(() => synthK8s(description, cloud)), inSplit, 'split.', `kubernetes on ${cloud}`);
    }
  }
  if (inSplit.length + inCloudProps.length === 0) return;
  // Each cloud adapter names the description's problems and its own props' at once.
  const problems = async (attempt: () => unknown, props: string) => {
    const reported = await reportedProblems(attempt);
    expectNamed(reported, inSplit, 'split.', props);
    expectNamed(reported, inCloudProps, `${props}.`, props);
  };
  await problems(() => synthAws(description), 'props');
  await problems(() => synthGcp(description), 'args');
  await problems(() => synthAzure(description), 'args');
  expect(await registeredSince()).toEqual([]);
}

/** Valid and invalid descriptions, three valid to two invalid. */
const descriptions = fc.oneof(
  { arbitrary: validDescriptions.map((description) => ({ valid: true as const, description })), weight: 3 },
  { arbitrary: invalidDescriptions.map((invalid) => ({ valid: false as const, invalid })), weight: 2 },
);

/**
 * Checks `runs` generated descriptions on every target; returns how many of each kind it checked.
 * The suite is split over files so vitest spreads it across CPUs.
 */
export async function checkGeneratedDescriptions(runs: number): Promise<{ valid: number; invalid: number }> {
  const counts = { valid: 0, invalid: 0 };
  await fc.assert(
    fc.asyncProperty(descriptions, async (generated) => {
      if (generated.valid) {
        counts.valid++;
        await expectRendersEverywhere(generated.description);
      } else {
        counts.invalid++;
        await expectRefusedEverywhere(generated.invalid);
      }
    }),
    { numRuns: runs },
  );
  return counts;
}

/** The files that run this suite: vitest spreads them over the CPUs. */
export const PROPERTY_FILES = 4;
/** At least 1,000 descriptions per run in all (PROPERTY_RUNS sets another count per file, e.g. to debug). */
export const DESCRIPTIONS_PER_FILE = Number(process.env.PROPERTY_RUNS ?? Math.ceil(1000 / PROPERTY_FILES));

/** One file's share of the generated descriptions (call once per file, after installing the mocks). */
export function describeGeneratedDescriptions(part: number): void {
  describe(`generated split descriptions (part ${part} of ${PROPERTY_FILES})`, () => {
    it(`render on every target when valid and are refused by name when not (${DESCRIPTIONS_PER_FILE} descriptions)`, async () => {
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const counts = await checkGeneratedDescriptions(DESCRIPTIONS_PER_FILE);
      expect(counts.valid + counts.invalid).toBe(DESCRIPTIONS_PER_FILE);
      expect(counts.valid).toBeGreaterThan(0);
      expect(counts.invalid).toBeGreaterThan(0);
    }, 600_000);
  });
}
