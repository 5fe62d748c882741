/** Wrong arguments or an unreadable file: the command exits with code 2, not 1 (invalid input). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes a CI job relies on. */
export const EXIT = { valid: 0, invalid: 1, usage: 2, internal: 3 } as const;
