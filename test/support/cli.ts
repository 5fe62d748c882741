import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { K8sObject } from './k8s';
import { ROOT, run } from './run';

/** The command line as installed: the built package's bin. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const EXAMPLE = join('examples', 'cli', 'orders.split.yaml');
export const INVALID = join('test', 'fixtures', 'cli', 'invalid.split.yaml');
export const cli = (...args: string[]) => run(process.execPath, [CLI, ...args]);
/** The example description file, parsed. */
export const description = parse(readFileSync(join(ROOT, EXAMPLE), 'utf8'));
/** The Kubernetes objects of a YAML file the command line wrote. */
export const docsOf = (path: string): K8sObject[] => parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS());
