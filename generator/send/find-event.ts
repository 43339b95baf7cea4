/**
 * Which event type `evtgen events send <name>` means. People type what they read: the AsyncAPI
 * message name in the spec or the TypeScript type name in their code, in whatever case; both are
 * accepted. A name that matches nothing gets the closest known names, so a typo costs one retry.
 */
import type { EventType } from '../model/contract.js';
import { SendEventError } from './send-error.js';

/** The event type `name` refers to; throws a usage error with suggestions when there is none. */
export function findEvent(events: readonly EventType[], name: string): EventType {
  const exact = events.filter((e) => namesOf(e).includes(name));
  if (exact.length === 1 && exact[0]) return exact[0];
  const folded = name.toLowerCase();
  const matches =
    exact.length > 1 ? exact : events.filter((e) => namesOf(e).some((n) => n.toLowerCase() === folded));
  if (matches.length === 1 && matches[0]) return matches[0];
  const known = events.map((e) => e.messageName).sort();
  if (matches.length > 1)
    throw new SendEventError(
      'usage',
      `"${name}" names ${matches.length} event types: ${matches.map((e) => e.messageName).join(', ')}.`,
      [],
      ['Pass the message name exactly as the AsyncAPI document spells it.'],
    );
  if (events.length === 0)
    throw new SendEventError(
      'usage',
      'The AsyncAPI documents in specs/ declare no messages: nothing to send.',
    );
  const close = closestNames(
    name,
    events.flatMap((e) => namesOf(e)),
  );
  throw new SendEventError(
    'usage',
    `Unknown message "${name}".`,
    [],
    [
      ...(close.length > 0 ? [`Did you mean ${close.join(' or ')}?`] : []),
      `Known messages: ${known.join(', ')}.`,
    ],
  );
}

/** The names an event answers to: its message name and its type name (often the same). */
function namesOf(event: EventType): string[] {
  return [...new Set([event.messageName, event.names.payload])];
}

/**
 * Known names within a small edit distance (case ignored), or containing what was typed (`placed`
 * → OrderPlaced), closest first, at most three.
 */
export function closestNames(typed: string, known: readonly string[]): string[] {
  const needle = typed.toLowerCase();
  const scored = [...new Set(known)]
    .map((name) => {
      const hay = name.toLowerCase();
      const distance = hay.includes(needle) || needle.includes(hay) ? 0.5 : editDistance(needle, hay);
      return { name, distance };
    })
    .filter(({ name, distance }) => distance <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1));
  return scored.slice(0, 3).map((s) => s.name);
}

/** Levenshtein distance, two rows at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
