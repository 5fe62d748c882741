import { sizingReport } from '../core/sizing-report';
import { ByteFigure, CountFigure, SizingReport } from '../core/sizing-report-model';
import { ApplicationSize, applicationSizes } from './application-sizes';
import { checkFile } from './check-file';
import { OutputFormat, printCheck } from './report-problems';
import { EXIT } from './usage-error';
import { YamlSource } from './yaml-source';

const figure = (value: ByteFigure | CountFigure): string => (value.known ? ('human' in value ? value.human : String(value.count)) : value.human);
const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : 'none');

function writerLines({ writer, spiceCloud }: SizingReport): string[] {
  if (!writer) return [`writer: the Spice Cloud app at ${spiceCloud} (sized in Spice Cloud); no snapshot bucket`];
  const largest = writer.largestDataset.known ? `${writer.largestDataset.name} ${writer.largestDataset.human} (${writer.largestDataset.engine})` : writer.largestDataset.human;
  return [
    `writer cluster: ${writer.replicas} replicas (${writer.snapshotOwners} snapshot owner, ${writer.queryReplicas} query replicas)`,
    `  each: cpu ${writer.cpu.request} / ${writer.cpu.limit}, memory ${writer.memory.request.human} / ${writer.memory.limit.human}`,
    `  volume: ${writer.storage.size.human} (${writer.storage.explanation})`,
    `  largest accelerated dataset: ${largest}`,
    `  in memory (arrow): ${list(writer.inMemory.datasets)}${writer.inMemory.datasets.length > 0 ? `, ${figure(writer.inMemory.total)}` : ''}`,
  ];
}

function readerLines({ reader }: SizingReport): string[] {
  return [
    'reader sidecar (per application pod):',
    `  cpu ${reader.cpu.request} / ${reader.cpu.limit}, memory ${reader.memory.request.human} / ${reader.memory.limit.human}, local disk ${reader.localDisk.human}`,
    `  restored from snapshots: ${list(reader.accelerated)}; working set ${figure(reader.workingSet)}, disk needed with a new snapshot beside it ${figure(reader.diskNeeded)}`,
    `  delegated to the writers (${delegationEndpoints(reader.delegated)}): ${list(reader.delegated.datasets)}`,
  ];
}

/** Where readers dial the writers: in the cluster, and outside it when that is another endpoint. */
function delegationEndpoints({ flightEndpoint, externalFlightEndpoint }: SizingReport['reader']['delegated']): string {
  return externalFlightEndpoint === undefined ? flightEndpoint : `in the cluster ${flightEndpoint}, outside it ${externalFlightEndpoint}`;
}

function diskSource(app: ApplicationSize): string {
  if (app.localDiskFrom === 'own') return 'its localDisk';
  if (app.localDiskFrom === 'description') return 'reader.localDisk';
  return app.restores.length > 0 ? 'twice what it restores, at least 10Gi' : 'it restores nothing';
}

function applicationLines(applications: readonly ApplicationSize[]): string[] {
  if (applications.length === 0) return [];
  return [
    'applications (kubernetes.apps), each sidecar:',
    ...applications.map((app) => `  ${app.application}: restores ${list(app.restores)}, local disk ${app.localDisk} (${diskSource(app)})${app.delegates.length > 0 ? `; delegates ${list(app.delegates)}` : ''}`),
  ];
}

function bucketLines({ bucket }: SizingReport, onChange: readonly string[]): string[] {
  if (!bucket) return [];
  // The estimate counts every triggered snapshot as written: on_change datasets write fewer.
  const atMost = onChange.length > 0 ? `at most ${figure(bucket.refresh.bytes)} (${list(onChange)} snapshot only when their data changes)` : figure(bucket.refresh.bytes);
  return [
    `snapshot bucket: ${onChange.length > 0 ? 'at most ' : ''}${figure(bucket.snapshotsPerDay)} snapshots a day`,
    `  refresh snapshots (${bucket.refresh.days} days): ${atMost}`,
    bucket.archive ? `  daily archive (${bucket.archive.days} days): ${figure(bucket.archive.bytes)}` : '  daily archive: none kept',
    ...bucket.datasets.map((d) => `  ${d.name}: ${figure(d.expectedSize)} -> snapshot ${figure(d.snapshotSize)}${d.compaction ? ' (compacted)' : ''}, ${figure(d.snapshotsPerDay)} a day`),
  ];
}

/** The report for people: one section per tier, then what to watch. */
export function sizingText(report: SizingReport, applications: readonly ApplicationSize[] = [], onChange: readonly string[] = []): string {
  return [
    `split ${report.split}`,
    ...writerLines(report),
    ...readerLines(report),
    ...applicationLines(applications),
    ...bucketLines(report, onChange),
    // Advice on the figures, not warnings of the description: acknowledgedWarnings does not take them.
    ...report.warnings.map((w) => `sizing ${w.id}: ${w.path}: ${w.message}; ${w.fix}`),
    ...report.signals.map((signal) => `watch: ${signal}`),
  ].join('\n');
}

/** `size FILE`: the sizing of each tier and the bucket, with warnings where a tier looks too small. */
export async function sizeCommand(path: string, options: { readonly format: OutputFormat }): Promise<number> {
  const check = await checkFile(YamlSource.read(path));
  if (!check.checked) {
    printCheck(path, check.problems, check.warnings, options.format);
    return EXIT.invalid;
  }
  const { split } = check.checked.synthesized;
  const report = sizingReport(split);
  const applications = applicationSizes(check.checked.file, split);
  const onChange = split.datasets.filter((d) => d.snapshots?.creationPolicy === 'on_change').map((d) => d.name);
  const json = applications.length > 0 ? { ...report, applications } : report;
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${sizingText(report, applications, onChange)}\n`);
  return EXIT.valid;
}
