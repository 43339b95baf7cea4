/**
 * What a phase promises about its events, checked: nothing lost in any phase, and in a fault phase
 * that injected faults cost retries, never events — each poison event dead-lettered by every
 * consumer it was routed to, and no other event of the phase dead-lettered.
 */
import type { AccountingResult } from './accounting.js';
import type { Expectation, FaultInjection } from './report-types.js';

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
