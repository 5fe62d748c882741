import { Findings, quote, SPICE_PORTS } from '../core';
import { ComposePort, ComposeService, LOOPBACK, READER_NETWORK_MODE, SERVICES } from './compose-file';

/**
 * Keys Docker refuses beside `network_mode: service:...`: the application shares the reader's
 * network namespace, so its network is the reader's.
 */
const NETWORK_KEYS = ['network_mode', 'networks', 'links', 'expose', 'hostname', 'domainname', 'dns', 'dns_search', 'dns_opt', 'extra_hosts', 'mac_address'];

const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;
const DIGITS = /^\d{1,5}$/;
const PROTOCOLS = ['tcp', 'udp'];

/** The application's ports, moved to the reader's service (which owns the shared network namespace). */
export interface AppPorts {
  /** Published on 127.0.0.1 by the reader's service. */
  readonly published: readonly ComposePort[];
  /** The ports the application listens on, for the core's check against the reader's. */
  readonly targets: readonly number[];
  /** For each target, the index of its entry in `app.ports`. */
  readonly indexes: readonly number[];
}

const asPort = (value: unknown): number | undefined => {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DIGITS.test(text)) return undefined;
  const port = Number(text);
  return port > 0 && port < 65536 ? port : undefined;
};

/** One entry of `app.ports` in the short syntax: `8080`, `8080:80`, `127.0.0.1:8080:80`, with `/tcp` or `/udp`. */
function shortPort(entry: string): { target: number; published?: string; protocol?: string; host?: string } | undefined {
  const [address, protocol, ...rest] = entry.split('/');
  if (rest.length > 0 || (protocol !== undefined && !PROTOCOLS.includes(protocol))) return undefined;
  const parts = address.split(':');
  if (parts.length > 3) return undefined;
  const target = asPort(parts[parts.length - 1]);
  const published = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  if (target === undefined || (published !== undefined && published !== '' && asPort(published) === undefined)) return undefined;
  return { target, ...(published ? { published } : {}), ...(protocol ? { protocol } : {}), ...(parts.length === 3 ? { host: parts[0] } : {}) };
}

/** One entry of `app.ports` in either syntax, as a port published on loopback; undefined (and a problem) when it cannot be. */
function appPort(entry: unknown, path: string, findings: Findings): ComposePort | undefined {
  const syntax = 'use a container port, or HOST:CONTAINER (e.g. "8080:8080"), or { target: 8080, published: "8080" }';
  let port: ComposePort | undefined;
  let host: unknown;
  if (typeof entry === 'number' || typeof entry === 'string') {
    const parsed = shortPort(String(entry));
    if (!parsed) {
      findings.problem(path, `${quote(entry)} is not a single port mapping (port ranges and other forms are not moved to the reader's service)`, syntax);
      return undefined;
    }
    const { host: parsedHost, ...rest } = parsed;
    host = parsedHost;
    port = { ...rest, host_ip: LOOPBACK };
  } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const { host_ip: hostIp, target, published, protocol, ...rest } = entry as Record<string, unknown>;
    const targetPort = asPort(target);
    const publishedPort = published === undefined ? undefined : asPort(published);
    if (targetPort === undefined || (published !== undefined && publishedPort === undefined) || (protocol !== undefined && !PROTOCOLS.includes(protocol as string))) {
      findings.problem(path, `${quote(entry)} is not a single port mapping`, syntax);
      return undefined;
    }
    host = hostIp;
    port = { ...rest, target: targetPort, ...(publishedPort ? { published: String(publishedPort) } : {}), host_ip: LOOPBACK, ...(protocol ? { protocol: protocol as string } : {}) };
  } else {
    findings.problem(path, `${quote(entry)} is not a port mapping`, syntax);
    return undefined;
  }
  if (host !== undefined && host !== LOOPBACK) {
    findings.problem(path, `publishes on ${quote(host)}: the reader's file publishes on ${LOOPBACK} only, so that nothing outside the laptop reaches the application or spiced`, `drop the address, or use ${LOOPBACK}`);
    return undefined;
  }
  const readerPort = [SPICE_PORTS.http, SPICE_PORTS.flight].find((reader) => String(reader) === port!.published);
  if (readerPort !== undefined) {
    findings.problem(path, `publishes host port ${readerPort}, which the reader's service publishes on ${LOOPBACK}`, 'publish the application on another host port');
    return undefined;
  }
  return port;
}

/** Checks the application's service and collects its ports; `appName` must not be one of the reader's services. */
export function checkApp(app: ComposeService, appName: string, findings: Findings): AppPorts {
  const none: AppPorts = { published: [], targets: [], indexes: [] };
  if (typeof appName !== 'string' || !SERVICE_NAME.test(appName) || (Object.values(SERVICES) as string[]).includes(appName)) {
    findings.problem('appName', `${quote(appName)} is not a free service name`, `use letters, digits, '.', '_' and '-', other than ${Object.values(SERVICES).join(', ')}, e.g. 'app'`);
  }
  if (!app || typeof app !== 'object' || Array.isArray(app)) {
    findings.problem('app', `${quote(app)} is not a Compose service`, "give the service as a plain object, e.g. { image: 'my-app:1.2.3' }");
    return none;
  }
  for (const key of NETWORK_KEYS) {
    if (app[key] !== undefined && !(key === 'network_mode' && app[key] === READER_NETWORK_MODE)) {
      findings.problem(`app.${key}`, `is set (${quote(app[key])}), but the application joins the reader's network namespace (network_mode: ${READER_NETWORK_MODE}), where Docker refuses it`, `remove app.${key}: the application reaches spiced on 127.0.0.1 and its ports are published on the ${SERVICES.reader} service`);
    }
  }
  if (app.ports === undefined) return none;
  if (!Array.isArray(app.ports)) {
    findings.problem('app.ports', `${quote(app.ports)} is not a list of ports`, 'list them, e.g. ["8080:8080"]');
    return none;
  }
  const published: ComposePort[] = [];
  const indexes: number[] = [];
  app.ports.forEach((entry, i) => {
    const port = appPort(entry, `app.ports[${i}]`, findings);
    if (port) {
      published.push(port);
      indexes.push(i);
    }
  });
  return { published, targets: published.map((port) => port.target), indexes };
}

/** `depends_on` in the long syntax: the short list means `service_started`. */
function dependsOn(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [name, { condition: 'service_started' }]));
  return value && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
}

/**
 * The application's service in the reader's network namespace, started once the reader is ready.
 * Its ports are published by the reader's service instead; the rest is the developer's, untouched.
 */
export function appService(app: ComposeService): ComposeService {
  const { ports: _ports, depends_on: given, ...rest } = app;
  return {
    ...rest,
    network_mode: READER_NETWORK_MODE,
    depends_on: { ...dependsOn(given), [SERVICES.ready]: { condition: 'service_completed_successfully' } },
  };
}
