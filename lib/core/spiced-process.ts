/**
 * How `spiced` runs in every container the library renders, on Kubernetes or off it: one place
 * for the command, its directories, its user and its probes.
 */

/**
 * spiced in the official images. Set as the container's command, as the Spice Helm chart does,
 * so an image whose entrypoint differs (a wrapper script, a custom build) still runs spiced.
 */
export const SPICED_COMMAND: readonly string[] = ['/usr/local/bin/spiced'];
/** Where the Spicepod is mounted; spiced is given this file (it otherwise reads its working directory). */
export const SPICEPOD_DIR = '/spicepod';
export const SPICEPOD_FILE = 'spicepod.yaml';
/** spiced's working directory and HOME (`.spice/` lives here): writable, as the root filesystem is read-only. */
export const SPICE_HOME = '/app';
/** The variable that points spiced's HOME at `SPICE_HOME`. */
export const SPICE_HOME_ENV = 'HOME';
/** spiced's scratch directory. */
export const SPICE_TMP = '/tmp';

/**
 * The user of the official images (`nobody`): the image is `FROM scratch`, with no shell, so a
 * fresh volume owned by root must be handed over by another container (or an fsGroup).
 */
export const SPICED_USER = { uid: 65534, gid: 65534 } as const;

/**
 * Probe timings. `/health` answers as soon as spiced's servers start, before any snapshot is
 * downloaded, so startup and liveness never kill a spiced that is still restoring; readiness
 * (`/v1/ready`) is what waits for every dataset, the delegated ones (the writer) included. The
 * startup budget only covers a spiced whose servers do not come up.
 */
export const SPICED_PROBES = {
  startup: { path: '/health', periodSeconds: 5, failureThreshold: 60 },
  liveness: { path: '/health', periodSeconds: 10, failureThreshold: 3 },
  readiness: { path: '/v1/ready', periodSeconds: 5, failureThreshold: 3 },
} as const;

/** The address each of spiced's servers listens on. */
export interface SpicedListenHosts {
  readonly http: string;
  readonly flight: string;
  readonly metrics: string;
}

/** spiced's listen flags and the Spicepod it reads; `host` is one address for all three servers, or one each. */
export function spicedListenArgs(host: string | SpicedListenHosts, ports: { readonly http: number; readonly flight: number; readonly metrics: number }): string[] {
  const hosts = typeof host === 'string' ? { http: host, flight: host, metrics: host } : host;
  return [
    '--http', `${hosts.http}:${ports.http}`,
    '--flight', `${hosts.flight}:${ports.flight}`,
    '--metrics', `${hosts.metrics}:${ports.metrics}`,
    `${SPICEPOD_DIR}/${SPICEPOD_FILE}`,
  ];
}
