/**
 * The event-source filter of `evtgen dev`'s stream poller (record-filter.ts): Lambda's
 * `FilterCriteria` semantics on real-shaped DynamoDB stream records — the relay's own filter
 * `{"eventName":["INSERT"]}`, exact values in nested objects, arrays in the record, `prefix`,
 * `exists`, `anything-but` — and the refusal of every operator it does not evaluate.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { assertSupportedFilter, matchesFilter } from '../../generator/dev/record-filter.js';

const streamArn =
  'arn:aws:dynamodb:us-east-1:123456789012:table/OrdersService-OutboxTable/stream/2026-01-01T00:00:00.000';

/** An outbox row as the relay's stream delivers it (NEW_IMAGE, DynamoDB's attribute-value form); `undefined` in `image` leaves a field out. */
function outboxRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  image: Record<string, unknown> = {},
): DynamoDBRecord {
  const id = 'b7c3a1f0-5d2e-4c8b-9a61-0f6e2d4c8a10';
  const newImage = Object.fromEntries(
    Object.entries({
      id: { S: id },
      typeName: { S: 'OrderPlaced' },
      eventBusName: { S: 'orders-bus' },
      source: { S: 'com.example.orders' },
      detailType: { S: 'OrderPlaced' },
      detail: { S: '{"orderId":"o-1","total":42}' },
      createdAt: { S: '2026-01-01T00:00:00.000Z' },
      expiration: { N: '1767830400' },
      ...image,
    }).filter(([, value]) => value !== undefined),
  );
  return {
    eventID: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c',
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: 1_767_225_600,
      Keys: { id: { S: id } },
      ...(eventName === 'REMOVE'
        ? {}
        : {
            NewImage: newImage as never,
          }),
      SequenceNumber: '1100000000017454423009',
      SizeBytes: 312,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const parse = (json: string) => JSON.parse(json) as { readonly [key: string]: unknown };

describe('the relay\'s filter {"eventName":["INSERT"]}', () => {
  const relayFilter = parse('{"eventName":["INSERT"]}');

  it('passes an INSERT and drops a MODIFY and a REMOVE', () => {
    assertSupportedFilter('{"eventName":["INSERT"]}', 'outboxRelay');
    expect(matchesFilter(relayFilter, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(relayFilter, outboxRecord('MODIFY'))).toBe(false);
    expect(matchesFilter(relayFilter, outboxRecord('REMOVE'))).toBe(false);
  });

  it('lists alternatives in the array (either value matches)', () => {
    const either = parse('{"eventName":["INSERT","MODIFY"]}');
    expect(matchesFilter(either, outboxRecord('MODIFY'))).toBe(true);
    expect(matchesFilter(either, outboxRecord('REMOVE'))).toBe(false);
  });
});

describe('exact values and nested objects', () => {
  it('matches a value deep in the image, every field of the pattern having to match', () => {
    const pattern = parse(
      '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"typeName":{"S":["OrderPlaced"]},"eventBusName":{"S":["orders-bus"]}}}}',
    );
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('INSERT', { eventBusName: { S: 'other-bus' } }))).toBe(false);
    expect(matchesFilter(pattern, outboxRecord('MODIFY'))).toBe(false);
  });

  it('compares numbers as DynamoDB writes them (strings in N)', () => {
    expect(
      matchesFilter(
        parse('{"dynamodb":{"NewImage":{"expiration":{"N":["1767830400"]}}}}'),
        outboxRecord('INSERT'),
      ),
    ).toBe(true);
    expect(
      matchesFilter(
        parse('{"dynamodb":{"NewImage":{"expiration":{"N":[1767830400]}}}}'),
        outboxRecord('INSERT'),
      ),
    ).toBe(false);
  });

  it('does not match a field the record lacks, nor a nested pattern where the record has a scalar', () => {
    expect(
      matchesFilter(parse('{"dynamodb":{"NewImage":{"tenant":{"S":["acme"]}}}}'), outboxRecord('INSERT')),
    ).toBe(false);
    // REMOVE records of a NEW_IMAGE stream have no NewImage at all.
    expect(
      matchesFilter(parse('{"dynamodb":{"NewImage":{"id":{"S":[{"prefix":""}]}}}}'), outboxRecord('REMOVE')),
    ).toBe(false);
    expect(matchesFilter(parse('{"eventName":{"S":["INSERT"]}}'), outboxRecord('INSERT'))).toBe(false);
  });

  it('matches null only against null', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"note":{"NULL":[true]}}}}');
    expect(matchesFilter(pattern, outboxRecord('INSERT', { note: { NULL: true } }))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(false);
  });
});

describe('arrays in the record', () => {
  const tagged = outboxRecord('INSERT', { tags: { SS: ['priority', 'eu-west', 'gift'] } });
  const untagged = outboxRecord('INSERT', { tags: { SS: ['standard'] } });

  it('match an exact value when any element equals it', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"tags":{"SS":["gift"]}}}}');
    expect(matchesFilter(pattern, tagged)).toBe(true);
    expect(matchesFilter(pattern, untagged)).toBe(false);
  });

  it('match prefix when any element starts with it', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"tags":{"SS":[{"prefix":"eu-"}]}}}}');
    expect(matchesFilter(pattern, tagged)).toBe(true);
    expect(matchesFilter(pattern, untagged)).toBe(false);
  });

  it('match anything-but when any element is not excluded', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"tags":{"SS":[{"anything-but":"standard"}]}}}}');
    expect(matchesFilter(pattern, tagged)).toBe(true);
    expect(matchesFilter(pattern, untagged)).toBe(false);
  });
});

describe('operators', () => {
  it('prefix matches strings that start with it, and nothing else', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"typeName":{"S":[{"prefix":"Order"}]}}}}');
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('INSERT', { typeName: { S: 'PaymentTaken' } }))).toBe(false);
    expect(matchesFilter(parse('{"dynamodb":{"SizeBytes":[{"prefix":"3"}]}}'), outboxRecord('INSERT'))).toBe(
      false,
    );
    expect(matchesFilter(parse('{"eventName":[{"prefix":"INS"}]}'), outboxRecord('INSERT'))).toBe(true);
  });

  it('exists true matches a present field, exists false an absent one (missing parents included)', () => {
    const present = parse('{"dynamodb":{"NewImage":{"expiration":[{"exists":true}]}}}');
    const absent = parse('{"dynamodb":{"NewImage":{"expiration":[{"exists":false}]}}}');
    const withoutExpiration = outboxRecord('INSERT', { expiration: undefined });
    expect(matchesFilter(present, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(present, withoutExpiration)).toBe(false);
    expect(matchesFilter(absent, withoutExpiration)).toBe(true);
    expect(matchesFilter(absent, outboxRecord('INSERT'))).toBe(false);
    expect(matchesFilter(absent, outboxRecord('REMOVE'))).toBe(true);
    expect(matchesFilter(parse('{"dynamodb":{"OldImage":[{"exists":false}]}}'), outboxRecord('INSERT'))).toBe(
      true,
    );
  });

  it('anything-but with a scalar excludes that value only', () => {
    const pattern = parse('{"eventName":[{"anything-but":"REMOVE"}]}');
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('MODIFY'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('REMOVE'))).toBe(false);
  });

  it('anything-but with a list excludes every value of it', () => {
    const pattern = parse('{"eventName":[{"anything-but":["REMOVE","MODIFY"]}]}');
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('MODIFY'))).toBe(false);
    expect(matchesFilter(pattern, outboxRecord('REMOVE'))).toBe(false);
  });

  it('anything-but does not match a missing field', () => {
    const pattern = parse('{"dynamodb":{"NewImage":{"tenant":{"S":[{"anything-but":"acme"}]}}}}');
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(false);
    expect(matchesFilter(pattern, outboxRecord('INSERT', { tenant: { S: 'globex' } }))).toBe(true);
  });

  it('combines conditions of one field as alternatives (exact value or prefix)', () => {
    const pattern = parse('{"eventName":["REMOVE",{"prefix":"MOD"}]}');
    expect(matchesFilter(pattern, outboxRecord('MODIFY'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('REMOVE'))).toBe(true);
    expect(matchesFilter(pattern, outboxRecord('INSERT'))).toBe(false);
  });
});

describe('unsupported operators', () => {
  it.each([
    [
      'numeric',
      '{"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",100]}]}}}}',
      '/dynamodb/NewImage/total/N',
    ],
    ['suffix', '{"dynamodb":{"NewImage":{"id":{"S":[{"suffix":"-1"}]}}}}', '/dynamodb/NewImage/id/S'],
    ['equals-ignore-case', '{"eventName":[{"equals-ignore-case":"insert"}]}', '/eventName'],
    ['wildcard', '{"eventSourceARN":["arn:x",{"wildcard":"*outbox*"}]}', '/eventSourceARN'],
  ])('refuses %s, naming the operator and where it is', (operator, pattern, path) => {
    expect(() => assertSupportedFilter(pattern, 'outboxRelay FilterCriteria')).toThrow(
      `outboxRelay FilterCriteria: the filter operator "${operator}" at ${path} is not evaluated by evtgen dev`,
    );
  });

  it('refuses an operator nested in anything-but (anything-but with prefix)', () => {
    expect(() =>
      assertSupportedFilter('{"eventName":[{"anything-but":{"prefix":"MOD"}}]}', 'outboxRelay'),
    ).toThrow(
      /outboxRelay: the filter operator "anything-but" with "prefix" at \/eventName is not evaluated/,
    );
  });

  it('accepts the supported operators wherever they are', () => {
    expect(() =>
      assertSupportedFilter(
        '{"eventName":["INSERT",{"prefix":"MOD"}],"dynamodb":{"NewImage":{"a":[{"exists":true}],"b":[{"anything-but":["x","y"]}],"c":[{"anything-but":"z"}]}}}',
        'outboxRelay',
      ),
    ).not.toThrow();
  });
});
