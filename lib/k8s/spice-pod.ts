import { IdentityBinding } from './identity';
import { SPICEPOD_CHECKSUM_ANNOTATION } from './labels';
import { Json } from './manifest';
import { restrictedPodSecurity } from './pod-security';
import { podSpecSettings, SpicePodSettings } from './pod-settings';
import { ResolvedResources, ResolvedSplit, TierSpicepod, WRITER_DATA_DIR } from '../core';
import { DEFAULT_PORTS, SPICE_HOME, SpiceContainerModel, SPICEPOD_DIR, spicedArgs, toContainerManifest } from './spice-container';
import { configMapVolume, emptyDirVolume, TMP_SIZE } from './spice-volumes';
import type { TlsMounts } from './flight-tls';

/**
 * How pods of one tier spread over nodes: `required` never lets one node hold two more than another
 * (one per node while there are as many schedulable nodes as pods; evenly over fewer), `preferred`
 * only tries to.
 */
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
  /** The tier's pod settings. @default - none */
  readonly settings?: SpicePodSettings;
}

function topologySpread(spread: NonNullable<SpicePodOptions['spread']>): Json[] {
  const labelSelector = { matchLabels: spread.labels };
  return [
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: spread.nodes === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector },
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/** How long a stopping spiced pod is given before it is killed. */
export const SPICED_TERMINATION_GRACE_SECONDS = 60;

/** A restricted pod template running one spiced container. */
export function spicePodTemplate(options: SpicePodOptions): Json {
  return {
    metadata: {
      labels: { ...options.settings?.podLabels, ...options.labels, ...options.identity.podLabels },
      annotations: { ...options.settings?.podAnnotations, [SPICEPOD_CHECKSUM_ANNOTATION]: options.checksum },
    },
    spec: {
      ...podSpecSettings(options.settings),
      serviceAccountName: options.serviceAccountName,
      automountServiceAccountToken: options.identity.automountServiceAccountToken,
      securityContext: restrictedPodSecurity(),
      terminationGracePeriodSeconds: SPICED_TERMINATION_GRACE_SECONDS,
      ...(options.spread ? { topologySpreadConstraints: topologySpread(options.spread) } : {}),
      containers: [toContainerManifest(options.container)],
      volumes: [...options.volumes],
    },
  };
}

/** Name of the volume holding a data-tier pod's acceleration files and spiced's home. */
export const DATA_VOLUME = 'data';

/**
 * The spiced container of a pod the library owns (writer or archiver): acceleration files at
 * /data and spiced's home on the `data` volume, the Spicepod read-only, a scratch /tmp.
 * `emptyDirData` is the size of a `data` volume that is an emptyDir (the archiver's), not a claim.
 */
export function dataTierContainer(
  split: ResolvedSplit,
  spicepod: TierSpicepod,
  resources: ResolvedResources,
  settings?: SpicePodSettings,
  tls: TlsMounts = { mounts: [], volumes: [], serves: false },
  emptyDirData?: string,
): SpiceContainerModel {
  return {
    name: 'spiced',
    image: split.image.reference,
    args: spicedArgs(DEFAULT_PORTS),
    ports: DEFAULT_PORTS,
    env: spicepod.secretEnv,
    resources,
    mounts: [
      { volume: DATA_VOLUME, mountPath: WRITER_DATA_DIR },
      { volume: DATA_VOLUME, mountPath: SPICE_HOME, subPath: 'home' },
      { volume: 'spicepod', mountPath: SPICEPOD_DIR, readOnly: true },
      { volume: 'tmp', mountPath: '/tmp' },
      ...tls.mounts,
    ],
    extraEnv: settings?.env,
    servesTls: tls.serves,
    scratch: [...(emptyDirData === undefined ? [] : [emptyDirData]), TMP_SIZE],
  };
}

/** The volumes of `dataTierContainer` but `data` itself (a PVC template or an emptyDir). */
export function dataTierVolumes(configMap: string, tls?: TlsMounts): Json[] {
  return [
    configMapVolume('spicepod', configMap),
    emptyDirVolume('tmp', TMP_SIZE),
    ...(tls?.volumes ?? []),
  ];
}
