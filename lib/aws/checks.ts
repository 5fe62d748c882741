import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { Findings, IAM_TRUST_POLICY_QUOTA, LateBoundRefusal, quote, ResolvedSnapshotStore, s3SourceLocation } from '../core';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { EksTrust } from './workload-role';

// What the AWS constructs refuse: values that would deploy but never work, or would be insecure.

const PARTITION = 'aws(-[a-z]+)*';
const OIDC_PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:oidc-provider/\\S+$`);
/** A user, a role or the root; wildcards only after a literal start of the name, so a pattern never exempts a whole account. */
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(root|(role|user)/[\\w+=,.@/-]+[\\w+=,.@/*?-]*)$`);
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** A VPC id as EC2 gives them: 8 or 17 hexadecimal digits. */
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]+$/;
const ENCRYPTIONS = ['s3-managed', 'kms'];
const TRUST_TYPES = ['aws-irsa', 'aws-pod-identity'];
const SOURCE_ACCESS = ['grant', 'external'];
/** `s3_auth` values of spiced's S3 connector (unset means the default credential chain, i.e. the pod's role). */
const S3_AUTH = ['iam_role', 'key', 'public'];
const RENAMED_TRUST_TYPES: Readonly<Record<string, string>> = { 'irsa': 'aws-irsa', 'pod-identity': 'aws-pod-identity' };

/** Findings that skip CDK tokens: a value only known at deploy time is not wrong. */
export function cdkFindings(): Findings {
  return new Findings((value) => Token.isUnresolved(value));
}

/** Snapshot buckets of an app, by name, with the split that owns each. */
const bucketsByApp = new WeakMap<IConstruct, Map<string, string>>();

function bucketClaims(scope: IConstruct): Map<string, string> {
  const claims = bucketsByApp.get(scope.node.root) ?? new Map<string, string>();
  bucketsByApp.set(scope.node.root, claims);
  return claims;
}

/** Records that a split's bucket is created; only once its checks have passed. */
export function claimBucket(scope: IConstruct, bucket: string, split: string): void {
  bucketClaims(scope).set(bucket, split);
}

/** IAM role names of an app, with the split that owns each: names are global to the account. */
const rolesByApp = new WeakMap<IConstruct, Map<string, string>>();

function roleClaims(scope: IConstruct): Map<string, string> {
  const claims = rolesByApp.get(scope.node.root) ?? new Map<string, string>();
  rolesByApp.set(scope.node.root, claims);
  return claims;
}

/** Checks that no other construct of the app creates these IAM role names (`name` is the split name's key). */
export function checkRoleNames(scope: IConstruct, roleNames: readonly string[], at: Findings): void {
  for (const roleName of roleNames) {
    const owner = roleClaims(scope).get(roleName);
    if (owner === undefined) continue;
    at.problem('name', `gives the IAM role ${quote(roleName)}, which ${owner} already creates: role names are unique in an account`, 'give each split in an account and region its own name');
    return;
  }
}

/** Records the IAM role name a construct creates; only once its checks have passed. */
export function claimRoleName(scope: IConstruct, roleName: string): void {
  roleClaims(scope).set(roleName, scope.node.path);
}

/**
 * VPCs that already got an S3 gateway endpoint from a split of the app (a route table holds one
 * route to S3), by VPC id: two stacks import the same VPC as two constructs.
 */
const endpointsByApp = new WeakMap<IConstruct, Map<unknown, string>>();

/** Checks that no other split added a gateway endpoint to this VPC, then records this one. */
export function claimVpcEndpoint(scope: IConstruct, vpc: IVpc, owner: string, at: Findings): void {
  const claims = endpointsByApp.get(scope.node.root) ?? new Map<unknown, string>();
  endpointsByApp.set(scope.node.root, claims);
  // A VPC id only known at deploy time, or the placeholder of a lookup not done yet
  // (`Vpc.fromLookup` answers 'vpc-12345' until the CLI looks it up), cannot be compared: the
  // construct stands for it.
  const key = !Token.isUnresolved(vpc.vpcId) && VPC_ID.test(vpc.vpcId) ? vpc.vpcId : vpc;
  const first = claims.get(key);
  if (first !== undefined) {
    at.problem('vpc', `already has the S3 gateway endpoint of ${first}: a route table holds one route to S3`, `pass that endpoint instead: vpcEndpointId: <the first construct>.endpoint!.vpcEndpointId`);
    return;
  }
  claims.set(key, owner);
}

/** The description is shared with the Kubernetes side: a CDK token there would name roles and buckets after its placeholder text. */
export const TOKEN_IN_DESCRIPTION: LateBoundRefusal = {
  what: 'a CDK token',
  why: 'the description is shared with the Kubernetes side and must hold literal values',
  fix: "write the value itself, e.g. 'eu-west-1'",
};

/** The parts of the store that the bucket's checks read. */
export type StoreFacts = Pick<ResolvedSnapshotStore, 'cloud' | 'region' | 'bucket'>;

/** What the snapshot bucket's checks read. */
export interface BucketCheck {
  readonly splitName: string;
  /** Undefined when the description has already reported its store. */
  readonly store?: StoreFacts;
  readonly encryption?: unknown;
  readonly encryptionKey?: unknown;
  readonly exemptPrincipalArns?: unknown;
}

/** Where the checked values sit in what the user passed. */
export interface BucketCheckRoots {
  /** The description's store. */
  readonly store: Findings;
  /** Parent of `encryption` and `encryptionKey`. */
  readonly options: Findings;
  /** Parent of `exemptPrincipalArns`. */
  readonly exempt: Findings;
}

/**
 * Every check of the snapshot bucket, shared by `SpiceSnapshotBucket` on its own and
 * `ReadWriteSplitAws` (which reports them in its one error): the stack's region (checked once),
 * one bucket per split, encryption and the exempt principals.
 */
export function checkSnapshotBucket(scope: Construct, bucket: BucketCheck, at: BucketCheckRoots): void {
  const { store } = bucket;
  if (store && store.cloud !== 'aws') {
    at.store.problem('cloud', `${quote(store.cloud)} is not 'aws': this construct creates an S3 bucket`, "set store.cloud to 'aws', or use the adapter of the store's cloud");
  } else {
    checkStackRegion(scope, store?.region, at.store);
    const owner = store && !Token.isUnresolved(store.bucket) ? bucketClaims(scope).get(store.bucket) : undefined;
    if (store && owner !== undefined) {
      at.store.problem(
        'bucket',
        `"${store.bucket}" is already the snapshot bucket of split "${owner}": a bucket has one lifecycle configuration, so each split needs its own`,
        'give this split a bucket of its own',
      );
    }
  }
  if (bucket.encryption !== undefined && !ENCRYPTIONS.includes(bucket.encryption as string)) {
    at.options.problem('encryption', `${quote(bucket.encryption)} is not a bucket encryption`, "use 's3-managed' or 'kms'");
  }
  if (bucket.encryptionKey && bucket.encryption === 's3-managed') {
    at.options.problem('encryptionKey', "is set, but encryption is 's3-managed'", "set encryption to 'kms' or drop the key");
  }
  checkExemptPrincipals(bucket.exemptPrincipalArns, at.exempt);
}

/** The stack must deploy the bucket where the description says it lives; `wanted` is undefined when unknown. */
function checkStackRegion(scope: Construct, wanted: string | undefined, store: Findings): void {
  const region = Stack.of(scope).region;
  const known = wanted !== undefined && !Token.isUnresolved(wanted);
  if (Token.isUnresolved(region)) {
    store.problem(
      'region',
      `the stack has no region, so the bucket could land outside ${known ? wanted : "the store's region"}`,
      `set the stack's env.region to ${known ? `'${wanted}'` : "the store's region"}`,
    );
  } else if (known && region !== wanted) {
    store.problem('region', `the stack deploys to ${region}, but the split's store is in ${wanted}`, `deploy the stack to '${wanted}' or change store.region`);
  }
}

function checkExemptPrincipals(arns: unknown, parent: Findings): void {
  if (arns === undefined || parent.isLateBound(arns)) return;
  if (!Array.isArray(arns)) {
    parent.problem('exemptPrincipalArns', `${quote(arns)} is not a list`, "list principal ARNs, e.g. ['arn:aws:iam::111122223333:role/BreakGlass']");
    return;
  }
  arns.forEach((arn, i) => {
    if (parent.isLateBound(arn) || (typeof arn === 'string' && IAM_PRINCIPAL_ARN.test(arn))) return;
    if (typeof arn === 'string' && /^arn:[\w-]+:iam::\d{12}:(role|user)\/[*?]/.test(arn)) {
      parent.problem(
        `exemptPrincipalArns[${i}]`,
        `${quote(arn)} starts its name with a wildcard, so the bucket policy would exempt every ${arn.includes(':role/') ? 'role' : 'user'} of the account from the private path`,
        "name the break-glass principals, or give a literal start, e.g. 'arn:aws:iam::111122223333:role/cdk-*'",
      );
      return;
    }
    parent.problem(
      `exemptPrincipalArns[${i}]`,
      `${quote(arn)} is not an IAM principal ARN, so the bucket policy would exempt no one`,
      "use 'arn:aws:iam::<account>:role/<name>' (or user/<name>, root); '*' wildcards work in the name, e.g. 'arn:aws:iam::111122223333:role/cdk-*'",
    );
  });
}

/** How pods assume the roles: each type's value must name something that exists. */
export function checkTrust(trust: EksTrust | undefined, key: string, parent: Findings): void {
  if (!trust || typeof trust !== 'object') {
    parent.problem(key, `${quote(trust)} is not an EKS trust`, "give { type: 'aws-irsa', oidcProviderArn } or { type: 'aws-pod-identity', clusterName }");
    return;
  }
  const type: string = trust.type;
  if (!TRUST_TYPES.includes(type)) {
    const renamed = RENAMED_TRUST_TYPES[type];
    parent.problem(`${key}.type`, `${quote(type)} is not a trust type${renamed ? ' (it was renamed)' : ''}`, renamed ? `use '${renamed}'` : "use 'aws-irsa' or 'aws-pod-identity'");
    return;
  }
  if (trust.type === 'aws-irsa' && !parent.isLateBound(trust.oidcProviderArn) && !OIDC_PROVIDER_ARN.test(String(trust.oidcProviderArn))) {
    parent.problem(
      `${key}.oidcProviderArn`,
      `${quote(trust.oidcProviderArn)} is not an IAM OIDC provider ARN`,
      "use the cluster's provider, 'arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>'",
    );
  }
  const quota = trust.trustPolicyQuota;
  if (quota !== undefined && !(Number.isInteger(quota) && quota >= IAM_TRUST_POLICY_QUOTA)) {
    parent.problem(`${key}.trustPolicyQuota`, `${quote(quota)} is not a quota of the trust policy length`, `give the account's "Role trust policy length" quota in characters: ${IAM_TRUST_POLICY_QUOTA} (the default) or more`);
  }
  if (trust.type === 'aws-pod-identity' && !parent.isLateBound(trust.clusterName)) {
    const name = trust.clusterName;
    if (typeof name !== 'string' || !EKS_CLUSTER_NAME.test(name)) {
      parent.problem(
        `${key}.clusterName`,
        typeof name === 'string' && name === '' ? 'is empty' : `${quote(name)} is not an EKS cluster name`,
        "give the cluster's name: up to 100 letters, digits, '-' and '_', starting with a letter or digit",
      );
    }
  }
}




/** The private path to the bucket: an endpoint, or an explicit choice to go without. */
export function checkNetwork(props: { vpc?: unknown; vpcEndpointId?: unknown; allowAccessOutsideVpc?: boolean }, parent: Findings): void {
  const { vpcEndpointId } = props;
  const vpc = props.vpc as { addGatewayEndpoint?: unknown } | undefined;
  if (vpc !== undefined && (typeof vpc !== 'object' || vpc === null || typeof vpc.addGatewayEndpoint !== 'function')) {
    parent.problem('vpc', `${quote(props.vpc)} is not a VPC construct, so no S3 gateway endpoint can be added to it`, 'pass an ec2.IVpc (ec2.Vpc.fromVpcAttributes or ec2.Vpc.fromLookup), or vpcEndpointId with the id of an existing S3 gateway endpoint');
  }
  if (props.vpc !== undefined && vpcEndpointId !== undefined) {
    parent.problem('vpcEndpointId', 'is set together with vpc', 'give vpc (a new gateway endpoint) or vpcEndpointId (an existing one), not both');
  } else if (props.vpc === undefined && vpcEndpointId === undefined && !props.allowAccessOutsideVpc) {
    parent.problem(
      'vpc',
      'is missing: the snapshot bucket would be reachable from anywhere with credentials',
      "give the cluster's vpc or an existing vpcEndpointId, or set allowAccessOutsideVpc: true to accept that",
    );
  }
  if (vpcEndpointId !== undefined && !parent.isLateBound(vpcEndpointId) && (typeof vpcEndpointId !== 'string' || !VPC_ENDPOINT_ID.test(vpcEndpointId))) {
    parent.problem(
      'vpcEndpointId',
      `${quote(vpcEndpointId)} is not a VPC endpoint id, so the bucket policy would deny every data request`,
      "use the id of the S3 gateway endpoint, e.g. 'vpce-0123456789abcdef0'",
    );
  }
}

/** Where the source checks report: the construct's props, and the datasets (as the user passed them). */
export interface SourceCheckRoots {
  /** Parent of `sourceAccess`. */
  readonly props: Findings;
  /** The description's `datasets`. */
  readonly datasets: Findings;
}

/**
 * The writer role's read on its `s3://` sources: `sourceAccess` must be known, and with `'grant'`
 * each source read with the pod's identity must name a bucket (the grant names it) and an
 * `s3_auth` spiced knows (the grant depends on it).
 */
export function checkSourceAccess(sourceAccess: unknown, datasets: unknown, at: SourceCheckRoots): void {
  if (sourceAccess !== undefined && !at.props.isLateBound(sourceAccess) && !SOURCE_ACCESS.includes(sourceAccess as string)) {
    at.props.problem('sourceAccess', `${quote(sourceAccess)} is not a source access`, "use 'grant' (the writer role may read each s3:// source) or 'external' (you grant the writer role read yourself)");
    return;
  }
  if (sourceAccess === 'external' || !Array.isArray(datasets)) return;
  datasets.forEach((dataset: { from?: unknown; params?: Record<string, unknown> } | undefined, i) => {
    // Anything else is not an S3 source, or the description reports it.
    if (!dataset || typeof dataset !== 'object' || typeof dataset.from !== 'string' || !dataset.from.startsWith('s3:')) return;
    const auth = dataset.params && typeof dataset.params === 'object' ? dataset.params.s3_auth : undefined;
    if (auth !== undefined && !S3_AUTH.includes(auth as string)) {
      at.datasets.problem(
        `[${i}].params.s3_auth`,
        `${quote(auth)} is not an S3 auth method`,
        "use 'iam_role' (the writer role, granted read on the source), 'key' (s3_key and s3_secret in secretParams) or 'public'",
      );
    } else if (auth !== 'key' && auth !== 'public' && !s3SourceLocation(dataset.from)) {
      at.datasets.problem(
        `[${i}].from`,
        `${quote(dataset.from)} names no S3 bucket, so the writer role cannot be granted read on it`,
        "write 's3://<bucket>/<folder>/' with the bucket's name, or set sourceAccess: 'external' and grant the writer role read yourself",
      );
    }
  });
}
