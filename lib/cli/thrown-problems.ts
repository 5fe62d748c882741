import { ReadWriteSplitError, ValidationProblem } from '../core/errors';

/** Where a construct's problems belong in the file: its `props.…` under `props`, anything else under `other`. */
export interface ProblemRoots {
  readonly props: string;
  readonly other?: string;
  /**
   * How the construct names its props in paths.
   *
   * @default 'props' (CDK and cdk8s constructs; the Pulumi components say 'args')
   */
  readonly propsKey?: string;
}

/**
 * The problems a construct threw, moved to the file's paths: the description's own (`split.…`)
 * stay, the construct's props (`props.…`) go under the file's section. Any other error (a file
 * that cannot be read) becomes one problem at `other`.
 */
export function problemsOf(error: unknown, roots: ProblemRoots): ValidationProblem[] {
  if (!(error instanceof ReadWriteSplitError)) {
    if (roots.other === undefined) throw error;
    return [{ path: roots.other, message: (error as Error).message.split('\n')[0], fix: 'correct the file it names' }];
  }
  return error.problems.map((problem) => {
    if (problem.path === 'split' || problem.path.startsWith('split.')) return problem;
    const props = `${roots.propsKey ?? 'props'}.`;
    if (problem.path.startsWith(props)) return { ...problem, path: `${roots.props}.${problem.path.slice(props.length)}` };
    return { ...problem, path: roots.other ?? roots.props, message: `${problem.path}: ${problem.message}` };
  });
}
