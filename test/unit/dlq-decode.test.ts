/**
 * Dead-lettered messages decoded as evtgen events, one per way a message reaches a DLQ, with the
 * reason each hop attaches (the messages are shaped as SQS returns them with all attributes):
 * the generated consumer's own send, Lambda's on-failure record, EventBridge's target DLQ, SQS's
 * redrive — and a body that is not an event at all.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { decodeDeadLetter } from '../../generator/dlq/decode.js';
import { formatAge, renderConsumer } from '../../generator/dlq/render.js';
import { parseSince } from '../../generator/dlq/since.js';

const event = {
  version: '0',
  id: 'eb-1',
  source: 'com.example.orders',
  'detail-type': 'OrderPlaced',
  detail: {
    metadata: { correlationId: 'corr-1', occurredAt: '2026-12-05T10:00:00Z' },
    data: { orderId: 'o-1' },
    eventId: 'evt-1',
    schemaVersion: 2,
  },
};
const sent = Date.parse('2026-12-05T10:00:05Z');

function message(
  body: unknown,
  attributes: Record<string, string> = {},
  system: Record<string, string> = {},
): Message {
  return {
    MessageId: 'm-1',
    Body: typeof body === 'string' ? body : JSON.stringify(body),
    Attributes: { SentTimestamp: String(sent), ApproximateReceiveCount: '1', ...system },
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    ),
  };
}

describe('decodeDeadLetter', () => {
  it("reads the event's type, ids, schema version and queue time", () => {
    expect(decodeDeadLetter(message(event))).toMatchObject({
      messageId: 'm-1',
      queuedAt: '2026-12-05T10:00:05.000Z',
      eventType: 'OrderPlaced',
      source: 'com.example.orders',
      eventId: 'evt-1',
      correlationId: 'corr-1',
      schemaVersion: 2,
      event,
    });
  });

  it('a poison event the consumer sent itself: invalid, with its validation issues and receive count', () => {
    const letter = decodeDeadLetter(
      message(event, {
        'evtgen-error': 'InvalidEventError',
        'evtgen-reason':
          'Invalid OrderPlaced detail\n/data/orderId: must be string\n/data: must have required property lines',
        'evtgen-receive-count': '1',
      }),
    );
    expect(letter).toMatchObject({
      cause: 'invalid',
      reason: {
        errorName: 'InvalidEventError',
        message: 'Invalid OrderPlaced detail',
        issues: ['/data/orderId: must be string', '/data: must have required property lines'],
        attempts: 1,
      },
    });
  });

  it('an event whose handler failed every receive: the last error, and how many receives', () => {
    const letter = decodeDeadLetter(
      message(event, {
        'evtgen-error': 'TimeoutError',
        'evtgen-reason': 'warehouse did not answer',
        'evtgen-receive-count': '5',
      }),
    );
    expect(letter).toMatchObject({
      cause: 'failed',
      reason: { errorName: 'TimeoutError', message: 'warehouse did not answer', attempts: 5 },
      eventId: 'evt-1',
    });
    expect(letter.reason.issues).toBeUndefined();
  });

  it("Lambda's on-failure record: the event inside it, the error and the attempts", () => {
    const record = {
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, functionArn: 'arn:…' },
      requestPayload: event,
      responsePayload: { errorType: 'Error', errorMessage: 'audit store down' },
    };
    expect(decodeDeadLetter(message(record))).toMatchObject({
      cause: 'invoke-failed',
      eventId: 'evt-1',
      event,
      reason: { errorName: 'Error', message: 'Retries exhausted: audit store down', attempts: 3 },
    });
    const tooOld = { ...record, requestContext: { ...record.requestContext, condition: 'EventAgeExceeded' } };
    expect(decodeDeadLetter(message(tooOld)).reason.message).toMatch(/^Too old to retry/);
  });

  it("EventBridge's target DLQ: its error code and message", () => {
    const letter = decodeDeadLetter(
      message(event, {
        ERROR_CODE: 'SQSAccessDenied',
        ERROR_MESSAGE: 'not authorized to send',
        RULE_ARN: 'arn:rule',
      }),
    );
    expect(letter).toMatchObject({
      cause: 'undeliverable',
      reason: {
        errorName: 'SQSAccessDenied',
        message: 'EventBridge could not deliver it: not authorized to send',
      },
    });
  });

  it("SQS's own redrive: no reason attached, and it says where to look", () => {
    const letter = decodeDeadLetter(message(event, {}, { MessageGroupId: 'orders' }));
    expect(letter).toMatchObject({ cause: 'redriven', groupId: 'orders', eventId: 'evt-1' });
    expect(letter.reason.message).toMatch(/No reason attached.*logs/);
  });

  it('a body that is not an event: no event, nothing invented', () => {
    const letter = decodeDeadLetter(message('not json {'));
    expect(letter.event).toBeUndefined();
    expect(letter.eventType).toBeUndefined();
    expect(letter.cause).toBe('redriven');
  });
});

describe('reading them in a terminal', () => {
  const now = Date.parse('2026-12-05T12:30:05Z');

  it('ages read as people say them', () => {
    expect(
      [
        '2026-12-05T12:29:20Z',
        '2026-12-05T12:18:05Z',
        '2026-12-05T10:00:05Z',
        '2026-12-05T09:30:05Z',
        '2026-12-02T09:30:05Z',
      ].map((t) => formatAge(t, now)),
    ).toEqual(['45 s', '12 min', '2 h 30 min', '3 h', '3 d 3 h']);
  });

  it("shows each event's type, age, ids, why and the validation issues", () => {
    const letter = decodeDeadLetter(
      message(event, {
        'evtgen-error': 'InvalidEventError',
        'evtgen-reason': 'Invalid OrderPlaced detail\n/data/orderId: must be string',
        'evtgen-receive-count': '1',
      }),
    );
    const text = renderConsumer(
      {
        consumer: 'fulfilment',
        queues: [
          {
            name: 'orders-fulfilment-dlq',
            url: 'u',
            consumers: ['fulfilment'],
            hops: ['handler', 'queue-redrive'],
            depth: 3,
            letters: [letter],
          },
        ],
      },
      now,
      false,
    );
    expect(text.split('\n')).toEqual([
      'fulfilment: 3 dead-lettered events (orders-fulfilment-dlq 3)',
      '',
      'orders-fulfilment-dlq  (handler, queue-redrive)',
      '  1. OrderPlaced  queued 2 h 30 min ago (2026-12-05T10:00:05.000Z)',
      '     event id       evt-1',
      '     correlation id corr-1',
      '     schema version 2',
      '     why            invalid under the contract (poison) after 1 attempt',
      '                    InvalidEventError: Invalid OrderPlaced detail',
      '                      /data/orderId: must be string',
      '  … 2 more (--limit)',
      '',
    ]);
  });
});

describe('--since', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  it('is a duration back from now, or an ISO 8601 time', () => {
    expect(new Date(parseSince('90m', now)).toISOString()).toBe('2026-12-05T10:30:00.000Z');
    expect(new Date(parseSince('2026-12-05T09:00:00Z', now)).toISOString()).toBe('2026-12-05T09:00:00.000Z');
  });
  it('refuses anything else, saying both forms', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/--since.*ISO 8601/);
    expect(() => parseSince('2026-13-45T00:00:00Z', now)).toThrow(/not a valid ISO 8601 time/);
  });
});
