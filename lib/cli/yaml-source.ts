import { readFileSync } from 'node:fs';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { UsageError } from './usage-error';

/** Where a value is in its file, 1-based as editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A problem of the file itself (its YAML), at a position. */
export interface SyntaxProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

/**
 * `split.datasets[2].name` as the keys and indexes it walks: `['split', 'datasets', 2, 'name']`;
 * a quoted key (`podLabels["example.com/team"]`) stays one segment.
 */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    segments.push(match[1] !== undefined ? JSON.parse(match[1]) as string : match[2] !== undefined ? Number(match[2]) : match[3]);
  }
  return segments;
}

/** A YAML file, parsed with the positions of its values. */
export class YamlSource {
  /** Reads and parses `path`; an unreadable file is a usage error (exit code 2). */
  public static read(path: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return new YamlSource(path, text);
  }

  public readonly document: Document;
  private readonly lines = new LineCounter();

  constructor(public readonly path: string, text: string) {
    // Merge keys (`<<: *base`), common in Kubernetes YAML, are read as YAML 1.1 did.
    this.document = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false, merge: true });
  }

  /** The YAML's own errors (syntax, duplicate keys). */
  public syntaxProblems(): SyntaxProblem[] {
    return this.document.errors.map((error) => ({
      position: this.at(error.pos[0]),
      message: error.code === 'MULTIPLE_DOCS' ? 'holds more than one YAML document, but a description file is one' : error.message.split('\n')[0],
    }));
  }

  /** The file's value as plain data. */
  public value(): unknown {
    return this.document.toJS();
  }

  /**
   * Where the value at `path` is; for a key that is not there, where its closest parent is. With
   * `key`, the position of the last segment's key rather than its value (for unknown keys).
   */
  public positionOf(path: string, options: { readonly key?: boolean } = {}): SourcePosition {
    let node: unknown = this.document.contents;
    let position = this.rangeStart(node) ?? 0;
    const segments = pathSegments(path);
    for (let i = 0; i < segments.length;) {
      node = isAlias(node) ? node.resolve(this.document) : node;
      const found = this.child(node, segments, i);
      if (!found) break;
      const at = options.key && found.key ? found.key : found.value;
      position = this.rangeStart(at) ?? this.rangeStart(found.key) ?? position;
      node = found.value;
      i += found.used;
    }
    return this.at(position);
  }

  /**
   * The child at `segments[i]`: an item of a sequence, or the entry of a map whose key is that
   * segment, or several joined by dots (`podAnnotations.example.com/owner` names the key
   * `example.com/owner`), the longest that matches.
   */
  private child(node: unknown, segments: readonly (string | number)[], i: number): { key?: unknown; value: unknown; used: number } | undefined {
    if (isSeq(node)) return typeof segments[i] === 'number' && node.items[segments[i] as number] !== undefined ? { value: node.items[segments[i] as number], used: 1 } : undefined;
    if (!isMap(node)) return undefined;
    for (let used = segments.length - i; used >= 1; used--) {
      const key = segments.slice(i, i + used).join('.');
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
      if (pair) return { key: pair.key, value: pair.value, used };
    }
    return undefined;
  }

  private rangeStart(node: unknown): number | undefined {
    return node instanceof Object && 'range' in node ? (node as Node).range?.[0] : undefined;
  }

  private at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}
