import { checkFile, defaultTargets, Target } from './check-file';
import { OutputFormat, printCheck } from './report-problems';
import { EXIT } from './usage-error';
import { YamlSource } from './yaml-source';

/** `validate FILE`: every problem at once; exit 0 when valid, 1 when not. */
export async function validateCommand(path: string, options: { readonly format: OutputFormat; readonly target?: readonly Target[] }): Promise<number> {
  const source = YamlSource.read(path);
  // The sides synth would write: what passes here, synth writes.
  const check = await checkFile(source, { targets: options.target ?? defaultTargets(source.value()), described: options.target === undefined });
  printCheck(path, check.problems, check.warnings, options.format);
  if (check.problems.length === 0 && options.format === 'text') {
    const { split } = check.checked!.synthesized;
    process.stdout.write(`${path}: valid (split ${split.name}, ${split.datasets.length} dataset${split.datasets.length === 1 ? '' : 's'})\n`);
  }
  return check.problems.length === 0 ? EXIT.valid : EXIT.invalid;
}
