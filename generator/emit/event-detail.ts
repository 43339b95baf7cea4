import type { EventType, JsonSchema } from '../model/contract.js';

/**
 * `detail.schemaVersion`: the registry version of the event's schema, stamped by the generated
 * publishers. evtgen owns it (beside `metadata` and `data`) because the spec's metadata schema may
 * be closed (`additionalProperties: false`): putting it there would make the validators reject it.
 */
export const schemaVersionSchema = {
  description:
    'The evtgen registry version of this event type the producer was generated from (absent when unpublished).',
  type: 'integer',
  minimum: 1,
} as const;

/**
 * `detail.eventId`: the producer's id of the event, stamped by the generated publishers and outbox.
 * It stays the same across publisher retries and outbox relays (EventBridge's own `id` is new on
 * every PutEvents), so consumers deduplicate on it. Optional in the schema: events of producers
 * generated before it existed stay valid.
 */
export const eventIdSchema = {
  description:
    "The producer's id of this event: the same on every retry and relay; consumers deduplicate on it.",
  type: 'string',
  // 1–128 characters without white space; a pattern rather than min/maxLength keeps ajv's
  // ucs2length helper (and its `require` text) out of validators that need no other length check.
  pattern: '^\\S{1,128}$',
} as const;

/**
 * The EventBridge `detail` of an event, `{metadata, data, eventId?, schemaVersion?}`, with `$ref`s to
 * `#/definitions/<Name>`: what the validators check in one pass (pointers read `/data/lines/0`), what
 * the registry stores and what AWS's Schema Registry holds under `detail`.
 */
export function eventDetailSchema(event: EventType): Record<string, unknown> {
  const metadata: JsonSchema = event.names.metadata
    ? { $ref: `#/definitions/${event.names.metadata}` }
    : { type: 'object' };
  return {
    type: 'object',
    required: event.names.metadata ? ['metadata', 'data'] : ['data'],
    properties: {
      metadata,
      data: { $ref: `#/definitions/${event.names.payload}` },
      eventId: eventIdSchema,
      schemaVersion: schemaVersionSchema,
    },
  };
}
