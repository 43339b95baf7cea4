/**
 * HDR latency recording and the request figures built from outcomes: percentiles of known data
 * within HDR's 3 significant digits, merge equal to recording everything in one histogram, and the
 * accounting invariant `sent = answered + Σ errors` with the error rate and the per-second timeline.
 */
import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../generator/loadtest/histogram.js';
import type { LoadRequest, RequestOutcome } from '../../generator/loadtest/load-request.js';
import { RequestStats } from '../../generator/loadtest/request-stats.js';

/** Within HDR's resolution at 3 significant digits (plus the 1 µs of rounding to microseconds). */
const near = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 0.001);

describe('LatencyRecorder', () => {
  it('reports the percentiles of known data (1 … 1000 ms)', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms++) recorder.record(ms);
    const s = recorder.summary();
    expect(s.count).toBe(1000);
    near(s.min, 1);
    near(s.p50, 500);
    near(s.p90, 900);
    near(s.p99, 990);
    near(s.p999, 999);
    near(s.max, 1000);
    near(s.mean, 500.5);
  });

  it('keeps sub-millisecond precision and reports at most 3 decimals', () => {
    const recorder = new LatencyRecorder();
    recorder.record(0.1234);
    recorder.record(0.25);
    const s = recorder.summary();
    expect(s.min).toBe(0.123);
    near(s.max, 0.25);
    for (const value of Object.values(s)) expect(Math.round(value * 1000) / 1000).toBe(value);
  });

  it('summarises nothing as zeros and clamps absurd values instead of throwing', () => {
    expect(new LatencyRecorder().summary()).toEqual({
      count: 0,
      min: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
      max: 0,
      mean: 0,
    });
    const recorder = new LatencyRecorder();
    recorder.record(-5);
    recorder.record(Number.NaN);
    recorder.record(24 * 3600 * 1000);
    expect(recorder.count).toBe(3);
    near(recorder.summary().max, 600_000);
  });

  it('merges histograms into exactly the histogram of all values (not averaged percentiles)', () => {
    const fast = new LatencyRecorder();
    const slow = new LatencyRecorder({ compact: true });
    const all = new LatencyRecorder();
    for (let i = 0; i < 990; i++) {
      fast.record(2 + (i % 10) / 10);
      all.record(2 + (i % 10) / 10);
    }
    for (let i = 0; i < 10; i++) {
      slow.record(800 + i);
      all.record(800 + i);
    }
    const merged = new LatencyRecorder().merge(fast).merge(slow);
    expect(merged.summary()).toEqual(all.summary());
    // The average of the two p99s would be ~400 ms; the p99 of the union is still a fast request.
    expect(merged.summary().p99).toBeLessThan(3);
    expect(merged.summary().p999).toBeGreaterThan(800);
  });
});

const request = (routeKey: string): LoadRequest => ({ method: 'GET', path: '/', headers: {}, routeKey });
const outcome = (
  routeKey: string,
  scheduledAt: number,
  latencyMs: number,
  result: { status: number } | { error: string },
): RequestOutcome => ({
  routeKey,
  scheduledAt,
  finishedAt: scheduledAt + latencyMs,
  latencyMs,
  ...result,
  request: request(routeKey),
});

describe('RequestStats', () => {
  it('keeps sent = answered + errors overall and per route, with the error rate of 5xx + errors', () => {
    const stats = new RequestStats();
    const kinds = [
      { status: 201 },
      { status: 400 },
      { status: 500 },
      { error: 'ECONNRESET' },
      { error: 'timeout' },
    ];
    for (let i = 0; i < 100; i++) {
      const route = i % 2 === 0 ? 'POST /orders' : 'GET /health';
      stats.record(outcome(route, i * 10, 5 + (i % 7), kinds[i % kinds.length] ?? { status: 200 }));
    }
    const figures = stats.figures(2);
    expect(figures.sent).toBe(100);
    expect(figures.answered).toBe(60);
    expect(figures.byStatus).toEqual({ '201': 20, '400': 20, '500': 20 });
    expect(figures.errors).toEqual({ ECONNRESET: 20, timeout: 20 });
    expect(figures.errorRatePercent).toBe(60);
    expect(figures.throughputRps).toBe(30);
    expect(figures.latency.count).toBe(60);

    const routes = stats.routes(2);
    expect(Object.keys(routes)).toEqual(['POST /orders', 'GET /health']);
    for (const r of Object.values(routes)) {
      const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
      const answered = Object.values(r.byStatus).reduce((a, b) => a + b, 0);
      expect(r.sent).toBe(r.answered + errors);
      expect(r.answered).toBe(answered);
    }
    expect(Object.values(routes).reduce((sum, r) => sum + r.sent, 0)).toBe(100);
    const merged = new LatencyRecorder();
    for (const key of Object.keys(routes)) {
      const perRoute = new RequestStats();
      for (let i = 0; i < 100; i++) {
        const route = i % 2 === 0 ? 'POST /orders' : 'GET /health';
        if (route === key)
          perRoute.record(outcome(route, i * 10, 5 + (i % 7), kinds[i % kinds.length] ?? { status: 200 }));
      }
      merged.merge(perRoute.latency);
    }
    expect(merged.summary()).toEqual(figures.latency);
  });

  it('builds one timeline point per second: sent by schedule, answers and errors by finish', () => {
    const stats = new RequestStats({ offsetS: 10 });
    // Second 0: 4 scheduled, answered within it; second 1: 2 scheduled, one answered in second 3.
    for (const at of [0, 250, 500, 750]) stats.record(outcome('GET /a', at, 20, { status: 200 }));
    stats.record(outcome('GET /a', 1100, 30, { status: 503 }));
    stats.record(outcome('GET /a', 1200, 2000, { status: 200 }));
    stats.record(outcome('GET /a', 1300, 10, { error: 'ECONNREFUSED' }));
    const timeline = stats.timeline();
    expect(timeline.map((p) => p.t)).toEqual([10, 11, 12, 13]);
    expect(timeline.map((p) => p.sentRps)).toEqual([4, 3, 0, 0]);
    expect(timeline.map((p) => p.answeredRps)).toEqual([4, 1, 0, 1]);
    expect(timeline.map((p) => p.errors)).toEqual([0, 2, 0, 0]);
    near(timeline[0]?.latency?.p99 ?? 0, 20);
    expect(timeline[2]?.latency).toBeUndefined();
    near(timeline[3]?.latency?.max ?? 0, 2000);
    expect(timeline.reduce((sum, p) => sum + p.sentRps, 0)).toBe(stats.figures(4).sent);
  });

  it('keeps per-second percentiles of seconds it closed during a long run', () => {
    const stats = new RequestStats();
    for (let s = 0; s < 30; s++)
      for (let i = 0; i < 10; i++) stats.record(outcome('GET /a', s * 1000 + i * 50, s + 1, { status: 200 }));
    const timeline = stats.timeline();
    expect(timeline).toHaveLength(30);
    timeline.forEach((p, s) => {
      near(p.latency?.p50 ?? 0, s + 1);
    });
  });
});
