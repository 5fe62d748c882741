#!/usr/bin/env node
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { Target, TARGETS } from './check-file';
import { importCommand } from './import-command';
import { lockCommand } from './lock-command';
import { OutputFormat } from './report-problems';
import { sizeCommand } from './size-command';
import { synthCommand } from './synth-command';
import { EXIT, UsageError } from './usage-error';
import { validateCommand } from './validate-command';

function targetList(value: string): Target[] {
  const targets = [...new Set(value.split(',').map((target) => target.trim()).filter(Boolean))];
  const unknown = targets.filter((target) => !TARGETS.includes(target as Target));
  if (unknown.length > 0 || targets.length === 0) throw new InvalidArgumentError(`use one or more of ${TARGETS.join(', ')}, separated by commas`);
  return targets as Target[];
}

const format = () => new Option('--format <format>', 'text for people, json for machines').choices(['text', 'json']).default('text');

/** The package's version, from its package.json (two folders above `dist/cli/` and `lib/cli/`). */
function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(__dirname, '..', '..', 'package.json')) as { version: string }).version;
}

/** The command line: `read-write-split <command>`. */
export function program(): Command {
  const cli = new Command('read-write-split')
    .description('Spice read/write splits from one YAML description: validate, synthesize, size, lock and import.')
    .version(packageVersion(), '--version', 'print the version of read-write-split')
    .showHelpAfterError()
    .exitOverride();
  cli.command('validate')
    .description('Check a description file: every problem at once, with its line and column (exit 0 valid, 1 invalid, 2 usage or file errors)')
    .argument('<file>', 'description file (YAML)')
    .addOption(format())
    .option('--target <targets>', `the sides to check, as synth writes them (${TARGETS.join(',')}; default: spicepods,k8s and each cloud, and compose, the file has a section for)`, targetList)
    .action(async (file: string, options: { format: OutputFormat; target?: Target[] }) => {
      process.exitCode = await validateCommand(file, options);
    });
  cli.command('synth')
    .description('Write the Spicepods, the Kubernetes manifests, the CloudFormation template, the Pulumi plans and the Compose readers of a description file')
    .argument('<file>', 'description file (YAML)')
    .requiredOption('--out <dir>', 'directory to write into (each target in its own folder)')
    .option('--target <targets>', `what to write: ${TARGETS.join(',')} (default: spicepods,k8s, and each cloud, and compose, the file has a section for)`, targetList)
    .addOption(format())
    .action(async (file: string, options: { out: string; target?: Target[]; format: OutputFormat }) => {
      process.exitCode = await synthCommand(file, options);
    });
  cli.command('size')
    .description('Size each tier and the snapshot bucket of a description file, with warnings where a tier looks too small')
    .argument('<file>', 'description file (YAML)')
    .addOption(format())
    .action(async (file: string, options: { format: OutputFormat }) => {
      process.exitCode = await sizeCommand(file, options);
    });
  cli.command('lock')
    .description('After a deploy: write the lock of the deployed split into the file (split.upgradeFrom.lock), so that validate and synth refuse changes that break what runs')
    .argument('<file>', 'description file (YAML)')
    .option('--stdout', 'print the lock as JSON instead of writing it into the file')
    .addOption(format())
    .action(async (file: string, options: { format: OutputFormat; stdout?: boolean }) => {
      process.exitCode = await lockCommand(file, options);
    });
  cli.command('import')
    .description('Turn a single-tier Spicepod into a split description file: accelerated datasets restored from snapshots, the rest delegated; prints what it could not map')
    .argument('<spicepod>', 'spicepod.yaml')
    .option('--name <name>', 'name of the split (default: the Spicepod\'s name, made a valid one)')
    .option('--out <file>', 'write the description file here (default: standard output)')
    .option('--force', 'replace the --out file when it exists')
    .addOption(format())
    .action((spicepod: string, options: { name?: string; out?: string; force?: boolean; format: OutputFormat }) => {
      process.exitCode = importCommand(spicepod, options);
    });
  return cli;
}

/** Runs the command line; errors are printed as one message (no stack trace) with their exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed its message (or the help) already.
      process.exitCode = error.exitCode === 0 ? EXIT.valid : EXIT.usage;
    } else if (error instanceof UsageError) {
      process.stderr.write(`read-write-split: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      const detail = process.env.READ_WRITE_SPLIT_DEBUG ? (error as Error)?.stack : (error as Error)?.message ?? String(error);
      process.stderr.write(`read-write-split: internal error, please report it (READ_WRITE_SPLIT_DEBUG=1 shows where): ${detail}\n`);
      process.exitCode = EXIT.internal;
    }
  }
}

if (require.main === module) void main(process.argv.slice(2));
