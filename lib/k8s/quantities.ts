import { parseQuantity } from '../core/quantity';

const MI = 2 ** 20;
const KI = 2 ** 10;

/** A CPU quantity in millicores (`2` is written `2000m`). */
export function cpuQuantity(quantity: string): string {
  return `${Math.round(parseQuantity(quantity)! * 1000)}m`;
}

/** A memory quantity in mebibytes, or kibibytes when it is not a whole number of them. */
export function memoryQuantity(quantity: string): string {
  const bytes = parseQuantity(quantity)!;
  return bytes % MI === 0 ? `${bytes / MI}Mi` : `${Math.ceil(bytes / KI)}Ki`;
}

/** An emptyDir size limit in whole mebibytes, rounded up. */
export function sizeLimit(quantity: string): string {
  return `${Math.ceil(parseQuantity(quantity)! / MI)}Mi`;
}

/**
 * The ephemeral storage a container requests for the emptyDir volumes it writes: their size limits
 * summed, in whole mebibytes. The scheduler places pods by requests and never reads `sizeLimit`.
 */
export function ephemeralStorageRequest(sizeLimits: readonly string[]): string {
  return `${sizeLimits.reduce((sum, size) => sum + Math.ceil(parseQuantity(size)! / MI), 0)}Mi`;
}
