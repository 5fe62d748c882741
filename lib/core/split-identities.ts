import { Findings, quote, ReadWriteSplitError, ROOT_PATH, ValidationProblem } from './errors';
import { rememberIdentityTier } from './identity-tiers';
import { checkWorkloadIdentity, WorkloadIdentity } from './workload-identity';

/**
 * The identity each tier's Kubernetes ServiceAccounts carry, as a cloud adapter exports it. A
 * Pulumi program exports the component's `identities`; `pulumi stack output --json` writes them to
 * a file that the cdk8s app reads (`readSplitIdentities` in `read-write-split/k8s`), so that values
 * only the cloud knows (Azure client ids) reach the manifests without anyone copying them.
 */
export interface SplitIdentities {
  /** The writers' (and the archiver's) identity; absent where none is rendered. */
  readonly writer?: WorkloadIdentity;
  /** The readers' identity; absent where none is rendered. */
  readonly reader?: WorkloadIdentity;
}

/**
 * Checks a parsed stack output (or a whole `pulumi stack output --json` document, with `output`
 * naming the entry) and returns the identities in it.
 *
 * @throws ReadWriteSplitError listing every problem, paths starting at `source`
 */
export function parseSplitIdentities(document: unknown, source: string, output?: string): SplitIdentities {
  const findings = new Findings(() => false, source);
  let value = document;
  if (output !== undefined) {
    if (!document || typeof document !== 'object' || Array.isArray(document)) {
      throw invalid([{ path: source, message: `${quote(document)} is not the JSON of \`pulumi stack output --json\``, fix: 'write the file with `pulumi stack output --json > <file>`' }]);
    }
    value = (document as Record<string, unknown>)[output];
    if (value === undefined) {
      const names = Object.keys(document).map((name) => `'${name}'`).join(', ') || 'none';
      throw invalid([{
        path: `${source}.${output}`,
        message: `is not a stack output (outputs: ${names})`,
        fix: `export the component's identities from the Pulumi program, e.g. \`export const ${output} = split.identities\`, and write the file again`,
      }]);
    }
  }
  const at = output === undefined ? findings : findings.under(output);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    at.problem(ROOT_PATH, `${quote(value)} is not { writer, reader } identities`, "export the component's `identities` output");
  } else {
    const identities = value as Record<string, unknown>;
    for (const key of Object.keys(identities)) {
      if (key !== 'writer' && key !== 'reader') at.problem(key, 'is not a tier', "keep only 'writer' and 'reader'");
    }
    for (const tier of ['writer', 'reader'] as const) {
      const identity = identities[tier];
      if (identity !== undefined && identity !== null) checkWorkloadIdentity(identity as WorkloadIdentity, tier, at);
    }
  }
  if (findings.problems.length > 0) throw invalid(findings.problems);
  const identities = value as Record<string, WorkloadIdentity | null | undefined>;
  // Each remembers its tier: the one passed for the other tier is refused (a client id tells nothing).
  rememberIdentityTier(identities.writer ?? undefined, 'writer');
  rememberIdentityTier(identities.reader ?? undefined, 'reader');
  return { writer: identities.writer ?? undefined, reader: identities.reader ?? undefined };
}

function invalid(problems: readonly ValidationProblem[]): ReadWriteSplitError {
  return new ReadWriteSplitError('Invalid split identities', problems);
}
