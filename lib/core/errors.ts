import { sep } from 'node:path';

/**
 * One problem found in a split description or in an adapter's props: where it is, what is wrong
 * and how to fix it.
 */
export interface ValidationProblem {
  /** Property path, rooted at what the user passed, e.g. `split.datasets[2].name` or `props.vpc`. */
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

/** A note about a valid but risky choice; adapters surface it as a synth-time warning. */
export interface SplitWarning {
  /** Stable identifier, e.g. `no-hot-swap`: acknowledge it with the description's `acknowledgedWarnings`. */
  readonly id: string;
  /** Property path the warning is about. */
  readonly path: string;
  /** What the user should know, and what to do about it. */
  readonly message: string;
}

/** Renders one warning's text; adapters add where it was raised and its id, as their framework does. */
export function formatWarning(warning: SplitWarning): string {
  return `${warning.path}: ${warning.message}`;
}

/** Keeps a thrown error short for people: its message, then the caller's frames, not this library's. */
function callerFrames(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const libraryDir = `${__dirname.replace(/[\\/]core$/, '')}${sep}`;
  return frames.filter((line) => !line.includes(libraryDir) && !line.includes('node:internal')).join('\n');
}

/** Defines a property that code can read but that Node's error printout does not repeat. */
function hidden<T>(target: object, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: true });
}

/**
 * Thrown when a construct's props or a description are invalid. It lists every problem at once,
 * each naming the property path, the value and the fix, so users catch one error type and fix all
 * in one go.
 */
export class ReadWriteSplitError extends Error {
  /** Stable code for programmatic matching. */
  public declare readonly code: 'ReadWriteSplitInvalid';
  /** Every problem found, in the order of the props. */
  public declare readonly problems: readonly ValidationProblem[];
  /** Construct path (or other location) of what was checked; undefined for a plain description. */
  public declare readonly where?: string;

  constructor(subject: string, problems: readonly ValidationProblem[], where?: string) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`${subject}${where ? ` at ${where}` : ''} (${count}):\n${problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n')}`);
    hidden(this, 'code', 'ReadWriteSplitInvalid');
    hidden(this, 'problems', [...problems]);
    hidden(this, 'where', where);
    this.name = new.target.name;
    hidden(this, 'stack', `${this.name}: ${this.message}\n${callerFrames(this.stack)}`.trimEnd());
  }
}

/** Thrown when a split description (or a construct built from one) is invalid. */
export class SplitValidationError extends ReadWriteSplitError {
  /** Name of the split (or `<unnamed>` when the name itself is missing). */
  public declare readonly splitName: string;

  constructor(splitName: string, problems: readonly ValidationProblem[], where?: string) {
    super(`Invalid read-write split "${splitName}"`, problems, where);
    hidden(this, 'splitName', splitName);
  }
}

/** Tells whether a value is only known at deploy time (a CDK token, a Pulumi output). */
export type LateBoundCheck = (value: unknown) => boolean;

/** The path of a described value itself, rather than one of its properties. */
export const ROOT_PATH = '(split)';

interface Sink {
  readonly problems: ValidationProblem[];
  readonly warnings: SplitWarning[];
}

/**
 * Collects problems and warnings while a description and an adapter's props are checked, so all
 * are reported at once. `under(root)` gives a view whose paths start at `root` (e.g. `split` for
 * the description inside an adapter's props); every view fills the same lists.
 */
export class Findings {
  private readonly sink: Sink;

  constructor(
    /** Values to skip rather than report as wrong: they are only known at deploy time. */
    public readonly isLateBound: LateBoundCheck = () => false,
    private readonly root = '',
    sink?: Sink,
  ) {
    this.sink = sink ?? { problems: [], warnings: [] };
  }

  public get problems(): readonly ValidationProblem[] {
    return this.sink.problems;
  }

  public get warnings(): readonly SplitWarning[] {
    return this.sink.warnings;
  }

  /** A view whose paths are rooted at `root` below this one's. */
  public under(root: string): Findings {
    return new Findings(this.isLateBound, this.path(root), this.sink);
  }

  public problem(path: string, message: string, fix: string): void {
    this.sink.problems.push({ path: this.path(path), message, fix });
  }

  public warn(id: string, path: string, message: string): void {
    this.sink.warnings.push({ id, path: this.path(path), message });
  }

  /** Throws one error listing every problem, if there is any. */
  public throwIfProblems(splitName: string, where?: string): void {
    if (this.problems.length > 0) throw new SplitValidationError(splitName, this.problems, where);
  }

  /** `ROOT_PATH` is the value at the root itself: `split` inside an adapter, `(split)` on its own. */
  private path(path: string): string {
    if (path === ROOT_PATH) return this.root || ROOT_PATH;
    if (!this.root) return path;
    return path.startsWith('[') ? `${this.root}${path}` : `${this.root}.${path}`;
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

/** "a" or "an" before a name, as it is read aloud: "an OSS image", "an S3 bucket", "a GCS bucket". */
export function article(name: string): string {
  return /^([aeiou]|s3\b)/i.test(name) ? `an ${name}` : `a ${name}`;
}

/** How clouds and editions are written in messages. */
export const DISPLAY_NAMES: Readonly<Record<string, string>> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure', oss: 'OSS', enterprise: 'Enterprise' };

/** A cloud or edition as written in messages, with its article: "an AWS", "an OSS". */
export function named(value: string): string {
  return article(DISPLAY_NAMES[value] ?? value);
}
