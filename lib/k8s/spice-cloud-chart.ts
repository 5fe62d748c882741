import { Findings, quote } from '../core/errors';
import type { ReadWriteSplitChartProps } from './split-chart';
import { checkMonitoringNamespace } from './writer-cluster';

/** Chart props that configure the writer cluster or its Namespace: neither exists with a Spice Cloud writer. */
const WRITER_SIDE_PROPS = ['writerIdentity', 'nodeSpread', 'flightCertificate', 'flightClientCertificate', 'workloads', 'argoCdSyncWave', 'readerNamespaces', 'externalReaderCidrs', 'flightLoadBalancer'] as const;
/** Pod settings readers take from the chart: their image pull Secrets. */
const READER_POD_SETTINGS = new Set(['imagePullSecrets']);

/**
 * Checks the chart's props for a split whose writer is a Spice Cloud app: the chart renders no
 * writer cluster, archiver or Namespace then (with `observability`, the readers' PodMonitor and
 * alerts, in the monitoring namespace), and hands its readers the pull Secrets, the API key's
 * ExternalSecret source and the monitoring namespace.
 */
export function checkSpiceCloudChartProps(props: ReadWriteSplitChartProps, findings: Findings): void {
  const fix = 'remove it: the writer is a Spice Cloud app, and the chart renders no writer side';
  for (const prop of WRITER_SIDE_PROPS) {
    if (props[prop] !== undefined) findings.problem(prop, 'configures the writer cluster or its Namespace, which a Spice Cloud split does not have', fix);
  }
  checkMonitoringNamespace(props.monitoringNamespace, findings);
  if (props.createNamespace === true) {
    findings.problem('createNamespace', 'is true, but nothing of a Spice Cloud split runs in its own namespace (readers run in the applications\')', 'leave it out');
  }
  for (const key of Object.keys(props.pods ?? {})) {
    if (!READER_POD_SETTINGS.has(key)) findings.problem(`pods.${key}`, `${quote(key)} is a writer pod setting, and a Spice Cloud split has no writer pods`, `${fix} (only pods.imagePullSecrets reaches the readers)`);
  }
}
