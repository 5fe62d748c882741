import { IdentityBinding } from './identity';
import { SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json } from './manifest';
import { restrictedPodSecurity } from './pod-security';
import { SpiceContainerModel, toContainerManifest } from './spice-container';

/** How pods of one tier spread over nodes: `required` refuses two on one node, `preferred` only avoids it. */
export type NodeSpread = 'required' | 'preferred';

/** What a pod the library owns is made of. */
export interface SpicePodOptions {
  readonly labels: Record<string, string>;
  readonly checksum: string;
  readonly serviceAccountName: string;
  readonly identity: IdentityBinding;
  readonly container: SpiceContainerModel;
  readonly volumes: readonly Json[];
  /** Spread pods with these labels over nodes and zones. @default - no spread */
  readonly spread?: { readonly labels: Record<string, string>; readonly nodes: NodeSpread };
}

function topologySpread(spread: NonNullable<SpicePodOptions['spread']>): Json[] {
  const labelSelector = { matchLabels: spread.labels };
  return [
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: spread.nodes === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector },
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/** A restricted pod template running one spiced container. */
export function spicePodTemplate(options: SpicePodOptions): Json {
  return {
    metadata: {
      labels: { ...options.labels, ...options.identity.podLabels },
      annotations: { [SPICEPOD_CHECKSUM_ANNOTATION]: options.checksum },
    },
    spec: {
      serviceAccountName: options.serviceAccountName,
      automountServiceAccountToken: options.identity.automountServiceAccountToken,
      securityContext: restrictedPodSecurity(),
      terminationGracePeriodSeconds: 60,
      ...(options.spread ? { topologySpreadConstraints: topologySpread(options.spread) } : {}),
      containers: [toContainerManifest(options.container)],
      volumes: [...options.volumes],
    },
  };
}
