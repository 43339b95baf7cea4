/**
 * What `evtgen dev` counts, per route and per consumer, for its status endpoint (`GET
 * /_evtgen/status`), which `evtgen load` and the flow tests read. Consumer counts are per record
 * (an SQS message, a stream record, an event): a record retried three times is received three times.
 */

export interface ConsumerCounts {
  /** Records handed to the function (each delivery counts). */
  received: number;
  /** Records the function processed (deleted from the queue, past the stream position, or invoked without error). */
  succeeded: number;
  /** Failed attempts (records reported as failed, or in a failed invocation). */
  failed: number;
  /** Records evtgen dev itself sent to an on-failure destination (async invoke, stream). SQS redrives are in the DLQ depths. */
  sentToOnFailure: number;
  inFlight: number;
}

export interface RouteCounts {
  received: number;
  /** Answers below 500. */
  succeeded: number;
  /** 5xx answers (the handler failed or timed out). */
  failed: number;
  inFlight: number;
  /** status code → count. */
  statuses: Record<string, number>;
}

export class DevCounters {
  readonly routes = new Map<string, RouteCounts>();
  readonly consumers = new Map<string, ConsumerCounts>();

  route(routeKey: string): RouteCounts {
    let counts = this.routes.get(routeKey);
    if (!counts) {
      counts = { received: 0, succeeded: 0, failed: 0, inFlight: 0, statuses: {} };
      this.routes.set(routeKey, counts);
    }
    return counts;
  }

  consumer(name: string): ConsumerCounts {
    let counts = this.consumers.get(name);
    if (!counts) {
      counts = { received: 0, succeeded: 0, failed: 0, sentToOnFailure: 0, inFlight: 0 };
      this.consumers.set(name, counts);
    }
    return counts;
  }

  /** Plain objects, sorted by name, for the status endpoint. */
  snapshot(): { routes: Record<string, RouteCounts>; consumers: Record<string, ConsumerCounts> } {
    const sorted = <T>(map: Map<string, T>): Record<string, T> =>
      Object.fromEntries(
        [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]),
      );
    return { routes: sorted(this.routes), consumers: sorted(this.consumers) };
  }
}
