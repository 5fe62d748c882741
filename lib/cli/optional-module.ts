import { UsageError } from './usage-error';

/** The frameworks each side needs (optional peer dependencies of the package). */
const FRAMEWORKS: Readonly<Record<string, readonly string[]>> = {
  k8s: ['cdk8s', 'cdk8s-plus-28', 'constructs'],
  aws: ['aws-cdk-lib', 'constructs'],
  gcp: ['@pulumi/pulumi', '@pulumi/gcp'],
  azure: ['@pulumi/pulumi', '@pulumi/azure-native'],
};

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every framework the sides need that is not installed, in one usage error (exit code 2) with the
 * command that installs them all, instead of one stack trace per missing module.
 */
export function requireFrameworks(sides: readonly string[]): void {
  const missing = [...new Set(sides.flatMap((side) => FRAMEWORKS[side] ?? []))].filter((name) => !installed(name));
  if (missing.length === 0) return;
  // Only the sides that lack a framework are named.
  const short = sides.filter((side) => (FRAMEWORKS[side] ?? []).some((name) => missing.includes(name)));
  throw new UsageError(`${short.join(', ')} need${short.length === 1 ? 's' : ''} ${missing.join(', ')}: install beside read-write-split (npm install ${missing.join(' ')}), or leave out the file's section and --target for what you do not use`);
}

/** A module of a side whose frameworks `requireFrameworks` found: loaded when used. */
export function optionalModule<T>(id: string, side: string): T {
  requireFrameworks([side]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id) as T;
}
