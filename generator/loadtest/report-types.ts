/**
 * The shape of `load-report.json`, the record `evtgen load` leaves of a run: every figure per phase
 * and per route, the event accounting (with `lost`), the objectives and the timelines the HTML
 * report plots. The terminal summary and the HTML page are both rendered from this object only, so
 * what a reader sees is what CI can parse.
 */

/** Latency figures of one histogram (HDR, 3 significant digits), milliseconds. */
export interface LatencySummary {
  /** Values recorded. */
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** The HTTP side of a phase or a route. */
export interface RequestFigures {
  /** Requests sent (each one scheduled and put on the wire). */
  readonly sent: number;
  /** Requests answered with a status (any status). */
  readonly answered: number;
  /** Status code → count; `sent = answered + errors` always. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests without an answer: connection errors and timeouts, by kind. */
  readonly errors: Readonly<Record<string, number>>;
  /** Answers with a 5xx status plus requests without an answer, percent of `sent`. */
  readonly errorRatePercent: number;
  /** Answers per second over the phase. */
  readonly throughputRps: number;
  /**
   * From the request's scheduled start to its answer (open loop: time waiting for a connection
   * counts, so an overloaded target cannot hide its queue).
   */
  readonly latency: LatencySummary;
}

/** One second of a phase, for the plots. */
export interface TimelinePoint {
  /** Seconds since the run started (the left edge of the second). */
  readonly t: number;
  /** Requests scheduled in this second. */
  readonly sentRps: number;
  /** Answers received in this second. */
  readonly answeredRps: number;
  /** 5xx answers plus requests without an answer, in this second. */
  readonly errors: number;
  /** Latency of the requests answered in this second (absent when none was). */
  readonly latency?: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Messages in the service's dead-letter queues at this second (sampled; absent when not read). */
  readonly dlqDepth?: number;
  /** Events still on their way to a consumer (sampled). */
  readonly inFlight?: number;
  /** API accept → consumer done, of the events whose consumer finished in this second. */
  readonly asyncLag?: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** What happened to the events one consumer should have received. */
export interface ConsumerAccounting {
  /** Published events its rule matches (the emulator's or AWS's own pattern matching decides). */
  readonly expected: number;
  /** Of those, processed successfully at least once. */
  readonly processed: number;
  /**
   * Processed more than once (at-least-once delivery; idempotency keeps the effect single). Absent
   * when deliveries cannot be told apart (a deployed stack's metric totals).
   */
  readonly duplicates?: number;
  /** In one of the consumer's dead-letter queues (and never processed). */
  readonly deadLettered: number;
  /** Neither processed nor dead-lettered when the run ended: still queued or running. */
  readonly inFlight: number;
  /** `expected − processed − deadLettered − inFlight`; anything but 0 is a defect. */
  readonly lost: number;
  /** Failed attempts (retried or dead-lettered afterwards). */
  readonly failedAttempts: number;
  /** API accept → this consumer done, for events caused by the run's requests. */
  readonly latency?: LatencySummary;
  /** Event ids of lost events (the first 20), when the run drained. */
  readonly lostEventIds?: readonly string[];
}

/** Every event the run caused, counted. */
export interface EventAccounting {
  /**
   * `false` when the target offered no way to follow events (a URL: no `evtgen dev` journal), and
   * every count below is 0 because nothing was counted. Absent when the events were counted.
   */
  readonly measured?: false;
  /**
   * How the events were counted: one by one from `evtgen dev`'s journal (correlation ids, event ids),
   * or as totals from a deployed stack's CloudWatch metrics and queue depths (`--stack`).
   */
  readonly source?: 'journal' | 'cloudwatch';
  /** What the figures can and cannot say (a deployed stack's metrics are totals, best-effort). */
  readonly note?: string;
  /** Events the service published during the phase (accepted by the bus), by detail-type. */
  readonly published: number;
  readonly publishedByType: Readonly<Record<string, number>>;
  /** Events a route should have published: its 2xx answers × its `x-emits`. */
  readonly expectedFromRequests: number;
  /** Of those, not published (yet) when the run ended. */
  readonly unpublished: number;
  readonly consumers: Readonly<Record<string, ConsumerAccounting>>;
  /** Sum over consumers (plus unpublished events once drained). Must be 0. */
  readonly lost: number;
  /** True when nothing was in flight at the end (the run waited up to `drainMs`). */
  readonly drained: boolean;
  /** How long the run waited for the service to go quiet. */
  readonly drainMs: number;
}

/** A fault a phase injected, and what it expects to see. */
export interface FaultInjection {
  /** `consumer-errors`, `consumer-latency`, `aws-throttling`, `aws-latency`, `poison`. */
  readonly kind: string;
  /** What and where, e.g. `fulfilment: 5 % of invocations fail after their work`. */
  readonly description: string;
  /** Poison: the producer ids of the events sent, and the consumers each one reached. */
  readonly events?: readonly { readonly eventId: string; readonly consumers: readonly string[] }[];
}

export interface Expectation {
  /** e.g. `5 % consumer errors: retries recover everything (lost 0, nothing dead-lettered but poison)`. */
  readonly text: string;
  readonly met: boolean;
  /** The figures behind the verdict. */
  readonly detail: string;
}

export type PhaseName = 'baseline' | 'ramp' | 'soak' | 'faults';

export interface PhaseReport {
  readonly name: PhaseName;
  /** One line: what the phase does and what it looks for. */
  readonly description: string;
  /** Seconds since the run started. */
  readonly startS: number;
  readonly durationS: number;
  /** Target arrival rate (requests per second) at the start and at the end of the phase. */
  readonly rate: { readonly start: number; readonly end: number };
  readonly requests: RequestFigures;
  /** `METHOD /path` → the same figures for that route. */
  readonly routes: Readonly<Record<string, RequestFigures>>;
  readonly events: EventAccounting;
  readonly timeline: readonly TimelinePoint[];
  readonly faults: readonly FaultInjection[];
  readonly expectations: readonly Expectation[];
  /** Ramp only: the highest rate at which every objective still held, and what broke first above it. */
  readonly limit?: { readonly sustainedRps: number; readonly brokenBy?: string };
}

/** One objective of the contract (`x-slo`), checked in one phase. */
export interface ObjectiveResult {
  /** `POST /orders` or `consumer fulfilment`. */
  readonly subject: string;
  readonly phase: PhaseName;
  /** `p99Ms` or `errorRatePercent`. */
  readonly objective: 'p99Ms' | 'errorRatePercent';
  /** The target from the spec (its pointer in `source`). */
  readonly target: number;
  readonly measured: number;
  readonly met: boolean;
  /** Where the objective is written, e.g. `specs/orders.openapi.yaml#/paths/~1orders/post/x-slo`. */
  readonly source: string;
}

export interface LoadReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'evtgen'; readonly version: string };
  readonly service: string;
  readonly target: { readonly kind: 'dev' | 'url'; readonly url: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The load generator and its mode, e.g. `{engine: 'undici 7.30.3', model: 'open-loop'}`. */
  readonly generator: { readonly engine: string; readonly model: 'open-loop' };
  readonly phases: readonly PhaseReport[];
  readonly objectives: readonly ObjectiveResult[];
  /** `met` when every objective and every expectation held and nothing was lost. */
  readonly verdict: 'met' | 'missed';
  /** Why the verdict is `missed`, one line each. */
  readonly misses: readonly string[];
}
