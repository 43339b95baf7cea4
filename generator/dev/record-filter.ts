/**
 * Lambda event-source filtering (`FilterCriteria`) for the stream event source of `evtgen dev`.
 * EventBridge *rules* are matched by the emulator; event-source filters are applied by Lambda's
 * poller, which `evtgen dev` plays, so it evaluates them here. The supported subset is what
 * filters on stream records need: exact values, nested fields, `prefix`, `exists` and
 * `anything-but`. Any other operator is refused when the plan is read, never silently ignored.
 */

type Pattern = { readonly [key: string]: unknown };

const supportedOperators = new Set(['prefix', 'exists', 'anything-but']);

/** Throws when a pattern uses an operator this matcher does not evaluate. */
export function assertSupportedFilter(patternJson: string, where: string): void {
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        if (item !== null && typeof item === 'object') {
          for (const [operator, operand] of Object.entries(item)) {
            // `anything-but` takes values only here, not a nested operator (`{"anything-but": {"prefix": …}}`).
            const nested =
              operator === 'anything-but' &&
              operand !== null &&
              typeof operand === 'object' &&
              !Array.isArray(operand)
                ? ` with "${Object.keys(operand).join('", "')}"`
                : '';
            if (!supportedOperators.has(operator) || nested)
              throw new Error(
                `${where}: the filter operator "${operator}"${nested} at ${path} is not evaluated by evtgen dev (supported: exact values, ${[...supportedOperators].join(', ')}).`,
              );
          }
        }
      }
      return;
    }
    if (node !== null && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) visit(value, `${path}/${key}`);
  };
  visit(JSON.parse(patternJson), '');
}

/** True when the record matches the pattern (every field of the pattern matches). */
export function matchesFilter(pattern: Pattern, record: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    const actual =
      record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (!expected.some((condition) => matchesValue(condition, actual))) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (!matchesFilter(expected as Pattern, actual)) return false;
    } else return false;
  }
  return true;
}

function matchesValue(condition: unknown, actual: unknown): boolean {
  const [operator, operand] =
    condition !== null && typeof condition === 'object' ? (Object.entries(condition)[0] ?? []) : [];
  if (operator === 'exists') return (actual !== undefined) === operand;
  // An array in the record matches when one of its elements does, whatever the condition.
  if (Array.isArray(actual)) return actual.some((element) => matchesValue(condition, element));
  if (operator === undefined) return actual === condition;
  switch (operator) {
    case 'prefix':
      return typeof actual === 'string' && typeof operand === 'string' && actual.startsWith(operand);
    case 'anything-but': {
      if (actual === undefined) return false;
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(actual);
    }
    default:
      return false;
  }
}
