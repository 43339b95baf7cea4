/**
 * How a load run is judged: objectives per route (p99 and error rate, met or missed, only in the
 * phases meant to be sustainable), the ramp's limit (the highest rate of a window that met every
 * objective, and what broke first), a soak's drift and DLQ growth, the fault phase's expectations,
 * and where a load may be aimed (loopback, unless the user names a URL).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phaseExpectations, soakExpectations } from '../../generator/loadtest/expectations.js';
import { LatencyRecorder } from '../../generator/loadtest/histogram.js';
import { checkObjectives, firstMiss } from '../../generator/loadtest/objectives.js';
import { RampJudge } from '../../generator/loadtest/ramp-judge.js';
import type { RequestFigures, TimelinePoint } from '../../generator/loadtest/report-types.js';
import { isLoopback, LoadTargetError, resolveLoadTarget } from '../../generator/loadtest/target.js';

const routes = [
  {
    routeKey: 'POST /orders',
    slo: { p99Ms: 300, errorRatePercent: 0.1 },
    source: 'specs/o.yaml#/paths/~1orders/post/x-slo',
  },
  {
    routeKey: 'GET /health',
    slo: { p99Ms: 50, errorRatePercent: 1 },
    source: 'specs/o.yaml#/paths/~1health/get/x-slo',
  },
];

function figures(latencies: number[], failed = 0): RequestFigures {
  const latency = new LatencyRecorder();
  for (const ms of latencies) latency.record(ms);
  return {
    sent: latencies.length,
    answered: latencies.length,
    byStatus: { '200': latencies.length - failed, '500': failed },
    errors: {},
    errorRatePercent: (failed / latencies.length) * 100,
    throughputRps: 1,
    latency: latency.summary(),
  };
}

describe('objectives', () => {
  it('marks each route’s p99 and error rate met or missed, with the spec’s pointer', () => {
    const results = checkObjectives('baseline', routes, {
      'POST /orders': figures(Array.from({ length: 100 }, (_, i) => (i < 98 ? 100 : 400))),
      'GET /health': figures(
        Array.from({ length: 100 }, () => 5),
        2,
      ),
    });
    expect(results.map((r) => [r.subject, r.objective, r.met])).toEqual([
      ['POST /orders', 'p99Ms', false],
      ['POST /orders', 'errorRatePercent', true],
      ['GET /health', 'p99Ms', true],
      ['GET /health', 'errorRatePercent', false],
    ]);
    expect(results[0]?.source).toBe('specs/o.yaml#/paths/~1orders/post/x-slo');
    expect(firstMiss(results)).toMatch(/^POST \/orders p99 400(\.\d+)? ms > 300 ms$/);
  });

  it('skips routes the phase did not send', () => {
    expect(checkObjectives('baseline', routes, { 'GET /health': figures([5]) })).toHaveLength(2);
  });
});

describe('the ramp', () => {
  it('reports the highest rate of a window that met every objective and what broke first, and stops when told to', () => {
    const judge = new RampJudge(
      { name: 'ramp', durationMs: 60_000, rate: { start: 0, end: 60 }, stopOnMiss: true },
      routes,
    );
    const rateAt = (t: number) => t; // 1 req/s more every second
    let stopped = false;
    // Latency grows with the rate: 10 ms per req/s, so POST /orders breaks 300 ms past 30 req/s.
    for (let ms = 0; ms < 60_000 && !stopped; ms += 50)
      stopped = judge.record(
        { routeKey: 'POST /orders', scheduledAt: ms, latencyMs: (ms / 1000) * 10, status: 201 },
        rateAt,
      );
    expect(stopped).toBe(true);
    const limit = judge.limit(60);
    expect(limit.sustainedRps).toBe(30);
    expect(limit.brokenBy).toMatch(/^POST \/orders p99 3\d\d(\.\d+)? ms > 300 ms at 35 req\/s$/);
  });

  it('without a miss, the top rate is the limit', () => {
    const judge = new RampJudge(
      { name: 'ramp', durationMs: 20_000, rate: { start: 1, end: 20 }, stopOnMiss: true },
      routes,
    );
    for (let ms = 0; ms < 20_000; ms += 100)
      expect(
        judge.record({ routeKey: 'GET /health', scheduledAt: ms, latencyMs: 3, status: 200 }, (t) => t),
      ).toBe(false);
    expect(judge.limit(20)).toEqual({ sustainedRps: 20 });
  });
});

describe('soak expectations', () => {
  const point = (t: number, p99: number, dlqDepth: number): TimelinePoint => ({
    t,
    sentRps: 5,
    answeredRps: 5,
    errors: 0,
    latency: { p50: p99 / 2, p90: p99, p99, max: p99 },
    dlqDepth,
  });

  it('holds when the p99 stays flat and the DLQs do not grow', () => {
    const timeline = Array.from({ length: 50 }, (_, t) => point(t, 100, 4));
    expect(soakExpectations(timeline).map((e) => e.met)).toEqual([true, true]);
  });

  it('catches latency drift and a growing DLQ', () => {
    const timeline = Array.from({ length: 50 }, (_, t) => point(t, 100 + t * 10, Math.floor(t / 10)));
    const [drift, growth] = soakExpectations(timeline);
    expect(drift?.met).toBe(false);
    expect(drift?.detail).toBe('first fifth p99 190 ms, last fifth 590 ms');
    expect(growth).toMatchObject({ met: false, detail: 'depth 0 → 4' });
  });
});

describe('fault expectations', () => {
  const consumer = (deadLettered: number, lost = 0) => ({
    expected: 10,
    processed: 10 - deadLettered - lost,
    duplicates: 0,
    deadLettered,
    inFlight: 0,
    lost,
    failedAttempts: 3,
  });
  const accounting = (consumers: Record<string, ReturnType<typeof consumer>>, lost = 0) => ({
    events: {
      published: 10,
      publishedByType: { OrderPlaced: 10 },
      expectedFromRequests: 10,
      unpublished: 0,
      consumers,
      lost,
      drained: true,
      drainMs: 1000,
    },
    lags: [],
  });
  const faults = [{ kind: 'poison', description: '1 poison event' }];
  const poison = [{ eventId: 'p1', consumers: ['audit', 'fulfilment'] }];

  it('are met when exactly the poison is dead-lettered, everywhere it was routed, and nothing is lost', () => {
    const results = phaseExpectations({
      accounting: accounting({ audit: consumer(1), fulfilment: consumer(1) }),
      faults,
      poison,
      deadLettered: new Map([
        ['audit', new Set(['p1'])],
        ['fulfilment', new Set(['p1'])],
      ]),
    });
    expect(results.every((e) => e.met)).toBe(true);
  });

  it('are missed when another event was dead-lettered, or the poison missed a DLQ', () => {
    const results = phaseExpectations({
      accounting: accounting({ audit: consumer(2), fulfilment: consumer(0) }),
      faults,
      poison,
      deadLettered: new Map([['audit', new Set(['p1', 'e7'])]]),
    });
    expect(results.filter((e) => !e.met).map((e) => e.text)).toEqual([
      'with 1 poison event: retries recover every event that is not poison (nothing else dead-lettered)',
      '1 poison events: each one in the dead-letter queue of every consumer it reached',
    ]);
    expect(results.at(-1)?.detail).toBe("p1 not in fulfilment's DLQ");
  });
});

describe('where a load may go', () => {
  it('knows loopback addresses', () => {
    for (const url of [
      'http://127.0.0.1:3000',
      'http://localhost:8080',
      'http://[::1]:3000',
      'http://127.1.2.3',
    ])
      expect(isLoopback(url), url).toBe(true);
    for (const url of ['http://10.0.0.5:3000', 'https://api.example.com', 'http://127.0.0.1.example.com'])
      expect(isLoopback(url), url).toBe(false);
  });

  it('refuses a dev state file that points off this machine, and a target that is not a URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evtgen-load-target-'));
    try {
      await mkdir(join(dir, '.evtgen', 'dev'), { recursive: true });
      const state = {
        endpoint: 'http://127.0.0.1:4566',
        region: 'us-east-1',
        eventBusName: 'b',
        pid: process.pid,
      };
      await writeFile(
        join(dir, '.evtgen', 'dev', 'state.json'),
        JSON.stringify({ ...state, http: 'http://10.1.2.3:3000' }),
      );
      await expect(resolveLoadTarget(dir, 'dev')).rejects.toThrow(/only aims at loopback/);
      await expect(resolveLoadTarget(dir, 'ftp://example.com')).rejects.toThrow(LoadTargetError);
      await expect(resolveLoadTarget(dir, 'nonsense')).rejects.toThrow(/expected "dev" or an http\(s\) URL/);
      await rm(join(dir, '.evtgen'), { recursive: true });
      await expect(resolveLoadTarget(dir, 'dev')).rejects.toThrow(/No evtgen dev is running/);
      // A URL the user names is used as given, anywhere.
      await expect(resolveLoadTarget(dir, 'https://api.example.com/')).resolves.toEqual({
        kind: 'url',
        url: 'https://api.example.com',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
