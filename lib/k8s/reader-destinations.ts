import { ResolvedSplit, writerServiceName } from '../core';
import { flightEndpointParts, flightEndpointPort } from '../core/flight-tls';

/** The endpoint a delegating reader dials: the writer Service in the cluster, or a host outside it. */
export type WriterEndpoint =
  | { readonly inCluster: true }
  | { readonly inCluster: false; readonly url: string; readonly port: number };

/** What a reader reaches over the network, from the split and the datasets it reads. */
export interface ReaderDestinations {
  /** Datasets restored from the snapshot bucket (over HTTPS, with the reader's identity). */
  readonly restored: readonly string[];
  /** Datasets queried on the writers over Arrow Flight. */
  readonly delegated: readonly string[];
  readonly writer: WriterEndpoint;
}

/**
 * Where `writer.flightEndpoint` points. The writer Service's names (`<split>-writer`, with its
 * namespace, `.svc` and any cluster domain) are in the cluster: NetworkPolicies see the writer
 * pods behind it. Anything else is a host whose addresses only the user knows.
 */
export function writerEndpoint(split: ResolvedSplit, url: string = split.writer.flightEndpoint): WriterEndpoint {
  const parts = flightEndpointParts(url);
  const service = writerServiceName(split.name);
  const host = parts?.host ?? '';
  const inCluster = host === service || host === `${service}.${split.namespace}` || host.startsWith(`${service}.${split.namespace}.svc`);
  if (inCluster) return { inCluster: true };
  return { inCluster: false, url, port: parts ? flightEndpointPort(parts) : 443 };
}

/** What a reader of `datasets` (every dataset readers see, when undefined) reaches. Unknown names are left out. */
export function readerDestinations(split: ResolvedSplit, datasets?: readonly string[]): ReaderDestinations {
  const read = split.datasets.filter((dataset) => dataset.readers !== 'writer-only' && (datasets === undefined || datasets.includes(dataset.name)));
  return {
    restored: read.filter((dataset) => dataset.readers !== 'delegated').map((dataset) => dataset.name),
    delegated: read.filter((dataset) => dataset.readers === 'delegated').map((dataset) => dataset.name),
    writer: writerEndpoint(split),
  };
}
