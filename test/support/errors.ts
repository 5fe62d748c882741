import { expect } from 'vitest';
import { formatProblem, ReadWriteSplitError, SplitValidationError } from '../../lib/core/errors';

/** The library's error an attempt throws, of the given class; fails the test when it throws none or another kind. */
export function thrown<E extends ReadWriteSplitError = SplitValidationError>(
  attempt: () => unknown,
  kind: abstract new (...args: any[]) => E = SplitValidationError as unknown as abstract new (...args: any[]) => E,
): E {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected a ${kind.name}, but it was accepted`);
}

/** Every problem a component's construction reports, as `path: message; fix`, checking the error names the component. */
export function componentProblems(attempt: () => unknown, where: string): string[] {
  const error = thrown(attempt);
  expect(error.where).toBe(where);
  return error.problems.map(formatProblem);
}
