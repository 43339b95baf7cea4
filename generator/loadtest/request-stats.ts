/**
 * The HTTP figures of a phase, built from the outcomes the open-loop generator reports: counts by
 * status and by error kind, latency histograms overall and per route, and one timeline point per
 * second. Every scheduled request is exactly one outcome, so `sent = answered + Σ errors` holds by
 * construction: a request that got no answer (refused, reset, timed out, dropped at the client's
 * in-flight cap) is an error, never silently missing.
 *
 * Timeline seconds are keyed on two clocks on purpose: `sentRps` on the scheduled time (what the
 * arrival process asked for), answers, errors and latency on the finish time (what came back when),
 * so an overloaded target shows as answers falling behind arrivals.
 */
import { LatencyRecorder } from './histogram.js';
import type { RequestOutcome } from './load-request.js';
import type { RequestFigures, TimelinePoint } from './report-types.js';

export interface RequestStatsOptions {
  /** Seconds from the start of the run to the start of this phase (timeline `t` is run time). */
  readonly offsetS?: number;
}

interface Counts {
  sent: number;
  answered: number;
  byStatus: Record<string, number>;
  errors: Record<string, number>;
  /** 5xx answers plus requests without an answer. */
  failed: number;
  readonly latency: LatencyRecorder;
}

interface Second {
  sent: number;
  answered: number;
  errors: number;
  /** Released (undefined) once the second is closed; its percentiles are kept in `closed`. */
  latency: LatencyRecorder | undefined;
  closed?: NonNullable<TimelinePoint['latency']>;
}

/** How many seconds behind the newest answer a second stays open for late answers' latencies. */
const openSeconds = 2;

/** Aggregates `RequestOutcome`s into `RequestFigures` (overall and per route) and a timeline. */
export class RequestStats {
  readonly #offsetS: number;
  readonly #overall = newCounts();
  readonly #routes = new Map<string, Counts>();
  readonly #seconds: Second[] = [];
  /** Seconds below this index are closed. */
  #closedBelow = 0;

  constructor(options: RequestStatsOptions = {}) {
    this.#offsetS = options.offsetS ?? 0;
  }

  /** Counts one outcome (times in ms since the phase started). */
  record(outcome: RequestOutcome): void {
    let route = this.#routes.get(outcome.routeKey);
    if (!route) {
      route = newCounts();
      this.#routes.set(outcome.routeKey, route);
    }
    count(this.#overall, outcome);
    count(route, outcome);

    this.#second(outcome.scheduledAt).sent++;
    const finished = this.#second(outcome.finishedAt);
    if (outcome.status !== undefined) {
      finished.answered++;
      if (outcome.status >= 500) finished.errors++;
      finished.latency?.record(outcome.latencyMs);
    } else {
      finished.errors++;
    }
    this.#closeOldSeconds(Math.floor(outcome.finishedAt / 1000));
  }

  /** Outcomes recorded. */
  get sent(): number {
    return this.#overall.sent;
  }

  /** The figures of every request; `durationS` (the phase's) gives the throughput. */
  figures(durationS: number): RequestFigures {
    return toFigures(this.#overall, durationS);
  }

  /** `routeKey` → its figures, routes in the order first seen. */
  routes(durationS: number): Record<string, RequestFigures> {
    return Object.fromEntries([...this.#routes].map(([key, counts]) => [key, toFigures(counts, durationS)]));
  }

  /** The latency histogram of every answer (for merging across phases). */
  get latency(): LatencyRecorder {
    return this.#overall.latency;
  }

  /** One point per second from the phase's start to its last outcome. */
  timeline(): TimelinePoint[] {
    const points: TimelinePoint[] = [];
    for (let i = 0; i < this.#seconds.length; i++) {
      const s = this.#seconds[i] ?? newSecond();
      const latency = s.closed ?? (s.latency && s.latency.count > 0 ? percentiles(s.latency) : undefined);
      points.push({
        t: this.#offsetS + i,
        sentRps: s.sent,
        answeredRps: s.answered,
        errors: s.errors,
        ...(latency ? { latency } : {}),
      });
    }
    return points;
  }

  #second(ms: number): Second {
    const index = Math.max(0, Math.floor(ms / 1000));
    while (this.#seconds.length <= index) this.#seconds.push(newSecond());
    return this.#seconds[index] ?? newSecond();
  }

  /**
   * Keeps memory flat over long runs: a second well behind the newest answer gets its percentiles
   * computed and its histogram dropped. An answer arriving later still than that for it (outcomes
   * come in finishing order, so only when fed out of order) counts, but not in that second's plot.
   */
  #closeOldSeconds(newest: number): void {
    for (; this.#closedBelow < newest - openSeconds; this.#closedBelow++) {
      const s = this.#seconds[this.#closedBelow];
      if (!s?.latency) continue;
      if (s.latency.count > 0) s.closed = percentiles(s.latency);
      s.latency = undefined;
    }
  }
}

function newCounts(): Counts {
  return { sent: 0, answered: 0, byStatus: {}, errors: {}, failed: 0, latency: new LatencyRecorder() };
}

function newSecond(): Second {
  return { sent: 0, answered: 0, errors: 0, latency: new LatencyRecorder({ compact: true }) };
}

function count(counts: Counts, outcome: RequestOutcome): void {
  counts.sent++;
  if (outcome.status !== undefined) {
    counts.answered++;
    const key = String(outcome.status);
    counts.byStatus[key] = (counts.byStatus[key] ?? 0) + 1;
    if (outcome.status >= 500) counts.failed++;
    counts.latency.record(outcome.latencyMs);
  } else {
    const key = outcome.error ?? 'unknown';
    counts.errors[key] = (counts.errors[key] ?? 0) + 1;
    counts.failed++;
  }
}

function toFigures(counts: Counts, durationS: number): RequestFigures {
  return {
    sent: counts.sent,
    answered: counts.answered,
    byStatus: sortedKeys(counts.byStatus),
    errors: sortedKeys(counts.errors),
    errorRatePercent: counts.sent === 0 ? 0 : round3((counts.failed / counts.sent) * 100),
    throughputRps: durationS > 0 ? round3(counts.answered / durationS) : 0,
    latency: counts.latency.summary(),
  };
}

/** The plotted figures only (a full summary's mean walks every bucket: once per second adds up). */
function percentiles(recorder: LatencyRecorder): NonNullable<TimelinePoint['latency']> {
  return {
    p50: recorder.percentile(50),
    p90: recorder.percentile(90),
    p99: recorder.percentile(99),
    max: recorder.max,
  };
}

function sortedKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
