/**
 * The event accounting of a load phase, on hand-written journals: events are counted by identity
 * (producer id, correlation id), per consumer the emulator routed them to; a dead-lettered event
 * counts once even when the consumer also reported it done; lost = expected − processed −
 * dead-lettered − in flight, with the lost ids named once nothing is in flight; unpublished events
 * of accepted requests are lost only once the service drained.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../generator/dev/event-journal.js';
import { type AccountingInput, accountEvents } from '../../generator/loadtest/accounting.js';

let seq = 0;
const published = (eventId: string, correlationId: string, consumers: string[], at = 1000): JournalEntry => ({
  seq: ++seq,
  at,
  kind: 'published',
  eventId,
  correlationId,
  detailType: 'OrderPlaced',
  source: 'com.example.orders',
  eventBusName: 'orders-bus',
  consumers,
});
const outcome = (
  kind: 'processed' | 'failed' | 'given-up',
  consumer: string,
  eventId: string,
  at = 2000,
): JournalEntry => ({ seq: ++seq, at, kind, consumer, eventId, correlationId: `c-${eventId}` });

function input(overrides: Partial<AccountingInput>): AccountingInput {
  return {
    correlationIds: new Set(['c-1', 'c-2', 'c-3']),
    accepted: ['c-1', 'c-2', 'c-3'].map((correlationId) => ({
      correlationId,
      routeKey: 'POST /orders',
      answeredAt: 900,
      emits: ['OrderPlaced'],
    })),
    injected: [],
    journal: [],
    deadLettered: new Map(),
    inFlight: {},
    drained: true,
    drainMs: 1200,
    ...overrides,
  };
}

describe('accountEvents', () => {
  it('counts what each consumer was routed, processed and failed, with the async latency from the API answer', () => {
    const journal = [
      published('1', 'c-1', ['audit', 'fulfilment']),
      published('2', 'c-2', ['audit', 'fulfilment']),
      published('3', 'c-3', ['audit']),
      outcome('failed', 'fulfilment', '1'),
      outcome('processed', 'fulfilment', '1', 2500),
      outcome('processed', 'fulfilment', '2', 1900),
      ...['1', '2', '3'].map((id) => outcome('processed', 'audit', id, 1400)),
    ];
    const { events, lags } = accountEvents(input({ journal }));
    expect(events.published).toBe(3);
    expect(events.publishedByType).toEqual({ OrderPlaced: 3 });
    expect(events.expectedFromRequests).toBe(3);
    expect(events.unpublished).toBe(0);
    expect(events.consumers.fulfilment).toEqual({
      expected: 2,
      processed: 2,
      duplicates: 0,
      deadLettered: 0,
      inFlight: 0,
      lost: 0,
      failedAttempts: 1,
    });
    expect(events.consumers.audit).toMatchObject({ expected: 3, processed: 3, lost: 0 });
    expect(events.lost).toBe(0);
    expect(
      lags
        .filter((l) => l.consumer === 'fulfilment')
        .map((l) => l.ms)
        .sort(),
    ).toEqual([1000, 1600]);
  });

  it("ignores what other traffic caused: events whose correlation id is not the phase's", () => {
    const journal = [
      published('1', 'c-1', ['audit']),
      published('x', 'someone-else', ['audit']),
      outcome('processed', 'audit', '1'),
      outcome('processed', 'audit', 'x'),
    ];
    const { events } = accountEvents(input({ journal, accepted: [] }));
    expect(events.published).toBe(1);
    expect(events.consumers.audit).toMatchObject({ expected: 1, processed: 1 });
  });

  it('counts a dead-lettered event once, as dead-lettered, even when the consumer reported it done', () => {
    const journal = [
      published('1', 'c-1', ['fulfilment']),
      published('2', 'c-2', ['fulfilment']),
      outcome('processed', 'fulfilment', '1'),
      // The consumer sent event 2 to its DLQ itself (poison) and then reported success.
      outcome('processed', 'fulfilment', '2'),
    ];
    const deadLettered = new Map([['fulfilment', new Set(['2', 'from-an-earlier-run'])]]);
    const { events } = accountEvents(input({ journal, deadLettered }));
    expect(events.consumers.fulfilment).toMatchObject({
      expected: 2,
      processed: 1,
      deadLettered: 1,
      lost: 0,
    });
  });

  it('counts a given-up event as dead-lettered, and repeated completions as duplicates', () => {
    const journal = [
      published('1', 'c-1', ['audit']),
      published('2', 'c-2', ['audit']),
      outcome('failed', 'audit', '1'),
      outcome('failed', 'audit', '1'),
      outcome('given-up', 'audit', '1'),
      outcome('processed', 'audit', '2'),
      outcome('processed', 'audit', '2'),
    ];
    const { events } = accountEvents(input({ journal }));
    expect(events.consumers.audit).toMatchObject({
      expected: 2,
      processed: 1,
      deadLettered: 1,
      duplicates: 1,
      failedAttempts: 2,
      lost: 0,
    });
  });

  it('reports what neither finished nor dead-lettered as in flight, or as lost with its id once nothing is in flight', () => {
    const journal = [
      published('1', 'c-1', ['fulfilment']),
      published('2', 'c-2', ['fulfilment']),
      outcome('processed', 'fulfilment', '1'),
    ];
    const waiting = accountEvents(input({ journal, inFlight: { fulfilment: 1 }, drained: false }));
    expect(waiting.events.consumers.fulfilment).toMatchObject({ inFlight: 1, lost: 0 });
    expect(waiting.events.consumers.fulfilment?.lostEventIds).toBeUndefined();
    const accepted = input({}).accepted.slice(0, 2);
    const quiet = accountEvents(input({ journal, accepted }));
    expect(quiet.events.consumers.fulfilment).toMatchObject({ inFlight: 0, lost: 1, lostEventIds: ['2'] });
    expect(quiet.events.lost).toBe(1);
  });

  it('counts accepted requests whose events were never published: in flight while draining, lost once drained', () => {
    const journal = [published('1', 'c-1', ['audit']), outcome('processed', 'audit', '1')];
    const draining = accountEvents(input({ journal, drained: false }));
    expect(draining.events.unpublished).toBe(2);
    expect(draining.events.lost).toBe(0);
    const drained = accountEvents(input({ journal, drained: true }));
    expect(drained.events.unpublished).toBe(2);
    expect(drained.events.lost).toBe(2);
  });

  it('starts the async latency of an injected (poison) event at its publication', () => {
    const journal = [published('p', 'poison-1', ['audit']), outcome('processed', 'audit', 'p', 5000)];
    const { lags } = accountEvents(
      input({
        journal,
        accepted: [],
        correlationIds: new Set(['poison-1']),
        injected: [{ correlationId: 'poison-1', publishedAt: 4000 }],
      }),
    );
    expect(lags).toEqual([{ consumer: 'audit', doneAt: 5000, ms: 1000 }]);
  });
});
