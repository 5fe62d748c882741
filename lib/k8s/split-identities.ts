import { parseSplitIdentities, SplitIdentities } from '../core';
import { readJsonFile } from '../files/json-file';

export type { SplitIdentities } from '../core';

/**
 * Reads the identities a cloud component exported, from the file `pulumi stack output --json`
 * wrote: the whole document with `output` naming the entry (`export const telemetryIdentities =
 * split.identities` in the program), or one output's value (`pulumi stack output
 * telemetryIdentities --json`) without it. Pass the result's `writer` as the chart's
 * `writerIdentity` and its `reader` to `readerSidecar(...)`: each remembers its tier, and the one
 * passed for the other tier is refused (an Azure client id says nothing of its tier).
 *
 * @throws ReadWriteSplitError when the file is missing, is not JSON or holds no valid identities
 */
export function readSplitIdentities(file: string, output?: string): SplitIdentities {
  const document = readJsonFile(file, {
    subject: 'Cannot read split identities',
    missingFix: 'write it from the stack that created the identities: `pulumi stack output --json > <file>`',
    notJsonFix: 'write it with `pulumi stack output --json > <file>` (the --json flag matters)',
  });
  return parseSplitIdentities(document, file, output);
}
