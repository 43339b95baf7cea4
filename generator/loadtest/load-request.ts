/**
 * A request of a load and what became of it: the vocabulary shared by the traffic (which builds
 * requests), the open-loop driver (which sends them) and the statistics (which count outcomes).
 */

/** One request to send. */
export interface LoadRequest {
  readonly method: string;
  /** Path and query, e.g. `/orders?limit=10`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The route it exercises, `POST /orders` (the key of the per-route figures). */
  readonly routeKey: string;
}

/** What became of one scheduled request. Exactly one per scheduled arrival. */
export interface RequestOutcome {
  readonly routeKey: string;
  /** When the arrival was due, ms since the run started. */
  readonly scheduledAt: number;
  /** When the response body ended (or the request failed), ms since the run started. */
  readonly finishedAt: number;
  /** `finishedAt − scheduledAt`. */
  readonly latencyMs: number;
  /** The response status; absent when there was no answer (then `error` says why). */
  readonly status?: number;
  /** `timeout`, `in-flight-cap`, `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, … */
  readonly error?: string;
  /** The response body, only when `keepBody(routeKey, status)` asked for it. */
  readonly body?: string;
  readonly request: LoadRequest;
}
