/**
 * After a phase's load stops, its events are still on their way (the outbox relay, queues, retries
 * with their delays). The drain waits, up to a limit, until the service is quiet: every accepted
 * request's events published, no consumer with a backlog or a running invocation, and the journal
 * still for a moment. Then the accounting is final; at the limit it is reported as not drained,
 * with what was still in flight.
 */
import type { DevStatus } from '../dev/dev-status.js';
import type { JournalEntry } from '../dev/event-journal.js';
import { type AcceptedRequest, type AccountingResult, accountEvents } from './accounting.js';
import type { DevSession } from './dev-session.js';

export interface DrainInput {
  readonly session: DevSession;
  /** The journal position when the phase started. */
  readonly journalStart: number;
  readonly correlationIds: ReadonlySet<string>;
  readonly accepted: readonly AcceptedRequest[];
  readonly injected: readonly { readonly correlationId: string; readonly publishedAt: number }[];
  readonly timeoutMs: number;
  /** How long the journal must stay unchanged to call the service quiet. */
  readonly quietMs?: number;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface DrainResult {
  readonly accounting: AccountingResult;
  readonly status: DevStatus;
  readonly journal: readonly JournalEntry[];
  readonly deadLettered: ReadonlyMap<string, ReadonlySet<string>>;
}

export async function drainAndAccount(input: DrainInput): Promise<DrainResult> {
  const started = Date.now();
  const quietMs = input.quietMs ?? 1500;
  const journal: JournalEntry[] = [];
  let position = input.journalStart;
  let lastChange = Date.now();
  let drained = false;
  let status: DevStatus;
  for (;;) {
    status = await input.session.status();
    const page = await input.session.journalAfter(position);
    if (page.entries.length > 0) lastChange = Date.now();
    journal.push(...page.entries);
    position = page.last;
    const inFlight = inFlightOf(status);
    const { events } = accountEvents({
      ...input,
      journal,
      deadLettered: new Map(),
      inFlight,
      drained: false,
      drainMs: 0,
    });
    const busy = Object.values(inFlight).reduce((sum, n) => sum + n, 0) + relayBusy(status);
    if (events.unpublished === 0 && busy === 0 && Date.now() - lastChange >= quietMs) {
      drained = true;
      break;
    }
    if (Date.now() - started >= input.timeoutMs || input.signal?.aborted) break;
    input.onProgress?.(
      `draining: ${events.unpublished} to publish, ${busy} in flight (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const deadLettered = await input.session.deadLettered(status);
  const accounting = accountEvents({
    ...input,
    journal,
    deadLettered,
    inFlight: drained ? {} : inFlightOf(status),
    drained,
    drainMs: Date.now() - started,
  });
  return { accounting, status, journal, deadLettered };
}

/** Consumer → its queued messages plus its running invocations. */
export function inFlightOf(status: DevStatus): Record<string, number> {
  const inFlight: Record<string, number> = {};
  for (const subscription of status.subscriptions) {
    const name = subscription.consumer;
    inFlight[name] = (status.backlog[name] ?? 0) + (status.consumers[name]?.inFlight ?? 0);
  }
  return inFlight;
}

/** Stream consumers (the outbox relay) that are running: their events are not published yet. */
function relayBusy(status: DevStatus): number {
  const subscribed = new Set(status.subscriptions.map((s) => s.consumer));
  return Object.entries(status.consumers)
    .filter(([name]) => !subscribed.has(name))
    .reduce((sum, [, counts]) => sum + counts.inFlight, 0);
}
