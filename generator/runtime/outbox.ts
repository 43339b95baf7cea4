/**
 * The transactional outbox: "store the business change and publish its event" as one DynamoDB
 * transaction. A handler writes its item and an outbox row in the same `TransactWriteItems` call;
 * either both exist or neither does. The outbox table's stream feeds the relay
 * (`outbox-relay.ts`), which publishes each row to EventBridge with retries and a dead-letter queue,
 * so an event is never lost between the write and the bus, and never sent for a write that failed.
 *
 * The row carries the complete, validated PutEvents entry and the producer's event id, so the relay
 * needs no schema and every re-publication (relay retry, replay) carries the same `detail.eventId`.
 */
import { randomUUID } from 'node:crypto';
import {
  type OutgoingEvent,
  type PreparedEvent,
  type PublishedEventDefinition,
  prepareEvent,
} from './publisher.js';

/** Rows stay this long after they were written (TTL), for replay and inspection. */
const defaultRetentionDays = 7;

export interface OutboxOptions {
  /** The outbox table (default `OUTBOX_TABLE_NAME`). */
  readonly tableName?: string;
  /** The bus the relay publishes to (default `EVENT_BUS_NAME`, then the AsyncAPI document's). */
  readonly eventBusName?: string;
  /** Correlation id stamped on events whose metadata does not set one (default: a new UUID). */
  readonly correlationId?: string;
  /** Days a row is kept after it was written (DynamoDB TTL on `expiration`; default 7). */
  readonly retentionDays?: number;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/** One outbox row: a PutEvents entry waiting to be relayed. Partition key `id`. */
export interface OutboxRecord {
  /** The producer's event id (`detail.eventId`): one row per event, whatever retries happen. */
  id: string;
  typeName: string;
  eventBusName: string;
  source: string;
  detailType: string;
  /** The EventBridge `detail`, as JSON text (validated when the row was made). */
  detail: string;
  createdAt: string;
  /** TTL, in seconds since the epoch. */
  expiration: number;
}

/**
 * A `TransactItems` element for `@aws-sdk/lib-dynamodb`'s `TransactWriteCommand` (plain values, no
 * attribute-value marshalling). The condition makes a second row with the same event id fail the
 * whole transaction instead of overwriting the first.
 */
export interface OutboxPut {
  Put: {
    TableName: string;
    Item: OutboxRecord;
    ConditionExpression: string;
  };
}

export class EventOutbox {
  readonly #events: ReadonlyMap<string, PublishedEventDefinition>;
  readonly #options: OutboxOptions;
  readonly #busName: string;
  readonly #correlationId: string;

  constructor(
    events: readonly PublishedEventDefinition[],
    defaultBusName: string,
    options: OutboxOptions = {},
  ) {
    this.#events = new Map(events.map((e) => [e.typeName, e]));
    this.#options = options;
    this.#busName = options.eventBusName ?? process.env.EVENT_BUS_NAME ?? defaultBusName;
    this.#correlationId = options.correlationId ?? randomUUID();
  }

  /**
   * The outbox row of one event, validated now (an invalid or oversized event throws here, before
   * anything is written) — add it to the transaction that stores the business change.
   */
  entry(event: OutgoingEvent, index = 0): OutboxPut {
    const definition = this.#events.get(event.typeName);
    if (!definition) {
      throw new Error(
        `Unknown event type ${event.typeName}: this outbox takes ${[...this.#events.keys()].join(', ')}.`,
      );
    }
    const prepared = prepareEvent(definition, event, index, this.#correlationId, this.#busName);
    return {
      Put: {
        TableName: this.#tableName(),
        Item: this.#record(prepared),
        ConditionExpression: 'attribute_not_exists(id)',
      },
    };
  }

  #record(prepared: PreparedEvent): OutboxRecord {
    const now = this.#options.now?.() ?? new Date();
    const retentionDays = this.#options.retentionDays ?? defaultRetentionDays;
    return {
      id: prepared.eventId,
      typeName: prepared.typeName,
      eventBusName: prepared.entry.EventBusName ?? this.#busName,
      source: prepared.entry.Source ?? '',
      detailType: prepared.entry.DetailType ?? '',
      detail: prepared.entry.Detail ?? '{}',
      createdAt: now.toISOString(),
      expiration: Math.floor(now.getTime() / 1000) + retentionDays * 24 * 60 * 60,
    };
  }

  #tableName(): string {
    const name = this.#options.tableName ?? process.env.OUTBOX_TABLE_NAME;
    if (!name) {
      throw new Error(
        'Set OUTBOX_TABLE_NAME to the outbox table (the generated CDK construct does for every operation with x-emits).',
      );
    }
    return name;
  }
}
