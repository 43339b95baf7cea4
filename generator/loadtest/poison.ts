/**
 * Poison events for the faults phase of `evtgen load`: events put straight on the bus that look
 * like the service's own — valid metadata with a fresh event id and the run's correlation id, as
 * the generated publisher stamps them — but whose `data` the consumer's validator refuses (a
 * required property removed). The generated consumer must dead-letter each one, with the reason,
 * and never retry it forever: the run checks that every poison event ends in a dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { matchesFilter } from '../dev/record-filter.js';
import { isObject } from '../load/json-pointer.js';
import type { Consumer, ContractModel, EventType } from '../model/contract.js';
import { type ContractSchemas, contractSchemas, describeSchemaIssues } from './contract-schemas.js';

export interface PoisonOptions {
  /** How many poison events (consumers are taken in turn, then their event types). */
  readonly count: number;
  /** The service's own bus (a consumer of another service's events gets them on that service's bus). */
  readonly busName: string;
  /** The correlation id of each event (called once per event). */
  readonly correlationId: () => string;
  /** The clock for `date-time` metadata such as `occurredAt` (default: now). */
  readonly now?: () => Date;
}

export interface PoisonEvent {
  /** The PutEvents entry, ready to send. */
  readonly entry: PutEventsRequestEntry;
  /** `detail.eventId`: how the dead-letter queue's messages are matched to what was sent. */
  readonly eventId: string;
  readonly correlationId: string;
  /** The consumer the event was made for. */
  readonly consumer: string;
  /** Event type (payload type name). */
  readonly eventType: string;
  /** Every consumer whose rule takes the event: each of them must dead-letter it. */
  readonly receivers: readonly string[];
  /** `data.placedAt removed (required)`: why the consumer refuses it. */
  readonly reason: string;
}

/** What every poison event of one consumer and event type is made from. */
interface PoisonTemplate {
  readonly consumer: Consumer;
  readonly event: EventType;
  readonly metadata: Record<string, unknown> | undefined;
  readonly data: unknown;
  readonly reason: string;
  readonly dateTimeFields: readonly string[];
}

/** Builds `count` poison events; throws when the contract has no consumer or cannot be poisoned. */
export async function poisonEvents(model: ContractModel, options: PoisonOptions): Promise<PoisonEvent[]> {
  if (options.count <= 0) return [];
  const consumers = [...model.consumers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (consumers.length === 0) throw new Error('The contract has no consumers: there is nothing to poison.');
  const schemas = await contractSchemas(model);
  const templates = new Map<string, PoisonTemplate>();
  const templateOf = (consumer: Consumer, typeName: string): PoisonTemplate => {
    const key = `${consumer.name}\u0000${typeName}`;
    let template = templates.get(key);
    if (!template) {
      const event = model.events.find((e) => e.names.payload === typeName);
      if (!event)
        throw new Error(`${consumer.name} receives ${typeName}, which the contract does not define.`);
      template = poisonTemplate(consumer, event, schemas);
      templates.set(key, template);
    }
    return template;
  };
  const now = options.now ?? (() => new Date());
  const out: PoisonEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const consumer = consumers[i % consumers.length] as Consumer;
    const round = Math.floor(i / consumers.length);
    const typeName = consumer.events[round % consumer.events.length];
    if (typeName === undefined) continue;
    const template = templateOf(consumer, typeName);
    const correlationId = options.correlationId();
    const eventId = randomUUID();
    const detail = detailOf(template, correlationId, eventId, now());
    out.push({
      entry: {
        // A consumer of another service's event has its rule on that service's bus.
        EventBusName: consumer.bus?.arn ?? consumer.bus?.name ?? options.busName,
        Source: template.event.source,
        DetailType: template.event.detailType,
        Detail: JSON.stringify(detail),
      },
      eventId,
      correlationId,
      consumer: consumer.name,
      eventType: typeName,
      receivers: consumers
        .filter(
          (c) =>
            c.events.includes(typeName) &&
            c.bus?.name === consumer.bus?.name &&
            (!c.filter || matchesFilter(c.filter, detail)),
        )
        .map((c) => c.name),
      reason: template.reason,
    });
  }
  return out;
}

function detailOf(template: PoisonTemplate, correlationId: string, eventId: string, at: Date) {
  const metadata = template.metadata && structuredClone(template.metadata);
  const path = template.event.correlationIdPath;
  if (metadata) {
    for (const field of template.dateTimeFields) metadata[field] = at.toISOString();
    if (path?.length === 2 && path[0] === 'metadata' && path[1]) metadata[path[1]] = correlationId;
  }
  const version = template.event.registryVersion;
  return {
    ...(metadata ? { metadata } : {}),
    data: structuredClone(template.data),
    eventId,
    ...(typeof version === 'number' ? { schemaVersion: version } : {}),
  };
}

/**
 * The example's (else a sample's) metadata and data with one required property of `data` removed:
 * one the consumer's rule filter and idempotency key do not read, so the event still reaches the
 * consumer and fails at validation, not before.
 */
function poisonTemplate(consumer: Consumer, event: EventType, schemas: ContractSchemas): PoisonTemplate {
  const what = `${event.messageName} for ${consumer.name}`;
  const example = event.examples[0];
  const payloadSchema = { $ref: `#/definitions/${event.names.payload}` };
  const checkData = schemas.compile(payloadSchema, event.dialect);
  const valid = example?.payload !== undefined && checkData(example.payload).length === 0;
  const data: unknown = valid ? example?.payload : schemas.sample(payloadSchema);
  const metadataName = event.names.metadata;
  const metadataSchema = metadataName ? schemas.resolve({ $ref: `#/definitions/${metadataName}` }) : {};
  const metadataProperties = isObject(metadataSchema.properties) ? metadataSchema.properties : {};
  const dateTimeFields = Object.entries(metadataProperties)
    .filter(([, schema]) => isObject(schema) && schema.format === 'date-time')
    .map(([name]) => name);
  const metadata = metadataName
    ? ((isObject(example?.headers)
        ? example.headers
        : schemas.sample({ $ref: `#/definitions/${metadataName}` })) as Record<string, unknown>)
    : undefined;
  if (metadataName) {
    const probe = detailOf(
      { consumer, event, metadata, data, reason: '', dateTimeFields },
      randomUUID(),
      randomUUID(),
      new Date(),
    );
    const issues = schemas.compile({ $ref: `#/definitions/${metadataName}` }, event.dialect)(probe.metadata);
    if (issues.length > 0)
      throw new Error(
        `${what}: no valid metadata to send the poison event with (${describeSchemaIssues(issues)}).`,
      );
  }

  const required = schemas.resolve(payloadSchema).required;
  const keyField = /^detail\.data\.([^.]+)/.exec(consumer.idempotencyKey)?.[1];
  const filtered = new Set(isObject(consumer.filter?.data) ? Object.keys(consumer.filter.data) : []);
  const candidates = (Array.isArray(required) ? required : [])
    .filter((name): name is string => typeof name === 'string' && name !== keyField && !filtered.has(name))
    .reverse();
  for (const name of candidates) {
    if (!isObject(data) || !(name in data)) continue;
    const { [name]: _removed, ...rest } = data;
    if (checkData(rest).length > 0)
      return {
        consumer,
        event,
        metadata,
        data: rest,
        reason: `data.${name} removed (required)`,
        dateTimeFields,
      };
  }
  // Nothing to remove: data of the wrong type (a string where the schema wants the payload).
  const wrong = 'evtgen load poison';
  if (checkData(wrong).length > 0)
    return { consumer, event, metadata, data: wrong, reason: 'data replaced by a string', dateTimeFields };
  throw new Error(
    `${what}: its payload schema accepts anything, so no event can be refused by its validator.`,
  );
}
