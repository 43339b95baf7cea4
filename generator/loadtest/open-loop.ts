/**
 * The open-loop load generator: requests leave at arrival times fixed in advance by a rate
 * function, whatever the target does with them.
 *
 * Why open loop: a closed-loop generator (autocannon, wrk, k6's default executors) sends the next
 * request on a connection only once the previous one was answered. When the target slows down, the
 * generator slows down with it and simply stops asking during the stall, so the requests that real
 * users would have sent in that time — and their waiting — are never measured (coordinated
 * omission): the p99 looks fine exactly when the service is overloaded. Real clients do not wait for
 * each other, so here arrival k is due at a time derived from `rateAt` alone, and its latency runs
 * from that *scheduled* time to the last byte of the response body. Time spent waiting for a free
 * connection in the pool, or because this process was late to send it, counts as latency: the
 * figures can only err towards pessimism, never hide a queue.
 *
 * How: no timer per request (thousands of timers per second drift and cost); one ticker
 * (a short setTimeout loop, ≤ 1 ms granularity near due arrivals) fires, on each tick, every
 * arrival whose time has passed according to `performance.now()`. Due times come from the integral
 * of `rateAt` (arrivals.ts), so ramps get the number of arrivals their area says.
 * Requests go out over an undici Pool with keep-alive connections; requests beyond the pool's
 * connections queue inside undici (and that queueing counts, see above).
 *
 * Bounds: scheduling stops at `durationMs`, after `maxRequests`, or when `signal` aborts; in-flight
 * requests then get until their own deadline (`timeoutMs` after their scheduled time), so a run
 * always ends. `maxInFlight` protects this process's memory when the target stops answering: an
 * arrival due while that many requests are outstanding is not sent but recorded as the error
 * `in-flight-cap` — counted as sent, so it shows in the error rate instead of vanishing (which
 * would be coordinated omission again).
 */
import { Pool } from 'undici';
import { arrivalSchedule } from './arrivals.js';
import { LatencyRecorder } from './histogram.js';
import type { LoadRequest, RequestOutcome } from './load-request.js';
import type { LatencySummary } from './report-types.js';
import { errorKind, RequestTimeout } from './request-errors.js';
import { RequestStats } from './request-stats.js';

export interface OpenLoopOptions {
  /** Origin of the target, `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** Arrivals per second at `t` seconds after the start; ≤ 0 means none for now. */
  readonly rateAt: (tSeconds: number) => number;
  /** Scheduling stops at this time (ms after the start). */
  readonly durationMs: number;
  /** Builds request `index` (0, 1, …) when it is due (unique ids and the like). */
  readonly next: (index: number) => LoadRequest;
  /** Outstanding requests above which arrivals are recorded as `in-flight-cap` errors. Default 10 000. */
  readonly maxInFlight?: number;
  /** Schedule at most this many requests. */
  readonly maxRequests?: number;
  /** Per request, from its scheduled time to the end of its body; then it is the error `timeout`. Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Keep-alive connections in the pool. Default 512: more than rate × latency needs in the runs this
   * is made for (e.g. 1 000 req/s × 300 ms), so the pool is not what queues.
   */
  readonly connections?: number;
  /** Whether to read the body of this answer into `RequestOutcome.body`. Default: never. */
  readonly keepBody?: (routeKey: string, status: number) => boolean;
  /**
   * Last step before a request leaves, e.g. a SigV4 signature (its date must be now). Its time
   * counts in the latency; when it throws, the outcome is the error `prepare-failed`.
   */
  readonly prepare?: (request: LoadRequest) => Promise<LoadRequest>;
  /** Called for every outcome as it happens (progress, ids from bodies). */
  readonly onOutcome?: (outcome: RequestOutcome) => void;
  /** Stops scheduling (Ctrl-C); in-flight requests still finish, up to their deadline. */
  readonly signal?: AbortSignal;
  /** Where outcomes are counted; default a new RequestStats with offset 0. */
  readonly stats?: RequestStats;
  /** The clock, ms (default `performance.now`). */
  readonly now?: () => number;
}

/** What ended the scheduling. */
export type StopReason = 'duration' | 'maxRequests' | 'signal';

export interface OpenLoopResult {
  /** Arrivals scheduled (= outcomes reported = `stats.sent`). */
  readonly scheduled: number;
  /** Of those, not sent because of `maxInFlight`. */
  readonly dropped: number;
  /** How late this process put due requests on their way (scheduled → handed to undici). */
  readonly sendLag: LatencySummary;
  /** Requests handed to undici more than `lateThresholdMs` after they were due. */
  readonly late: number;
  readonly stoppedBy: StopReason;
  /** From the start to the last outcome. */
  readonly elapsedMs: number;
  readonly stats: RequestStats;
}

/** A send later than this after its due time counts as late in `OpenLoopResult.late`. */
export const lateThresholdMs = 5;

interface InFlight {
  readonly deadline: number;
  readonly controller: AbortController;
}

/**
 * Runs one open-loop load: schedules arrivals per `rateAt` for `durationMs` (or `maxRequests`),
 * sends each when due, waits for the in-flight ones and resolves with the counts. Never rejects
 * because of the target: every failure is an outcome. Rejects with the error of a callback
 * (`rateAt`, `next`, `onOutcome`) that threw, after the requests already sent have ended.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxInFlight = options.maxInFlight ?? 10_000;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const stats = options.stats ?? new RequestStats();
  const sendLag = new LatencyRecorder();
  const pool = new Pool(options.baseUrl, {
    connections: options.connections ?? 512,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
  });
  const inFlight = new Set<InFlight>();
  const start = now();
  let index = 0;
  const arrivals = arrivalSchedule(options.rateAt, options.durationMs);
  let nextAt = arrivals.next();
  let dropped = 0;
  let late = 0;
  let lastFinished = 0;
  let stoppedBy: StopReason | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let failure: { readonly error: unknown } | undefined;

  /** A callback (`rateAt`, `next`, `onOutcome`) threw: stop scheduling, reject once in-flight requests end. */
  const fail = (error: unknown): void => {
    failure ??= { error };
    stoppedBy ??= 'signal';
  };

  const report = (outcome: RequestOutcome): void => {
    lastFinished = Math.max(lastFinished, outcome.finishedAt);
    stats.record(outcome);
    options.onOutcome?.(outcome);
  };

  /** A request that never left (the in-flight cap, a failed prepare): an outcome all the same. */
  const unsent = (request: LoadRequest, scheduledAt: number, error: string): void => {
    const finishedAt = now() - start;
    try {
      report({
        routeKey: request.routeKey,
        scheduledAt,
        finishedAt,
        latencyMs: finishedAt - scheduledAt,
        error,
        request,
      });
    } catch (thrown) {
      fail(thrown);
    }
  };

  const send = async (planned: LoadRequest, scheduledAt: number): Promise<void> => {
    // In flight from here: a run must not end while a request is being prepared.
    const entry: InFlight = { deadline: scheduledAt + timeoutMs, controller: new AbortController() };
    inFlight.add(entry);
    let request = planned;
    if (options.prepare) {
      try {
        request = await options.prepare(planned);
      } catch {
        inFlight.delete(entry);
        unsent(planned, scheduledAt, 'prepare-failed');
        if (stoppedBy && inFlight.size === 0) wake?.();
        return;
      }
    }
    const sentAt = now() - start;
    const lag = sentAt - scheduledAt;
    sendLag.record(lag);
    if (lag > lateThresholdMs) late++;
    let status: number | undefined;
    let body: string | undefined;
    let error: string | undefined;
    try {
      const response = await pool.request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
        signal: entry.controller.signal,
      });
      if (options.keepBody?.(request.routeKey, response.statusCode)) body = await response.body.text();
      else await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
      status = response.statusCode;
    } catch (caught) {
      error = errorKind(caught, entry.controller.signal);
    } finally {
      inFlight.delete(entry);
    }
    const finishedAt = now() - start;
    try {
      report({
        routeKey: request.routeKey,
        scheduledAt,
        finishedAt,
        latencyMs: finishedAt - scheduledAt,
        ...(status !== undefined ? { status } : { error: error ?? 'unknown' }),
        ...(body !== undefined ? { body } : {}),
        request,
      });
    } catch (thrown) {
      fail(thrown);
    }
    if (stoppedBy && inFlight.size === 0) wake?.();
  };

  const fire = (scheduledAt: number): void => {
    const request = options.next(index++);
    if (inFlight.size >= maxInFlight) {
      dropped++;
      unsent(request, scheduledAt, 'in-flight-cap');
      return;
    }
    void send(request, scheduledAt);
  };

  /** Aborts every request past its deadline (in-flight is in scheduling order, so deadlines ascend). */
  const sweep = (elapsed: number): void => {
    for (const entry of inFlight) {
      if (entry.deadline > elapsed) break;
      entry.controller.abort(new RequestTimeout('timeout'));
    }
  };

  /** Sends every arrival due by `elapsed`; notes why scheduling is over once it is. */
  const schedule = (elapsed: number): void => {
    while (!stoppedBy && nextAt <= elapsed) {
      if (options.signal?.aborted) stoppedBy = 'signal';
      else if (index >= maxRequests) stoppedBy = 'maxRequests';
      if (stoppedBy) break;
      fire(nextAt);
      nextAt = arrivals.next();
    }
    if (!stoppedBy && (index >= maxRequests || nextAt === Number.POSITIVE_INFINITY)) {
      stoppedBy = index >= maxRequests ? 'maxRequests' : 'duration';
    }
  };

  const tick = (): void => {
    timer = undefined;
    const elapsed = now() - start;
    try {
      schedule(elapsed);
    } catch (error) {
      fail(error);
    }
    sweep(elapsed);
    if (stoppedBy && inFlight.size === 0) {
      wake?.();
      return;
    }
    const untilNext = stoppedBy ? 50 : nextAt - (now() - start);
    timer = setTimeout(tick, Math.max(1, Math.min(untilNext, stoppedBy ? 50 : 20)));
  };

  const onAbort = (): void => {
    if (!stoppedBy) stoppedBy = 'signal';
    if (timer) clearTimeout(timer);
    tick();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    await new Promise<void>((resolve) => {
      wake = resolve;
      tick();
    });
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  if (failure) throw failure.error;
  return {
    scheduled: index,
    dropped,
    sendLag: sendLag.summary(),
    late,
    stoppedBy: stoppedBy ?? 'duration',
    elapsedMs: lastFinished,
    stats,
  };
}
