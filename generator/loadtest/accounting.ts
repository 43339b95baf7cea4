/**
 * Counting every event a load phase caused, by identity rather than by totals: the events the
 * service published for the phase's requests (joined on their correlation ids), the consumers the
 * emulator routed each one to, what each consumer finished, and what sits in its dead-letter queues
 * (by producer id). From those sets:
 *
 *     lost = expected − processed − dead-lettered − in flight        (per consumer; must be 0)
 *
 * An event both finished by a consumer and in its DLQ (a consumer that dead-letters a poison event
 * itself, then reports success) counts as dead-lettered. In-flight counts come from the consumers'
 * backlogs at the end; once nothing is in flight, the lost events are named by id.
 */
import type { ConsumerJournalEntry, JournalEntry, PublishedJournalEntry } from '../dev/event-journal.js';
import type { ConsumerAccounting, EventAccounting } from './report-types.js';

/** A request of the phase that the API accepted (a 2xx answer). */
export interface AcceptedRequest {
  readonly correlationId: string;
  readonly routeKey: string;
  /** Epoch ms of the answer: where the async latency starts. */
  readonly answeredAt: number;
  /** Event types the route publishes (`x-emits`). */
  readonly emits: readonly string[];
}

export interface AccountingInput {
  /** Correlation ids of everything the phase sent: its requests and its poison events. */
  readonly correlationIds: ReadonlySet<string>;
  readonly accepted: readonly AcceptedRequest[];
  /** Events the phase published itself (poison), with when: their async latency starts there. */
  readonly injected: readonly { readonly correlationId: string; readonly publishedAt: number }[];
  /** The journal from the phase's start to the end of its drain. */
  readonly journal: readonly JournalEntry[];
  /** Consumer → producer ids found in its dead-letter queues. */
  readonly deadLettered: ReadonlyMap<string, ReadonlySet<string>>;
  /** Consumer → messages still queued or running for it at the end. */
  readonly inFlight: Readonly<Record<string, number>>;
  readonly drained: boolean;
  readonly drainMs: number;
}

/** One consumer's API accept → done latency, for the histograms and the timeline. */
export interface LagSample {
  readonly consumer: string;
  /** Epoch ms when the consumer finished. */
  readonly doneAt: number;
  readonly ms: number;
}

export interface AccountingResult {
  readonly events: Omit<EventAccounting, 'consumers'> & {
    readonly consumers: Readonly<Record<string, Omit<ConsumerAccounting, 'latency'>>>;
  };
  readonly lags: readonly LagSample[];
}

export function accountEvents(input: AccountingInput): AccountingResult {
  const published = input.journal.filter(
    (e): e is PublishedJournalEntry =>
      e.kind === 'published' && e.correlationId !== undefined && input.correlationIds.has(e.correlationId),
  );
  const publishedByType: Record<string, number> = {};
  for (const e of published)
    publishedByType[e.detailType ?? ''] = (publishedByType[e.detailType ?? ''] ?? 0) + 1;

  // Each accepted request should have published each of its route's event types once.
  const publishedKeys = new Set(published.map((e) => `${e.correlationId} ${e.detailType}`));
  let expectedFromRequests = 0;
  let unpublished = 0;
  for (const request of input.accepted)
    for (const type of request.emits) {
      expectedFromRequests++;
      if (!publishedKeys.has(`${request.correlationId} ${type}`)) unpublished++;
    }

  const startOf = new Map<string, number>();
  for (const r of input.accepted) startOf.set(r.correlationId, r.answeredAt);
  for (const p of input.injected) startOf.set(p.correlationId, p.publishedAt);

  const consumerEntries = input.journal.filter((e): e is ConsumerJournalEntry => e.kind !== 'published');
  const consumers: Record<string, Omit<ConsumerAccounting, 'latency'>> = {};
  const lags: LagSample[] = [];
  const names = new Set([...published.flatMap((e) => e.consumers), ...input.deadLettered.keys()]);
  for (const consumer of [...names].sort()) {
    const expected = new Map<string, PublishedJournalEntry>();
    for (const e of published)
      if (e.consumers.includes(consumer)) expected.set(e.eventId ?? `seq:${e.seq}`, e);
    const processedTimes = new Map<string, number[]>();
    const givenUp = new Set<string>();
    let failedAttempts = 0;
    for (const e of consumerEntries) {
      if (e.consumer !== consumer || !e.eventId || !expected.has(e.eventId)) continue;
      if (e.kind === 'processed')
        processedTimes.set(e.eventId, [...(processedTimes.get(e.eventId) ?? []), e.at]);
      else if (e.kind === 'failed') failedAttempts++;
      else givenUp.add(e.eventId);
    }
    const dead = new Set([...(input.deadLettered.get(consumer) ?? [])].filter((id) => expected.has(id)));
    for (const id of givenUp) dead.add(id);
    const processed = [...processedTimes.keys()].filter((id) => !dead.has(id));
    const duplicates = [...processedTimes.values()].filter((times) => times.length > 1).length;
    const inFlight = input.inFlight[consumer] ?? 0;
    const missing = [...expected.keys()].filter((id) => !processedTimes.has(id) && !dead.has(id));
    const lost = Math.max(0, expected.size - processed.length - dead.size - inFlight);
    consumers[consumer] = {
      expected: expected.size,
      processed: processed.length,
      duplicates,
      deadLettered: dead.size,
      inFlight,
      lost,
      failedAttempts,
      ...(lost > 0 && inFlight === 0 ? { lostEventIds: missing.slice(0, 20) } : {}),
    };
    for (const id of processed) {
      const event = expected.get(id);
      const start = event?.correlationId ? startOf.get(event.correlationId) : undefined;
      const doneAt = processedTimes.get(id)?.[0];
      if (start !== undefined && doneAt !== undefined)
        lags.push({ consumer, doneAt, ms: Math.max(0, doneAt - start) });
    }
  }
  const lostByConsumers = Object.values(consumers).reduce((sum, c) => sum + c.lost, 0);
  return {
    events: {
      source: 'journal',
      published: published.length,
      publishedByType: Object.fromEntries(
        Object.entries(publishedByType).sort(([a], [b]) => a.localeCompare(b)),
      ),
      expectedFromRequests,
      unpublished,
      consumers,
      // Unpublished events are lost only once the service went quiet without publishing them.
      lost: lostByConsumers + (input.drained ? unpublished : 0),
      drained: input.drained,
      drainMs: input.drainMs,
    },
    lags,
  };
}
