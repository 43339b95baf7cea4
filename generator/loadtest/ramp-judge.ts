/**
 * How a ramp finds its limit: the outcomes are grouped in windows of five seconds (by scheduled
 * time) and each window is judged against every route's objectives once answers two windows later
 * arrive (so its slow stragglers are in). The limit is the highest rate of a window that met them
 * all; the first window that misses one names what broke, and stops the ramp when it is set to.
 */
import { LatencyRecorder } from './histogram.js';
import { checkObjectives, firstMiss, type RouteObjectives } from './objectives.js';
import type { RequestFigures } from './report-types.js';
import type { ResolvedPhase } from './scenario.js';

/** The length of a ramp's judging window, seconds. */
const rampWindowS = 5;

/** Judges a ramp window by window (by scheduled time) against the routes' objectives. */
export class RampJudge {
  readonly #objectives: readonly RouteObjectives[];
  readonly #stopOnMiss: boolean;
  readonly #windows = new Map<
    number,
    Map<string, { latency: LatencyRecorder; sent: number; failed: number }>
  >();
  #sustained = 0;
  #brokenBy: string | undefined;

  constructor(phase: ResolvedPhase, objectives: readonly RouteObjectives[]) {
    this.#objectives = objectives;
    this.#stopOnMiss = phase.stopOnMiss;
  }

  /** Records an outcome; true when the ramp should stop (a closed window missed an objective). */
  record(
    outcome: { routeKey: string; scheduledAt: number; latencyMs: number; status?: number },
    rateAt: (t: number) => number,
  ): boolean {
    const index = Math.floor(outcome.scheduledAt / 1000 / rampWindowS);
    const window = this.#windows.get(index) ?? new Map();
    this.#windows.set(index, window);
    const route = window.get(outcome.routeKey) ?? {
      latency: new LatencyRecorder({ compact: true }),
      sent: 0,
      failed: 0,
    };
    window.set(outcome.routeKey, route);
    route.sent++;
    route.latency.record(outcome.latencyMs);
    if (outcome.status === undefined || outcome.status >= 500) route.failed++;
    // A window is judged once answers for two windows later arrive: its stragglers are in.
    for (const [closed, routes] of this.#windows) {
      if (closed > index - 2) continue;
      this.#windows.delete(closed);
      if (this.#brokenBy) continue;
      const results = checkObjectives(
        'ramp',
        this.#objectives,
        Object.fromEntries([...routes].map(([key, r]) => [key, figuresOf(r.latency, r.sent, r.failed)])),
      );
      const miss = firstMiss(results);
      if (miss) this.#brokenBy = `${miss} at ${Math.round(rateAt((closed + 1) * rampWindowS))} req/s`;
      else this.#sustained = Math.max(this.#sustained, rateAt((closed + 1) * rampWindowS));
    }
    return this.#stopOnMiss && this.#brokenBy !== undefined;
  }

  limit(top: number): { sustainedRps: number; brokenBy?: string } {
    return {
      sustainedRps: Math.round((this.#brokenBy ? this.#sustained : Math.max(this.#sustained, top)) * 10) / 10,
      ...(this.#brokenBy ? { brokenBy: this.#brokenBy } : {}),
    };
  }
}

function figuresOf(latency: LatencyRecorder, sent: number, failed: number): RequestFigures {
  return {
    sent,
    answered: sent,
    byStatus: {},
    errors: {},
    errorRatePercent: sent === 0 ? 0 : (failed / sent) * 100,
    throughputRps: 0,
    latency: latency.summary(),
  };
}
