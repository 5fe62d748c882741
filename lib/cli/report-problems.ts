import { LocatedProblem, LocatedWarning } from './check-file';

/** How results are printed: for people (one line each, as compilers do), or JSON for machines. */
export type OutputFormat = 'text' | 'json';

const where = (item: { file: string; line: number; column: number }) => `${item.file}:${item.line}:${item.column}`;

/** `file:line:column path: message; fix`, one line per problem (what editors and CI logs link). */
export function problemLine(problem: LocatedProblem): string {
  return `${where(problem)} ${problem.path}: ${problem.message}; ${problem.fix}`;
}

export function warningLine(warning: LocatedWarning): string {
  return `${where(warning)} warning ${warning.id}: ${warning.path}: ${warning.message} (acknowledge with split.acknowledgedWarnings)`;
}

/** Prints a check's outcome; the caller sets the exit code. */
export function printCheck(file: string, problems: readonly LocatedProblem[], warnings: readonly LocatedWarning[], format: OutputFormat): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ file, valid: problems.length === 0, problems, warnings }, null, 2)}\n`);
    return;
  }
  for (const warning of warnings) process.stderr.write(`${warningLine(warning)}\n`);
  for (const problem of problems) process.stderr.write(`${problemLine(problem)}\n`);
  if (problems.length > 0) process.stderr.write(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
}
