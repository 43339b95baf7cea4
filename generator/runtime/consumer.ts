/**
 * Event consumers: EventBridge → SQS → Lambda (partial batch failures, FIFO order kept per message
 * group) and EventBridge → Lambda (direct asynchronous invocation). Every event is unwrapped from
 * its envelope, its `detail` validated, the correlation id put on every log line, and the user's
 * function called at most once per idempotency key.
 */

import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DeadLetterQueue } from './dead-letter.js';
import { countEvents, type Observability, observeInvocation } from './observability.js';
import { describeIssues, type Issue, type Validate } from './validation.js';

/** One event type a consumer receives. */
export interface ConsumedEventDefinition {
  /** The key of its handler: the event type's TypeScript name, e.g. `OrderPlaced`. */
  readonly typeName: string;
  readonly source: string;
  readonly detailType: string;
  /** Validates the whole `detail` ({metadata, data}). */
  readonly validateDetail: Validate<unknown>;
  /** Where the correlation id sits inside `detail`, or null. */
  readonly correlationIdPath: readonly string[] | null;
}

export interface ConsumerDefinition {
  readonly name: string;
  readonly events: readonly ConsumedEventDefinition[];
  /**
   * JMESPath into the EventBridge event: what makes two deliveries "the same". Default
   * `detail.eventId || id`: the producer's id, which stays the same when the producer retries or the
   * outbox relays again (EventBridge's `id` is new on every PutEvents); EventBridge's own `id` for
   * events of producers that do not set one.
   */
  readonly idempotencyKey: string;
  /** Key prefix in the idempotency table: stable across deployments (function names are not). */
  readonly idempotencyPrefix: string;
  /** FIFO queues: a failed record fails the rest of its message group, so order is kept. */
  readonly fifo: boolean;
}

export interface ConsumerContext {
  /** The correlation id from the event's metadata, when the message declares one. */
  readonly correlationId: string | undefined;
  /** A logger whose every line carries the correlation id, event id and event type. */
  readonly logger: Logger;
  readonly metrics: Observability['metrics'];
  readonly tracer: Observability['tracer'];
  readonly lambdaContext: Context | undefined;
  /** The SQS record the event came in (absent for direct EventBridge delivery). */
  readonly record: SQSRecord | undefined;
}

/** A handler per event type, keyed by the event type's TypeScript name. */
export type EventHandler<TEvent> = (event: TEvent, context: ConsumerContext) => Promise<void>;

/** How long a processed key is remembered: longer than any redelivery or replay window we expect. */
const idempotencyWindowSeconds = 24 * 60 * 60;

/** An event that can never succeed: wrong shape, unknown type, or a detail off the contract. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${describeIssues(issues)}` : message);
    this.name = 'InvalidEventError';
  }
}

interface EventBridgeShape {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

/** Processes one EventBridge event; throws when it must be retried or dead-lettered. */
type ProcessEvent = (
  event: unknown,
  lambdaContext: Context | undefined,
  record: SQSRecord | undefined,
) => Promise<void>;

function createEventProcessor(
  definition: ConsumerDefinition,
  observability: Observability,
  handlers: Readonly<Record<string, EventHandler<never>>>,
): { processEvent: ProcessEvent; idempotency: IdempotencyConfig } {
  const { logger, metrics, tracer } = observability;
  const tableName = process.env.IDEMPOTENCY_TABLE_NAME;
  if (!tableName) {
    throw new Error(
      `Consumer ${definition.name}: set IDEMPOTENCY_TABLE_NAME to the idempotency table (partition key "id", TTL "expiration").`,
    );
  }
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: definition.idempotencyKey,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: idempotencyWindowSeconds,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: tracer.captureAWSv3Client(new DynamoDBClient({})),
  });
  const byType = new Map(definition.events.map((e) => [`${e.source}\u0000${e.detailType}`, e]));

  // The state argument is not part of the key: it tells the caller whether the handler ran.
  const runOnce = makeIdempotent(
    async (event: EventBridgeShape, state: { ran: boolean; run: () => Promise<void> }) => {
      state.ran = true;
      await state.run();
      return { processed: event.id };
    },
    { persistenceStore, config: idempotency, keyPrefix: definition.idempotencyPrefix, dataIndexArgument: 0 },
  );

  const processEvent: ProcessEvent = async (input, lambdaContext, record) => {
    const event = asEventBridgeEvent(input);
    const spec = byType.get(`${event.source}\u0000${event['detail-type']}`);
    if (!spec) {
      throw new InvalidEventError(
        `Consumer ${definition.name} does not receive ${event['detail-type']} from ${event.source}`,
      );
    }
    const correlationId = spec.correlationIdPath ? stringAt(event.detail, spec.correlationIdPath) : undefined;
    const producerEventId = stringAt(event.detail, ['eventId']);
    // The producer's registry version (detail.schemaVersion), so logs tell versions apart.
    const schemaVersion =
      typeof event.detail === 'object' && event.detail !== null
        ? (event.detail as { schemaVersion?: unknown }).schemaVersion
        : undefined;
    const log = logger.createChild({
      persistentKeys: {
        ...(correlationId ? { correlation_id: correlationId } : {}),
        eventId: producerEventId ?? event.id,
        ...(producerEventId ? { eventBridgeId: event.id } : {}),
        eventType: spec.typeName,
        ...(typeof schemaVersion === 'number' ? { schemaVersion } : {}),
        ...(record ? { messageId: record.messageId } : {}),
      },
    });
    const checked = spec.validateDetail(event.detail);
    if (!checked.valid) {
      countEvents(metrics, 'EventsInvalid', spec.typeName);
      log.error('Invalid event: it can never be processed and goes to the dead-letter queue now', {
        issues: checked.issues.map(({ pointer, message }) => ({ pointer, message })),
        receiveCount: record?.attributes.ApproximateReceiveCount,
      });
      throw new InvalidEventError(`Invalid ${spec.typeName} detail`, checked.issues);
    }
    const handler = handlers[spec.typeName] as EventHandler<unknown> | undefined;
    if (!handler) throw new InvalidEventError(`No handler for ${spec.typeName}`);
    const context: ConsumerContext = { correlationId, logger: log, metrics, tracer, lambdaContext, record };
    const typed = { ...event, detail: checked.value };
    const state = { ran: false, run: () => handler(typed, context) };
    try {
      await runOnce(typed, state);
    } catch (error) {
      countEvents(metrics, 'EventsFailed', spec.typeName);
      log.error('Event processing failed; it will be retried', error as Error);
      throw error;
    }
    if (state.ran) {
      countEvents(metrics, 'EventsProcessed', spec.typeName);
      log.info('Event processed');
    } else {
      countEvents(metrics, 'EventsDuplicate', spec.typeName);
      log.info('Duplicate delivery: already processed, skipped');
    }
  };
  return { processEvent, idempotency };
}

/**
 * The SQS-triggered consumer: reports exactly the failed records (`batchItemFailures`), so only
 * they are retried and, after `maxReceiveCount`, moved to the queue's dead-letter queue.
 */
export function createSqsConsumer(
  definition: ConsumerDefinition,
  observability: Observability,
  handlers: Readonly<Record<string, EventHandler<never>>>,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const { processEvent, idempotency } = createEventProcessor(definition, observability, handlers);
  const deadLetters = DeadLetterQueue.fromEnvironment();
  return (event, context) =>
    observeInvocation(observability, context, async () => {
      idempotency.registerLambdaContext(context);
      const recordHandler = async (record: SQSRecord) => {
        try {
          let body: unknown;
          try {
            body = JSON.parse(record.body);
          } catch {
            observability.logger.error('Invalid record: the body is not JSON', {
              messageId: record.messageId,
            });
            throw new InvalidEventError(`Record ${record.messageId} is not JSON`);
          }
          await processEvent(body, context, record);
        } catch (error) {
          if (!deadLetters) throw error;
          // A poison record goes to the DLQ now and counts as handled; anything else is retried.
          if (error instanceof InvalidEventError) {
            await deadLetters.send(record.body, deadLetterReason(definition, error), record);
            return;
          }
          if (!isLastReceive(record)) throw error;
          // Its last receive: SQS's redrive would move it without a word of why, so the consumer
          // moves it itself, with the error attached. If that send fails, the redrive still does.
          try {
            await deadLetters.send(record.body, failureReason(definition, error), record);
          } catch (sendError) {
            observability.logger.warn('Could not dead-letter the record with its reason; the redrive will', {
              messageId: record.messageId,
              error: sendError as Error,
            });
            throw error;
          }
          observability.logger.error(
            'Retries exhausted: the record is in the dead-letter queue with its error',
            {
              messageId: record.messageId,
              receiveCount: record.attributes.ApproximateReceiveCount,
            },
          );
        }
      };
      // One failed record must not fail its batch: the failures are reported, not thrown.
      if (definition.fifo) {
        return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        });
      }
      return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
      });
    });
}

/**
 * The directly invoked consumer (EventBridge rule → Lambda, asynchronous): a thrown error makes
 * Lambda retry, and then hand the event to the on-failure destination / dead-letter queue.
 */
export function createEventBridgeConsumer(
  definition: ConsumerDefinition,
  observability: Observability,
  handlers: Readonly<Record<string, EventHandler<never>>>,
): (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<void> {
  const { processEvent, idempotency } = createEventProcessor(definition, observability, handlers);
  const deadLetters = DeadLetterQueue.fromEnvironment();
  return (event, context) =>
    observeInvocation(observability, context, async () => {
      idempotency.registerLambdaContext(context);
      try {
        await processEvent(event, context, undefined);
      } catch (error) {
        // Lambda's two async retries cannot fix a poison event: it goes to the DLQ at once.
        if (!(error instanceof InvalidEventError) || !deadLetters) throw error;
        await deadLetters.send(JSON.stringify(event), deadLetterReason(definition, error));
      }
    });
}

/**
 * Whether this receive is the record's last before SQS's redrive takes it: `MAX_RECEIVE_COUNT` is
 * the queue's `maxReceiveCount` (set by the generated stack). Without it, SQS decides alone.
 */
function isLastReceive(record: SQSRecord): boolean {
  const max = Number(process.env.MAX_RECEIVE_COUNT);
  return Number.isInteger(max) && max > 0 && Number(record.attributes.ApproximateReceiveCount) >= max;
}

/** The reason of a record that failed every receive: the last error, as the handler threw it. */
function failureReason(definition: ConsumerDefinition, error: unknown) {
  return {
    consumer: definition.name,
    errorName: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  };
}

function deadLetterReason(definition: ConsumerDefinition, error: InvalidEventError) {
  return {
    consumer: definition.name,
    errorName: error.name,
    message: error.message,
    issues: error.issues.map(({ pointer, message }) => ({ pointer, message })),
  };
}

function asEventBridgeEvent(value: unknown): EventBridgeShape {
  const v = value as Partial<Record<keyof EventBridgeShape, unknown>> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.id !== 'string' ||
    typeof v.source !== 'string' ||
    typeof v['detail-type'] !== 'string' ||
    !('detail' in v)
  ) {
    throw new InvalidEventError('Not an EventBridge event (needs id, source, detail-type and detail)');
  }
  return v as EventBridgeShape;
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? at : undefined;
}
