// Comparing two `pattern`s where it is cheap and exact: a pattern that is a literal, anchored at the
// start (`^abc`), the end (`abc$`), both (`^abc$`) or neither (`abc`, "contains"). Inclusion between
// such languages is a string test; a claimed non-inclusion is always backed by a witness string.
// Anything else (classes, quantifiers, alternation) stays undecided.

import { matches } from './values.js';

type Anchoring = 'exact' | 'prefix' | 'suffix' | 'contains';

interface LiteralPattern {
  readonly anchoring: Anchoring;
  readonly text: string;
}

const special = new Set([...'\\^$.|?*+()[]{}']);
/** Escapes that stand for the character itself (ajv compiles patterns with the `u` flag). */
const literalEscapes = new Set([...'^$\\.*+?()[]{}|/']);

/** The literal a pattern stands for, with its anchoring; undefined when it is not one. */
export function literalPattern(pattern: string): LiteralPattern | undefined {
  let body = pattern;
  const start = body.startsWith('^');
  if (start) body = body.slice(1);
  let end = false;
  if (body.endsWith('$') && !endsEscaped(body)) {
    end = true;
    body = body.slice(0, -1);
  }
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined || !literalEscapes.has(next)) return undefined;
      text += next;
      i++;
    } else if (special.has(c)) return undefined;
    else text += c;
  }
  const anchoring: Anchoring = start && end ? 'exact' : start ? 'prefix' : end ? 'suffix' : 'contains';
  return { anchoring, text };
}

/** Whether the `$` ending `body` is escaped (an odd run of backslashes before it). */
function endsEscaped(body: string): boolean {
  let n = 0;
  for (let i = body.length - 2; i >= 0 && body[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** `true`: every string matching `a` matches `b`; `false`: a witness says not; undefined: not decided. */
export function patternIncluded(a: string, b: string, lengthOk: (s: string) => boolean): boolean | undefined {
  if (a === b) return true;
  // A pattern ajv cannot compile would make every witness look like a difference.
  if (!compiles(a) || !compiles(b)) return undefined;
  const la = literalPattern(a);
  if (la?.anchoring === 'exact') {
    // a holds one string: it is its own witness (or, outside a's lengths, a holds none).
    if (!lengthOk(la.text)) return true;
    return matches(b, la.text);
  }
  const lb = literalPattern(b);
  if (la && lb && included(la, lb)) return true;
  // Not shown included: look for a string a matches and b does not (a certain answer, or none).
  const cores = [la?.text ?? '', lb?.text ?? '', ...commonStrings];
  for (const core of cores)
    for (const before of filler)
      for (const after of filler) {
        const witness = `${before}${core}${after}`;
        if (matches(a, witness) && !matches(b, witness) && lengthOk(witness)) return false;
      }
  return undefined;
}

/** Characters around a witness's core: none, a letter, a non-ASCII letter, punctuation, a digit. */
const filler = ['', 'x', '\u00e9', '#', '0'];
/** Short strings that tell common character classes apart. */
const commonStrings = ['a', 'ab', 'abc', 'z', 'A', 'Z', '0', '9', '-', '_', ' ', '.', 'aa'];

/** Inclusion between two non-exact literal languages (`a` not exact). */
function included(a: LiteralPattern, b: LiteralPattern): boolean {
  if (b.text === '') return true;
  switch (b.anchoring) {
    case 'contains':
      return a.text.includes(b.text);
    case 'prefix':
      return a.anchoring === 'prefix' && a.text.startsWith(b.text);
    case 'suffix':
      return a.anchoring === 'suffix' && a.text.endsWith(b.text);
    default:
      return false;
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
