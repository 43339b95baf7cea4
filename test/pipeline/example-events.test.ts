import { describe, expect, it } from 'vitest';
import * as events from '../../generated/validators/events.js';
import type { ValidationResult } from '../../generated/validators/result.js';
import { loadContract } from '../../generator/model/build-model.js';
import { repoRoot } from '../helpers/project.js';

/**
 * The committed generated validators, run on the example events of specs/orders.asyncapi.yaml:
 * every example must pass, and realistic corruptions of them must fail at the right pointer.
 */
const { model } = await loadContract(repoRoot, `${repoRoot}/specs`);
if (!model) throw new Error('the example specs must load without errors');

type Validator = (value: unknown) => ValidationResult<unknown>;
const validators = events as unknown as Record<string, Validator>;
const validatorFor = (typeName: string): Validator => {
  const validate = validators[`validate${typeName}`];
  if (!validate) throw new Error(`no generated validator for ${typeName}`);
  return validate;
};

const examples = model.events.flatMap((event) =>
  event.examples.map((example) => ({ event, example, label: `${event.messageName}/${example.name ?? '?'}` })),
);

describe('generated validators on the spec examples', () => {
  it('the example specs carry examples for every event type of the service', () => {
    // A pinned event of another service (ShipmentDispatched) carries the producer's schema, not its examples.
    expect(new Set(examples.map((e) => e.event.messageName))).toEqual(
      new Set(model.events.filter((e) => !e.external).map((e) => e.messageName)),
    );
  });

  it.each(examples)('$label is valid (payload, metadata, detail)', ({ event, example }) => {
    expect(validatorFor(event.names.payload)(example.payload)).toEqual({
      valid: true,
      value: example.payload,
    });
    if (event.names.metadata) expect(validatorFor(event.names.metadata)(example.headers).valid).toBe(true);
    const detail = { metadata: example.headers, data: example.payload };
    expect(validatorFor(event.names.detail)(detail).valid).toBe(true);
  });
});

type Mutation = [
  name: string,
  mutate: (payload: Record<string, unknown>) => void,
  pointer: string,
  keyword: string,
];

const clone = <T>(value: T): T => structuredClone(value);
const orderPlaced = examples.find((e) => e.event.messageName === 'OrderPlaced')?.example;

describe('corrupted OrderPlaced events fail at the offending pointer', () => {
  const mutations: Mutation[] = [
    ['missing required orderId', (p) => delete p.orderId, '/orderId', 'required'],
    ['orderId not a uuid', (p) => (p.orderId = 'order-1'), '/orderId', 'format'],
    ['unknown status', (p) => (p.status = 'lost'), '/status', 'enum'],
    [
      'customer e-mail malformed',
      (p) => ((p.customer as Record<string, unknown>).email = 'ada-at-example'),
      '/customer/email',
      'format',
    ],
    ['no order lines', (p) => (p.lines = []), '/lines', 'minItems'],
    [
      'quantity zero',
      (p) => (((p.lines as Record<string, unknown>[])[0] as Record<string, unknown>).quantity = 0),
      '/lines/0/quantity',
      'minimum',
    ],
    ['placedAt not a date-time', (p) => (p.placedAt = 'yesterday'), '/placedAt', 'format'],
    ['unexpected property', (p) => (p.couponCode = 'X'), '/couponCode', 'additionalProperties'],
    [
      'line2 of the wrong type',
      (p) => ((p.shippingAddress as Record<string, unknown>).line2 = 7),
      '/shippingAddress/line2',
      'type',
    ],
  ];

  it.each(mutations)('%s', (_name, mutate, pointer, keyword) => {
    const payload = clone(orderPlaced?.payload) as Record<string, unknown>;
    mutate(payload);
    const result = events.validateOrderPlaced(payload);
    expect(result.valid).toBe(false);
    const issues = result.valid ? [] : result.issues;
    expect(issues.map((i) => [i.pointer, i.keyword])).toContainEqual([pointer, keyword]);
    expect(events.isOrderPlaced(payload)).toBe(false);
  });

  it('nullable line2 accepts null (3.1-style type: [string, null])', () => {
    const payload = clone(orderPlaced?.payload) as Record<string, unknown>;
    (payload.shippingAddress as Record<string, unknown>).line2 = null;
    expect(events.isOrderPlaced(payload)).toBe(true);
  });

  it('a detail without metadata fails at /metadata', () => {
    const result = events.validateOrderPlacedDetail({ data: orderPlaced?.payload });
    expect(result.valid ? [] : result.issues.map((i) => i.pointer)).toEqual(['/metadata']);
  });
});
