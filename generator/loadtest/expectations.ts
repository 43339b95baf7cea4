/**
 * What a phase promises about its events, checked: nothing lost in any phase, and in a fault phase
 * that injected faults cost retries, never events — each poison event dead-lettered by every
 * consumer it was routed to, and no other event of the phase dead-lettered.
 */
import type { AccountingResult } from './accounting.js';
import type { Expectation, FaultInjection, TimelinePoint } from './report-types.js';

export interface PoisonSent {
  readonly eventId: string;
  /** Consumers the emulator routed it to (from the journal). */
  readonly consumers: readonly string[];
}

export function phaseExpectations(input: {
  readonly accounting: AccountingResult;
  readonly faults: readonly FaultInjection[];
  readonly poison: readonly PoisonSent[];
  /** Consumer → producer ids in its dead-letter queues that belong to this phase. */
  readonly deadLettered: ReadonlyMap<string, ReadonlySet<string>>;
}): Expectation[] {
  const { events } = input.accounting;
  const expectations: Expectation[] = [
    {
      text: 'every event is processed, dead-lettered or still in flight: lost = 0',
      met: events.lost === 0,
      detail: `lost ${events.lost}; ${Object.entries(events.consumers)
        .map(
          ([name, c]) =>
            `${name}: ${c.expected} expected, ${c.processed} processed, ${c.deadLettered} in DLQ, ${c.inFlight} in flight`,
        )
        .join('; ')}`,
    },
    {
      text: 'the run drained: nothing was in flight when it ended',
      met: events.drained,
      detail: `waited ${Math.round(events.drainMs / 100) / 10} s; unpublished ${events.unpublished}`,
    },
  ];
  if (input.faults.length === 0) return expectations;
  const faultText = input.faults.map((f) => f.description).join('; ');
  expectations.push({
    text: `with ${faultText}: retries recover every event that is not poison (nothing else dead-lettered)`,
    met: Object.entries(events.consumers).every(([consumer, c]) => {
      const poisonHere = input.poison.filter((p) => p.consumers.includes(consumer)).length;
      return c.deadLettered === poisonHere && c.lost === 0;
    }),
    detail: Object.entries(events.consumers)
      .map(([consumer, c]) => {
        const poisonHere = input.poison.filter((p) => p.consumers.includes(consumer)).length;
        return `${consumer}: ${c.deadLettered} dead-lettered (${poisonHere} poison), ${c.failedAttempts} failed attempts`;
      })
      .join('; '),
  });
  if (input.poison.length > 0) {
    const misplaced = input.poison.flatMap((p) =>
      p.consumers
        .filter((c) => !input.deadLettered.get(c)?.has(p.eventId))
        .map((c) => `${p.eventId} not in ${c}'s DLQ`),
    );
    const unrouted = input.poison.filter((p) => p.consumers.length === 0).map((p) => p.eventId);
    expectations.push({
      text: `${input.poison.length} poison events: each one in the dead-letter queue of every consumer it reached`,
      met: misplaced.length === 0 && unrouted.length === 0,
      detail:
        misplaced.length + unrouted.length === 0
          ? `${input.poison.length} of ${input.poison.length} found, routed to ${[...new Set(input.poison.flatMap((p) => p.consumers))].sort().join(', ')}`
          : [...misplaced, ...unrouted.map((id) => `${id} reached no consumer`)].slice(0, 10).join('; '),
    });
  }
  return expectations;
}

/**
 * A soak's extra promises, from its timeline: latency does not drift (the p99 of the last fifth of
 * the phase within 1.5× the first fifth's, or within 20 ms for sub-20 ms paths) and the dead-letter
 * queues do not grow (a steady load without faults dead-letters nothing).
 */
export function soakExpectations(timeline: readonly TimelinePoint[]): Expectation[] {
  const fifth = Math.max(1, Math.floor(timeline.length / 5));
  const p99Of = (points: readonly TimelinePoint[]): number =>
    Math.max(0, ...points.map((p) => p.latency?.p99 ?? 0));
  const first = p99Of(timeline.slice(0, fifth));
  const last = p99Of(timeline.slice(-fifth));
  const depths = timeline.map((p) => p.dlqDepth).filter((d): d is number => d !== undefined);
  const growth = depths.length > 1 ? (depths.at(-1) ?? 0) - (depths[0] ?? 0) : 0;
  return [
    {
      text: 'no latency drift: the p99 of the last fifth stays within 1.5× the first fifth',
      met: last <= Math.max(first * 1.5, first + 20),
      detail: `first fifth p99 ${Math.round(first)} ms, last fifth ${Math.round(last)} ms`,
    },
    {
      text: 'the dead-letter queues do not grow under a steady load',
      met: growth <= 0,
      detail: depths.length > 1 ? `depth ${depths[0]} → ${depths.at(-1)}` : 'not sampled',
    },
  ];
}
