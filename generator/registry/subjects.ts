import { declaredMode, messageAt, placeOf } from '../check/contract-asyncapi.js';
import { defaultMode, type Mode, type Place } from '../check/findings.js';
import type { Snapshot } from '../check/snapshot.js';
import { eventDetailSchema } from '../emit/event-detail.js';
import { reachableSchemas, registrySchemaName } from '../emit/registry-content.js';
import type { ContractModel, EventType } from '../model/contract.js';
import { contentHash, normalize } from './store.js';

/** An event type of the current specs as a registry subject. */
export interface CurrentSubject {
  readonly subject: string;
  readonly event: EventType;
  /** Normalized, self-contained draft-07 schema of the whole `detail`. */
  readonly schema: Record<string, unknown>;
  readonly contentHash: string;
}

/**
 * The schema a registry version holds: the event's whole EventBridge `detail` (`{metadata, data,
 * schemaVersion?}`) with every named schema it reaches under `definitions`, normalized.
 */
export function registrySchema(model: ContractModel, event: EventType): Record<string, unknown> {
  const definitions = Object.fromEntries(
    reachableSchemas(model, event).map((named) => [named.name, named.schema]),
  );
  return normalize({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: event.names.detail,
    ...eventDetailSchema(event),
    definitions,
  }) as Record<string, unknown>;
}

/** The subjects this service owns: another service's events (pinned) live in their producer's registry. */
export function currentSubjects(model: ContractModel): CurrentSubject[] {
  return model.events
    .filter((event) => !event.external)
    .map((event) => {
      const schema = registrySchema(model, event);
      return { subject: registrySchemaName(event), event, schema, contentHash: contentHash(schema) };
    })
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

/** The subject's mode: `x-compatibility.mode` on the message, else the default for who reads it. */
export function subjectMode(snap: Snapshot, event: EventType): { mode: Mode; place: Place } {
  const place = placeOf(snap, event);
  return { mode: declaredMode(messageAt(snap, event)) ?? defaultMode(place), place };
}

/**
 * event message name → the registry version whose content is exactly the current schema (the latest
 * such), for the generated code to stamp; events whose current schema is unpublished are absent.
 */
export function publishedVersions(
  model: ContractModel,
  store: readonly { subject: string; versions: readonly { version: number; contentHash: string }[] }[],
): Map<string, number> {
  const bySubject = new Map(store.map((s) => [s.subject, s]));
  const out = new Map<string, number>();
  for (const current of currentSubjects(model)) {
    const stored = bySubject.get(current.subject);
    const match = stored?.versions.filter((v) => v.contentHash === current.contentHash).at(-1);
    if (match) out.set(current.event.messageName, match.version);
  }
  return out;
}
