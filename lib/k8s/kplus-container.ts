import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseQuantity } from '../core';
import { SPICE_USER } from './pod-security';
import { PORT_NAMES, PROBES, SPICE_HOME, SpiceContainerModel } from './spice-container';

const MI = 2 ** 20;
const KI = 2 ** 10;

function cpu(quantity: string): kplus.Cpu {
  return kplus.Cpu.millis(Math.round(parseQuantity(quantity)! * 1000));
}

function memory(quantity: string): Size {
  const bytes = parseQuantity(quantity)!;
  return bytes % MI === 0 ? Size.mebibytes(bytes / MI) : Size.kibibytes(Math.ceil(bytes / KI));
}

function probe(kind: keyof typeof PROBES, port: number): kplus.Probe {
  const { path, periodSeconds, failureThreshold } = PROBES[kind];
  return kplus.Probe.fromHttpGet(path, { port, periodSeconds: Duration.seconds(periodSeconds), failureThreshold });
}

/**
 * The container model as cdk8s-plus props, for workloads users build with cdk8s-plus. It renders
 * the same container as `toContainerManifest` (a test compares the two).
 */
export function toKplusContainerProps(
  scope: Construct,
  model: SpiceContainerModel,
  volumes: Readonly<Record<string, kplus.Volume>>,
  sidecar: boolean,
): kplus.ContainerProps {
  const env: Record<string, kplus.EnvValue> = { HOME: kplus.EnvValue.fromValue(SPICE_HOME) };
  for (const binding of model.env) {
    const secret = kplus.Secret.fromSecretName(scope, `Secret-${binding.envVar}`, binding.secret.secretName);
    env[binding.envVar] = kplus.EnvValue.fromSecretValue({ secret, key: binding.secret.key });
  }
  return {
    name: model.name,
    image: model.image,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    args: [...model.args],
    workingDir: SPICE_HOME,
    ports: [
      { name: PORT_NAMES.http, number: model.ports.http, protocol: kplus.Protocol.TCP },
      { name: PORT_NAMES.flight, number: model.ports.flight, protocol: kplus.Protocol.TCP },
      { name: PORT_NAMES.metrics, number: model.ports.metrics, protocol: kplus.Protocol.TCP },
    ],
    envVariables: env,
    resources: {
      cpu: { request: cpu(model.resources.cpu.request), limit: cpu(model.resources.cpu.limit) },
      memory: { request: memory(model.resources.memory.request), limit: memory(model.resources.memory.limit) },
    },
    startup: probe('startup', model.ports.http),
    liveness: probe('liveness', model.ports.http),
    readiness: probe('readiness', model.ports.http),
    volumeMounts: model.mounts.map((mount) => ({ path: mount.mountPath, volume: volumes[mount.volume], subPath: mount.subPath, readOnly: mount.readOnly })),
    securityContext: {
      ensureNonRoot: true,
      user: SPICE_USER,
      group: SPICE_USER,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    },
    ...(sidecar ? { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS } : {}),
  };
}
