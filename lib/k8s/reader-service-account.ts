import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Findings } from '../core/errors';
import { IdentityBinding } from './identity';
import { LABELS } from './labels';
import { manifest } from './manifest';

/** The reader ServiceAccount of a split in a namespace. */
export interface ReaderServiceAccountOptions {
  readonly splitName: string;
  readonly name: string;
  readonly namespace?: string;
  readonly identity: IdentityBinding;
}

interface Rendered {
  readonly object: ApiObject;
  readonly annotations: string;
  readonly path: string;
}

/** Reader ServiceAccounts rendered so far: per chart (each chart holds what its pods need) and per app. */
const byChart = new WeakMap<Chart, Map<string, Rendered>>();
const byApp = new WeakMap<IConstruct, Map<string, Rendered>>();

function registry<K extends object>(map: WeakMap<K, Map<string, Rendered>>, key: K): Map<string, Rendered> {
  const found = map.get(key) ?? new Map<string, Rendered>();
  map.set(key, found);
  return found;
}

/**
 * The reader ServiceAccount, rendered once in every chart that has a reader of the split in that
 * namespace, so each chart deploys on its own. All of them must carry the same identity: two
 * readers of one split in one namespace share the ServiceAccount.
 */
export function readerServiceAccount(scope: Construct, options: ReaderServiceAccountOptions): ApiObject {
  const key = `${options.namespace ?? ''}/${options.name}`;
  const annotations = JSON.stringify([options.identity.serviceAccountAnnotations, options.identity.automountServiceAccountToken]);
  const other = registry(byApp, scope.node.root).get(key);
  if (other && other.annotations !== annotations) {
    const findings = new Findings();
    findings.problem(
      'props.identity',
      `differs from the identity of the reader at ${other.path}, which shares the ServiceAccount "${key}"`,
      'give every reader of a split in one namespace the same identity',
    );
    findings.throwIfProblems(options.splitName, scope.node.path);
  }
  const inChart = registry(byChart, Chart.of(scope));
  const existing = inChart.get(key);
  if (existing) return existing.object;
  const object = manifest(scope, 'ServiceAccount', 'v1', 'ServiceAccount', {
    name: options.name,
    namespace: options.namespace,
    labels: { [LABELS.split]: options.splitName, [LABELS.tier]: 'reader' },
    annotations: options.identity.serviceAccountAnnotations,
  }, { automountServiceAccountToken: options.identity.automountServiceAccountToken });
  const rendered = { object, annotations, path: scope.node.path };
  inChart.set(key, rendered);
  if (!other) registry(byApp, scope.node.root).set(key, rendered);
  return object;
}
