import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Mode, modes } from '../check/findings.js';
import type { Diagnostic } from '../diagnostics.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';

export { storeDir, storeFolder } from './store-dir.js';

export interface RegistryVersion {
  readonly version: number;
  /** `sha256:` of the normalized schema (sorted keys, sorted `required`, no formatting). */
  readonly contentHash: string;
  /** `info.version` of the AsyncAPI document it was published from. */
  readonly specVersion: string;
  /** The git commit the working tree was at (`+dirty` when specs/ had uncommitted changes), or null. */
  readonly commit: string | null;
  readonly publishedAt: string;
  /** `sha256:` of this record's fields and the previous version's hash: the seal tampering breaks. */
  readonly hash: string;
  /** The event's whole EventBridge `detail` schema, draft-07, self-contained (`#/definitions/…`). */
  readonly schema: Record<string, unknown>;
}

export interface RegistrySubject {
  /** `{source}@{DetailType}` */
  readonly subject: string;
  readonly mode: Mode;
  readonly versions: readonly RegistryVersion[];
}

/** A subject as read from its file, with the parsed file (positions for findings and errors). */
export interface StoredSubject extends RegistrySubject {
  readonly file: SourceFile;
  readonly path: string;
}

export class RegistryStoreError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      diagnostics.map((d) => `${d.file}:${d.position.line}:${d.position.column} ${d.message}`).join('\n'),
    );
  }
}

/** JSON with object keys sorted and `required` lists sorted: formatting and key order never count. */
export function normalize(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v));
    return key === 'required' && items.every((v) => typeof v === 'string')
      ? [...new Set(items as string[])].sort()
      : items;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = normalize(value[k], k);
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function contentHash(schema: unknown): string {
  return sha256(canonicalJson(schema));
}

/** The seal of a version: every field but the schema (covered by contentHash) and the chain. */
export function sealOf(version: Omit<RegistryVersion, 'hash' | 'schema'>, previous: string | null): string {
  return sha256(
    canonicalJson({
      version: version.version,
      contentHash: version.contentHash,
      specVersion: version.specVersion,
      commit: version.commit,
      publishedAt: version.publishedAt,
      previous,
    }),
  );
}

/** The file name of a subject: characters outside `[A-Za-z0-9._@-]` percent-encoded. */
export function subjectFileName(subject: string): string {
  return `${subject.replace(/[^A-Za-z0-9._@-]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )}.json`;
}

function display(projectRoot: string, path: string): string {
  return relative(projectRoot, path).split(sep).join('/');
}

/**
 * Reads and verifies every subject of the store. A file that does not parse, has the wrong shape,
 * or holds a version whose schema or record no longer matches its hash is an error located at the
 * offending version: versions are immutable.
 */
export async function readStore(projectRoot: string, dir: string): Promise<StoredSubject[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const diagnostics: Diagnostic[] = [];
  const subjects: StoredSubject[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    const result = parseSubject(text, path, display(projectRoot, path));
    diagnostics.push(...result.diagnostics);
    if (result.subject) {
      if (subjectFileName(result.subject.subject) !== name)
        diagnostics.push(
          problem(
            result.subject.file,
            '/subject',
            'registry-file-name',
            `The file of subject ${result.subject.subject} must be named ${subjectFileName(result.subject.subject)}.`,
            'Rename the file back: evtgen finds subjects by file name.',
          ),
        );
      else subjects.push(result.subject);
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new RegistryStoreError(diagnostics);
  return subjects;
}

function problem(file: SourceFile, pointer: string, code: string, message: string, hint: string): Diagnostic {
  return {
    severity: 'error',
    code,
    message,
    file: file.displayPath,
    position: file.locate(pointer),
    pointer,
    hint,
  };
}

const tamperHint =
  'Registry versions are immutable: restore the file from git (git checkout -- <file>). To change an event, edit the spec and run evtgen registry publish.';

export function parseSubject(
  text: string,
  path: string,
  displayPath: string,
): { subject?: StoredSubject; diagnostics: Diagnostic[] } {
  const parsed = parseSource(text, path, displayPath);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
  const file = parsed.file;
  const v = file.value;
  const bad = (pointer: string, message: string) => ({
    diagnostics: [problem(file, pointer, 'registry-malformed', message, tamperHint)],
  });
  if (!isObject(v) || typeof v.subject !== 'string' || !Array.isArray(v.versions))
    return bad('', 'Not a registry subject: expected {subject, mode, versions}.');
  if (typeof v.mode !== 'string' || !(modes as readonly string[]).includes(v.mode))
    return bad(
      '/mode',
      `Unknown compatibility mode ${JSON.stringify(v.mode)} (expected ${modes.join(', ')}).`,
    );
  const versions: RegistryVersion[] = [];
  let previous: string | null = null;
  for (const [i, raw] of v.versions.entries()) {
    const pointer = joinPointer('/versions', i);
    if (
      !isObject(raw) ||
      raw.version !== i + 1 ||
      typeof raw.contentHash !== 'string' ||
      typeof raw.hash !== 'string' ||
      typeof raw.specVersion !== 'string' ||
      typeof raw.publishedAt !== 'string' ||
      !(raw.commit === null || typeof raw.commit === 'string') ||
      !isObject(raw.schema)
    )
      return bad(
        pointer,
        `Version entry ${i + 1} of ${v.subject} is malformed (versions are numbered 1, 2, … with version, contentHash, specVersion, commit, publishedAt, hash and schema).`,
      );
    const version = raw as unknown as RegistryVersion;
    if (contentHash(version.schema) !== version.contentHash)
      return {
        diagnostics: [
          problem(
            file,
            joinPointer(pointer, 'schema'),
            'registry-tampered',
            `Version ${i + 1} of ${v.subject} was edited: its schema no longer matches its contentHash ${version.contentHash}.`,
            tamperHint,
          ),
        ],
      };
    if (sealOf(version, previous) !== version.hash)
      return {
        diagnostics: [
          problem(
            file,
            pointer,
            'registry-tampered',
            `Version ${i + 1} of ${v.subject} was edited, removed or reordered: its record no longer matches its hash ${version.hash}.`,
            tamperHint,
          ),
        ],
      };
    previous = version.hash;
    versions.push(version);
  }
  return {
    subject: { subject: v.subject, mode: v.mode as Mode, versions, file, path },
    diagnostics: [],
  };
}

/** The text of a subject file: stable key order, two-space indentation, final newline. */
export function subjectText(subject: RegistrySubject): string {
  const ordered = {
    subject: subject.subject,
    mode: subject.mode,
    versions: subject.versions.map((v) => ({
      version: v.version,
      contentHash: v.contentHash,
      specVersion: v.specVersion,
      commit: v.commit,
      publishedAt: v.publishedAt,
      hash: v.hash,
      schema: normalize(v.schema),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * Writes several subject files as one change: every file is written to a temporary name first
 * (a failure there leaves the store as it was), then each is renamed over its target (atomic per
 * file on POSIX file systems).
 */
export async function writeSubjects(dir: string, subjects: readonly RegistrySubject[]): Promise<string[]> {
  return writeSubjectFiles(
    dir,
    subjects.map((s) => ({ name: subjectFileName(s.subject), text: subjectText(s) })),
  );
}

export async function writeSubjectFiles(
  dir: string,
  files: readonly { name: string; text: string }[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const f of files) {
      const target = join(dir, f.name);
      const temp = join(dir, `.${f.name}.${process.pid}.tmp`);
      staged.push({ temp, target });
      await writeFile(temp, f.text, 'utf8');
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw error;
  }
  for (const s of staged) await rename(s.temp, s.target);
  return staged.map((s) => s.target);
}
