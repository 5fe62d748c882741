/**
 * One problem found in a split description: where it is, what is wrong and how to fix it.
 */
export interface ValidationProblem {
  /** Property path in the description, e.g. `datasets[2].name`. */
  readonly path: string;
  /** What is wrong, quoting the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Renders one problem the way every message of this library reads. */
export function formatProblem(problem: ValidationProblem): string {
  return `${problem.path}: ${problem.message}; ${problem.fix}`;
}

/**
 * Thrown when a split description is invalid. It lists every problem at once, each naming the
 * property path, the value and the fix, so users can catch one error type and fix all in one go.
 */
export class SplitValidationError extends Error {
  /** Stable code for programmatic matching. */
  public readonly code = 'ReadWriteSplitInvalid';

  constructor(
    /** Name of the split (or `<unnamed>` when the name itself is missing). */
    public readonly splitName: string,
    /** Every problem found, in description order. */
    public readonly problems: readonly ValidationProblem[],
  ) {
    super(
      `Invalid read-write split "${splitName}" (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'SplitValidationError';
  }
}

/** A note about a valid but risky choice; adapters surface it as a synth-time warning. */
export interface SplitWarning {
  /** Property path the warning is about. */
  readonly path: string;
  /** What the user should know, and what to do about it. */
  readonly message: string;
}

/** Collects problems and warnings while a description is checked, so all are reported at once. */
export class Findings {
  public readonly problems: ValidationProblem[] = [];
  public readonly warnings: SplitWarning[] = [];

  public problem(path: string, message: string, fix: string): void {
    this.problems.push({ path, message, fix });
  }

  public warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}

/** Quotes a user value for an error message, whatever its type. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
