/**
 * What happened to each event under `evtgen dev`, in order: published (accepted by the bus, with
 * the consumers whose rules match it), processed or failed by a consumer, given up on. Served at
 * `GET /_evtgen/journal?after=SEQ` so `evtgen load` can follow every event it caused by its producer
 * id and correlation id — counting lost events and measuring API accept → consumer done. Bounded:
 * the oldest entries go first past `capacity` (in chunks of a tenth of it; a reader that falls that
 * far behind is told so).
 */

interface JournalBase {
  /** Position in the journal (1, 2, …); read on with `after=seq`. */
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  /** The producer's id (`detail.eventId`), when the event has one. */
  readonly eventId?: string;
  readonly correlationId?: string;
  readonly detailType?: string;
}

export interface PublishedJournalEntry extends JournalBase {
  readonly kind: 'published';
  readonly source: string;
  readonly eventBusName: string;
  /** Consumers (contract names) whose rule on this bus matches the event: the emulator decides. */
  readonly consumers: readonly string[];
}

export interface ConsumerJournalEntry extends JournalBase {
  /** `processed`: the consumer finished it; `failed`: an attempt failed (it may be retried). */
  readonly kind: 'processed' | 'failed' | 'given-up';
  readonly consumer: string;
}

export type JournalEntry = PublishedJournalEntry | ConsumerJournalEntry;

/** Entries without their position, as recorded. */
export type NewJournalEntry = Omit<PublishedJournalEntry, 'seq'> | Omit<ConsumerJournalEntry, 'seq'>;

export interface JournalPage {
  readonly entries: readonly JournalEntry[];
  /** The last position in the journal (pass it as `after` to read on). */
  readonly last: number;
  /** Entries after `after` that were dropped before this read (the reader fell behind). */
  readonly dropped: number;
}

export class EventJournal {
  readonly #capacity: number;
  readonly #entries: JournalEntry[] = [];
  #last = 0;

  constructor(capacity = 200_000) {
    this.#capacity = capacity;
  }

  append(entry: NewJournalEntry): void {
    this.#last++;
    this.#entries.push({ ...entry, seq: this.#last } as JournalEntry);
    // Trimmed in chunks (a tenth of the capacity at a time), not one entry per append: shifting the
    // whole array on every event would cost O(capacity) per event once the journal is full.
    const slack = Math.max(1, Math.floor(this.#capacity / 10));
    if (this.#entries.length >= this.#capacity + slack)
      this.#entries.splice(0, this.#entries.length - this.#capacity);
  }

  /** The last position written (0 before the first entry). */
  get last(): number {
    return this.#last;
  }

  /** Up to `limit` entries after position `after`. */
  read(after: number, limit: number): JournalPage {
    const first = this.#entries[0]?.seq ?? this.#last + 1;
    const dropped = Math.max(0, first - after - 1);
    const start = Math.max(0, after + 1 - first);
    const entries = this.#entries.slice(start, start + limit);
    return { entries, last: this.#last, dropped };
  }
}

/** The producer id, correlation id and detail-type of an EventBridge event (an object or its JSON). */
export function eventIdentity(event: unknown): {
  eventId?: string;
  correlationId?: string;
  detailType?: string;
} {
  let value = event;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(value)) return {};
  const detail = value.detail;
  const metadata = isRecord(detail) ? detail.metadata : undefined;
  const text = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
  const eventId = isRecord(detail) ? text(detail.eventId) : undefined;
  const correlationId =
    (isRecord(metadata) ? text(metadata.correlationId) : undefined) ??
    (isRecord(detail) ? text(detail.correlationId) : undefined);
  const detailType = text(value['detail-type']);
  return {
    ...(eventId ? { eventId } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(detailType ? { detailType } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
