/**
 * The values of `evtgen dev`'s flags that need more than oclif's parsing: the retry delay and the
 * failure injections. Each error says what was expected.
 */
import type { InjectedFailure } from './function-protocol.js';

/** `--retry-delay`: seconds (0–43200), or `aws` for the queue's own visibility timeout (undefined). */
export function parseRetryDelay(value: string): number | undefined {
  if (value === 'aws') return undefined;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds > 43_200)
    throw new Error(
      `--retry-delay ${value}: expected whole seconds from 0 to 43200 (SQS's limit), or "aws".`,
    );
  return seconds;
}

/** `--inject-failure NAME=RATE[:before|after]`, repeatable. */
export function parseInjectFailures(
  values: readonly string[],
): Record<string, { readonly rate: number; readonly where: InjectedFailure }> {
  const parsed: Record<string, { rate: number; where: InjectedFailure }> = {};
  for (const value of values) {
    const match = /^([A-Za-z0-9_-]+)=(\d*\.?\d+)(?::(before|after))?$/.exec(value);
    const rate = Number(match?.[2]);
    if (!match?.[1] || !(rate >= 0 && rate <= 1))
      throw new Error(
        `--inject-failure ${value}: expected NAME=RATE[:before|after], the function's contract name (operationId or consumer) and a fraction from 0 to 1, e.g. fulfilment=0.3.`,
      );
    parsed[match[1]] = { rate, where: (match[3] as InjectedFailure | undefined) ?? 'after' };
  }
  return parsed;
}
