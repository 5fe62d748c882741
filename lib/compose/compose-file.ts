/**
 * The few Compose file shapes the reader's file uses, as plain objects (the Compose
 * specification's names, snake_case and all), and the helpers every part of it shares.
 */

/** One Compose service: a plain object, as written under `services:` in a Compose file. */
export interface ComposeService {
  readonly [key: string]: unknown;
}

/** A Compose file: services, and the named volumes and configs they use. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly configs?: Readonly<Record<string, { readonly file: string }>>;
}

/** A port published in the long syntax. */
export interface ComposePort {
  readonly target: number;
  readonly published?: string;
  readonly host_ip: string;
  readonly protocol?: string;
  readonly [key: string]: unknown;
}

/** A mount in the long syntax. */
export interface ComposeMount {
  readonly type: 'volume' | 'bind';
  readonly source: string;
  readonly target: string;
  readonly read_only?: boolean;
  readonly bind?: { readonly create_host_path: boolean };
}

/** The services the reader's file adds; the application's is named by the caller. */
export const SERVICES = {
  /** spiced itself. */
  reader: 'spice-reader',
  /** Hands the reader's fresh, root-owned volumes to spiced's user, then exits. */
  init: 'spice-reader-init',
  /** Waits for `/v1/ready` inside the reader's network namespace, then exits: what the application waits for. */
  ready: 'spice-reader-ready',
} as const;

/** Where ports are published on the laptop: loopback only, never every interface. */
export const LOOPBACK = '127.0.0.1';

/** The Docker network mode that puts a service in the reader's network namespace. */
export const READER_NETWORK_MODE = `service:${SERVICES.reader}`;

/**
 * Compose interpolates `$` in every value of the file: `$$` is a literal `$`. Commands and paths
 * from the reader model are escaped, so that `$i` in a shell loop reaches the shell; only the
 * variables the file means to read from the developer's shell stay `${...}`.
 */
export function literal(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** A required variable from the developer's shell: Compose stops with `message` when it is unset or empty. */
export function requiredVariable(name: string, message: string): string {
  return `\${${name}:?${message.replace(/[}$]/g, '')}}`;
}
