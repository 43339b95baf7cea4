import { readFile } from 'node:fs/promises';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { Diagnostic, SourcePosition } from '../diagnostics.js';
import { fastYamlValue } from './fast-yaml.js';
import { jsonLocator } from './json-locate.js';
import { splitPointer } from './json-pointer.js';

/**
 * A parsed YAML or JSON file that remembers where every value came from, so any stage can turn a
 * JSON pointer back into file:line:col for its diagnostics.
 */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the project root, POSIX separators: what diagnostics show. */
  readonly displayPath: string;
  /** The plain JSON value (undefined when the file could not be parsed). */
  readonly value: unknown;
  /** Position of the value at `pointer`, or of its nearest existing ancestor. */
  locate(pointer: string): SourcePosition;
}

export interface ParsedSource {
  readonly file: SourceFile;
  readonly diagnostics: Diagnostic[];
}

export async function readSourceFile(path: string, displayPath: string): Promise<ParsedSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    const file = unparsedFile(path, displayPath);
    return {
      file,
      diagnostics: [
        {
          severity: 'error',
          code: 'file-unreadable',
          message: `Cannot read ${displayPath} (${reason}).`,
          file: displayPath,
          position: { line: 1, column: 1 },
          pointer: '',
          hint: 'Check that the file exists and is readable; $ref paths are relative to the file holding them.',
        },
      ],
    };
  }
  return parseSource(text, path, displayPath);
}

/** Parses YAML 1.2 (a superset of JSON), keeping a line counter for pointer → position lookups. */
export function parseSource(text: string, path: string, displayPath: string): ParsedSource {
  // Large JSON documents (e.g. GitHub's 13 MB REST description): JSON.parse and positions on demand.
  // Duplicate keys are not reported for them (JSON.parse keeps the last); invalid JSON falls through
  // to the YAML parser, which locates the error.
  if (text.length >= LARGE_JSON && /^\s*[[{]/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      return {
        file: { path, displayPath, value, locate: jsonLocator(text) },
        diagnostics: [],
      };
    } catch {
      // not JSON after all
    }
  }
  // Most documents: js-yaml reads the value, and `yaml`'s tree is built for the first lookup of a
  // position, if any (fast-yaml.ts says when js-yaml is trusted with the value).
  const fast = fastYamlValue(text);
  if (fast) {
    let locate: ((pointer: string) => SourcePosition) | undefined;
    return {
      file: {
        path,
        displayPath,
        value: fast.value,
        locate: (pointer) => {
          locate ??= yamlLocator(parseYaml(text));
          return locate(pointer);
        },
      },
      diagnostics: [],
    };
  }
  const { document, lineCounter } = parseYaml(text);
  const diagnostics: Diagnostic[] = document.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return {
      severity: 'error',
      code: 'yaml-syntax',
      message: `Malformed YAML/JSON: ${firstLine(error.message)} (${error.code}).`,
      file: displayPath,
      position: { line: pos.line, column: pos.col },
      pointer: '',
      hint: 'Fix the syntax at this position; check indentation, quoting and unclosed brackets.',
    };
  });
  if (diagnostics.length > 0) return { file: unparsedFile(path, displayPath), diagnostics };
  let value: unknown;
  try {
    // The cap stops "billion laughs" documents whose aliases expand exponentially.
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const pos = lineCounter.linePos(firstAliasOffset(document.contents));
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'yaml-alias-limit',
      message: `YAML aliases expand to too many nodes (${firstLine(String((error as Error).message))}); evtgen stops at ${MAX_ALIAS_COUNT} to protect itself.`,
      file: displayPath,
      position: { line: pos.line, column: pos.col },
      pointer: '',
      hint: 'Write the repeated content out or share it with $ref instead of nested YAML anchors and aliases.',
    };
    return { file: unparsedFile(path, displayPath), diagnostics: [diagnostic] };
  }
  return { file: { path, displayPath, value, locate: yamlLocator({ document, lineCounter }) }, diagnostics };
}

/** `yaml`'s tree of the text, with a line counter for pointer → position lookups. */
function parseYaml(text: string): { document: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return { document, lineCounter };
}

function yamlLocator({ document, lineCounter }: ReturnType<typeof parseYaml>) {
  return (pointer: string): SourcePosition => {
    const offset = offsetOf(document.contents, pointer);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

const MAX_ALIAS_COUNT = 1000;

/** From this size on, a JSON document is parsed with JSON.parse (1 MB). */
const LARGE_JSON = 1_000_000;

/** Offset of the first alias (`*name`) in the document: where an alias expansion starts. */
function firstAliasOffset(root: Node | null): number {
  let offset = rangeStart(root) ?? 0;
  visit(root, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? offset;
      return visit.BREAK;
    },
  });
  return offset;
}

function unparsedFile(path: string, displayPath: string): SourceFile {
  return { path, displayPath, value: undefined, locate: () => ({ line: 1, column: 1 }) };
}

/**
 * Walks the YAML node tree along the pointer. For a map entry the key's offset is returned (that is
 * where a reader looks); a missing step stops at the deepest node that exists.
 */
function offsetOf(root: Node | null, pointer: string): number {
  let node: unknown = root;
  let offset = rangeStart(root) ?? 0;
  for (const segment of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      offset = rangeStart(pair.key as Node) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item as Node) ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function rangeStart(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
