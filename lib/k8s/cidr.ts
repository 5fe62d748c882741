import { isIPv4, isIPv6 } from 'node:net';
import { Findings, quote } from '../core/errors';

/** A CIDR block, parsed: its family, its address as a number, and its prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly address: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function ipv4Bits(text: string): bigint {
  return text.split('.').reduce((bits, part) => (bits << 8n) | BigInt(part), 0n);
}

/** The 128 bits of a valid IPv6 address (`isIPv6` said so), an IPv4 tail included. */
function ipv6Bits(text: string): bigint {
  const v4Tail = text.includes('.') ? text.slice(text.lastIndexOf(':') + 1) : undefined;
  const hex = v4Tail === undefined ? text : `${text.slice(0, text.lastIndexOf(':') + 1)}${(ipv4Bits(v4Tail) >> 16n).toString(16)}:${(ipv4Bits(v4Tail) & 0xffffn).toString(16)}`;
  const [head, tail] = hex.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(`0x${group}`), 0n);
}

/** Parses an IPv4 or IPv6 CIDR block; undefined when it is none. Host bits are kept as written. */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([^/%\s]+)\/(0|[1-9]\d{0,2})$/.exec(text);
  if (!match) return undefined;
  const [, address, prefixText] = match;
  const prefix = Number(prefixText);
  if (isIPv4(address) && prefix <= 32) return { family: 4, address: ipv4Bits(address), prefix };
  if (isIPv6(address) && prefix <= 128) return { family: 6, address: ipv6Bits(address), prefix };
  return undefined;
}

/** The address bits above the prefix, the host bits zeroed. */
function network(cidr: Cidr): bigint {
  const hostBits = BigInt(BITS[cidr.family] - cidr.prefix);
  return (cidr.address >> hostBits) << hostBits;
}

/** RFC 5952 text of an IPv6 address: lowercase, no leading zeros, the longest run of zero groups as `::`. */
function ipv6Text(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** The block as Kubernetes writes it, host bits zeroed: `10.1.0.0/16`, `fd00::/8`. */
export function canonicalCidr(cidr: Cidr): string {
  const bits = network(cidr);
  const address = cidr.family === 4
    ? [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.')
    : ipv6Text(bits);
  return `${address}/${cidr.prefix}`;
}

/** Whether `inner` lies inside `outer` and is smaller (an `except` block of an `ipBlock`). */
export function strictlyInside(inner: Cidr, outer: Cidr): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  return network({ ...inner, prefix: outer.prefix }) === network(outer);
}

const IPV4_MAPPED = { family: 6, address: 0xffff_0000_0000n, prefix: 96 } as const;

/** The IPv4 block an IPv4-mapped IPv6 block (`::ffff:10.0.0.0/104`) stands for; undefined for any other. */
function ipv4MappedBlock(cidr: Cidr): string | undefined {
  if (cidr.family !== 6 || cidr.prefix < IPV4_MAPPED.prefix || network({ ...cidr, prefix: IPV4_MAPPED.prefix }) !== IPV4_MAPPED.address) return undefined;
  return canonicalCidr({ family: 4, address: cidr.address & 0xffff_ffffn, prefix: cidr.prefix - IPV4_MAPPED.prefix });
}

/** An address written without its prefix: the block of that one address, or of the range around it. */
function singleAddressFix(address: string): string {
  const [single, range] = isIPv4(address) ? [32, 24] : [128, 64];
  const around = parseCidr(`${address}/${range}`);
  // An address with a zone (fe80::1%eth0) is no block at all: there is no range to suggest.
  if (!around) return `write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"`;
  return `write ${quote(`${address}/${single}`)} for this one address, or the range's block with its prefix length (e.g. ${quote(canonicalCidr(around))})`;
}

/**
 * Checks a CIDR block of an egress rule: IPv4 or IPv6 with its prefix length, no bits beyond the
 * prefix, and never every address (`/0`) unless `allowAny` says the user means it. Returns the
 * parsed block when it is usable.
 */
export function checkCidr(value: unknown, path: string, findings: Findings, allowAny: boolean): Cidr | undefined {
  const cidr = parseCidr(value);
  if (!cidr) {
    const address = typeof value === 'string' && (isIPv4(value) || isIPv6(value));
    const fix = address ? singleAddressFix(value as string) : 'write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"';
    findings.problem(path, `${quote(value)} is not a CIDR block`, fix);
    return undefined;
  }
  // Before the host bits: its fix is the IPv4 block, with them zeroed.
  const ipv4 = ipv4MappedBlock(cidr);
  if (ipv4) {
    findings.problem(path, `${quote(value)} is an IPv4-mapped IPv6 block: IPv4 traffic is matched by IPv4 blocks only, and Kubernetes' stricter IP validation (KEP-4858) flags such addresses`, `write ${quote(ipv4)}`);
    return undefined;
  }
  if (network(cidr) !== cidr.address) {
    findings.problem(path, `${quote(value)} has address bits set beyond its /${cidr.prefix} prefix`, `write ${quote(canonicalCidr(cidr))}, or a longer prefix for a smaller block`);
    return undefined;
  }
  if (cidr.prefix === 0 && !allowAny) {
    findings.problem(
      path,
      `${quote(value)} is every address: the reader and the application could reach any host`,
      "name the blocks the traffic goes to, or set 'egress.allowAnyDestination' to true to allow any destination on purpose",
    );
    return undefined;
  }
  return cidr;
}
