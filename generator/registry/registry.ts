import { execFile } from 'node:child_process';
import { relative, sep } from 'node:path';
import { type Finding, type Mode, type Place, sortFindings } from '../check/findings.js';
import { readingPolicy } from '../check/reading-policy.js';
import type { Snapshot } from '../check/snapshot.js';
import { type ReaderFinding, readerFindings, readReaders } from '../deps/readers.js';
import { loadContract } from '../model/build-model.js';
import { blocking, compareVersions, storedSchema, versionsToCheck, workingSchema } from './compat.js';
import { LockBusyError, withLock } from './lock.js';
import { loadStore, RegistryCommandError, type RegistryProject } from './project.js';
import {
  type RegistrySubject,
  type RegistryVersion,
  type StoredSubject,
  sealOf,
  writeSubjects,
} from './store.js';
import { type CurrentSubject, currentSubjects, subjectMode } from './subjects.js';

/** The current specs as a snapshot (the generator's loader, no AsyncAPI parser: `evtgen lint` does that). */
export async function loadCurrent(p: RegistryProject): Promise<Snapshot> {
  const loaded = await loadContract(p.config.projectRoot, p.config.specsDir, {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model || !loaded.workspace)
    throw new RegistryCommandError(
      'spec',
      'The specs do not load: fix the errors above.',
      loaded.diagnostics,
    );
  return { label: 'working tree', model: loaded.model, workspace: loaded.workspace };
}

export interface SubjectPlan {
  readonly subject: string;
  readonly mode: Mode;
  /** `new`: first version; `changed`: a new version; `unchanged`: same content as the latest; `refused`. */
  readonly status: 'new' | 'changed' | 'unchanged' | 'refused';
  /** The version it gets (or already has, when unchanged). */
  readonly version: number;
  /** The versions it was checked against. */
  readonly checkedAgainst: readonly number[];
  readonly findings: readonly Finding[];
  /** The mode stored for the subject differs from the spec's. */
  readonly modeChanged: boolean;
  /** Known consumers (reads records in the store) the new schema breaks. */
  readonly consumersBroken: readonly string[];
}

export interface PublishResult {
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly policy: string;
  readonly subjects: readonly SubjectPlan[];
  /** Files written (project-relative); empty for a dry run or a refusal. */
  readonly written: readonly string[];
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((done) => {
    execFile('git', args, { cwd }, (error, stdout) => done(error ? '' : stdout.trim()));
  });
}

/** HEAD, with `+dirty` when the specs have uncommitted changes (the store itself excluded). */
async function currentCommit(p: RegistryProject): Promise<string | null> {
  const cwd = p.config.projectRoot;
  const head = await git(cwd, ['rev-parse', 'HEAD']);
  if (!head) return null;
  const specs = relative(cwd, p.config.specsDir).split(sep).join('/') || '.';
  const store = relative(cwd, p.dir).split(sep).join('/');
  const status = await git(cwd, ['status', '--porcelain', '--', specs, `:(exclude)${store}`]);
  return status ? `${head}+dirty` : head;
}

/** Plans (and unless `dryRun`, writes) a new version of every subject whose schema changed. */
function plan(
  snap: Snapshot,
  current: CurrentSubject,
  stored: StoredSubject | undefined,
  readers: readonly ReaderFinding[],
): SubjectPlan {
  const { mode, place } = subjectMode(snap, current.event);
  const latest = stored?.versions.at(-1);
  const modeChanged = stored !== undefined && stored.mode !== mode;
  if (latest && latest.contentHash === current.contentHash)
    return {
      subject: current.subject,
      mode,
      status: 'unchanged',
      version: latest.version,
      checkedAgainst: [],
      findings: [],
      modeChanged,
      consumersBroken: [],
    };
  const against = versionsToCheck(stored, mode);
  const ownReaders = readers.filter((r) => r.subject === current.subject);
  const findings = sortFindings([
    ...(stored ? checkAgainst(current, stored, against, mode, place) : []),
    ...ownReaders.map((r) => r.finding),
  ]);
  const consumersBroken = [
    ...new Set(ownReaders.filter((r) => blocking([r.finding]).length > 0).map((r) => r.consumer)),
  ].sort();
  const refused = blocking(findings).length > 0;
  return {
    subject: current.subject,
    mode,
    status: refused ? 'refused' : latest ? 'changed' : 'new',
    version: (latest?.version ?? 0) + 1,
    checkedAgainst: against,
    findings,
    modeChanged,
    consumersBroken,
  };
}

function checkAgainst(
  current: CurrentSubject,
  stored: StoredSubject,
  versions: readonly number[],
  mode: Mode,
  place: Place,
): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const v of versions) {
    for (const f of compareVersions(
      current.subject,
      storedSchema(stored, v),
      workingSchema(current.event, current.schema),
      { mode, place },
    )) {
      if (seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      out.push(f);
    }
  }
  return sortFindings(out);
}

/**
 * `evtgen registry publish`: under the store's lock, reads and verifies the store, plans every
 * subject and — only when none is refused — writes the new versions (temporary files, then renames).
 * A refused or failed publish changes nothing.
 */
export async function publish(
  p: RegistryProject,
  options: { dryRun?: boolean; now?: () => Date; lockTimeoutMs?: number } = {},
): Promise<PublishResult> {
  const snap = await loadCurrent(p);
  const run = async (): Promise<PublishResult> => {
    const store = await loadStore(p);
    const bySubject = new Map(store.map((s) => [s.subject, s]));
    const currentList = currentSubjects(snap.model);
    const readers = await consumerFindings(p, currentList);
    const plans = currentList.map((c) => ({
      current: c,
      plan: plan(snap, c, bySubject.get(c.subject), readers),
    }));
    const refused = plans.some((x) => x.plan.status === 'refused');
    const subjects = plans.map((x) => x.plan);
    const toWrite = plans.filter(
      (x) => x.plan.status === 'new' || x.plan.status === 'changed' || x.plan.modeChanged,
    );
    if (refused || options.dryRun || toWrite.length === 0)
      return { ok: !refused, dryRun: options.dryRun ?? false, policy: readingPolicy, subjects, written: [] };
    const commit = await currentCommit(p);
    const publishedAt = (options.now?.() ?? new Date()).toISOString();
    const updated: RegistrySubject[] = toWrite.map(({ current, plan: pl }) => {
      const stored = bySubject.get(current.subject);
      const versions: RegistryVersion[] = [...(stored?.versions ?? [])];
      if (pl.status === 'new' || pl.status === 'changed') {
        const fields = {
          version: pl.version,
          contentHash: current.contentHash,
          specVersion: snap.model.service.version,
          commit,
          publishedAt,
        };
        versions.push({
          ...fields,
          hash: sealOf(fields, versions.at(-1)?.hash ?? null),
          schema: current.schema,
        });
      }
      return { subject: current.subject, mode: pl.mode, versions };
    });
    const written = await writeSubjects(p.dir, updated);
    return {
      ok: true,
      dryRun: false,
      policy: readingPolicy,
      subjects,
      written: written.map((w) => relative(p.config.projectRoot, w).split(sep).join('/')),
    };
  };
  if (options.dryRun) return run();
  try {
    return await withLock(p.dir, run, options.lockTimeoutMs);
  } catch (error) {
    if (error instanceof LockBusyError) throw new RegistryCommandError('locked', error.message);
    throw error;
  }
}

/** What the current schemas break for the consumers whose reads records are in the store. */
async function consumerFindings(
  p: RegistryProject,
  current: readonly CurrentSubject[],
): Promise<ReaderFinding[]> {
  const { readers, diagnostics } = await readReaders(p.config.projectRoot, p.dir);
  if (diagnostics.length > 0)
    throw new RegistryCommandError(
      'store',
      'A reads record in the store is damaged: nothing was changed.',
      diagnostics,
    );
  return readerFindings(current, readers);
}

export async function findSubject(p: RegistryProject, subject: string): Promise<StoredSubject> {
  const store = await loadStore(p);
  const found = store.find((s) => s.subject === subject);
  if (!found)
    throw new RegistryCommandError(
      'usage',
      `No subject ${subject} in the registry${store.length ? ` (subjects: ${store.map((s) => s.subject).join(', ')})` : ' (it is empty: run evtgen registry publish)'}.`,
    );
  return found;
}

export function versionOf(stored: StoredSubject, version: number | undefined): RegistryVersion {
  const v = version === undefined ? stored.versions.at(-1) : stored.versions[version - 1];
  if (!v)
    throw new RegistryCommandError(
      'usage',
      `${stored.subject} has no version ${version} (it has ${stored.versions.length ? `1–${stored.versions.length}` : 'none'}).`,
    );
  return v;
}

export interface DiffResult {
  readonly subject: string;
  readonly mode: Mode;
  readonly from: number;
  readonly to: number;
  readonly policy: string;
  readonly findings: readonly Finding[];
}

/** `evtgen registry diff <subject> <a> <b>`: the check engine's findings from version a to b. */
export async function diff(p: RegistryProject, subject: string, a: number, b: number): Promise<DiffResult> {
  const stored = await findSubject(p, subject);
  versionOf(stored, a);
  versionOf(stored, b);
  // Who reads the event decides the place; a subject no longer in the specs reads as "event".
  let place: Place = 'event';
  try {
    const snap = await loadCurrent(p);
    const current = currentSubjects(snap.model).find((c) => c.subject === subject);
    if (current) place = subjectMode(snap, current.event).place;
  } catch {
    // The specs need not load to compare two stored versions.
  }
  const findings = sortFindings(
    compareVersions(subject, storedSchema(stored, a), storedSchema(stored, b), { mode: stored.mode, place }),
  );
  return { subject, mode: stored.mode, from: a, to: b, policy: readingPolicy, findings };
}
