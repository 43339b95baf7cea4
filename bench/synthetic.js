// Deterministic synthetic specs for the benchmarks: an AsyncAPI 3.0 document with `events` event
// types and an OpenAPI 3.1 document with `operations` operations, shaped like a commerce platform and
// laid out like the repository's example (specs/orders.*.yaml).
// The same (events, operations, seed) always gives the same bytes.
//
//   node bench/synthetic.js <projectDir> [events=500] [operations=200] [seed=1] [layout=bus|domains]
// writes <projectDir>/specs/events.asyncapi.yaml and <projectDir>/specs/api.openapi.yaml.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

// biome-ignore format: a word list reads best packed
const entities = [
  'Order', 'Payment', 'Shipment', 'Invoice', 'Refund', 'Cart', 'Customer', 'Product', 'Coupon', 'Review',
  'Subscription', 'Warehouse', 'Ticket', 'Account', 'Wishlist', 'Carrier', 'Supplier', 'PurchaseOrder',
  'GiftCard', 'Promotion', 'Catalog', 'Bundle', 'Voucher', 'Parcel', 'Quote',
];
// biome-ignore format: a word list reads best packed
const verbs = [
  'Created', 'Updated', 'Deleted', 'Approved', 'Rejected', 'Cancelled', 'Completed', 'Failed', 'Expired',
  'Renewed', 'Archived', 'Restored', 'Assigned', 'Released', 'Locked', 'Unlocked', 'Verified', 'Flagged',
  'Scheduled', 'Reminded',
];
// biome-ignore format: a word list reads best packed
const statusWords = [
  'pending', 'active', 'on_hold', 'in_review', 'approved', 'rejected', 'completed', 'cancelled', 'failed',
  'expired', 'archived', 'draft',
];

/** How many entities (and so channels in the `domains` layout, consumers in both) there are at most. */
export const entityCount = entities.length;

/** mulberry32: a tiny seeded PRNG, so the specs are identical on every machine and run. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const camel = (name) => name[0].toLowerCase() + name.slice(1);
const plural = (word) => (word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`);
const words = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2');

/** The i-th event type: entity-major, so small documents still span every domain. */
function eventAt(i) {
  const entity = entities[i % entities.length];
  const round = Math.floor(i / entities.length);
  const verb = verbs[round % verbs.length];
  const generation = Math.floor(round / verbs.length);
  const suffix = generation === 0 ? '' : `V${generation + 1}`;
  return { entity, verb, name: `${entity}${verb}${suffix}` };
}

function pick(rand, list, count) {
  const pool = [...list];
  const out = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

const money = (components) => ({ $ref: `#/components/schemas/${components.money}` });

/** Property factories for event payloads: realistic shapes (nesting, arrays, enums, formats, refs). */
const propertyPool = {
  status: (rand) => ({ type: 'string', enum: pick(rand, statusWords, 3 + Math.floor(rand() * 3)) }),
  amount: (_, c) => money(c),
  actor: () => ({ $ref: '#/components/schemas/ActorRef' }),
  shippingAddress: () => ({ $ref: '#/components/schemas/PostalAddress' }),
  location: () => ({ $ref: '#/components/schemas/GeoPoint' }),
  audit: () => ({ $ref: '#/components/schemas/AuditStamp' }),
  lineItems: (_, c) => ({
    type: 'array',
    minItems: 1,
    maxItems: 200,
    items: {
      type: 'object',
      required: ['sku', 'quantity', 'unitPrice'],
      properties: {
        sku: { type: 'string', pattern: '^[A-Z0-9]{3,12}-[A-Z0-9]{2,6}$' },
        quantity: { type: 'integer', minimum: 1, maximum: 9999 },
        unitPrice: money(c),
        discountRate: { type: 'number', minimum: 0, maximum: 1 },
        giftWrapped: { type: 'boolean' },
      },
    },
  }),
  tags: () => ({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 40 }, uniqueItems: true }),
  attributes: () => ({ type: 'object', additionalProperties: { type: 'string' }, maxProperties: 50 }),
  contactEmail: () => ({ type: 'string', format: 'email' }),
  callbackUrl: () => ({ type: 'string', format: 'uri' }),
  note: () => ({ type: ['string', 'null'], maxLength: 500, description: 'Free text; null when cleared.' }),
  reason: (rand) => ({
    type: 'object',
    required: ['code'],
    properties: {
      code: {
        type: 'string',
        enum: pick(rand, ['timeout', 'declined', 'fraud', 'duplicate', 'manual', 'policy'], 4),
      },
      message: { type: 'string', maxLength: 1000 },
      retryable: { type: 'boolean', default: false },
    },
  }),
  schedule: () => ({
    type: 'object',
    required: ['startsAt'],
    properties: {
      startsAt: { type: 'string', format: 'date-time' },
      endsAt: { type: 'string', format: 'date-time' },
      timezone: { type: 'string', examples: ['Europe/Oslo'] },
      recurrence: { type: 'string', enum: ['none', 'daily', 'weekly', 'monthly'], default: 'none' },
    },
  }),
  quantity: () => ({ type: 'integer', minimum: 0 }),
  priority: () => ({ type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }),
  revision: () => ({ type: 'integer', minimum: 1, description: 'Monotonic revision of the aggregate.' }),
  paymentMethod: () => ({
    oneOf: [
      {
        type: 'object',
        required: ['kind', 'last4'],
        properties: {
          kind: { type: 'string', const: 'card' },
          last4: { type: 'string', pattern: '^[0-9]{4}$' },
          brand: { type: 'string', enum: ['visa', 'mastercard', 'amex'] },
        },
      },
      {
        type: 'object',
        required: ['kind', 'iban'],
        properties: {
          kind: { type: 'string', const: 'bank_transfer' },
          iban: { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$' },
        },
      },
    ],
  }),
  dimensions: () => ({
    type: 'object',
    properties: {
      weightGrams: { type: 'integer', minimum: 0 },
      lengthMm: { type: 'integer', minimum: 0 },
      widthMm: { type: 'integer', minimum: 0 },
      heightMm: { type: 'integer', minimum: 0 },
    },
  }),
  effectiveDate: () => ({ type: 'string', format: 'date' }),
  clientIp: () => ({ type: 'string', format: 'ipv4' }),
  previousState: (rand) => ({
    type: 'object',
    description: 'The aggregate before this change.',
    properties: {
      status: { type: 'string', enum: pick(rand, statusWords, 4) },
      changedAt: { type: 'string', format: 'date-time' },
      changedBy: { $ref: '#/components/schemas/ActorRef' },
      snapshot: {
        type: 'object',
        properties: {
          revision: { type: 'integer', minimum: 1 },
          checksum: { type: 'string', pattern: '^[a-f0-9]{64}$' },
        },
      },
    },
  }),
};
const propertyNames = Object.keys(propertyPool);

function payloadSchema(rand, event, components) {
  const idKey = `${camel(event.entity)}Id`;
  const chosen = pick(rand, propertyNames, 4 + Math.floor(rand() * 6));
  const properties = {
    [idKey]: {
      type: 'string',
      format: 'uuid',
      description: `Id of the ${words(event.entity).toLowerCase()}.`,
    },
    occurredAt: { type: 'string', format: 'date-time' },
  };
  for (const name of chosen) properties[name] = propertyPool[name](rand, components);
  const required = [idKey, 'occurredAt', ...chosen.filter(() => rand() < 0.4)];
  return {
    type: 'object',
    description: `Payload of ${words(event.name)}.`,
    required,
    ...(rand() < 0.5 ? { additionalProperties: false } : {}),
    properties,
  };
}

const headersSchema = {
  type: 'object',
  required: ['correlationId'],
  properties: {
    correlationId: { type: 'string', format: 'uuid', description: 'Correlates every event of one request.' },
    causationId: { type: 'string', format: 'uuid' },
    traceparent: { type: 'string', pattern: '^00-[a-f0-9]{32}-[a-f0-9]{16}-[a-f0-9]{2}$' },
    tenantId: { type: 'string', minLength: 1, maxLength: 64 },
  },
};

const sharedEventSchemas = {
  Money: {
    type: 'object',
    required: ['amount', 'currency'],
    properties: {
      amount: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,4})?$', description: 'Decimal as text.' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code.' },
    },
  },
  PostalAddress: {
    type: 'object',
    required: ['line1', 'city', 'country'],
    properties: {
      line1: { type: 'string' },
      line2: { type: 'string' },
      city: { type: 'string' },
      postalCode: { type: 'string', maxLength: 16 },
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
    },
  },
  ActorRef: {
    type: 'object',
    required: ['kind', 'id'],
    properties: {
      kind: { type: 'string', enum: ['user', 'service', 'system'] },
      id: { type: 'string', minLength: 1 },
      displayName: { type: 'string' },
    },
  },
  GeoPoint: {
    type: 'object',
    required: ['lat', 'lon'],
    properties: {
      lat: { type: 'number', minimum: -90, maximum: 90 },
      lon: { type: 'number', minimum: -180, maximum: 180 },
    },
  },
  AuditStamp: {
    type: 'object',
    required: ['at', 'by'],
    properties: {
      at: { type: 'string', format: 'date-time' },
      by: { $ref: '#/components/schemas/ActorRef' },
    },
  },
  EventMetadata: headersSchema,
};

function message(event, i, payload) {
  return {
    name: event.name,
    title: words(event.name),
    summary: `A ${words(event.entity).toLowerCase()} was ${event.verb.toLowerCase()}.`,
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/DefaultCorrelationId' },
    // Most messages share the metadata schema; some declare their headers inline.
    headers: i % 3 === 2 ? structuredClone(headersSchema) : { $ref: '#/components/schemas/EventMetadata' },
    payload,
    'x-eventbridge': {
      detailType: words(event.name),
      ...(i % 7 === 3 ? { source: `com.example.synthetic.${kebab(event.entity)}` } : {}),
    },
  };
}

/** A consumer of some events of one entity: SQS-fed (with the official sqs binding) or direct. */
function projector(entity, channelRef, messageRefs) {
  const queue = `${kebab(entity)}-projector`;
  const delivery = entity.length % 2 === 0 ? 'queue' : 'direct';
  const sqs = {
    bindingVersion: '0.2.0',
    queues: [
      {
        name: queue,
        fifoQueue: false,
        visibilityTimeout: 360,
        messageRetentionPeriod: 345600,
        redrivePolicy: { deadLetterQueue: { name: `${queue}-dlq` }, maxReceiveCount: 5 },
      },
      { name: `${queue}-dlq`, fifoQueue: false, messageRetentionPeriod: 1209600 },
    ],
  };
  return {
    action: 'receive',
    channel: channelRef,
    summary: `Projects ${words(entity).toLowerCase()} events into the read model.`,
    messages: messageRefs,
    'x-consumer': {
      name: queue,
      delivery,
      batchSize: 10,
      maxBatchingWindowSeconds: 5,
      retryAttempts: 20,
      timeoutSeconds: 60,
      idempotencyKey: `detail.data.${camel(entity)}Id`,
    },
    ...(delivery === 'queue' ? { bindings: { sqs } } : {}),
  };
}

/**
 * `bus` (the default, as in specs/orders.asyncapi.yaml): one channel is the EventBridge bus and carries
 * every message; one send operation per event type; consumers receive subsets, an audit consumer all.
 */
function busLayout(events) {
  const bus = 'commerceEvents';
  const channelRef = { $ref: `#/channels/${bus}` };
  const ref = (name) => ({ $ref: `#/channels/${bus}/messages/${name}` });
  const operations = {};
  for (const event of events) {
    operations[`publish${event.name}`] = {
      action: 'send',
      channel: channelRef,
      summary: `Published when a ${words(event.entity).toLowerCase()} was ${event.verb.toLowerCase()}.`,
      messages: [ref(event.name)],
    };
  }
  for (const entity of new Set(events.map((e) => e.entity))) {
    const names = events.filter((e) => e.entity === entity).map((e) => e.name);
    operations[`project${entity}Events`] = projector(
      entity,
      channelRef,
      names.filter((_, i) => i % 2 === 0).map(ref),
    );
  }
  operations.auditAllEvents = {
    action: 'receive',
    channel: channelRef,
    summary: 'Appends every event to the audit log.',
    messages: events.map((e) => ref(e.name)),
    'x-consumer': { name: 'audit', delivery: 'direct', retryAttempts: 3, maxEventAgeSeconds: 600 },
  };
  const messages = Object.fromEntries(
    events.map((e) => [e.name, { $ref: `#/components/messages/${e.name}` }]),
  );
  const channels = {
    [bus]: {
      address: 'synthetic-commerce-bus',
      title: 'Commerce events',
      description: 'The EventBridge bus; consumers subscribe with rules on source and detail-type.',
      messages,
    },
  };
  return { channels, operations };
}

/** `domains`: one channel per entity, each with one send operation (all its events) and one consumer. */
function domainsLayout(events) {
  const channels = {};
  const operations = {};
  for (const entity of new Set(events.map((e) => e.entity))) {
    const key = camel(entity);
    const names = events.filter((e) => e.entity === entity).map((e) => e.name);
    const ref = (name) => ({ $ref: `#/channels/${key}/messages/${name}` });
    channels[key] = {
      address: `commerce.${kebab(entity)}`,
      description: `Events about ${plural(words(entity).toLowerCase())}.`,
      messages: Object.fromEntries(names.map((n) => [n, { $ref: `#/components/messages/${n}` }])),
    };
    operations[`publish${entity}Events`] = {
      action: 'send',
      channel: { $ref: `#/channels/${key}` },
      summary: `Publishes ${words(entity).toLowerCase()} events.`,
      messages: names.map(ref),
    };
    operations[`project${entity}Events`] = projector(
      entity,
      { $ref: `#/channels/${key}` },
      names.filter((_, i) => i % 2 === 0).map(ref),
    );
  }
  return { channels, operations };
}

/** AsyncAPI 3.0 with `eventCount` event types (messages), laid out as `layout` (`bus` or `domains`). */
export function syntheticAsyncApi(eventCount, seed = 1, layout = 'bus') {
  const rand = prng(seed);
  const components = { money: 'Money' };
  const events = Array.from({ length: eventCount }, (_, i) => eventAt(i));
  const messages = {};
  const schemas = structuredClone(sharedEventSchemas);
  events.forEach((event, i) => {
    const payload = payloadSchema(rand, event, components);
    // One message in five points at a differently named component schema (becomes a type alias).
    const byRef = i % 5 === 4;
    if (byRef) schemas[`${event.name}Data`] = payload;
    messages[event.name] = message(
      event,
      i,
      byRef ? { $ref: `#/components/schemas/${event.name}Data` } : payload,
    );
  });
  if (layout !== 'bus' && layout !== 'domains') throw new Error(`unknown layout ${layout}`);
  const { channels, operations } = layout === 'bus' ? busLayout(events) : domainsLayout(events);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Synthetic Commerce Events',
      version: '1.0.0',
      description: `${eventCount} synthetic event types (seed ${seed}, ${layout} layout) for benchmarks.`,
      'x-eventbridge': { source: 'com.example.synthetic', eventBusName: 'synthetic-commerce-bus' },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas,
      correlationIds: {
        DefaultCorrelationId: {
          description: 'The request correlation id, carried in the event metadata.',
          location: '$message.header#/correlationId',
        },
      },
    },
  };
}

const problem = { $ref: '#/components/responses/Problem' };
const operationKinds = ['list', 'create', 'get', 'replace', 'update', 'delete', 'listNotes', 'approve'];

/** OpenAPI 3.1: resources with CRUD, a sub-collection and an action, 8 operations per resource. */
export function syntheticOpenApi(operationCount, eventNames = new Set(), seed = 1) {
  const rand = prng(seed + 1000);
  const paths = {};
  const schemas = {
    MonetaryAmount: {
      type: 'object',
      required: ['amount', 'currency'],
      properties: {
        amount: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]{1,4})?$' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
    },
    ProblemDetails: {
      type: 'object',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer', minimum: 100, maximum: 599 },
        detail: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['pointer', 'message'],
            properties: { pointer: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
    PageInfo: {
      type: 'object',
      required: ['page', 'limit', 'total'],
      properties: {
        page: { type: 'integer', minimum: 1 },
        limit: { type: 'integer', minimum: 1, maximum: 100 },
        total: { type: 'integer', minimum: 0 },
        next: { type: ['string', 'null'], format: 'uri' },
      },
    },
    Note: {
      type: 'object',
      required: ['id', 'text', 'createdAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        text: { type: 'string', maxLength: 4000 },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
  };
  const resources = Math.ceil(operationCount / operationKinds.length);
  let remaining = operationCount;
  for (let r = 0; r < resources; r++) {
    const entity = `${entities[r % entities.length]}${r < entities.length ? '' : `Gen${Math.floor(r / entities.length) + 1}`}`;
    const collection = `/${kebab(plural(entity))}`;
    const idParam = `${camel(entity)}Id`;
    const item = `${collection}/{${idParam}}`;
    const statuses = pick(rand, statusWords, 4);
    schemas[`${entity}Input`] = {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        description: { type: ['string', 'null'] },
        status: { type: 'string', enum: statuses },
        price: { $ref: '#/components/schemas/MonetaryAmount' },
        labels: { type: 'array', items: { type: 'string' }, maxItems: 20 },
        settings: {
          type: 'object',
          properties: {
            visible: { type: 'boolean', default: true },
            rank: { type: 'integer', minimum: 0 },
            contact: { type: 'string', format: 'email' },
          },
        },
      },
    };
    schemas[`${entity}Resource`] = {
      allOf: [
        { $ref: `#/components/schemas/${entity}Input` },
        {
          type: 'object',
          required: ['id', 'createdAt', 'revision'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            revision: { type: 'integer', minimum: 1 },
          },
        },
      ],
    };
    const resourceRef = { $ref: `#/components/schemas/${entity}Resource` };
    const inputBody = {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${entity}Input` } } },
    };
    const ok = (schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
    const emits = (verb) =>
      eventNames.has(`${entities[r % entities.length]}${verb}`)
        ? { 'x-emits': [`${entities[r % entities.length]}${verb}`] }
        : {};
    const tag = [words(entity)];
    const ops = {
      list: [
        collection,
        'get',
        {
          operationId: `list${plural(entity)}`,
          summary: `Lists ${plural(words(entity).toLowerCase())}.`,
          tags: tag,
          parameters: [
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            { name: 'status', in: 'query', schema: { type: 'string', enum: statuses } },
            { name: 'createdAfter', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'sort', in: 'query', schema: { type: 'string', pattern: '^-?(createdAt|name)$' } },
          ],
          responses: {
            200: ok({
              type: 'object',
              required: ['items', 'page'],
              properties: {
                items: { type: 'array', items: resourceRef },
                page: { $ref: '#/components/schemas/PageInfo' },
              },
            }),
            400: problem,
          },
        },
      ],
      create: [
        collection,
        'post',
        {
          operationId: `create${entity}`,
          summary: `Creates a ${words(entity).toLowerCase()}.`,
          tags: tag,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: inputBody,
          responses: { 201: ok(resourceRef, 'Created'), 400: problem, 409: problem },
          ...emits('Created'),
        },
      ],
      get: [
        item,
        'get',
        {
          operationId: `get${entity}`,
          tags: tag,
          responses: { 200: ok(resourceRef), 404: problem },
        },
      ],
      replace: [
        item,
        'put',
        {
          operationId: `replace${entity}`,
          tags: tag,
          requestBody: inputBody,
          responses: { 200: ok(resourceRef), 400: problem, 404: problem },
          ...emits('Updated'),
        },
      ],
      update: [
        item,
        'patch',
        {
          operationId: `update${entity}`,
          tags: tag,
          parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: {
              'application/merge-patch+json': {
                schema: {
                  type: 'object',
                  minProperties: 1,
                  properties: {
                    name: { type: 'string', minLength: 1 },
                    status: { type: 'string', enum: statuses },
                    price: { $ref: '#/components/schemas/MonetaryAmount' },
                  },
                },
              },
            },
          },
          responses: { 200: ok(resourceRef), 400: problem, 404: problem, 412: problem },
          ...emits('Updated'),
        },
      ],
      delete: [
        item,
        'delete',
        {
          operationId: `delete${entity}`,
          tags: tag,
          responses: { 204: { description: 'Deleted' }, 404: problem },
          ...emits('Deleted'),
        },
      ],
      listNotes: [
        `${item}/notes`,
        'get',
        {
          operationId: `list${entity}Notes`,
          tags: tag,
          parameters: [
            { name: idParam, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          ],
          responses: {
            200: ok({ type: 'array', items: { $ref: '#/components/schemas/Note' } }),
            404: problem,
          },
        },
      ],
      approve: [
        `${item}/approve`,
        'post',
        {
          operationId: `approve${entity}`,
          tags: tag,
          parameters: [
            { name: idParam, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { comment: { type: 'string', maxLength: 500 }, notify: { type: 'boolean' } },
                },
              },
            },
          },
          responses: { 202: ok(resourceRef, 'Accepted'), 404: problem, 409: problem },
          ...emits('Approved'),
        },
      ],
    };
    for (const kind of operationKinds) {
      if (remaining === 0) break;
      remaining--;
      const [path, method, operation] = ops[kind];
      paths[path] ??= {};
      if (path === item && !paths[path].parameters) {
        paths[path].parameters = [
          { name: idParam, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ];
      }
      paths[path][method] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Synthetic Commerce API', version: '1.0.0' },
    'x-throttling': { rateLimit: 100, burstLimit: 200 },
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      responses: {
        Problem: {
          description: 'An RFC 9457 problem.',
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
          },
        },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/** Both documents for one size; event names let `x-emits` name only messages that exist. */
export function syntheticSpecs({ events, operations, seed = 1, layout = 'bus' }) {
  const asyncapi = syntheticAsyncApi(events, seed, layout);
  const openapi = syntheticOpenApi(operations, new Set(Object.keys(asyncapi.components.messages)), seed);
  return { asyncapi, openapi };
}

/** Writes `specs/events.asyncapi.yaml` and `specs/api.openapi.yaml` under `projectDir`. */
export async function writeSyntheticProject(projectDir, size) {
  const { asyncapi, openapi } = syntheticSpecs(size);
  const specs = join(projectDir, 'specs');
  await mkdir(specs, { recursive: true });
  const files = { asyncapi: join(specs, 'events.asyncapi.yaml'), openapi: join(specs, 'api.openapi.yaml') };
  await writeFile(files.asyncapi, stringify(asyncapi, { lineWidth: 0, aliasDuplicateObjects: false }));
  await writeFile(files.openapi, stringify(openapi, { lineWidth: 0, aliasDuplicateObjects: false }));
  return { asyncapi, openapi, files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, events = '500', operations = '200', seed = '1', layout = 'bus'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/synthetic.js <projectDir> [events] [operations] [seed] [bus|domains]');
    process.exit(2);
  }
  const { files } = await writeSyntheticProject(dir, {
    events: Number(events),
    operations: Number(operations),
    seed: Number(seed),
    layout,
  });
  console.log(`wrote ${files.asyncapi}\nwrote ${files.openapi}`);
}
