/**
 * The open-loop generator against real `node:http` servers on loopback. Checks are on counts and on
 * latency bounds the server's own behaviour guarantees, never on wall-clock speed: the machine is
 * shared and noisy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { arrivalSchedule } from '../../generator/loadtest/arrivals.js';
import type { LoadRequest, RequestOutcome } from '../../generator/loadtest/load-request.js';
import { runOpenLoop } from '../../generator/loadtest/open-loop.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (path: string): LoadRequest => ({ method: 'GET', path, headers: {}, routeKey: `GET ${path}` });
const ok = (_req: IncomingMessage, res: ServerResponse) => res.end('{"ok":true}');
const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);

describe('runOpenLoop', () => {
  it('holds the arrival rate: 200 req/s for 2 s schedules 400 requests, spread over both seconds', async () => {
    const arrivals: number[] = [];
    const baseUrl = await serve((req, res) => {
      arrivals.push(performance.now());
      ok(req, res);
    });
    const result = await runOpenLoop({ baseUrl, rateAt: () => 200, durationMs: 2000, next: () => get('/') });
    expect(result.scheduled).toBe(400);
    expect(result.stoppedBy).toBe('duration');
    const figures = result.stats.figures(2);
    expect(figures).toMatchObject({ sent: 400, answered: 400, byStatus: { '200': 400 }, errors: {} });
    expect(arrivals).toHaveLength(400);
    // Spread, not a burst: both halves of the run got a fair share (200 each when exact).
    const first = arrivals[0] ?? 0;
    const inFirstSecond = arrivals.filter((t) => t - first < 1000).length;
    expect(inFirstSecond).toBeGreaterThan(120);
    expect(inFirstSecond).toBeLessThan(280);
    // Sent per scheduled second; an answer that ends after 2 s may open a third, sending nothing.
    const sentPerSecond = result.stats.timeline().map((p) => p.sentRps);
    expect(sentPerSecond.slice(0, 2)).toEqual([200, 200]);
    expect(sentPerSecond.slice(2)).toEqual(sentPerSecond.slice(2).map(() => 0));
  });

  it('follows a linear ramp: 0 → 200 req/s over 2 s schedules about 200 requests, more in the second half', async () => {
    const baseUrl = await serve(ok);
    const result = await runOpenLoop({
      baseUrl,
      rateAt: (t) => 100 * t,
      durationMs: 2000,
      next: () => get('/'),
    });
    expect(result.scheduled).toBeGreaterThan(190);
    expect(result.scheduled).toBeLessThan(210);
    const [first, second] = result.stats.timeline().map((p) => p.sentRps);
    expect(first).toBeGreaterThan(40);
    expect(second).toBeGreaterThan(2 * (first ?? 0));
  });

  it('is open loop: a slow target with one connection still gets arrivals on schedule and queueing counts as latency', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const baseUrl = await serve((_req, res) => {
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      setTimeout(() => {
        concurrent--;
        res.end('slow');
      }, 300);
    });
    const outcomes: RequestOutcome[] = [];
    // 10 req/s for 1 s: 10 arrivals, 100 ms apart, served one at a time in 300 ms each.
    const result = await runOpenLoop({
      baseUrl,
      rateAt: () => 10,
      durationMs: 1000,
      connections: 1,
      next: () => get('/slow'),
      onOutcome: (o) => outcomes.push(o),
    });
    expect(result.scheduled).toBe(10);
    expect(maxConcurrent).toBe(1);
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    // Arrival i is due at 100·i + 50 ms but cannot finish before 300·(i+1) ms: latency ≥ 300 + 200·i.
    outcomes.sort((a, b) => a.scheduledAt - b.scheduledAt);
    outcomes.forEach((o, i) => {
      expect(o.scheduledAt).toBeCloseTo(100 * i + 50, 6);
      expect(o.latencyMs).toBeGreaterThanOrEqual((300 + 200 * i) * 0.95);
    });
    expect(result.stats.figures(1).latency.max).toBeGreaterThan(2000);

    // A closed loop on the same connection sends only when answered: ~3 requests in that second,
    // each "taking" ~300 ms — the queue the open loop measured is invisible to it.
    const closed: number[] = [];
    const until = performance.now() + 1000;
    while (performance.now() < until) {
      const started = performance.now();
      await (await fetch(`${baseUrl}/slow`)).text();
      closed.push(performance.now() - started);
    }
    expect(closed.length).toBeLessThanOrEqual(4);
    expect(Math.max(...closed)).toBeLessThan(result.stats.figures(1).latency.max);
  });

  it('accounts every request: sent = answered by status + errors, with a mix of statuses and dropped sockets', async () => {
    const baseUrl = await serve((req, res) => {
      if (req.url === '/drop') {
        req.socket.destroy();
        return;
      }
      res.statusCode = Number(req.url?.slice(1));
      res.end();
    });
    const paths = ['/201', '/400', '/500', '/drop', '/201'];
    const result = await runOpenLoop({
      baseUrl,
      rateAt: () => 250,
      durationMs: 400,
      next: (i) => ({ ...get(paths[i % paths.length] ?? '/201'), method: 'POST', body: '{}' }),
    });
    const figures = result.stats.figures(0.4);
    expect(figures.sent).toBe(100);
    expect(figures.sent).toBe(figures.answered + sum(figures.errors));
    expect(figures.answered).toBe(sum(figures.byStatus));
    expect(figures.byStatus).toEqual({ '201': 40, '400': 20, '500': 20 });
    expect(sum(figures.errors)).toBe(20);
    expect(figures.errorRatePercent).toBe(40);
    expect(result.stats.routes(0.4)['GET /drop']?.answered).toBe(0);
  });

  it('records requests without an answer before their deadline as timeouts, and connection refusals by code', async () => {
    const baseUrl = await serve(() => undefined);
    const result = await runOpenLoop({
      baseUrl,
      rateAt: () => 50,
      durationMs: 200,
      timeoutMs: 300,
      next: () => get('/hang'),
    });
    expect(result.stats.figures(0.2)).toMatchObject({ sent: 10, answered: 0, errors: { timeout: 10 } });
    expect(result.stats.figures(0.2).errorRatePercent).toBe(100);

    const refused = await runOpenLoop({
      baseUrl: 'http://127.0.0.1:1',
      rateAt: () => 50,
      durationMs: 100,
      next: () => get('/'),
    });
    expect(refused.stats.figures(0.1)).toMatchObject({ sent: 5, answered: 0, errors: { ECONNREFUSED: 5 } });
  });

  it('stops at maxRequests, and records arrivals over the in-flight cap as errors instead of losing them', async () => {
    const baseUrl = await serve(ok);
    const bounded = await runOpenLoop({
      baseUrl,
      rateAt: () => 1000,
      durationMs: 60_000,
      maxRequests: 50,
      next: () => get('/'),
    });
    expect(bounded).toMatchObject({ scheduled: 50, stoppedBy: 'maxRequests' });
    expect(bounded.stats.sent).toBe(50);

    const hanging = await serve(() => undefined);
    const capped = await runOpenLoop({
      baseUrl: hanging,
      rateAt: () => 100,
      durationMs: 200,
      maxInFlight: 5,
      timeoutMs: 500,
      next: () => get('/hang'),
    });
    expect(capped.dropped).toBe(15);
    expect(capped.stats.figures(0.2)).toMatchObject({
      sent: 20,
      answered: 0,
      errors: { 'in-flight-cap': 15, timeout: 5 },
    });
  });

  it('stops scheduling on abort and lets in-flight requests finish', async () => {
    const baseUrl = await serve((req, res) => setTimeout(() => ok(req, res), 200));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runOpenLoop({
      baseUrl,
      rateAt: () => 100,
      durationMs: 60_000,
      signal: controller.signal,
      next: () => get('/'),
    });
    expect(result.stoppedBy).toBe('signal');
    expect(result.scheduled).toBeGreaterThan(0);
    expect(result.scheduled).toBeLessThan(1000);
    const figures = result.stats.figures(1);
    expect(figures.sent).toBe(result.scheduled);
    expect(figures.answered).toBe(result.scheduled);
  });

  it('keeps bodies only where asked, for capturing ids', async () => {
    const baseUrl = await serve((req, res) => {
      res.statusCode = req.url === '/orders' ? 201 : 200;
      res.end(JSON.stringify({ path: req.url }));
    });
    const outcomes: RequestOutcome[] = [];
    await runOpenLoop({
      baseUrl,
      rateAt: () => 100,
      durationMs: 100,
      next: (i) => get(i % 2 === 0 ? '/orders' : '/health'),
      keepBody: (route, status) => route === 'GET /orders' && status === 201,
      onOutcome: (o) => outcomes.push(o),
    });
    expect(outcomes).toHaveLength(10);
    for (const o of outcomes) {
      if (o.routeKey === 'GET /orders') expect(JSON.parse(o.body ?? '')).toEqual({ path: '/orders' });
      else expect(o.body).toBeUndefined();
    }
  });
});

describe('arrivalSchedule', () => {
  const all = (rateAt: (t: number) => number, durationMs: number) => {
    const schedule = arrivalSchedule(rateAt, durationMs);
    const times: number[] = [];
    for (let t = schedule.next(); t !== Number.POSITIVE_INFINITY; t = schedule.next()) times.push(t);
    return times;
  };

  it('spaces a constant rate evenly, and a ramp by its area', () => {
    const constant = all(() => 1000, 1000);
    expect(constant).toHaveLength(1000);
    constant.forEach((t, i) => {
      expect(t).toBeCloseTo(i + 0.5, 6);
    });
    const ramp = all((t) => 100 * t, 2000);
    expect(ramp).toHaveLength(200);
    // ∫₀ᵗ 100s ds = 50t², so arrival j is due at √((j + ½) / 50) s.
    ramp.forEach((t, j) => {
      expect(t).toBeCloseTo(Math.sqrt((j + 0.5) / 50) * 1000, 0);
    });
  });

  it('schedules nothing while the rate is 0 or not a number', () => {
    expect(all(() => 0, 1000)).toEqual([]);
    expect(all(() => Number.NaN, 1000)).toEqual([]);
    const late = all((t) => (t < 0.5 ? 0 : 10), 1000);
    expect(late).toHaveLength(5);
    // A step in the rate is smoothed over one 1 ms integration step at most.
    expect(Math.abs((late[0] ?? 0) - 550)).toBeLessThanOrEqual(1);
  });
});

describe('runOpenLoop with failing callbacks', () => {
  it('rejects with the error of `next` or `onOutcome`, after the requests already sent ended', async () => {
    const baseUrl = await serve(ok);
    const answered: number[] = [];
    await expect(
      runOpenLoop({
        baseUrl,
        rateAt: () => 100,
        durationMs: 1000,
        next: (i) => {
          if (i === 5) throw new Error('no request 5');
          return get('/');
        },
        onOutcome: (o) => answered.push(o.status ?? 0),
      }),
    ).rejects.toThrow('no request 5');
    expect(answered).toEqual([200, 200, 200, 200, 200]);

    await expect(
      runOpenLoop({
        baseUrl,
        rateAt: () => 100,
        durationMs: 1000,
        next: () => get('/'),
        onOutcome: () => {
          throw new Error('progress broke');
        },
      }),
    ).rejects.toThrow('progress broke');
  });
});
