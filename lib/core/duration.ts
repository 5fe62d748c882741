/** Units spiced and Go-style durations accept, in seconds. */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

const DURATION = /^(\d+)(s|m|h|d)$/;

/**
 * Parses a simple duration such as `30s`, `10m`, `72h` or `3d` into seconds.
 * Returns undefined for anything else, so callers can report the bad value.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  return amount > 0 ? amount * UNIT_SECONDS[match[2]] : undefined;
}

/** Whole days in a duration, or undefined when it is not a whole number of days. */
export function wholeDays(seconds: number): number | undefined {
  return seconds % UNIT_SECONDS.d === 0 ? seconds / UNIT_SECONDS.d : undefined;
}
