/**
 * Arrival times of an open-loop load from its rate function. Arrival j (0-based) is due when the
 * expected number of arrivals so far, ∫₀ᵗ rateAt, reaches j + ½: a constant rate r gives arrivals
 * exactly 1/r apart (the first after half an interval), and a ramp gets the count its area says
 * (0 → 200 req/s over 2 s: 200 requests, more of them late) — stepping by 1/rate(t) instead would
 * stall at a ramp's start, where the rate is ~0. The integral is taken with the trapezoid rule on
 * 1 ms steps (exact for constant and linear rates), arrivals interpolated inside a step.
 */

/** Yields the due times, in ms from the start, of successive arrivals. */
export interface ArrivalSchedule {
  /** The next arrival's due time, or `Infinity` when no further arrival falls before the end. */
  next(): number;
}

/** Integration step, ms. */
const stepMs = 1;

/** The arrivals of `rateAt` (per second, at `t` seconds; ≤ 0 or not finite means none) before `durationMs`. */
export function arrivalSchedule(rateAt: (tSeconds: number) => number, durationMs: number): ArrivalSchedule {
  const rate = (ms: number): number => {
    const r = rateAt(ms / 1000);
    return Number.isFinite(r) && r > 0 ? r : 0;
  };
  let index = 0;
  /** Start of the current step and the expected arrivals before it. */
  let cursor = 0;
  let cumulative = 0;
  let rateAtCursor = rate(0);
  return {
    next() {
      const target = index + 0.5;
      while (cursor < durationMs) {
        const end = Math.min(cursor + stepMs, durationMs);
        const rateAtEnd = rate(end);
        const added = (((rateAtCursor + rateAtEnd) / 2) * (end - cursor)) / 1000;
        if (cumulative + added >= target && added > 0) {
          index++;
          return cursor + ((target - cumulative) / added) * (end - cursor);
        }
        cursor = end;
        cumulative += added;
        rateAtCursor = rateAtEnd;
      }
      return Number.POSITIVE_INFINITY;
    },
  };
}
