import { describe, expect, it } from 'vitest';
import { Findings, formatProblem } from '../../lib/core/errors';
import { canonicalCidr, checkCidr, parseCidr, strictlyInside } from '../../lib/k8s/cidr';

const parsed = (text: string) => parseCidr(text)!;

describe('CIDR blocks of egress rules', () => {
  it('parses IPv4 and every IPv6 spelling, an IPv4 tail included', () => {
    expect(parsed('10.1.0.0/16')).toEqual({ family: 4, address: 0x0a010000n, prefix: 16 });
    expect(parsed('fd00:ec2::23/128')).toEqual({ family: 6, address: 0xfd000ec2000000000000000000000023n, prefix: 128 });
    expect(parsed('::/0')).toEqual({ family: 6, address: 0n, prefix: 0 });
    expect(parsed('::ffff:10.0.0.0/104').address).toBe(0xffff0a000000n);
    expect(parsed('2001:DB8:0:0:0:0:0:0/32').address).toBe(0x20010db8n << 96n);
    for (const bad of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/08', '10.0.0/8', '::1/129', 'fe80::1%eth0/64', ' 10.0.0.0/8', 42]) expect(parseCidr(bad), String(bad)).toBeUndefined();
  });

  it('writes blocks as Kubernetes does: host bits zeroed, IPv6 compressed (RFC 5952)', () => {
    expect(canonicalCidr(parsed('10.1.2.3/16'))).toBe('10.1.0.0/16');
    expect(canonicalCidr(parsed('2001:0db8:0000:0000:0001:0000:0000:0001/128'))).toBe('2001:db8::1:0:0:1/128');
    expect(canonicalCidr(parsed('fd00:1:2:3:4:5:6:7/16'))).toBe('fd00::/16');
    expect(canonicalCidr(parsed('1:2:3:4:5:6:7:8/128'))).toBe('1:2:3:4:5:6:7:8/128');
    expect(canonicalCidr(parsed('1:0:2:3:4:5:6:7/128'))).toBe('1:0:2:3:4:5:6:7/128');
  });

  it('tells a block strictly inside another, of the same family', () => {
    expect(strictlyInside(parsed('10.20.5.0/24'), parsed('10.20.0.0/16'))).toBe(true);
    expect(strictlyInside(parsed('10.20.0.0/16'), parsed('10.20.0.0/16'))).toBe(false);
    expect(strictlyInside(parsed('10.21.0.0/24'), parsed('10.20.0.0/16'))).toBe(false);
    expect(strictlyInside(parsed('::/96'), parsed('0.0.0.0/0'))).toBe(false);
  });

  it('accepts every address only when allowed', () => {
    const findings = new Findings();
    expect(checkCidr('0.0.0.0/0', 'cidr', findings, true)).toBeDefined();
    expect(checkCidr('0.0.0.0/0', 'cidr', findings, false)).toBeUndefined();
    expect(findings.problems.map(formatProblem)).toEqual([expect.stringMatching(/^cidr: "0\.0\.0\.0\/0" is every address/)]);
  });

  it('refuses IPv4-mapped IPv6 blocks with their IPv4 form, and no other IPv6 block', () => {
    const findings = new Findings();
    expect(checkCidr('::ffff:10.0.0.0/104', 'a', findings, false)).toBeUndefined();
    expect(checkCidr('::ffff:0:0/96', 'b', findings, true)).toBeUndefined();
    expect(checkCidr('::fffe:0:0/96', 'c', findings, false)).toBeDefined();
    expect(checkCidr('::/64', 'd', findings, false)).toBeDefined();
    // Host bits set too: the IPv4 block is the fix, not an IPv6 one that is refused next.
    expect(checkCidr('::ffff:10.40.8.1/120', 'e', findings, false)).toBeUndefined();
    expect(findings.problems.map((p) => [p.path, p.fix])).toEqual([['a', 'write "10.0.0.0/8"'], ['b', 'write "0.0.0.0/0"'], ['e', 'write "10.40.8.0/24"']]);
  });

  it('suggests the one address and its range for a bare address, and a block for an address with a zone', () => {
    const findings = new Findings();
    checkCidr('10.200.0.7', 'a', findings, false);
    checkCidr('fe80::1%eth0', 'b', findings, false);
    expect(findings.problems.map((p) => p.fix)).toEqual([
      'write "10.200.0.7/32" for this one address, or the range\'s block with its prefix length (e.g. "10.200.0.0/24")',
      'write an IPv4 or IPv6 block with its prefix length, e.g. "10.0.0.0/16" or "fd00::/8"',
    ]);
  });
});
