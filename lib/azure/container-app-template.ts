import type * as inputs from '@pulumi/azure-native/types/input';
import * as pulumi from '@pulumi/pulumi';
import { ownershipFixCommand, ReaderInstance } from '../core';
import { READER_CONTAINER, READER_INIT_CONTAINER } from './container-app-checks';

// The cloud-neutral reader (core/reader-instance) as Container Apps containers, volumes and secrets.

/** Container Apps probes allow at most 10 failures and 240 s between tries. */
const MAX_FAILURE_THRESHOLD = 10;
const MAX_PERIOD_SECONDS = 240;

/** Volume and secret names of the reader: lowercase, digits and '-'. */
export const readerVolumeName = (role: string): string => `spice-reader-${role}`;
export const SPICEPOD_SECRET = 'spice-reader-spicepod';
export const FLIGHT_CA_SECRET = 'spice-reader-flight-ca';
export const CLUSTER_API_KEY_SECRET = 'spice-reader-cluster-api-key';

/** Environment variable that picks the user-assigned identity object_store asks IDENTITY_ENDPOINT for. */
export const AZURE_CLIENT_ID_ENV = 'AZURE_CLIENT_ID';

type Probe = { readonly path: string; readonly periodSeconds: number; readonly failureThreshold: number };

/**
 * One of the model's probes on Container Apps: the same path and the same time budget
 * (period x failures), spread over at most 10 failures (the platform's maximum).
 */
export function containerAppProbe(type: 'Startup' | 'Liveness' | 'Readiness', probe: Probe, port: number): inputs.app.ContainerAppProbeArgs {
  const budget = probe.periodSeconds * probe.failureThreshold;
  const failureThreshold = Math.min(probe.failureThreshold, MAX_FAILURE_THRESHOLD);
  const periodSeconds = Math.min(MAX_PERIOD_SECONDS, Math.ceil(budget / failureThreshold));
  return { type, httpGet: { path: probe.path, port, scheme: 'HTTP' }, periodSeconds, failureThreshold, timeoutSeconds: 1 };
}

/** Secrets and Secret volumes holding the files spiced reads (its Spicepod, the writers' CA). */
export function readerFiles(instance: ReaderInstance): { secrets: inputs.app.SecretArgs[]; volumes: inputs.app.VolumeArgs[]; mounts: inputs.app.VolumeMountArgs[] } {
  const secrets: inputs.app.SecretArgs[] = [];
  const volumes: inputs.app.VolumeArgs[] = [];
  const mounts: inputs.app.VolumeMountArgs[] = [];
  for (const file of instance.files) {
    const secret = file.purpose === 'spicepod' ? SPICEPOD_SECRET : FLIGHT_CA_SECRET;
    // Not secret (a Spicepod holds no credential, a CA certificate is public), but Secret volumes are how Container Apps mounts a file.
    secrets.push({ name: secret, value: file.content });
    volumes.push({ name: secret, storageType: 'Secret', secrets: [{ secretRef: secret, path: file.name }] });
    mounts.push({ volumeName: secret, mountPath: file.dir });
  }
  return { secrets, volumes, mounts };
}

/** EmptyDir volumes for spiced's writable directories, mounted at the same paths in the init container and the reader. */
export function writableVolumes(instance: ReaderInstance): { volumes: inputs.app.VolumeArgs[]; mounts: inputs.app.VolumeMountArgs[] } {
  return {
    volumes: instance.writableDirs.map((dir) => ({ name: readerVolumeName(dir.role), storageType: 'EmptyDir' })),
    mounts: instance.writableDirs.map((dir) => ({ volumeName: readerVolumeName(dir.role), mountPath: dir.path })),
  };
}

/** The init container: busybox, as root (the image's user), hands the fresh EmptyDir volumes to spiced's uid. */
export function ownershipInitContainer(instance: ReaderInstance, helperImage: string): inputs.app.InitContainerArgs {
  return {
    name: READER_INIT_CONTAINER,
    image: helperImage,
    command: ownershipFixCommand(instance),
    resources: { cpu: 0.25, memory: '0.5Gi' },
    volumeMounts: writableVolumes(instance).mounts,
  };
}

/** Carries the Spicepod's SHA-256 into the revision template (as the Kubernetes pods' checksum annotation does). */
export const SPICEPOD_CHECKSUM_ENV = 'SPICEPOD_SHA256';

/**
 * The reader sidecar: the model's image, command, args, env and probes, with the cluster API key
 * from a Key Vault secret reference and the identity's client id for object_store (none for a
 * Spice Cloud split, whose reader opens no store).
 */
export function readerContainer(
  instance: ReaderInstance,
  allocation: { cpu: number; memory: string },
  identityClientId: pulumi.Input<string> | undefined,
): inputs.app.ContainerArgs {
  const files = readerFiles(instance);
  const env: inputs.app.EnvironmentVarArgs[] = [
    ...Object.entries(instance.env).map(([name, value]) => ({ name, value })),
    // object_store's from_env() reads IDENTITY_ENDPOINT (and IDENTITY_HEADER) itself; this selects the user-assigned identity.
    ...(identityClientId === undefined ? [] : [{ name: AZURE_CLIENT_ID_ENV, value: identityClientId }]),
    ...instance.secretEnv.map((binding) => ({ name: binding.envVar, secretRef: CLUSTER_API_KEY_SECRET })),
    // The Spicepod is a secret, in `configuration`: only a change of `template` makes a new revision, so its checksum is here.
    { name: SPICEPOD_CHECKSUM_ENV, value: instance.spicepodChecksum },
  ];
  const { http } = instance.ports;
  return {
    name: READER_CONTAINER,
    image: instance.image,
    command: [...instance.command],
    args: [...instance.args],
    env,
    resources: allocation,
    probes: [
      containerAppProbe('Startup', instance.probes.startup, http),
      containerAppProbe('Liveness', instance.probes.liveness, http),
      containerAppProbe('Readiness', instance.probes.readiness, http),
    ],
    volumeMounts: [...writableVolumes(instance).mounts, ...files.mounts],
  };
}
