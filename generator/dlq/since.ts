/** `evtgen dlq redrive --since`: a duration back from now, or a point in time. */
import { parseDuration } from '../loadtest/duration.js';
import { DlqSetupError } from './inventory.js';

/** `30m` → 30 minutes ago; an ISO 8601 time as it is. */
export function parseSince(value: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new DlqSetupError(`--since ${value}: not a valid ISO 8601 time.`);
    return at;
  }
  try {
    return now - parseDuration(value, '--since');
  } catch (error) {
    throw new DlqSetupError(`${(error as Error).message} Or an ISO 8601 time, e.g. 2026-12-05T09:00:00Z.`);
  }
}
