/**
 * The event journal `evtgen dev` serves to `evtgen load` (event-journal.ts): positions count from 1,
 * `read(after, limit)` pages through them, a full journal drops its oldest entries and tells a reader
 * that fell behind how many it missed; `eventIdentity` reads the producer id, correlation id and
 * detail-type from an EventBridge event, as an object or as its JSON text.
 */
import { describe, expect, it } from 'vitest';
import { EventJournal, eventIdentity, type NewJournalEntry } from '../../generator/dev/event-journal.js';

const processed = (n: number): NewJournalEntry => ({
  kind: 'processed',
  at: 1_000 + n,
  consumer: 'notify',
  eventId: `e-${n}`,
});

const filled = (count: number, capacity?: number): EventJournal => {
  const journal = new EventJournal(capacity);
  for (let n = 1; n <= count; n++) journal.append(processed(n));
  return journal;
};

const ids = (journal: EventJournal, after: number, limit: number) =>
  journal.read(after, limit).entries.map((e) => [e.seq, e.eventId]);

describe('EventJournal', () => {
  it('starts empty at position 0 and reads nothing', () => {
    const journal = new EventJournal();
    expect(journal.last).toBe(0);
    expect(journal.read(0, 10)).toEqual({ entries: [], last: 0, dropped: 0 });
  });

  it('numbers entries 1, 2, … in append order and keeps what was appended', () => {
    const journal = new EventJournal();
    journal.append({
      kind: 'published',
      at: 5,
      source: 'orders',
      eventBusName: 'bus',
      consumers: ['a', 'b'],
      eventId: 'e-1',
      correlationId: 'c-1',
      detailType: 'OrderPlaced',
    });
    journal.append(processed(2));
    expect(journal.last).toBe(2);
    expect(journal.read(0, 10).entries).toEqual([
      {
        seq: 1,
        kind: 'published',
        at: 5,
        source: 'orders',
        eventBusName: 'bus',
        consumers: ['a', 'b'],
        eventId: 'e-1',
        correlationId: 'c-1',
        detailType: 'OrderPlaced',
      },
      { seq: 2, kind: 'processed', at: 1_002, consumer: 'notify', eventId: 'e-2' },
    ]);
  });

  it('pages with read(after, limit): at most limit entries, each after the position given', () => {
    const journal = filled(7);
    expect(ids(journal, 0, 3)).toEqual([
      [1, 'e-1'],
      [2, 'e-2'],
      [3, 'e-3'],
    ]);
    expect(ids(journal, 3, 3)).toEqual([
      [4, 'e-4'],
      [5, 'e-5'],
      [6, 'e-6'],
    ]);
    expect(ids(journal, 6, 3)).toEqual([[7, 'e-7']]);
    expect(journal.read(7, 3)).toEqual({ entries: [], last: 7, dropped: 0 });
    expect(journal.read(100, 3)).toEqual({ entries: [], last: 7, dropped: 0 });
    // Every page says where the journal ends, wherever the page stops.
    expect(journal.read(0, 3).last).toBe(7);
  });

  it('keeps the newest `capacity` entries; positions keep counting', () => {
    const journal = filled(10, 4);
    expect(journal.last).toBe(10);
    expect(ids(journal, 6, 100)).toEqual([
      [7, 'e-7'],
      [8, 'e-8'],
      [9, 'e-9'],
      [10, 'e-10'],
    ]);
    expect(ids(journal, 8, 100)).toEqual([
      [9, 'e-9'],
      [10, 'e-10'],
    ]);
  });

  it('tells a reader that fell behind how many entries it missed, and nothing to one that did not', () => {
    const journal = filled(10, 4);
    // Entries 1–6 are gone: from 0 the reader missed 6, from 4 it missed 5 and 6.
    expect(journal.read(0, 2)).toMatchObject({ dropped: 6, last: 10 });
    expect(ids(journal, 0, 2)).toEqual([
      [7, 'e-7'],
      [8, 'e-8'],
    ]);
    expect(journal.read(4, 100).dropped).toBe(2);
    expect(ids(journal, 4, 100)[0]).toEqual([7, 'e-7']);
    expect(journal.read(6, 100).dropped).toBe(0);
    expect(journal.read(9, 100).dropped).toBe(0);
  });
});

describe('eventIdentity', () => {
  const event = {
    version: '0',
    id: 'aws-id',
    'detail-type': 'OrderPlaced',
    source: 'orders',
    detail: { eventId: 'evt-1', metadata: { correlationId: 'corr-meta' }, correlationId: 'corr-top' },
  };

  it('reads the producer id, the correlation id of detail.metadata and the detail-type', () => {
    expect(eventIdentity(event)).toEqual({
      eventId: 'evt-1',
      correlationId: 'corr-meta',
      detailType: 'OrderPlaced',
    });
  });

  it('reads the same from the event as JSON text', () => {
    expect(eventIdentity(JSON.stringify(event))).toEqual(eventIdentity(event));
    expect(eventIdentity(JSON.stringify(event)).eventId).toBe('evt-1');
  });

  it('falls back to detail.correlationId when detail.metadata has none', () => {
    expect(eventIdentity({ ...event, detail: { eventId: 'evt-2', correlationId: 'corr-top' } })).toEqual({
      eventId: 'evt-2',
      correlationId: 'corr-top',
      detailType: 'OrderPlaced',
    });
    expect(eventIdentity({ detail: { metadata: {}, correlationId: 'corr-top' } })).toEqual({
      correlationId: 'corr-top',
    });
  });

  it('leaves out what is missing, empty or not a string', () => {
    expect(eventIdentity({ 'detail-type': '', detail: { eventId: 7, correlationId: '' } })).toEqual({});
    expect(eventIdentity({ source: 'orders' })).toEqual({});
    expect(eventIdentity({ detail: 'text', 'detail-type': 'T' })).toEqual({ detailType: 'T' });
  });

  it('answers {} for text that is not JSON and for values that are not events', () => {
    expect(eventIdentity('not json {')).toEqual({});
    expect(eventIdentity('"a string"')).toEqual({});
    expect(eventIdentity('[1,2]')).toEqual({});
    expect(eventIdentity(null)).toEqual({});
    expect(eventIdentity(undefined)).toEqual({});
    expect(eventIdentity(42)).toEqual({});
    expect(eventIdentity([event])).toEqual({});
  });
});
