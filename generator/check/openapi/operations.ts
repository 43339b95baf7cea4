// The operations of an OpenAPI document as the checker pairs them (method + templated path), and
// what the comparisons of one operation pair share.

import type { SourcePosition } from '../../diagnostics.js';
import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { SourceFile } from '../../load/source-file.js';
import type { Mode, Place } from '../findings.js';
import { type At, at, type FindingSink } from '../snapshot.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** One operation of a document: its route key, label, node and path item. */
export interface Operation {
  readonly key: string;
  readonly label: string;
  readonly node: At;
  readonly pathItem: At;
}

/** An operation in the baseline and now, with what every comparison of its parts needs. */
export interface OperationPair {
  readonly sink: FindingSink;
  readonly checker: ReturnType<FindingSink['checker']>;
  readonly oldFile: SourceFile;
  readonly newFile: SourceFile;
  readonly oldOp: Operation;
  readonly newOp: Operation;
  readonly subject: string;
  /** The fields every finding of the operation starts with. */
  readonly base: { subject: string; file: string; oldFile: string };
  /** The mode of a place: `--mode`, or backward for requests and forward for responses. */
  readonly modeFor: (place: Place) => Mode;
  /** A position in the new file. */
  readonly locate: (pointer: string) => SourcePosition;
}

/** `/orders/{id}` and `/orders/{orderId}` are the same route. */
function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

/** Every operation of an OpenAPI document, by route key. */
export function operations(file: SourceFile): Map<string, Operation> {
  const out = new Map<string, Operation>();
  const paths = isObject(file.value) && isObject(file.value.paths) ? file.value.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of methods) {
      if (!isObject(item[method])) continue;
      out.set(routeKey(method, path), {
        key: routeKey(method, path),
        label: `${method.toUpperCase()} ${path}`,
        node: at(file, joinPointer('/paths', path, method)),
        pathItem: at(file, joinPointer('/paths', path)),
      });
    }
  }
  return out;
}

/** An operation's `x-sunset` date, if any. */
export function sunsetOf(op: Record<string, unknown>): string | undefined {
  return typeof op['x-sunset'] === 'string' ? op['x-sunset'] : undefined;
}
