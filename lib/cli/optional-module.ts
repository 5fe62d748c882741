import { UsageError } from './usage-error';

/**
 * A framework the command needs only for some targets (cdk8s, aws-cdk-lib): loaded when used, and
 * when it is not installed, a usage error that says what to install instead of a stack trace.
 */
export function optionalModule<T>(id: string, forWhat: string, needs: readonly string[] = []): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1] ?? id;
    const packages = [...new Set([missing, ...needs])].filter((name) => !name.startsWith('.'));
    throw new UsageError(`${forWhat} needs ${packages.join(' and ')}: install ${packages.length === 1 ? 'it' : 'them'} beside read-write-split (npm install ${packages.join(' ')})`);
  }
}
