import { Document } from 'yaml';
import { ReaderCompose } from './reader-compose';

/**
 * `compose.yaml`: the file's notes (credentials, API key, how to run it) as its header, then the
 * Compose file. Written as YAML 1.1 would read it, so that values such as `"no"` stay strings for
 * every Compose implementation.
 */
export function composeYaml(result: Pick<ReaderCompose, 'compose' | 'notes'>): string {
  const document = new Document(result.compose, { version: '1.1' });
  document.commentBefore = result.notes.map((line) => (line ? ` ${line}` : '')).join('\n');
  return document.toString({ lineWidth: 0 });
}
