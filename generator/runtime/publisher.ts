/**
 * Publishing events to EventBridge: validate every detail before anything is sent, give each event
 * its producer id (`detail.eventId`, the same on every retry and relay, so consumers can recognise
 * a repeat), batch up to 10 entries (and at most 256 KB) per PutEvents call, retry what is
 * retryable — failed entries and failed requests (throttling, 5xx, timeouts, network) — with
 * exponential backoff and full jitter, and throw what still failed: never drop it silently.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { countEvents, type Observability } from './observability.js';
import {
  type BackoffOptions,
  fullJitterDelay,
  isRetryableEntryCode,
  isRetryableError,
  sleep,
} from './retry.js';
import { describeIssues, type Issue, type Validate } from './validation.js';

/** PutEvents limits: entries per call, and bytes per call (which also bounds one entry). */
export const maxEntriesPerCall = 10;
export const maxBytesPerCall = 256 * 1024;

export interface PublishedEventDefinition {
  readonly typeName: string;
  readonly source: string;
  readonly detailType: string;
  readonly validateDetail: Validate<unknown>;
  /** Where the correlation id sits inside `detail` (e.g. ['metadata', 'correlationId']), or null. */
  readonly correlationIdPath: readonly string[] | null;
  /** The registry version stamped into `detail.schemaVersion` (null: unpublished, not stamped). */
  readonly schemaVersion?: number | null;
}

export interface PublisherOptions extends BackoffOptions {
  /** The bus; default `EVENT_BUS_NAME`, then the bus the AsyncAPI document names. */
  readonly eventBusName?: string;
  /** Correlation id stamped on events whose metadata does not set one (default: a new UUID per call). */
  readonly correlationId?: string;
  /**
   * The EventBridge client. The default one makes a single attempt per call (`maxAttempts: 1`):
   * this publisher is the one place that decides what is retried, how often and how long it waits.
   */
  readonly client?: EventBridgeClient;
  /**
   * Attempts per entry, the first included (default 4). Backoff before retry n is random in
   * [0, min(maxDelayMs, baseDelayMs·2ⁿ)] (defaults 100 and 2,000 ms).
   */
  readonly maxAttempts?: number;
  readonly observability?: Observability;
}

/** One event to publish: its type, payload (`detail.data`) and metadata (`detail.metadata`). */
export interface OutgoingEvent {
  readonly typeName: string;
  readonly data: unknown;
  /** The metadata object (any object type: generated metadata interfaces have no index signature). */
  readonly metadata?: object;
  /**
   * The producer's id of this event (`detail.eventId`; default a new UUID). Pass one derived from
   * the business fact (e.g. the order id) when the same fact may be published again by a retry of
   * the whole operation: consumers then recognise the repeat.
   */
  readonly eventId?: string;
}

export interface PublishedEvent {
  readonly typeName: string;
  /** The producer's id (`detail.eventId`). */
  readonly eventId: string;
  /** The id EventBridge assigned to this delivery (new on every PutEvents). */
  readonly eventBridgeId: string;
}

export interface FailedEvent {
  readonly typeName: string;
  /** The producer's id (`detail.eventId`). */
  readonly eventId: string;
  /** The detail that was not published, to retry later or store. */
  readonly detail: unknown;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
}

export interface PublishResult {
  readonly published: readonly PublishedEvent[];
  /** Events EventBridge did not accept after every retry. Empty when all were published. */
  readonly failed: readonly FailedEvent[];
}

/** A detail that does not match its event's schema: nothing of the call was sent. */
export class EventValidationError extends Error {
  constructor(
    readonly typeName: string,
    readonly index: number,
    readonly issues: readonly Issue[],
  ) {
    super(
      `Event ${index} (${typeName}) does not match its schema, nothing was published: ${describeIssues(issues)}`,
    );
    this.name = 'EventValidationError';
  }
}

/** An entry over the PutEvents size limit: nothing of the call was sent. */
export class EventTooLargeError extends Error {
  constructor(
    readonly typeName: string,
    readonly index: number,
    readonly bytes: number,
  ) {
    super(
      `Event ${index} (${typeName}) is ${bytes} bytes; EventBridge accepts at most ${maxBytesPerCall} per entry. ` +
        'Nothing was published: send a reference (e.g. an S3 key) instead of the large data.',
    );
    this.name = 'EventTooLargeError';
  }
}

/**
 * Events EventBridge did not accept after every retry. Thrown, not returned, so that a caller who
 * forgets to look cannot lose them: `failed` holds each detail to store or retry later, `published`
 * what did go out (a batch is not atomic). Counted as `EventsPublishFailed`, which has an alarm.
 */
export class EventsNotPublishedError extends Error {
  constructor(readonly result: PublishResult) {
    const first = result.failed[0];
    super(
      `${result.failed.length} event(s) not published after retries` +
        (first
          ? ` (first: ${first.typeName} ${first.eventId}, ${first.errorCode}: ${first.errorMessage})`
          : '') +
        `; ${result.published.length} published.`,
    );
    this.name = 'EventsNotPublishedError';
  }

  get failed(): readonly FailedEvent[] {
    return this.result.failed;
  }

  get published(): readonly PublishedEvent[] {
    return this.result.published;
  }
}

/** An event ready to send: validated, identified, serialized and measured. */
export interface PreparedEvent {
  readonly typeName: string;
  readonly eventId: string;
  readonly detail: unknown;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

interface Pending extends PreparedEvent {
  attempts: number;
  lastError?: { code: string; message: string };
}

export interface SendOptions {
  /** Throw `EventsNotPublishedError` when anything failed (default true). */
  readonly throwOnFailure?: boolean;
}

/**
 * Validates one event and builds its PutEvents entry: the metadata gets the correlation id when it
 * has none, the detail gets the producer id and the registry version. Throws
 * `EventValidationError` / `EventTooLargeError`.
 */
export function prepareEvent(
  definition: PublishedEventDefinition,
  event: OutgoingEvent,
  index: number,
  correlationId: string,
  eventBusName: string,
): PreparedEvent {
  const metadata: Record<string, unknown> = { ...event.metadata };
  const path = definition.correlationIdPath;
  if (path && path.length === 2 && path[0] === 'metadata' && path[1] && metadata[path[1]] === undefined) {
    metadata[path[1]] = correlationId;
  }
  const eventId = event.eventId ?? randomUUID();
  const detail =
    typeof definition.schemaVersion === 'number'
      ? { metadata, data: event.data, eventId, schemaVersion: definition.schemaVersion }
      : { metadata, data: event.data, eventId };
  const checked = definition.validateDetail(detail);
  if (!checked.valid) throw new EventValidationError(event.typeName, index, checked.issues);
  const entry: PutEventsRequestEntry = {
    EventBusName: eventBusName,
    Source: definition.source,
    DetailType: definition.detailType,
    Detail: JSON.stringify(detail),
  };
  const bytes = entrySize(entry);
  if (bytes > maxBytesPerCall) throw new EventTooLargeError(event.typeName, index, bytes);
  return { typeName: event.typeName, eventId, detail, entry, bytes };
}

export class EventPublisher {
  readonly #events: ReadonlyMap<string, PublishedEventDefinition>;
  readonly #options: PublisherOptions;
  readonly #client: EventBridgeClient;
  readonly #busName: string;

  constructor(
    events: readonly PublishedEventDefinition[],
    defaultBusName: string,
    options: PublisherOptions = {},
  ) {
    this.#events = new Map(events.map((e) => [e.typeName, e]));
    this.#options = options;
    this.#busName = options.eventBusName ?? process.env.EVENT_BUS_NAME ?? defaultBusName;
    this.#client = options.client ?? sharedClient(options.observability);
  }

  /** The bus this publisher sends to. */
  get eventBusName(): string {
    return this.#busName;
  }

  /**
   * Publishes the events in as few PutEvents calls as the limits allow. Throws
   * `EventsNotPublishedError` when any event still failed after the retries.
   */
  async publish(events: readonly OutgoingEvent[]): Promise<PublishResult> {
    const correlationId = this.#options.correlationId ?? randomUUID();
    return this.send(events.map((event, index) => this.prepare(event, index, correlationId)));
  }

  /** Validates and serializes one event of this publisher's types (see `prepareEvent`). */
  prepare(event: OutgoingEvent, index: number, correlationId: string): PreparedEvent {
    const definition = this.#events.get(event.typeName);
    if (!definition)
      throw new Error(
        `Unknown event type ${event.typeName}: this publisher sends ${[...this.#events.keys()].join(', ')}.`,
      );
    return prepareEvent(definition, event, index, correlationId, this.#busName);
  }

  /** Sends prepared events (e.g. read back from the outbox) with the batching and retry policy. */
  async send(prepared: readonly PreparedEvent[], options: SendOptions = {}): Promise<PublishResult> {
    const published: PublishedEvent[] = [];
    const failed: FailedEvent[] = [];
    for (const batch of batches(prepared.map((p) => ({ ...p, attempts: 0 })))) {
      const outcome = await this.#sendWithRetries(batch);
      published.push(...outcome.published);
      failed.push(...outcome.failed);
    }
    this.#count(published, failed);
    const result = { published, failed };
    if (failed.length > 0 && options.throwOnFailure !== false) throw new EventsNotPublishedError(result);
    return result;
  }

  async #sendWithRetries(batch: Pending[]): Promise<PublishResult> {
    const published: PublishedEvent[] = [];
    const failed: Pending[] = [];
    const maxAttempts = this.#options.maxAttempts ?? 4;
    let remaining = batch;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) await sleep(fullJitterDelay(attempt, this.#options));
      const retry: Pending[] = [];
      for (const item of remaining) item.attempts++;
      try {
        const response = await this.#client.send(
          new PutEventsCommand({ Entries: remaining.map((p) => p.entry) }),
        );
        remaining.forEach((item, i) => {
          const result = response.Entries?.[i];
          if (result?.EventId && !result.ErrorCode) {
            published.push({ typeName: item.typeName, eventId: item.eventId, eventBridgeId: result.EventId });
            return;
          }
          item.lastError = {
            code: result?.ErrorCode ?? 'Unknown',
            message: result?.ErrorMessage ?? 'no result for this entry',
          };
          (isRetryableEntryCode(item.lastError.code) ? retry : failed).push(item);
        });
      } catch (error) {
        // The whole request failed: throttling (HTTP 400 ThrottlingException), 5xx, a timeout or the
        // network is retried like a failed entry; a refusal on the merits (access denied,
        // validation) would fail the same way again.
        const e = error as Error;
        for (const item of remaining) {
          item.lastError = { code: e.name, message: e.message };
          (isRetryableError(error) ? retry : failed).push(item);
        }
      }
      remaining = retry.filter((item) => item.attempts < maxAttempts);
      failed.push(...retry.filter((item) => item.attempts >= maxAttempts));
    }
    return { published, failed: failed.map(toFailed) };
  }

  #count(published: readonly PublishedEvent[], failed: readonly FailedEvent[]): void {
    const observability = this.#options.observability;
    if (!observability) return;
    for (const [typeName, n] of tally(published))
      countEvents(observability.metrics, 'EventsPublished', typeName, n);
    for (const [typeName, n] of tally(failed))
      countEvents(observability.metrics, 'EventsPublishFailed', typeName, n);
    for (const f of failed) {
      observability.logger.error('Event not published after retries', {
        eventType: f.typeName,
        eventId: f.eventId,
        errorCode: f.errorCode,
        errorMessage: f.errorMessage,
        attempts: f.attempts,
      });
    }
  }
}

let shared: EventBridgeClient | undefined;

/** One client per execution environment: publishers are created per request, connections are not. */
function sharedClient(observability: Observability | undefined): EventBridgeClient {
  if (!shared) {
    const client = new EventBridgeClient({ maxAttempts: 1 });
    shared = observability ? observability.tracer.captureAWSv3Client(client) : client;
  }
  return shared;
}

function toFailed(item: Pending): FailedEvent {
  return {
    typeName: item.typeName,
    eventId: item.eventId,
    detail: item.detail,
    errorCode: item.lastError?.code ?? 'Unknown',
    errorMessage: item.lastError?.message ?? '',
    attempts: item.attempts,
  };
}

function tally(items: readonly { readonly typeName: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { typeName } of items) counts.set(typeName, (counts.get(typeName) ?? 0) + 1);
  return counts;
}

/** Consecutive groups within both PutEvents limits, in order. */
function batches(pending: readonly Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of pending) {
    if (current.length === maxEntriesPerCall || bytes + item.bytes > maxBytesPerCall) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * An entry's size as EventBridge counts it: source, detail-type, detail and resources in UTF-8
 * bytes, plus 14 for a time stamp.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  const utf8 = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (
    (entry.Time ? 14 : 0) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + utf8(r), 0)
  );
}
