/**
 * Latency recording for load runs: HDR histograms (hdr-histogram-js, its plain JS implementation)
 * instead of lists of samples, so a one-hour soak at thousands of requests per second records in
 * constant memory and constant time per value, with every percentile exact to 3 significant
 * digits. Values are recorded in microseconds (sub-millisecond answers of a local target stay
 * distinguishable) and reported in milliseconds with at most 3 decimals.
 *
 * Percentiles never average: figures over several histograms (routes → phase, seconds → phase)
 * come from adding the histograms (`merge`) and reading the sum, since the mean of two p99s is not
 * the p99 of anything.
 */
import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './report-types.js';

/** The largest latency recorded as itself (10 minutes, in microseconds); longer ones are clamped to it. */
export const maxTrackableMicros = 10 * 60 * 1_000_000;

export interface LatencyRecorderOptions {
  /**
   * Packed counts (memory grows with the values actually recorded, a few KB for a narrow range)
   * instead of a flat array of ~20k counters (~80 KB): for the many short-lived per-second recorders.
   */
  readonly compact?: boolean;
}

/** A latency histogram: 1 µs … 10 min, 3 significant digits. */
export class LatencyRecorder {
  readonly #histogram: Histogram;

  constructor(options: LatencyRecorderOptions = {}) {
    this.#histogram = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: maxTrackableMicros,
      numberOfSignificantValueDigits: 3,
      bitBucketSize: options.compact ? 'packed' : 32,
      autoResize: false,
      useWebAssembly: false,
    });
  }

  /** Records one latency in milliseconds (negative values count as 0; above 10 min, as 10 min). */
  record(ms: number): void {
    const micros = Math.round(ms * 1000);
    this.#histogram.recordValue(
      Math.min(maxTrackableMicros, Math.max(1, Number.isFinite(micros) ? micros : 1)),
    );
  }

  /** Values recorded so far. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** The largest value recorded, milliseconds; 0 when nothing was recorded. */
  get max(): number {
    return this.count === 0 ? 0 : toMs(this.#histogram.maxValue);
  }

  /** The value at `percentile` (0–100), milliseconds; 0 when nothing was recorded. */
  percentile(percentile: number): number {
    return this.count === 0 ? 0 : toMs(this.#histogram.getValueAtPercentile(percentile));
  }

  /** Every figure of the report; all zeros (count 0) when nothing was recorded. */
  summary(): LatencySummary {
    const h = this.#histogram;
    if (h.totalCount === 0) return { count: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      count: h.totalCount,
      min: toMs(h.minNonZeroValue),
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: toMs(h.maxValue),
      mean: toMs(h.mean),
    };
  }

  /** Adds every value of `other` to this histogram (the percentiles of the union, not an average). */
  merge(other: LatencyRecorder): this {
    this.#histogram.add(other.#histogram);
    return this;
  }

  /** Forgets every value. */
  reset(): void {
    this.#histogram.reset();
  }
}

/** Microseconds → milliseconds, 3 decimals at most. */
function toMs(micros: number): number {
  return Math.round(micros) / 1000;
}
