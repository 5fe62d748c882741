#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { Target, TARGETS } from './check-file';
import { importCommand } from './import-command';
import { OutputFormat } from './report-problems';
import { sizeCommand } from './size-command';
import { synthCommand } from './synth-command';
import { EXIT, UsageError } from './usage-error';
import { validateCommand } from './validate-command';

function targetList(value: string): Target[] {
  const targets = value.split(',').map((target) => target.trim()).filter(Boolean);
  const unknown = targets.filter((target) => !TARGETS.includes(target as Target));
  if (unknown.length > 0 || targets.length === 0) throw new InvalidArgumentError(`use one or more of ${TARGETS.join(', ')}, separated by commas`);
  return targets as Target[];
}

const format = () => new Option('--format <format>', 'text for people, json for machines').choices(['text', 'json']).default('text');

/** The command line: `read-write-split <command>`. */
export function program(): Command {
  const cli = new Command('read-write-split')
    .description('Spice read/write splits from one YAML description: synthesize, validate, size and import.')
    .showHelpAfterError()
    .exitOverride();
  cli.command('validate')
    .description('Check a description file: every problem at once, with its line and column (exit 0 valid, 1 invalid, 2 usage or file errors)')
    .argument('<file>', 'description file (YAML)')
    .addOption(format())
    .option('--target <targets>', `also check these sides though the file has no section for them (${TARGETS.join(',')})`, targetList)
    .action(async (file: string, options: { format: OutputFormat; target?: Target[] }) => {
      process.exitCode = await validateCommand(file, options);
    });
  cli.command('synth')
    .description('Write the Spicepods, the Kubernetes manifests and the CloudFormation template of a description file')
    .argument('<file>', 'description file (YAML)')
    .requiredOption('--out <dir>', 'directory to write into (each target in its own folder)')
    .option('--target <targets>', `what to write: ${TARGETS.join(',')} (default: spicepods,k8s, and each cloud the file has a section for)`, targetList)
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
  cli.command('import')
    .description('Turn a single-tier Spicepod into a split description file: accelerated datasets restored from snapshots, the rest delegated; prints what it could not map')
    .argument('<spicepod>', 'spicepod.yaml')
    .option('--name <name>', 'name of the split (default: the Spicepod\'s name, made a valid one)')
    .option('--out <file>', 'write the description file here (default: standard output)')
    .addOption(format())
    .action((spicepod: string, options: { name?: string; out?: string; format: OutputFormat }) => {
      process.exitCode = importCommand(spicepod, options);
    });
  return cli;
}

/** Runs the command line; errors are printed as one message (no stack trace) with their exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      // commander printed its message (or the help) already.
      process.exitCode = code === 'commander.helpDisplayed' || code === 'commander.version' ? EXIT.valid : EXIT.usage;
      return;
    }
    process.stderr.write(`read-write-split: ${error instanceof UsageError ? error.message : (error as Error).message}\n`);
    process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.invalid;
  }
}

if (require.main === module) void main(process.argv.slice(2));
