import { quote } from './errors';

/** Split names: a DNS label short enough for every name derived from it. */
export const SPLIT_NAME = /^[a-z]([-a-z0-9]{0,35}[a-z0-9])?$/;

/** How to write a split name. */
export const SPLIT_NAME_FIX = "use a DNS label of at most 37 characters: lowercase letters, digits and '-', starting with a letter";

/** What is wrong with a split name, or undefined when it is one. */
export function splitNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && SPLIT_NAME.test(name)) return undefined;
  // Right but for its length: say so, or the user looks for a bad character.
  if (typeof name === 'string' && name.length > 37 && /^[a-z][-a-z0-9]*[a-z0-9]$/.test(name)) return `${quote(name)} is ${name.length} characters long, over a split name's 37 (every name derived from it must fit Kubernetes' and the clouds' limits)`;
  return `${quote(name)} is not a split name`;
}
