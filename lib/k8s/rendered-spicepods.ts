import { sha256Hex } from '../core/digest';
import { renderReaderSpicepod, ResolvedSplit, Spicepod, spicepodToYaml, SynthesizedSplit, TierSpicepod } from '../core';

/**
 * Rendering is the costly part of a reader sidecar, and every application reading a split with
 * the same datasets gets the same Spicepod: it is rendered, serialized and hashed once per split
 * and selection, however many applications read it. The cached values are never mutated.
 */
const readerSpicepods = new WeakMap<ResolvedSplit, Map<string, TierSpicepod>>();
const serialized = new WeakMap<Spicepod, { readonly yaml: string; readonly checksum: string }>();

/** The reader Spicepod of a split for the datasets an application reads (every reader dataset by default). */
export function readerSpicepodFor(synthesized: SynthesizedSplit, datasets: readonly string[] | undefined): TierSpicepod {
  if (datasets === undefined) return synthesized.reader;
  const { split } = synthesized;
  let bySelection = readerSpicepods.get(split);
  if (!bySelection) readerSpicepods.set(split, bySelection = new Map());
  const key = JSON.stringify(datasets);
  let spicepod = bySelection.get(key);
  if (!spicepod) bySelection.set(key, spicepod = renderReaderSpicepod(split, { datasets }));
  return spicepod;
}

/** A Spicepod's YAML and its SHA-256 (the checksum annotation that rolls pods when it changes). */
export function serializedSpicepod(spicepod: Spicepod): { readonly yaml: string; readonly checksum: string } {
  let found = serialized.get(spicepod);
  if (!found) {
    const yaml = spicepodToYaml(spicepod);
    serialized.set(spicepod, found = { yaml, checksum: sha256Hex(yaml) });
  }
  return found;
}
