/**
 * `--set data.customer.email=ada@example.org`: change one value of the event without copying the
 * example into a file. Paths are dotted from the detail (`data.…` or `metadata.…`; digits index
 * arrays), values are JSON when they parse as JSON (`2`, `true`, `null`, `"2"`, `{…}`) and text
 * otherwise, so the common case needs no quoting.
 */
import { isObject, joinPointer } from '../load/json-pointer.js';
import { SendEventError } from './send-error.js';

/** One parsed `--set`: the detail pointer it writes and the value. */
export interface SetAssignment {
  /** As typed, for messages. */
  readonly text: string;
  /** Detail pointer, e.g. `/data/customer/email`. */
  readonly pointer: string;
  readonly segments: readonly string[];
  readonly value: unknown;
}

/** Parses `path=value`; throws a usage error naming the expected form. */
export function parseSet(text: string): SetAssignment {
  const at = text.indexOf('=');
  const path = at < 0 ? '' : text.slice(0, at).trim();
  const segments = path === '' ? [] : path.split('.');
  const [root] = segments;
  if (at < 0 || (root !== 'data' && root !== 'metadata') || segments.some((s) => s === ''))
    throw new SendEventError(
      'usage',
      `--set ${text}: expected PATH=VALUE with PATH starting at data or metadata.`,
      [],
      ['Example: --set data.customer.email=ada@example.org --set data.lines.0.quantity=3'],
    );
  const raw = text.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text itself.
  }
  return { text, pointer: joinPointer('', ...segments), segments, value };
}

/** Writes each assignment into `detail` (`{data, metadata}`), creating missing objects on the way. */
export function applySets(detail: Record<string, unknown>, sets: readonly SetAssignment[]): void {
  for (const set of sets) {
    let holder: Record<string, unknown> | unknown[] = detail;
    set.segments.forEach((segment, i) => {
      const last = i === set.segments.length - 1;
      if (Array.isArray(holder)) {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0 || index > holder.length)
          throw notSettable(set, set.segments.slice(0, i), `an array of ${holder.length} item(s)`);
        if (last) holder[index] = set.value;
        else holder = child(holder, index, set, i);
        return;
      }
      if (last) holder[segment] = set.value;
      else holder = child(holder, segment, set, i);
    });
  }
}

function child(
  holder: Record<string, unknown> | unknown[],
  key: string | number,
  set: SetAssignment,
  i: number,
): Record<string, unknown> | unknown[] {
  const current = (holder as Record<string | number, unknown>)[key];
  if (current === undefined || current === null) {
    const created: Record<string, unknown> = {};
    (holder as Record<string | number, unknown>)[key] = created;
    return created;
  }
  if (isObject(current) || Array.isArray(current)) return current;
  throw notSettable(set, set.segments.slice(0, i + 1), `a ${typeof current}`);
}

function notSettable(set: SetAssignment, path: readonly string[], what: string): SendEventError {
  return new SendEventError(
    'usage',
    `--set ${set.text}: ${path.join('.')} is ${what}, so it has no ${set.segments.slice(path.length).join('.')}.`,
  );
}
