/** Timing on a noisy machine: alternate the two sides, and take medians of paired ratios. */

export interface PairedTiming {
  /** Median milliseconds of the library's side. */
  readonly libraryMs: number;
  /** Median milliseconds of the baseline. */
  readonly baselineMs: number;
  /** Median of library/baseline over the pairs. */
  readonly ratio: number;
  readonly pairs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timeOnce(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs both sides alternately until both are warm (at least `warmUpRuns` each and `warmUpMs` in
 * all): the grid measures steady-state synth, not the JIT compiling the code on its first runs
 * (cold start is what the cold-import measure covers).
 */
async function warmUp(library: () => unknown, baseline: () => unknown, warmUpRuns: number, warmUpMs: number): Promise<number> {
  let last = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < warmUpRuns || Number(process.hrtime.bigint() - start) / 1e6 < warmUpMs; i++) {
    last = (await timeOnce(library)) + (await timeOnce(baseline));
  }
  return last;
}

/**
 * Runs both sides (synchronous or not) alternately (the library first in even pairs, the baseline first in odd ones)
 * after warming both up, for about `budgetMs` in all, between `minPairs` and `maxPairs` pairs.
 */
export async function pairedTiming(library: () => unknown, baseline: () => unknown, budgetMs = 2000, minPairs = 9, maxPairs = 100): Promise<PairedTiming> {
  const warm = await warmUp(library, baseline, 3, 500);
  const pairs = Math.max(minPairs, Math.min(maxPairs, Math.floor(budgetMs / Math.max(warm, 1))));
  const libraryTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      libraryTimes.push(await timeOnce(library));
      baselineTimes.push(await timeOnce(baseline));
    } else {
      baselineTimes.push(await timeOnce(baseline));
      libraryTimes.push(await timeOnce(library));
    }
  }
  return {
    libraryMs: median(libraryTimes),
    baselineMs: median(baselineTimes),
    ratio: median(libraryTimes.map((t, i) => t / baselineTimes[i])),
    pairs,
  };
}

/** Heap retained by what `build` returns, in MiB (needs node --expose-gc). */
export function retainedMiB(build: () => unknown): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  void kept;
  return (after - before) / 2 ** 20;
}
