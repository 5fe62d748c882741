import { Findings, quote } from './errors';

/** A key in a Kubernetes Secret. Values never appear in a Spicepod or a manifest, only references. */
export interface SecretRef {
  /** Name of the Kubernetes Secret, in the split's namespace. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Why a pod holds a secret. Readers may hold only the cluster API key. */
export type SecretPurpose = 'source-credential' | 'cluster-api-key';

/**
 * A secret a tier needs: the adapter exposes `secret` as the environment variable `envVar`, and
 * the Spicepod reads it as `${secrets:<envVar>}` through spiced's `env` secret store.
 */
export interface SecretEnvBinding {
  readonly envVar: string;
  readonly secret: SecretRef;
  readonly purpose: SecretPurpose;
}

/** Environment variable holding the cluster API key in both tiers. */
export const CLUSTER_API_KEY_ENV = 'SPICE_CLUSTER_API_KEY';

/** The Spicepod placeholder that spiced replaces with a secret from its env store. */
export function secretPlaceholder(envVar: string): string {
  return `\${secrets:${envVar}}`;
}

/** Environment variable for a dataset's secret param, e.g. `ORDERS_PG_PASS`. */
export function datasetSecretEnv(dataset: string, param: string): string {
  return `${dataset}_${param}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Checks a Kubernetes Secret name; `example` shows a valid one in the fix. */
export function checkSecretName(name: unknown, path: string, example: string, findings: Findings): void {
  if (typeof name === 'string' && SECRET_NAME.test(name)) return;
  findings.problem(path, `${quote(name)} is not a Kubernetes Secret name`, `use lowercase letters, digits, '-' and '.', e.g. '${example}'`);
}

/** Checks a reference names a valid Kubernetes Secret and key. */
export function checkSecretRef(ref: SecretRef | undefined, path: string, findings: Findings): void {
  if (!ref || typeof ref !== 'object') {
    findings.problem(path, `${quote(ref)} is not a secret reference`, "use { secretName: 'my-secret', key: 'password' }");
    return;
  }
  if (typeof ref.secretName !== 'string' || !SECRET_NAME.test(ref.secretName)) {
    findings.problem(
      `${path}.secretName`,
      `${quote(ref.secretName)} is not a Kubernetes Secret name`,
      "use lowercase letters, digits, '-' and '.'",
    );
  }
  if (ref.key === undefined) {
    findings.problem(`${path}.key`, 'is missing', "name the Secret's key that holds the value, e.g. key: 'password'");
  } else if (typeof ref.key !== 'string' || !SECRET_KEY.test(ref.key)) {
    findings.problem(`${path}.key`, `${quote(ref.key)} is not a Secret key`, "use letters, digits, '-', '_' and '.'");
  }
}
