// Consumer-driven checks. A consumer publishes a "reads" record per event it receives into the
// producer's registry store (`<store>/readers/<consumer>/<subject>.json`): the version it pinned, the
// fields that version requires, and the schema itself — exactly what its generated validator
// accepts. The producer's `registry publish` and `check` then refuse a change that breaks a known
// consumer, naming it and the field, whatever the subject's own compatibility mode says.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Finding } from '../check/findings.js';
import type { Dependency, ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';
import { compareVersions, workingSchema } from '../registry/compat.js';
import { contentHash, subjectFileName, writeSubjectFiles } from '../registry/store.js';
import type { CurrentSubject } from '../registry/subjects.js';
import type { Pin } from './pin.js';

/** Folder of the reads records inside a registry store. */
export const readersFolder = 'readers';

export interface ReaderRecord {
  readonly consumer: string;
  readonly subject: string;
  /** The version the consumer pinned (and validates events against). */
  readonly version: number;
  readonly contentHash: string;
  /** Every field the pinned version requires, as JSON pointers into the `detail` (`/data/orderId`). */
  readonly requires: readonly string[];
  /** The pinned version's schema: what the consumer's validator accepts. */
  readonly schema: Record<string, unknown>;
  /**
   * The consumer's own bus when it is in another account than the producer's bus: the producer
   * forwards the subject's events there (see forwards.ts).
   */
  readonly forwardTo?: string;
}

interface StoredReader extends ReaderRecord {
  readonly file: SourceFile;
}

/**
 * The pointers of every required field, following `$ref`s into `definitions` and `items` of arrays
 * (`/data/lines/*` + `/sku`), each once (a recursive schema stops where it repeats).
 */
export function requiredFields(schema: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string, seen: ReadonlySet<string>): void => {
    let target = node;
    const refs = new Set(seen);
    while (isObject(target) && typeof target.$ref === 'string') {
      if (refs.has(target.$ref)) return;
      refs.add(target.$ref);
      target = getAtPointer(schema, target.$ref.slice(1));
    }
    if (!isObject(target)) return;
    const properties = isObject(target.properties) ? target.properties : {};
    const required = Array.isArray(target.required)
      ? target.required.filter((r) => typeof r === 'string')
      : [];
    for (const name of [...required].sort()) {
      const pointer = joinPointer(at, name);
      out.push(pointer);
      walk(properties[name], pointer, refs);
    }
    if (isObject(target.items)) walk(target.items, `${at}/*`, refs);
  };
  walk(schema, '', new Set());
  return out;
}

/** The record a consumer publishes for one of its pins. */
export function readerRecord(consumer: string, pin: Pin, forwardTo?: string): ReaderRecord {
  return {
    consumer,
    subject: pin.record.subject,
    version: pin.record.version,
    contentHash: pin.record.contentHash,
    requires: requiredFields(pin.schema),
    schema: pin.schema,
    ...(forwardTo ? { forwardTo } : {}),
  };
}

/**
 * `evtgen deps publish-reads`: writes the consumer's records into each producer store it reads from
 * the working tree. A dependency read at a git revision or from AWS is skipped and reported: its
 * record goes to the producer's repository by pull request (or `--to` a checkout of it).
 */
export async function publishReaders(
  config: ProjectConfig,
  consumer: string,
  pins: readonly Pin[],
  to?: string,
  forwardTo: ReadonlyMap<string, string> = new Map(),
): Promise<{ written: string[]; skipped: { subject: string; reason: string }[] }> {
  const written: string[] = [];
  const skipped: { subject: string; reason: string }[] = [];
  const byStore = new Map<string, { name: string; text: string }[]>();
  for (const pin of pins) {
    const dependency = config.dependencies.find((d) => d.subject === pin.record.subject);
    const store = to ?? localStore(dependency);
    if (!store) {
      skipped.push({
        subject: pin.record.subject,
        reason: dependency
          ? 'read at a git revision or from AWS: pass --to <a checkout of the producer’s specs/registry>'
          : 'not a dependency in evtgen.config.json',
      });
      continue;
    }
    const dir = join(store, readersFolder, consumer);
    const files = byStore.get(dir) ?? [];
    files.push({
      name: subjectFileName(pin.record.subject),
      text: `${JSON.stringify(readerRecord(consumer, pin, forwardTo.get(pin.record.subject)), null, 2)}\n`,
    });
    byStore.set(dir, files);
  }
  for (const [dir, files] of byStore) written.push(...(await writeSubjectFiles(dir, files)));
  return { written, skipped };
}

function localStore(dependency: Dependency | undefined): string | undefined {
  return dependency?.from.kind === 'store' && dependency.from.rev === undefined
    ? dependency.from.dir
    : undefined;
}

/** Every reads record of a store, verified (a record whose schema no longer hashes is reported). */
export async function readReaders(
  projectRoot: string,
  storeDir: string,
): Promise<{ readers: StoredReader[]; diagnostics: Diagnostic[] }> {
  const base = join(storeDir, readersFolder);
  const readers: StoredReader[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const consumer of (await readdir(base).catch(() => [] as string[])).sort()) {
    const dir = join(base, consumer);
    for (const name of (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const path = join(dir, name);
      const displayPath = relative(projectRoot, path).split(sep).join('/');
      const parsed = parseSource(await readFile(path, 'utf8'), path, displayPath);
      const v = parsed.file.value;
      if (
        parsed.diagnostics.length > 0 ||
        !isObject(v) ||
        typeof v.consumer !== 'string' ||
        typeof v.subject !== 'string' ||
        typeof v.version !== 'number' ||
        !isObject(v.schema) ||
        contentHash(v.schema) !== v.contentHash
      ) {
        diagnostics.push({
          severity: 'error',
          code: 'reader-malformed',
          message: `Not a reads record evtgen wrote, or its schema was edited: ${displayPath}.`,
          file: displayPath,
          position: { line: 1, column: 1 },
          pointer: '',
          hint: 'Reads records are written by the consumer (evtgen deps publish-reads); restore it from git or ask its team to publish it again.',
        });
        continue;
      }
      readers.push({ ...(v as unknown as ReaderRecord), file: parsed.file });
    }
  }
  return { readers, diagnostics };
}

/** A finding against one consumer's reads record. */
export interface ReaderFinding {
  readonly consumer: string;
  readonly subject: string;
  readonly finding: Finding;
}

/**
 * What the current schemas break for the known consumers: each reads record against the current
 * schema of its subject, forward (the consumer's validator must accept every event now published).
 * Messages name the consumer; an unchanged schema is not compared.
 */
export function readerFindings(
  current: readonly CurrentSubject[],
  readers: readonly StoredReader[],
): ReaderFinding[] {
  const bySubject = new Map(current.map((c) => [c.subject, c]));
  const out: ReaderFinding[] = [];
  for (const reader of readers) {
    const now = bySubject.get(reader.subject);
    if (!now || now.contentHash === reader.contentHash) continue;
    const findings = compareVersions(
      reader.subject,
      { file: reader.file, root: '/schema', label: `${reader.consumer} reads v${reader.version}` },
      workingSchema(now.event, now.schema),
      { mode: 'forward', place: 'sent-event' },
    );
    for (const f of findings)
      out.push({
        consumer: reader.consumer,
        subject: reader.subject,
        finding: {
          ...f,
          message: `consumer ${reader.consumer} (reads v${reader.version}): ${f.message}`,
          fingerprint: `${f.fingerprint}:${reader.consumer}`,
          why: f.why && `${reader.consumer} validates events against v${reader.version}: ${f.why}`,
        },
      });
  }
  return out;
}
