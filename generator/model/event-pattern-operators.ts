/**
 * The two matchers of EventBridge's pattern grammar with structure of their own, `anything-but` and
 * `numeric`, as event-ruler's `JsonRuleCompiler` parses them (its wording in the reasons).
 */
import { isObject, joinPointer } from '../load/json-pointer.js';
import { eventPatternLimits } from './aws-limits.js';
import { describe, numberProblem, type Report, reportIf, wildcardProblem } from './event-pattern-values.js';

/** `anything-but`: a string, a number, a list of strings or of numbers, or one of four wrappers. */
export function checkAnythingBut(value: unknown, at: string, report: Report): void {
  if (isObject(value)) {
    checkAnythingButWrapper(value, at, report);
    return;
  }
  if (typeof value === 'string') return;
  if (typeof value === 'number') {
    reportIf(at, numberProblem(value), report);
    return;
  }
  if (!Array.isArray(value)) {
    report(
      at,
      `Value of anything-but must be an array or single string/number value, found ${describe(value)}.`,
    );
    return;
  }
  let strings = 0;
  let numbers = 0;
  value.forEach((item, i) => {
    if (typeof item === 'string') strings++;
    else if (typeof item === 'number') {
      numbers++;
      reportIf(joinPointer(at, i), numberProblem(item), report);
    } else
      report(
        joinPointer(at, i),
        `Inside anything but list, start|null|boolean is not supported: anything-but[${i}] is ${describe(item)}.`,
      );
  });
  if ((strings > 0 && numbers > 0) || value.length === 0)
    report(
      at,
      `Inside anything but list, either all values are number or string, mixed type is not supported${value.length === 0 ? ' (the list is empty)' : ''}.`,
    );
}

const anythingButWrappers = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'];

function checkAnythingButWrapper(value: Record<string, unknown>, at: string, report: Report): void {
  const keys = Object.keys(value);
  const [op] = keys;
  if (op === undefined) {
    report(at, 'Anything-But expression name not found: anything-but is {}.');
    return;
  }
  const opAt = joinPointer(at, op);
  if (!anythingButWrappers.includes(op)) {
    report(opAt, `Unsupported anything-but pattern: ${op} (allowed: ${anythingButWrappers.join(', ')}).`);
    return;
  }
  if (keys.length > 1)
    report(
      joinPointer(at, keys[1] as string),
      `Too many elements in numeric expression: anything-but has "${op}" and "${keys[1]}".`,
    );
  const inner = value[op];
  const items = Array.isArray(inner) ? inner : [inner];
  if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
    report(
      opAt,
      `Value of anything-but must be an array or single string/number value, found ${describe(inner)}.`,
    );
    return;
  }
  items.forEach((item, i) => {
    const itemAt = Array.isArray(inner) ? joinPointer(opAt, i) : opAt;
    if (typeof item !== 'string') {
      const reason =
        op === 'equals-ignore-case'
          ? `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported: found ${describe(item)}.`
          : op === 'wildcard'
            ? `wildcard match pattern must be a string, found ${describe(item)}.`
            : `prefix/suffix match pattern must be a string, found ${describe(item)} in anything-but/${op}.`;
      report(itemAt, reason);
    } else if ((op === 'prefix' || op === 'suffix') && item === '') {
      report(itemAt, `Null prefix/suffix not allowed: anything-but/${op} is "".`);
    } else if (op === 'wildcard') reportIf(itemAt, wildcardProblem(item), report);
  });
}

const lowerBounds = new Set(['>', '>=']);
const upperBounds = new Set(['<', '<=']);

/** `numeric`: `[op, n]` or a range `[">"|">=", low, "<"|"<=", high]`; `=` only alone. */
export function checkNumeric(value: unknown, at: string, report: Report): void {
  if (!Array.isArray(value)) {
    report(at, `Value of numeric must be an array, found ${describe(value)}.`);
    return;
  }
  const [op, operand, op2, operand2] = value;
  if (typeof op !== 'string') {
    report(
      value.length === 0 ? at : joinPointer(at, 0),
      `Invalid member in numeric match: ${value.length === 0 ? ']' : JSON.stringify(op)} (expected an operator: =, <, <=, >, >=).`,
    );
    return;
  }
  if (op !== '=' && !lowerBounds.has(op) && !upperBounds.has(op)) {
    report(joinPointer(at, 0), `Unrecognized numeric range operator: ${op} (allowed: =, <, <=, >, >=).`);
    return;
  }
  if (typeof operand !== 'number') {
    report(
      joinPointer(at, value.length < 2 ? 0 : 1),
      `Value of ${op} must be numeric, found ${describe(operand)}.`,
    );
    return;
  }
  const first = numberProblem(operand);
  if (first) {
    report(joinPointer(at, 1), first);
    return;
  }
  const { min, max } = eventPatternLimits.numeric;
  if (op === '=' || upperBounds.has(op)) {
    if (value.length > 2) {
      report(
        joinPointer(at, 2),
        `Too many elements in numeric expression: "${op}" takes one number${op === '=' ? '' : '; a range starts with its lower bound (">" or ">=")'}.`,
      );
      return;
    }
    if (upperBounds.has(op) && operand <= min)
      report(
        joinPointer(at, 1),
        `Bottom must be less than top: ${op} ${operand} leaves no number above ${min}.`,
      );
    return;
  }
  if (value.length === 2) {
    if (operand >= max)
      report(
        joinPointer(at, 1),
        `Bottom must be less than top: ${op} ${operand} leaves no number below ${max}.`,
      );
    return;
  }
  if (typeof op2 !== 'string') {
    report(joinPointer(at, 2), `Bad value in numeric range: ${JSON.stringify(op2)} (expected "<" or "<=").`);
    return;
  }
  if (!upperBounds.has(op2)) {
    report(
      joinPointer(at, 2),
      `Bad numeric range operator: ${op2} (the upper bound of a range is "<" or "<=").`,
    );
    return;
  }
  if (typeof operand2 !== 'number') {
    report(
      joinPointer(at, value.length < 4 ? 2 : 3),
      `Value of ${op2} must be numeric, found ${describe(operand2)}.`,
    );
    return;
  }
  if (value.length > 4) {
    report(
      joinPointer(at, 4),
      'Too many terms in numeric range expression (a range is [">", low, "<", high]).',
    );
    return;
  }
  const second = numberProblem(operand2);
  if (second) {
    report(joinPointer(at, 3), second);
    return;
  }
  if (operand >= operand2)
    report(joinPointer(at, 3), `Bottom must be less than top: ${operand} is not below ${operand2}.`);
}
