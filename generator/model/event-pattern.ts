/**
 * EventBridge's event-pattern grammar, as AWS's matcher library (aws/event-ruler, `JsonRuleCompiler`)
 * and the EventBridge content-filtering docs define it. `PutRule` refuses a pattern that breaks it
 * ("Event pattern is not valid. Reason: …") at deploy time; evtgen checks it at `generate` instead.
 *
 * Pure: pattern value in, problems out. Unlike Ruler, which stops at the first problem, every problem
 * found is listed, each at the JSON pointer of the offending value inside the pattern.
 */
import { isObject, joinPointer, splitPointer } from '../load/json-pointer.js';
import { eventPatternLimits } from './aws-limits.js';
import { checkAnythingBut, checkNumeric } from './event-pattern-operators.js';
import { cidrProblem, describe, type Report, reportIf, wildcardProblem } from './event-pattern-values.js';

/** One way a pattern breaks the grammar. */
export interface PatternProblem {
  /** JSON pointer inside the pattern. */
  readonly pointer: string;
  /** AWS's reason (event-ruler's wording where it has one), naming the offending part. */
  readonly reason: string;
}

export interface PatternCheckOptions {
  /** Check the pattern's JSON length against the default quota (default true). */
  readonly checkLength?: boolean;
}

/**
 * Field names Ruler reserves inside `$or` (its matcher names, numeric operators and names kept for
 * future matchers): a field with one of these names is refused anywhere under a `$or` branch.
 */
// biome-ignore format: a word list reads best packed
const reservedInOr = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric',
  'cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after',
  'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range',
  'ip-address-not-in-range',
]);

const matcherNames = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  'exactly',
];

/** Checks a whole event pattern (the value of a rule's `EventPattern`). */
export function checkEventPattern(pattern: unknown, options: PatternCheckOptions = {}): PatternProblem[] {
  const problems: PatternProblem[] = [];
  const report = (pointer: string, reason: string) => problems.push({ pointer, reason });
  if (!isObject(pattern)) {
    report('', `Filter is not an object: an event pattern is a JSON object, not ${describe(pattern)}.`);
    return problems;
  }
  checkObject(pattern, '', false, report);
  if (options.checkLength !== false) {
    const length = JSON.stringify(pattern).length;
    if (length > eventPatternLimits.maxLength) {
      report(
        '',
        `The event pattern is ${length} characters long; EventBridge allows ${eventPatternLimits.maxLength} (the default "Event pattern size" quota).`,
      );
    }
  }
  return problems;
}

function checkObject(
  node: Record<string, unknown>,
  pointer: string,
  insideOr: boolean,
  report: Report,
): void {
  const keys = Object.keys(node);
  if (keys.length === 0) {
    report(pointer, `Empty objects are not allowed (${where(pointer)} is {}).`);
    return;
  }
  for (const key of keys) {
    const value = node[key];
    const at = joinPointer(pointer, key);
    if (key === '$or') {
      checkOr(value, at, report);
      continue;
    }
    if (insideOr && reservedInOr.has(key)) {
      report(
        at,
        `${key} is Ruler reserved fieldName which cannot be used inside $or ("${key}" at ${where(at)}).`,
      );
      continue;
    }
    if (Array.isArray(value)) checkMatchList(value, at, report);
    else if (isObject(value)) checkObject(value, at, insideOr, report);
    else
      report(
        at,
        `"${key}" must be an object or an array: found ${describe(value)}; a value to match goes in an array, e.g. "${key}": [${JSON.stringify(value)}].`,
      );
  }
}

function checkOr(value: unknown, pointer: string, report: Report): void {
  if (!Array.isArray(value)) {
    report(pointer, `It must be an Array followed with $or: found ${describe(value)}.`);
    return;
  }
  value.forEach((branch, i) => {
    const at = joinPointer(pointer, i);
    if (isObject(branch)) checkObject(branch, at, true, report);
    else
      report(
        at,
        `Only JSON object is allowed in array of $or relationship: $or[${i}] is ${describe(branch)}.`,
      );
  });
  if (value.length < 2)
    report(pointer, `There must have at least 2 Objects in $or relationship (found ${value.length}).`);
}

function checkMatchList(values: readonly unknown[], pointer: string, report: Report): void {
  if (values.length === 0) {
    report(pointer, `Empty arrays are not allowed (${where(pointer)} is []).`);
    return;
  }
  values.forEach((value, i) => {
    const at = joinPointer(pointer, i);
    if (isObject(value)) checkMatcher(value, at, report);
    else if (Array.isArray(value))
      report(at, `Match value must be String, number, true, false, or null: ${where(at)} is a nested array.`);
  });
}

/** One `{matcher: value}` object inside a match list. */
function checkMatcher(matcher: Record<string, unknown>, pointer: string, report: Report): void {
  const keys = Object.keys(matcher);
  const [name] = keys;
  if (name === undefined) {
    report(
      pointer,
      `Match expression name not found: ${where(pointer)} is {} (use one of ${matcherNames.join(', ')}).`,
    );
    return;
  }
  const at = joinPointer(pointer, name);
  if (!matcherNames.includes(name)) {
    const hint = matcherNames.find((m) => m.toLowerCase() === name.toLowerCase());
    report(
      at,
      `Unrecognized match type ${name}${hint ? ` (matcher names are case-sensitive: write "${hint}")` : ` (known: ${matcherNames.join(', ')})`}.`,
    );
    return;
  }
  if (keys.length > 1) {
    const extra = joinPointer(pointer, keys[1] as string);
    const reason =
      name === 'numeric' || name === 'anything-but'
        ? `Too many elements in numeric expression: "${name}" cannot be combined with "${keys[1]}" in one object.`
        : `Only one key allowed in match expression: "${name}" cannot be combined with "${keys[1]}" in one object; put each matcher in its own object.`;
    report(extra, reason);
  }
  checkMatcherValue(name, matcher[name], at, report);
}

function checkMatcherValue(name: string, value: unknown, at: string, report: Report): void {
  switch (name) {
    case 'prefix':
    case 'suffix':
      if (isObject(value)) {
        checkIgnoreCaseWrapper(name, value, at, report);
        return;
      }
      if (typeof value !== 'string')
        report(at, `${name} match pattern must be a string, found ${describe(value)}.`);
      return;
    case 'exactly':
    case 'equals-ignore-case':
      if (typeof value !== 'string')
        report(at, `${name} match pattern must be a string, found ${describe(value)}.`);
      return;
    case 'wildcard':
      if (typeof value !== 'string')
        report(at, `wildcard match pattern must be a string, found ${describe(value)}.`);
      else reportIf(at, wildcardProblem(value), report);
      return;
    case 'exists':
      if (typeof value !== 'boolean')
        report(at, `exists match pattern must be either true or false, found ${describe(value)}.`);
      return;
    case 'cidr':
      if (typeof value !== 'string')
        report(at, `cidr match pattern must be a string such as "10.0.0.0/24", found ${describe(value)}.`);
      else reportIf(at, cidrProblem(value), report);
      return;
    case 'numeric':
      checkNumeric(value, at, report);
      return;
    default:
      checkAnythingBut(value, at, report);
      return;
  }
}

/** `{prefix: {equals-ignore-case: "…"}}` and the same for `suffix`. */
function checkIgnoreCaseWrapper(
  name: string,
  value: Record<string, unknown>,
  at: string,
  report: Report,
): void {
  const keys = Object.keys(value);
  const label = name === 'prefix' ? 'Prefix' : 'Suffix';
  if (keys.length === 0) {
    report(at, `${label} expression name not found: ${name} is {}.`);
    return;
  }
  const [op] = keys as [string];
  if (op !== 'equals-ignore-case') {
    report(joinPointer(at, op), `Unsupported ${name} pattern: ${op} (only equals-ignore-case).`);
    return;
  }
  if (keys.length > 1)
    report(
      joinPointer(at, keys[1] as string),
      `Only one key allowed in match expression: ${name} has "${keys[1]}" too.`,
    );
  if (typeof value[op] !== 'string')
    report(
      joinPointer(at, op),
      `equals-ignore-case match pattern must be a string, found ${describe(value[op])}.`,
    );
}

/** `detail.state[0]`: a pointer as a reader of the pattern would say it. */
function where(pointer: string): string {
  if (pointer === '') return 'the pattern';
  return splitPointer(pointer)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i === 0 ? '' : '.'}${s}`))
    .join('');
}
