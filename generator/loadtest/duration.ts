/**
 * Durations of `evtgen load` as people write them in flags and the scenario file: `500ms`, `30s`,
 * `2m`, `1h`, or a plain number of seconds. One parser, so `--duration` and `"duration"` agree.
 */

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of `value`: a number (or numeric string) is seconds; a string may carry a unit
 * (`ms`, `s`, `m`, `h`). Throws an Error naming the value and the accepted forms.
 */
export function parseDuration(value: string | number, what = 'duration'): number {
  const fail = (): never => {
    throw new Error(
      `Invalid ${what} ${JSON.stringify(value)}: expected a number of seconds or a number with a unit, e.g. 500ms, 30s, 2m, 1h.`,
    );
  };
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : fail();
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) return fail();
  return Math.round(Number(match[1]) * (units[match[2] ?? 's'] as number));
}

/** `30s`, `2m`, `1m30s`, `500ms`: a duration for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
}
