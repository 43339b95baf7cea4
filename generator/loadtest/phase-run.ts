/**
 * One phase of `evtgen load`: inject the phase's faults, send its traffic open-loop at its arrival
 * rate (a constant or a ramp), sample the service each second (dead-letter depth, events in
 * flight), stop the ramp at the first window that misses an objective, clear the faults, wait for
 * the events to drain and count them. Against a URL (no `evtgen dev` to ask) only the HTTP side is
 * measured.
 */
import { randomUUID } from 'node:crypto';
import type { ContractModel } from '../model/contract.js';
import type { AcceptedRequest } from './accounting.js';
import { drainAndAccount, inFlightOf } from './drain.js';
import { type PoisonSent, phaseExpectations, soakExpectations } from './expectations.js';
import { LatencyRecorder } from './histogram.js';
import type { LoadRequest } from './load-request.js';
import { checkObjectives, judgedPhases, type RouteObjectives } from './objectives.js';
import { runOpenLoop } from './open-loop.js';
import { describeFaults, devFaults } from './phase-faults.js';
import { poisonEvents } from './poison.js';
import { RampJudge } from './ramp-judge.js';
import type { EventAccounting, ObjectiveResult, PhaseReport, TimelinePoint } from './report-types.js';
import { RequestStats } from './request-stats.js';
import type { ResolvedPhase } from './scenario.js';
import { drainStack } from './stack/stack-drain.js';
import type { StackWatch } from './stack/stack-watch.js';
import type { LoadTarget } from './target.js';
import { correlationHeader, type TrafficPlan, type TrafficRoute } from './traffic.js';

export interface PhaseContext {
  readonly target: LoadTarget;
  readonly model: ContractModel;
  readonly traffic: TrafficPlan;
  readonly objectives: readonly RouteObjectives[];
  /** Epoch ms when the run started (timeline `t` is seconds since then). */
  readonly runStartedAt: number;
  readonly drainTimeoutMs: number;
  /** Requests left for the whole run. */
  readonly requestBudget: { remaining: number };
  /** The bus poison events go to. */
  readonly eventBusName?: string;
  /** The deployed stack behind a URL target, when its events are counted (`--stack`). */
  readonly stack?: StackWatch;
  /** How often the stack is read while draining, and how long its counts must hold still. */
  readonly stackPolling?: { readonly pollMs: number; readonly settleMs: number };
  /** Signs IAM requests just before they leave. */
  readonly prepare?: (request: LoadRequest) => Promise<LoadRequest>;
  readonly onProgress: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface PhaseOutcome {
  readonly report: PhaseReport;
  readonly objectives: readonly ObjectiveResult[];
}

export async function runPhase(phase: ResolvedPhase, context: PhaseContext): Promise<PhaseOutcome> {
  const { target, traffic } = context;
  const phaseStartedAt = Date.now();
  const offsetS = Math.floor((phaseStartedAt - context.runStartedAt) / 1000);
  const session = target.kind === 'dev' ? target.session : undefined;
  const before = await session?.status();
  const stack = session ? undefined : context.stack;
  const stackBefore = await stack?.depths();
  const faults = describeFaults(phase);
  const poison: (PoisonSent & { correlationId: string; publishedAt: number })[] = [];
  const correlationIds = new Set<string>();
  const accepted: AcceptedRequest[] = [];
  const emitsOf = new Map(traffic.routes.map((r: TrafficRoute) => [r.routeKey, r.emits]));

  if (session && phase.faults) await session.setFaults(devFaults(phase));
  const samples = new Map<number, { dlqDepth: number; inFlight: number }>();
  const sample = async (): Promise<{ dlqDepth: number; inFlight: number } | undefined> => {
    const total = (counts: Readonly<Record<string, number>>): number =>
      Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (session) {
      const status = await session.status();
      return {
        dlqDepth: status.deadLetterQueues.reduce((sum, q) => sum + q.depth, 0),
        inFlight: total(inFlightOf(status)),
      };
    }
    const depths = await stack?.depths();
    return depths && { dlqDepth: total(depths.deadLetter), inFlight: total(depths.inFlight) };
  };
  const sampler =
    session || stack
      ? setInterval(() => {
          const t = Math.floor((Date.now() - context.runStartedAt) / 1000);
          void sample()
            .then((point) => point && samples.set(t, point))
            .catch(() => undefined);
        }, 1000)
      : undefined;

  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  context.signal?.addEventListener('abort', onAbort);
  const ramp = phase.name === 'ramp' ? new RampJudge(phase, context.objectives) : undefined;
  let nextIndex = 0;
  let sent = 0;
  let lastProgress = 0;
  try {
    if (session && phase.faults && phase.faults.poison > 0 && context.eventBusName) {
      const events = await poisonEvents(context.model, {
        count: phase.faults.poison,
        busName: context.eventBusName,
        correlationId: () => randomUUID(),
      });
      const status = before ?? (await session.status());
      await session.publish(
        status,
        events.map((e) => e.entry),
      );
      for (const e of events) {
        correlationIds.add(e.correlationId);
        poison.push({
          eventId: e.eventId,
          consumers: e.receivers,
          correlationId: e.correlationId,
          publishedAt: Date.now(),
        });
      }
    }
    const stats = new RequestStats({ offsetS });
    const durationS = phase.durationMs / 1000;
    const rateAt = (t: number): number =>
      phase.rate.start + ((phase.rate.end - phase.rate.start) * Math.min(t, durationS)) / durationS;
    const result = await runOpenLoop({
      baseUrl: target.url,
      rateAt,
      durationMs: phase.durationMs,
      maxRequests: Math.max(0, context.requestBudget.remaining),
      next: () => {
        const request = traffic.next(nextIndex++);
        correlationIds.add(request.correlationId);
        return request;
      },
      keepBody: (routeKey, status) => traffic.needsBody(routeKey, status),
      ...(context.prepare ? { prepare: context.prepare } : {}),
      stats,
      signal: stop.signal,
      onOutcome: (outcome) => {
        sent++;
        const correlationId = outcome.request.headers[correlationHeader];
        if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300 && correlationId) {
          accepted.push({
            correlationId,
            routeKey: outcome.routeKey,
            answeredAt: phaseStartedAt + outcome.finishedAt,
            emits: emitsOf.get(outcome.routeKey) ?? [],
          });
          traffic.observe(outcome.routeKey, outcome.status, outcome.body);
        }
        if (ramp?.record(outcome, rateAt)) stop.abort();
        if (Date.now() - lastProgress >= 1000) {
          lastProgress = Date.now();
          const t = Math.round((Date.now() - phaseStartedAt) / 1000);
          context.onProgress(
            `${phase.name}: ${t}/${Math.round(durationS)} s, ${sent} sent at ${Math.round(rateAt(t))} req/s, p99 ${Math.round(stats.latency.percentile(99))} ms`,
          );
        }
      },
    });
    context.requestBudget.remaining -= result.scheduled;
    const loadEndedS = (Date.now() - phaseStartedAt) / 1000;
    if (session && phase.faults) await session.clearFaults();

    let events: EventAccounting = notMeasured();
    const lags = new Map<number, LatencyRecorder>();
    const perConsumer = new Map<string, LatencyRecorder>();
    let deadLettered: ReadonlyMap<string, ReadonlySet<string>> = new Map();
    if (session && before) {
      const drained = await drainAndAccount({
        session,
        journalStart: before.journalSeq,
        correlationIds,
        accepted,
        injected: poison,
        timeoutMs: context.drainTimeoutMs,
        onProgress: context.onProgress,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      deadLettered = drained.deadLettered;
      for (const lag of drained.accounting.lags) {
        const t = Math.floor((lag.doneAt - context.runStartedAt) / 1000);
        (lags.get(t) ?? lags.set(t, new LatencyRecorder({ compact: true })).get(t))?.record(lag.ms);
        (
          perConsumer.get(lag.consumer) ??
          perConsumer.set(lag.consumer, new LatencyRecorder()).get(lag.consumer)
        )?.record(lag.ms);
      }
      const consumers = Object.fromEntries(
        Object.entries(drained.accounting.events.consumers).map(([name, c]) => {
          const latency = perConsumer.get(name);
          return [name, latency && latency.count > 0 ? { ...c, latency: latency.summary() } : c];
        }),
      );
      events = { ...drained.accounting.events, consumers };
    } else if (stack && stackBefore) {
      events = await drainStack({
        sqs: stack.sqs,
        cloudWatch: stack.cloudWatch,
        topology: stack.topology,
        eventTypes: context.model.events.map((e) => e.messageName),
        before: stackBefore,
        phaseStartedAt,
        accepted,
        timeoutMs: context.drainTimeoutMs,
        ...(context.stackPolling ?? {}),
        onProgress: context.onProgress,
        ...(context.signal ? { signal: context.signal } : {}),
      });
    }
    const timeline = mergeTimeline(stats.timeline(), samples, lags);
    const requests = stats.figures(loadEndedS);
    const routes = stats.routes(loadEndedS);
    const objectives = judgedPhases.includes(phase.name)
      ? checkObjectives(phase.name, context.objectives, routes)
      : [];
    const faultsWithEvents = faults.map((f) =>
      f.kind === 'poison'
        ? { ...f, events: poison.map((p) => ({ eventId: p.eventId, consumers: p.consumers })) }
        : f,
    );
    const expectations = [
      ...(session || stack
        ? phaseExpectations({ accounting: { events, lags: [] }, faults, poison, deadLettered })
        : []),
      ...(phase.name === 'soak' ? soakExpectations(timeline) : []),
    ];
    const report: PhaseReport = {
      name: phase.name,
      description: describePhase(phase),
      startS: offsetS,
      durationS: Math.round(loadEndedS * 10) / 10,
      rate: phase.rate,
      requests,
      routes,
      events,
      timeline,
      faults: faultsWithEvents,
      expectations,
      ...(ramp ? { limit: ramp.limit(phase.rate.end) } : {}),
    };
    return { report, objectives };
  } finally {
    if (sampler) clearInterval(sampler);
    context.signal?.removeEventListener('abort', onAbort);
    if (session && phase.faults) await session.clearFaults().catch(() => undefined);
  }
}

function mergeTimeline(
  points: readonly TimelinePoint[],
  samples: ReadonlyMap<number, { dlqDepth: number; inFlight: number }>,
  lags: ReadonlyMap<number, LatencyRecorder>,
): TimelinePoint[] {
  return points.map((point) => {
    const sample = samples.get(point.t);
    const lag = lags.get(point.t);
    return {
      ...point,
      ...(sample ? { dlqDepth: sample.dlqDepth, inFlight: sample.inFlight } : {}),
      ...(lag && lag.count > 0
        ? { asyncLag: { p50: lag.percentile(50), p99: lag.percentile(99), max: lag.max } }
        : {}),
    };
  });
}

function describePhase(phase: ResolvedPhase): string {
  const seconds = Math.round(phase.durationMs / 1000);
  switch (phase.name) {
    case 'baseline':
      return `${phase.rate.start} req/s for ${seconds} s: p50/p99 at a steady load, against the objectives`;
    case 'ramp':
      return `${phase.rate.start} → ${phase.rate.end} req/s over ${seconds} s: the rate at which an objective first breaks`;
    case 'soak':
      return `${phase.rate.start} req/s for ${seconds} s: leaks, DLQ growth and drift over time`;
    case 'faults':
      return `${phase.rate.start} req/s for ${seconds} s with faults injected: the service retries and dead-letters, and loses nothing`;
  }
}

/** The event side of a phase that could not be observed (a URL target). */
function notMeasured(): EventAccounting {
  return {
    measured: false,
    published: 0,
    publishedByType: {},
    expectedFromRequests: 0,
    unpublished: 0,
    consumers: {},
    lost: 0,
    drained: false,
    drainMs: 0,
  };
}
