/**
 * The contract's objectives (`x-slo`: a route's own over its document's over the architecture's
 * p99 300 ms and 0.1 % errors) checked against what a phase measured. Objectives are checked where
 * the load is meant to be sustainable: the baseline and the soak. A ramp uses them to find where the
 * service stops meeting them; a fault phase is judged by its expectations instead (a fault is meant
 * to cost latency, never events).
 */
import type { Slo } from '../model/contract.js';
import type { ObjectiveResult, PhaseName, RequestFigures } from './report-types.js';

export interface RouteObjectives {
  readonly routeKey: string;
  readonly slo: Slo;
  /** Where the objectives are written, for the report. */
  readonly source: string;
}

/** Phases whose figures are held to the objectives. */
export const judgedPhases: readonly PhaseName[] = ['baseline', 'soak'];

export function checkObjectives(
  phase: PhaseName,
  routes: readonly RouteObjectives[],
  figures: Readonly<Record<string, RequestFigures>>,
): ObjectiveResult[] {
  const results: ObjectiveResult[] = [];
  for (const route of routes) {
    const measured = figures[route.routeKey];
    if (!measured || measured.sent === 0) continue;
    results.push(
      {
        subject: route.routeKey,
        phase,
        objective: 'p99Ms',
        target: route.slo.p99Ms,
        measured: measured.latency.p99,
        met: measured.latency.p99 <= route.slo.p99Ms,
        source: route.source,
      },
      {
        subject: route.routeKey,
        phase,
        objective: 'errorRatePercent',
        target: route.slo.errorRatePercent,
        measured: measured.errorRatePercent,
        met: measured.errorRatePercent <= route.slo.errorRatePercent,
        source: route.source,
      },
    );
  }
  return results;
}

/** The first objective a window of a ramp misses, as `POST /orders p99 412 ms > 300 ms`. */
export function firstMiss(results: readonly ObjectiveResult[]): string | undefined {
  const miss = results.find((r) => !r.met);
  if (!miss) return undefined;
  return miss.objective === 'p99Ms'
    ? `${miss.subject} p99 ${round(miss.measured)} ms > ${miss.target} ms`
    : `${miss.subject} errors ${round(miss.measured)} % > ${miss.target} %`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
