/**
 * Publishing events to EventBridge: validate every detail before anything is sent, batch up to 10
 * entries (and at most 256 KB) per PutEvents call, retry only the entries EventBridge reports as
 * failed, with exponential backoff and jitter, and return whatever still failed — never drop it.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { countEvents, type Observability } from './observability.js';
import { describeIssues, type Issue, type Validate } from './validation.js';

/** PutEvents limits: entries per call, and bytes per call (which also bounds one entry). */
export const maxEntriesPerCall = 10;
export const maxBytesPerCall = 256 * 1024;

/** Entry error codes worth retrying: the others (malformed detail, access denied …) fail again. */
const retryableErrorCodes = new Set([
  'InternalFailure',
  'InternalException',
  'ServiceUnavailable',
  'ThrottlingException',
  'LimitExceededException',
]);

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

export interface PublisherOptions {
  /** The bus; default `EVENT_BUS_NAME`, then the bus the AsyncAPI document names. */
  readonly eventBusName?: string;
  /** Correlation id stamped on events whose metadata does not set one (default: a new UUID per call). */
  readonly correlationId?: string;
  readonly client?: EventBridgeClient;
  /** Attempts per entry, the first included (default 4). */
  readonly maxAttempts?: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs·2ⁿ)] (defaults 100, 2000). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly observability?: Observability;
}

/** One event to publish: its type, payload (`detail.data`) and metadata (`detail.metadata`). */
export interface OutgoingEvent {
  readonly typeName: string;
  readonly data: unknown;
  /** The metadata object (any object type: generated metadata interfaces have no index signature). */
  readonly metadata?: object;
}

export interface PublishedEvent {
  readonly typeName: string;
  /** The id EventBridge assigned. */
  readonly eventId: string;
}

export interface FailedEvent {
  readonly typeName: string;
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

interface Pending {
  readonly typeName: string;
  readonly detail: unknown;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
  attempts: number;
  lastError?: { code: string; message: string };
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

  /** Publishes the events in as few PutEvents calls as the limits allow. */
  async publish(events: readonly OutgoingEvent[]): Promise<PublishResult> {
    const correlationId = this.#options.correlationId ?? randomUUID();
    const pending = events.map((event, index) => this.#prepare(event, index, correlationId));
    const published: PublishedEvent[] = [];
    const failed: FailedEvent[] = [];
    for (const batch of batches(pending)) {
      const outcome = await this.#sendWithRetries(batch);
      published.push(...outcome.published);
      failed.push(...outcome.failed);
    }
    this.#count(published, failed);
    return { published, failed };
  }

  #prepare(event: OutgoingEvent, index: number, correlationId: string): Pending {
    const definition = this.#events.get(event.typeName);
    if (!definition)
      throw new Error(
        `Unknown event type ${event.typeName}: this publisher sends ${[...this.#events.keys()].join(', ')}.`,
      );
    const metadata: Record<string, unknown> = { ...event.metadata };
    const path = definition.correlationIdPath;
    if (path && path.length === 2 && path[0] === 'metadata' && path[1] && metadata[path[1]] === undefined) {
      metadata[path[1]] = correlationId;
    }
    const detail =
      typeof definition.schemaVersion === 'number'
        ? { metadata, data: event.data, schemaVersion: definition.schemaVersion }
        : { metadata, data: event.data };
    const checked = definition.validateDetail(detail);
    if (!checked.valid) throw new EventValidationError(event.typeName, index, checked.issues);
    const entry: PutEventsRequestEntry = {
      EventBusName: this.#busName,
      Source: definition.source,
      DetailType: definition.detailType,
      Detail: JSON.stringify(detail),
    };
    const bytes = entrySize(entry);
    if (bytes > maxBytesPerCall) throw new EventTooLargeError(event.typeName, index, bytes);
    return { typeName: event.typeName, detail, entry, bytes, attempts: 0 };
  }

  async #sendWithRetries(batch: Pending[]): Promise<PublishResult> {
    const published: PublishedEvent[] = [];
    const failed: Pending[] = [];
    const maxAttempts = this.#options.maxAttempts ?? 4;
    let remaining = batch;
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) await sleep(this.#backoff(attempt));
      const retry: Pending[] = [];
      for (const item of remaining) item.attempts++;
      try {
        const response = await this.#client.send(
          new PutEventsCommand({ Entries: remaining.map((p) => p.entry) }),
        );
        remaining.forEach((item, i) => {
          const result = response.Entries?.[i];
          if (result?.EventId && !result.ErrorCode) {
            published.push({ typeName: item.typeName, eventId: result.EventId });
            return;
          }
          item.lastError = {
            code: result?.ErrorCode ?? 'Unknown',
            message: result?.ErrorMessage ?? 'no result for this entry',
          };
          (retryableErrorCodes.has(item.lastError.code) ? retry : failed).push(item);
        });
      } catch (error) {
        // The SDK already retried transport errors and throttling; what reaches here is retried
        // with the rest, unless the service refused the request itself (4xx other than throttling).
        const e = error as Error & { $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode ?? 0;
        const permanent = status >= 400 && status < 500 && status !== 429;
        for (const item of remaining) {
          item.lastError = { code: e.name, message: e.message };
          (permanent ? failed : retry).push(item);
        }
      }
      remaining = retry.filter((item) => item.attempts < maxAttempts);
      failed.push(...retry.filter((item) => item.attempts >= maxAttempts));
    }
    return { published, failed: failed.map(toFailed) };
  }

  #backoff(attempt: number): number {
    const base = this.#options.baseDelayMs ?? 100;
    const cap = this.#options.maxDelayMs ?? 2000;
    return Math.random() * Math.min(cap, base * 2 ** attempt);
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
    const client = new EventBridgeClient({});
    shared = observability ? observability.tracer.captureAWSv3Client(client) : client;
  }
  return shared;
}

function toFailed(item: Pending): FailedEvent {
  return {
    typeName: item.typeName,
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
