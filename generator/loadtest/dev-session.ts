/**
 * `evtgen load`'s view of a running `evtgen dev`: its status, its event journal and its injected
 * faults (the `/_evtgen/` endpoints, see generator/dev/dev-control.ts), what its dead-letter queues
 * hold, and publishing through the functions' endpoint so injected events are journalled too.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DevFaults } from '../dev/dev-faults.js';
import type { DevStatus } from '../dev/dev-status.js';
import { eventIdentity, type JournalEntry, type JournalPage } from '../dev/event-journal.js';
import { emulatorCredentials } from '../dev/lambda-env.js';
import { deadLetteredEvent, peekQueue } from '../dlq/peek.js';

export class DevSession {
  readonly http: string;
  readonly #sqs: SQSClient;
  readonly #region: string;

  constructor(http: string, where: { readonly endpoint: string; readonly region: string }) {
    this.http = http.replace(/\/$/, '');
    this.#region = where.region;
    this.#sqs = new SQSClient({
      endpoint: where.endpoint,
      region: where.region,
      credentials: emulatorCredentials,
    });
  }

  async status(): Promise<DevStatus> {
    return (await this.#call('GET', '/_evtgen/status')) as DevStatus;
  }

  /** Every journal entry after position `after` (read page by page). */
  async journalAfter(after: number): Promise<{ entries: JournalEntry[]; last: number; dropped: number }> {
    const entries: JournalEntry[] = [];
    let position = after;
    let dropped = 0;
    for (;;) {
      const page = (await this.#call('GET', `/_evtgen/journal?after=${position}&limit=10000`)) as JournalPage;
      entries.push(...page.entries);
      dropped += page.dropped;
      const lastRead = page.entries.at(-1)?.seq;
      if (lastRead === undefined || lastRead >= page.last) return { entries, last: page.last, dropped };
      position = lastRead;
    }
  }

  async setFaults(faults: DevFaults): Promise<void> {
    await this.#call('PUT', '/_evtgen/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.#call('DELETE', '/_evtgen/faults');
  }

  /** Consumer → producer ids of the events in its dead-letter queues (up to `limit` per queue). */
  async deadLettered(status: DevStatus, limit = 5_000): Promise<Map<string, Set<string>>> {
    const found = new Map<string, Set<string>>();
    for (const queue of status.deadLetterQueues) {
      if (queue.depth === 0) continue;
      const bodies = await peekQueue(this.#sqs, queue.queueUrl, Math.min(limit, queue.depth));
      for (const body of bodies) {
        const { eventId } = eventIdentity(deadLetteredEvent(body));
        if (!eventId) continue;
        for (const consumer of queue.consumers) {
          const ids = found.get(consumer) ?? new Set<string>();
          ids.add(eventId);
          found.set(consumer, ids);
        }
      }
    }
    return found;
  }

  /** Publishes through the functions' endpoint (journalled, routed by the emulator). */
  async publish(status: DevStatus, entries: readonly PutEventsRequestEntry[]): Promise<number> {
    const client = new EventBridgeClient({
      endpoint: status.functionsEndpoint,
      region: this.#region,
      credentials: emulatorCredentials,
    });
    let accepted = 0;
    for (let i = 0; i < entries.length; i += 10) {
      const answer = await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
      accepted += (answer.Entries ?? []).filter((e) => e.EventId).length;
    }
    client.destroy();
    return accepted;
  }

  close(): void {
    this.#sqs.destroy();
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.http}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }).catch((error: Error) => {
      const why = error.cause instanceof Error ? error.cause.message : error.message;
      throw new Error(
        `evtgen dev at ${this.http} did not answer ${method} ${path} (${why}): was it stopped?`,
      );
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`evtgen dev answered ${response.status} to ${method} ${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }
}
