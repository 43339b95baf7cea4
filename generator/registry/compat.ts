import {
  atLeast,
  type Finding,
  isTransitive,
  type Mode,
  makeFinding,
  type Place,
  schemaChangeInput,
} from '../check/findings.js';
import { compareSchemas } from '../check/schema-compat/compare.js';
import type { SchemaContext } from '../check/schema-compat/node.js';
import { SubsetChecker } from '../check/schema-compat/subset.js';
import { getAtPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { EventType } from '../model/contract.js';
import type { StoredSubject } from './store.js';

/** A self-contained schema inside a file: `#/definitions/…` resolve against `root`. */
export interface LocatedSchema {
  readonly file: SourceFile;
  readonly root: string;
  /** `v3`, `working tree`: what findings say they were found against. */
  readonly label: string;
}

/**
 * How a registry schema is read: draft-07 (the dialect of the stored detail schemas), or draft 4
 * (AWS content: boolean `exclusiveMinimum`, as OpenAPI 3.0 spells it) for pulled AWS versions.
 */
function contextFor(schema: LocatedSchema, draft4: boolean): SchemaContext {
  return {
    dialect: 'draft-07',
    openapi30: draft4,
    resolve: (file, ref) => {
      if (!ref.startsWith('#')) return undefined;
      const pointer = schema.root + ref.slice(1);
      const value = getAtPointer(file.value, pointer);
      return value === undefined ? undefined : { file, pointer, value };
    },
  };
}

/**
 * Compares two versions of a subject with the check engine (the same rules, verdicts and levels as
 * `evtgen check`), projected by the subject's mode.
 */
export function compareVersions(
  subject: string,
  oldSchema: LocatedSchema,
  newSchema: LocatedSchema,
  options: { mode: Mode; place: Place; draft4?: boolean },
): Finding[] {
  const checker = new SubsetChecker(
    contextFor(oldSchema, options.draft4 ?? false),
    contextFor(newSchema, options.draft4 ?? false),
  );
  const oldNode = {
    file: oldSchema.file,
    pointer: oldSchema.root,
    value: getAtPointer(oldSchema.file.value, oldSchema.root),
  };
  const newNode = {
    file: newSchema.file,
    pointer: newSchema.root,
    value: getAtPointer(newSchema.file.value, newSchema.root),
  };
  const findings: Finding[] = [];
  for (const c of compareSchemas(checker, oldNode, newNode)) {
    const finding = makeFinding(
      schemaChangeInput(
        c,
        {
          subject: `event ${subject}`,
          where: `detail (registry ${oldSchema.label} → ${newSchema.label})`,
          place: options.place,
          mode: options.mode,
        },
        `registry#${c.newPointer.replace(/^\/versions\/\d+\/schema/, '')}`,
      ),
    );
    if (finding) findings.push({ ...finding, against: oldSchema.label });
  }
  return findings;
}

/** The versions a mode checks a new schema against: none, the latest, or (transitive) all. */
export function versionsToCheck(stored: StoredSubject | undefined, mode: Mode): number[] {
  if (!stored || mode === 'none' || stored.versions.length === 0) return [];
  const all = stored.versions.map((v) => v.version);
  return isTransitive(mode) ? all.reverse() : [all[all.length - 1] as number];
}

export function storedSchema(stored: StoredSubject, version: number): LocatedSchema {
  return { file: stored.file, root: `/versions/${version - 1}/schema`, label: `v${version}` };
}

/**
 * The current (unpublished) schema as a located schema. Its findings point at the message in the
 * spec (the schema itself is assembled from several spec files); the pointer is inside the schema.
 */
export function workingSchema(
  event: EventType,
  schema: Record<string, unknown>,
  label = 'working tree',
): LocatedSchema {
  const file: SourceFile = {
    path: `${event.origin.file}#registry`,
    displayPath: event.origin.file,
    value: schema,
    locate: () => event.origin.position,
  };
  return { file, root: '', label };
}

/** The findings that refuse a publish: errors under the subject's mode. */
export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => atLeast(f.level, 'error'));
}
