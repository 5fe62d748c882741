import { hash } from 'node:crypto';

/** The SHA-256 of a text, as lowercase hex (one-shot: no Hash object per call). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
