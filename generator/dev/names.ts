/**
 * Physical names for resources the template leaves unnamed. CloudFormation derives
 * `<stack>-<logicalId>-<random>`; locally the name must be stable across runs (a second
 * `evtgen dev` finds its queues and tables again), so it is `<stack>-<logicalId>`, and where that
 * exceeds the service's limit a hash of the whole name replaces the tail (two long ids that share a
 * prefix still get two names).
 */
import { createHash } from 'node:crypto';

/**
 * `name` within `maxLength` characters including `suffix` (e.g. `.fifo`), with the characters every
 * service here accepts (letters, digits, `-`, `_`); nested-stack ids (`Parent/Child`) become `-`.
 */
export function limitName(name: string, maxLength: number, suffix = ''): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, '-');
  if (clean.length + suffix.length <= maxLength) return `${clean}${suffix}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${clean.slice(0, maxLength - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

/** The local name of an unnamed resource: `<stack>-<logicalId>`, limited as above. */
export function derivedName(stackName: string, logicalId: string, maxLength: number, suffix = ''): string {
  return limitName(`${stackName}-${logicalId}`, maxLength, suffix);
}

/** SQS allows 80 characters (`.fifo` included). */
export const queueNameLimit = 80;
/** Lambda allows 64 characters. */
export const functionNameLimit = 64;
/** EventBridge allows 64 characters for a rule name. */
export const ruleNameLimit = 64;
/** DynamoDB allows 255 characters. */
export const tableNameLimit = 255;

/**
 * The internal queue a rule delivers to when its target is a function: moto cannot invoke Lambda, so
 * the rule targets this queue and `evtgen dev`'s async invoker polls it with Lambda's semantics.
 */
export function invokeQueueName(functionName: string): string {
  return limitName(`evtgen-dev-invoke-${functionName}`, queueNameLimit);
}
