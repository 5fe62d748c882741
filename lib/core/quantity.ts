import { boundedMemo } from './bounded-memo';

/** Kubernetes quantity suffixes and their multipliers. */
const SUFFIX: Record<string, number> = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
};

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

const parseQuantityText = boundedMemo((value): number | undefined => {
  const match = QUANTITY.exec(value);
  return match ? Number(match[1]) * SUFFIX[match[2] ?? ''] : undefined;
});

/** Parses a Kubernetes quantity (`500m`, `2`, `512Mi`, `10Gi`) into a number; undefined if invalid. */
export function parseQuantity(value: unknown): number | undefined {
  return typeof value === 'string' ? parseQuantityText(value) : undefined;
}

const UNITS: readonly [string, number][] = [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/** Renders bytes for people in the largest binary unit, one decimal at most (`2.8Gi`, `512Mi`). */
export function formatBytes(bytes: number): string {
  const unit = UNITS.find(([, size]) => bytes >= size);
  if (!unit) return `${Math.round(bytes)}B`;
  return `${Number((bytes / unit[1]).toFixed(1))}${unit[0]}`;
}

/** Renders a byte count as a quantity to write, rounded up: whole gibibytes when exact, else mebibytes (`12Gi`, `1000Mi`). */
export function toDiskQuantity(bytes: number): string {
  return bytes % SUFFIX.Gi === 0 ? `${bytes / SUFFIX.Gi}Gi` : `${Math.ceil(bytes / SUFFIX.Mi)}Mi`;
}

/** Renders a byte count as whole gibibytes, rounded up (`10Gi`). */
export function toGibibytes(bytes: number): string {
  return `${Math.ceil(bytes / SUFFIX.Gi)}Gi`;
}
