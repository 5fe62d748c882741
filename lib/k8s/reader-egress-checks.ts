import { NAMESPACE_NAME, SnapshotCloud } from '../core';
import { Findings, quote } from '../core/errors';
import { checkCidr, parseCidr, strictlyInside } from './cidr';
import { checkLabels } from './pod-settings';
import { isPortProtocol } from './reader-pod-checks';
import { ReaderEgressDns, ReaderEgressOptions, ReaderEgressPeer, ReaderEgressPlan, ReaderEgressPort, ReaderEgressRule } from './reader-egress';

/** How each cloud's bucket is reached privately: where its CIDR blocks come from. */
const OBJECT_STORE_FIX: Readonly<Record<SnapshotCloud, string>> = {
  aws: 'give the CIDRs of the S3 prefix list (com.amazonaws.<region>.s3, for a gateway endpoint) or the subnets of your S3 interface endpoint',
  gcp: "give Private Google Access' range, \"199.36.153.8/30\" (private.googleapis.com) or \"199.36.153.4/30\" (restricted.googleapis.com), with storage.googleapis.com resolving there",
  azure: 'give the subnet of the blob private endpoint',
};

const isPort = (port: unknown): port is number => Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
const PORT_FIX = 'use a number from 1 to 65535';

/** A list of CIDR blocks; `required` says why an empty or missing one is a problem. */
function checkCidrList(cidrs: unknown, path: string, findings: Findings, allowAny: boolean, required?: { why: string; fix: string }): void {
  if (cidrs === undefined || (Array.isArray(cidrs) && cidrs.length === 0)) {
    if (required) findings.problem(path, `is ${cidrs === undefined ? 'missing' : 'empty'}: ${required.why}, which the egress policy would block`, required.fix);
    return;
  }
  if (!Array.isArray(cidrs)) {
    findings.problem(path, `${quote(cidrs)} is not a list`, 'list CIDR blocks, e.g. ["10.0.0.0/16"]');
    return;
  }
  cidrs.forEach((cidr, i) => checkCidr(cidr, `${path}[${i}]`, findings, allowAny));
}

function checkPortList(ports: unknown, path: string, findings: Findings): void {
  if (ports === undefined) return;
  if (!Array.isArray(ports) || ports.length === 0) {
    findings.problem(path, Array.isArray(ports) ? 'is empty' : `${quote(ports)} is not a list`, 'list the ports, or leave it out');
    return;
  }
  ports.forEach((port, i) => {
    if (!isPort(port)) findings.problem(`${path}[${i}]`, `${quote(port)} is not a port`, PORT_FIX);
  });
}

function checkIdentityEndpoints(options: ReaderEgressOptions, plan: ReaderEgressPlan, findings: Findings, allowAny: boolean): void {
  const endpoints: unknown = options.identityEndpoints;
  if (endpoints === undefined) {
    // Only a reader that restores snapshots needs credentials for the bucket.
    if ('unknown' in plan.identity && plan.destinations.restored.length > 0) findings.problem('identityEndpoints', `is missing: ${plan.identity.unknown}, which the egress policy would block`, plan.identity.fix);
    return;
  }
  if (!Array.isArray(endpoints)) {
    findings.problem('identityEndpoints', `${quote(endpoints)} is not a list`, 'list { cidrs, ports? } endpoints, or [] for none');
    return;
  }
  endpoints.forEach((endpoint, i) => {
    const fix = { why: 'an endpoint needs at least one block', fix: 'list its CIDR blocks, or drop the endpoint' };
    checkCidrList(endpoint?.cidrs, `identityEndpoints[${i}].cidrs`, findings, allowAny, fix);
    checkPortList(endpoint?.ports, `identityEndpoints[${i}].ports`, findings);
  });
}

function checkWriterEndpoint(options: ReaderEgressOptions, plan: ReaderEgressPlan, findings: Findings, allowAny: boolean): void {
  const { writer, delegated } = plan.destinations;
  if (writer.inCluster) {
    if (options.writerEndpointCidrs !== undefined) {
      findings.problem('writerEndpointCidrs', "is set, but the split's writer.flightEndpoint is the writer Service in the cluster, whose pods the rule selects", 'leave it out');
    }
    return;
  }
  const cloud = plan.split.writer.spiceCloud !== undefined;
  const required = delegated.length > 0
    ? {
      why: `this reader delegates ${delegated.join(', ')} to ${cloud ? 'the Spice Cloud app at' : 'writer.flightEndpoint'} ${quote(writer.url)}, outside the cluster, on port ${writer.port}`,
      fix: cloud
        ? "give the CIDR blocks the pod reaches it through: your egress gateway's or proxy's (no address range of Spice Cloud is documented), or allowAnyDestination: true with a writerEndpointCidrs of 0.0.0.0/0 on purpose"
        : 'give the CIDR blocks its host resolves to (e.g. the load balancer\'s addresses)',
    }
    : undefined;
  checkCidrList(options.writerEndpointCidrs, 'writerEndpointCidrs', findings, allowAny, required);
}

function checkDns(dns: ReaderEgressDns | undefined, findings: Findings, allowAny: boolean): void {
  if (dns === undefined) return;
  if (dns.namespace !== undefined && (typeof dns.namespace !== 'string' || !NAMESPACE_NAME.test(dns.namespace))) {
    findings.problem('dns.namespace', `${quote(dns.namespace)} is not a Kubernetes namespace`, "use a DNS label, e.g. 'kube-system'");
  }
  checkLabels(dns.podLabels, 'dns.podLabels', findings, 'allow');
  checkCidrList(dns.cidrs, 'dns.cidrs', findings, allowAny);
}

function checkExcept(peer: ReaderEgressPeer, path: string, findings: Findings): void {
  const outer = parseCidr(peer.cidr);
  peer.except?.forEach((block, i) => {
    const inner = checkCidr(block, `${path}.except[${i}]`, findings, false);
    if (inner && outer && !strictlyInside(inner, outer)) {
      findings.problem(`${path}.except[${i}]`, `${quote(block)} is not inside cidr ${quote(peer.cidr)}`, 'list only smaller blocks inside cidr');
    }
  });
}

function checkPeer(peer: ReaderEgressPeer, path: string, findings: Findings, allowAny: boolean): void {
  const selects = peer?.podLabels !== undefined || peer?.namespace !== undefined || peer?.namespaceLabels !== undefined;
  if (peer?.cidr !== undefined) {
    if (selects) findings.problem(path, 'has both cidr and pod or namespace selectors', 'make them two destinations');
    if (checkCidr(peer.cidr, `${path}.cidr`, findings, allowAny)) checkExcept(peer, path, findings);
    return;
  }
  if (!selects) findings.problem(path, `${quote(peer)} names no destination`, 'give cidr, or podLabels with namespace or namespaceLabels');
  if (peer?.except !== undefined) findings.problem(`${path}.except`, 'is set without cidr', 'give the cidr it leaves blocks out of');
  if (peer?.namespace !== undefined && peer?.namespaceLabels !== undefined) findings.problem(path, 'has both namespace and namespaceLabels', 'select the namespaces one way');
  if (peer?.namespace !== undefined && (typeof peer.namespace !== 'string' || !NAMESPACE_NAME.test(peer.namespace))) {
    findings.problem(`${path}.namespace`, `${quote(peer.namespace)} is not a Kubernetes namespace`, "use a DNS label: up to 63 lowercase letters, digits and '-'");
  }
  checkLabels(peer?.podLabels, `${path}.podLabels`, findings, 'allow');
  checkLabels(peer?.namespaceLabels, `${path}.namespaceLabels`, findings, 'allow');
}

function checkRulePort(port: ReaderEgressPort, path: string, findings: Findings): void {
  if (!isPort(port?.port)) findings.problem(`${path}.port`, `${quote(port?.port)} is not a port`, PORT_FIX);
  if (port?.endPort !== undefined && (!isPort(port.endPort) || port.endPort < port.port)) {
    findings.problem(`${path}.endPort`, `${quote(port.endPort)} is not a port at or above ${quote(port?.port)}`, 'give the last port of the range, or leave it out for one port');
  }
  if (port?.protocol !== undefined && !isPortProtocol(port.protocol)) findings.problem(`${path}.protocol`, `${quote(port.protocol)} is not a protocol`, "use 'TCP', 'UDP' or 'SCTP'");
}

function checkRule(rule: ReaderEgressRule, path: string, findings: Findings, allowAny: boolean): void {
  if (!Array.isArray(rule?.to) || rule.to.length === 0) {
    const message = Array.isArray(rule?.to) ? 'is empty: the rule would allow every destination' : `${quote(rule?.to)} is not a list of destinations`;
    findings.problem(`${path}.to`, message, "list the destinations; for any, { cidr: '0.0.0.0/0' } with 'egress.allowAnyDestination'");
  } else {
    rule.to.forEach((peer, i) => checkPeer(peer, `${path}.to[${i}]`, findings, allowAny));
  }
  if (rule?.ports === undefined) return;
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) {
    findings.problem(`${path}.ports`, Array.isArray(rule.ports) ? 'is empty' : `${quote(rule.ports)} is not a list`, 'list the ports, or leave it out for every port');
    return;
  }
  rule.ports.forEach((port, i) => checkRulePort(port, `${path}.ports[${i}]`, findings));
}

/**
 * Checks a reader's egress against what the reader reaches: the bucket's blocks when it restores
 * snapshots, the identity's token endpoint when only the user knows it, the writer endpoint's
 * blocks when it is outside the cluster. Every block is checked; `/0` only with
 * `allowAnyDestination`. Paths start at `egress`.
 */
export function checkReaderEgress(egress: ReaderEgressOptions | undefined, plan: ReaderEgressPlan, findings: Findings): void {
  if (egress === undefined) return;
  if (egress === null || typeof egress !== 'object') {
    findings.problem('egress', `${quote(egress)} is not egress options`, 'pass an object, e.g. { objectStoreCidrs: [...] }');
    return;
  }
  const at = findings.under('egress');
  if (egress.allowAnyDestination !== undefined && typeof egress.allowAnyDestination !== 'boolean') {
    at.problem('allowAnyDestination', `${quote(egress.allowAnyDestination)} is not true or false`, 'use a boolean');
  }
  const allowAny = egress.allowAnyDestination === true;
  const { restored } = plan.destinations;
  const cloud = plan.split.store?.cloud;
  const store = restored.length > 0 && cloud ? { why: `this reader restores ${restored.join(', ')} from the snapshot bucket over HTTPS (443)`, fix: OBJECT_STORE_FIX[cloud] } : undefined;
  checkCidrList(egress.objectStoreCidrs, 'objectStoreCidrs', at, allowAny, store);
  checkIdentityEndpoints(egress, plan, at, allowAny);
  checkWriterEndpoint(egress, plan, at, allowAny);
  checkDns(egress.dns, at, allowAny);
  if (egress.rules !== undefined && !Array.isArray(egress.rules)) at.problem('rules', `${quote(egress.rules)} is not a list`, 'list { to, ports? } rules');
  else egress.rules?.forEach((rule, i) => checkRule(rule, `rules[${i}]`, at, allowAny));
}
