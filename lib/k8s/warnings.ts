import { Construct, IConstruct } from 'constructs';
import { formatWarning, SplitWarning } from '../core/errors';
import type { ResolvedSplit } from '../core/split';

/** Metadata type under which warnings are recorded on the construct that raised them. */
export const WARNING_METADATA = 'read-write-split:warning';

/** Warnings already printed in an app, by `<namespace>/<split>/<id>/<message>`: a split's warning shows once per app. */
const printed = new WeakMap<IConstruct, Set<string>>();

/**
 * The one way the Kubernetes adapter reports a warning: recorded in the construct's metadata (for
 * tools and tests) and printed once per app in the format aws-cdk uses for its own warnings, unless
 * the description acknowledges it. cdk8s has no annotations of its own.
 */
export function reportWarnings(scope: Construct, split: Pick<ResolvedSplit, 'name' | 'namespace' | 'acknowledgedWarnings'>, warnings: readonly SplitWarning[]): void {
  const seen = printed.get(scope.node.root) ?? new Set<string>();
  printed.set(scope.node.root, seen);
  for (const warning of warnings) {
    if (split.acknowledgedWarnings.has(warning.id)) continue;
    scope.node.addMetadata(WARNING_METADATA, warning);
    const key = `${split.namespace}/${split.name}/${warning.id}/${warning.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    console.warn(`[Warning at ${scope.node.path}] ${formatWarning(warning)} [ack: ${warning.id}]`);
  }
}
