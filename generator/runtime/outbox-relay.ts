/**
 * The outbox relay: a Lambda function on the outbox table's DynamoDB stream that publishes every new
 * row to EventBridge, in stream order, with the publisher's retry policy. What still fails is
 * reported as a batch item failure: Lambda then retries from that record (with bisection) and,
 * after its retry attempts, sends the batch's coordinates to the relay's dead-letter queue; the row
 * itself stays in the table (TTL days) to be replayed. A repeat publication carries the same
 * `detail.eventId`, which consumers deduplicate on.
 */
import type {
  AttributeValue,
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import { countEvents, type Observability, observeInvocation } from './observability.js';
import type { OutboxRecord } from './outbox.js';
import { EventPublisher, entrySize, type PreparedEvent, type PublisherOptions } from './publisher.js';

export type OutboxRelayOptions = Omit<PublisherOptions, 'correlationId' | 'observability' | 'eventBusName'>;

export type OutboxRelayHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse>;

/** Builds the relay's Lambda handler. */
export function createOutboxRelay(
  observability: Observability,
  defaultEventBusName: string,
  options: OutboxRelayOptions = {},
): OutboxRelayHandler {
  const publisher = new EventPublisher([], defaultEventBusName, { ...options, observability });
  const { logger, metrics } = observability;
  return (event, context) =>
    observeInvocation(observability, context, async () => {
      const pending: { record: DynamoDBRecord; event: PreparedEvent }[] = [];
      for (const record of event.Records) {
        if (record.eventName !== 'INSERT') continue;
        const row = readRow(record.dynamodb?.NewImage);
        if (!row) {
          // Not an outbox row (written by something else): it can never be published, and holding
          // the shard for it would stop every event behind it. Logged and counted, with its keys.
          countEvents(metrics, 'EventsPublishFailed', 'OutboxRowInvalid');
          logger.error('Outbox row without the fields the relay needs: skipped', {
            keys: record.dynamodb?.Keys,
            sequenceNumber: record.dynamodb?.SequenceNumber,
          });
          continue;
        }
        pending.push({ record, event: toPrepared(row) });
      }
      if (pending.length === 0) return { batchItemFailures: [] };
      const result = await publisher.send(
        pending.map((p) => p.event),
        { throwOnFailure: false },
      );
      const failedIds = new Set(result.failed.map((f) => f.eventId));
      // Lambda re-reads the stream from the lowest reported sequence number: report the first
      // failure in stream order (the rows after it come again; their events were published or are
      // deduplicated by consumers on the producer id).
      const firstFailed = pending.find((p) => failedIds.has(p.event.eventId));
      logger.info('Outbox relayed', {
        published: result.published.length,
        failed: result.failed.length,
      });
      const sequenceNumber = firstFailed?.record.dynamodb?.SequenceNumber;
      return { batchItemFailures: sequenceNumber ? [{ itemIdentifier: sequenceNumber }] : [] };
    });
}

function toPrepared(row: OutboxRecord): PreparedEvent {
  const entry = {
    EventBusName: row.eventBusName,
    Source: row.source,
    DetailType: row.detailType,
    Detail: row.detail,
  };
  return {
    typeName: row.typeName,
    eventId: row.id,
    detail: JSON.parse(row.detail),
    entry,
    bytes: entrySize(entry),
  };
}

/** The row from a stream image (DynamoDB's attribute-value form), or undefined when it is not one. */
function readRow(image: Record<string, AttributeValue> | undefined): OutboxRecord | undefined {
  if (!image) return undefined;
  const text = (name: string) => image[name]?.S;
  const [id, typeName, eventBusName, source, detailType, detail, createdAt] = [
    'id',
    'typeName',
    'eventBusName',
    'source',
    'detailType',
    'detail',
    'createdAt',
  ].map(text);
  const expiration = Number(image.expiration?.N);
  if (!id || !typeName || !eventBusName || !source || !detailType || !detail || !createdAt) return undefined;
  try {
    JSON.parse(detail);
  } catch {
    return undefined;
  }
  return { id, typeName, eventBusName, source, detailType, detail, createdAt, expiration };
}
