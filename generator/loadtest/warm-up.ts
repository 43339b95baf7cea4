/**
 * Traffic before the first phase that no figure includes. Functions start cold (a new environment
 * loads its bundle, opens its SDK connections): a phase that began cold would report start-up, not
 * the warm path the objectives are about. It also lets GET routes read ids the service created
 * (captured from the answers) instead of the spec's example ids.
 */

import type { LoadRequest } from './load-request.js';
import { runOpenLoop } from './open-loop.js';
import type { LoadTarget } from './target.js';
import type { TrafficPlan } from './traffic.js';

/** Sends the warm-up; resolves with the number of requests it sent. */
export async function warmUp(input: {
  readonly target: LoadTarget;
  readonly traffic: TrafficPlan;
  readonly rate: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly prepare?: (request: LoadRequest) => Promise<LoadRequest>;
  readonly signal?: AbortSignal;
}): Promise<number> {
  let index = 0;
  const result = await runOpenLoop({
    baseUrl: input.target.url,
    rateAt: () => input.rate,
    durationMs: input.durationMs,
    maxRequests: input.maxRequests,
    next: () => input.traffic.next(index++),
    keepBody: (routeKey, status) => input.traffic.needsBody(routeKey, status),
    onOutcome: (outcome) => {
      if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300)
        input.traffic.observe(outcome.routeKey, outcome.status, outcome.body);
    },
    ...(input.prepare ? { prepare: input.prepare } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return result.scheduled;
}
