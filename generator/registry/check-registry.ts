import { type Finding, isTransitive, type Mode, makeFinding } from '../check/findings.js';
import type { Snapshot } from '../check/snapshot.js';
import type { ProjectConfig } from '../config.js';
import { eventRegistryContent } from '../emit/registry-content.js';
import { compareVersions, type LocatedSchema, storedSchema, workingSchema } from './compat.js';
import { loadStore } from './project.js';
import { readPulled } from './pulled.js';
import { storeDir } from './store.js';
import { currentSubjects, subjectMode } from './subjects.js';

/**
 * `evtgen check --against registry` (the store in specs/registry/) and `--against registry:aws`
 * (the versions `evtgen registry pull` read from AWS): every event of the working tree against the
 * latest version of its subject, or every version when its mode is transitive.
 */
export async function registryFindings(
  config: ProjectConfig,
  snap: Snapshot,
  source: 'store' | 'aws',
  modeOverride: Mode | undefined,
  registryName?: string,
): Promise<{ description: string; findings: Finding[] }> {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    if (seen.has(f.fingerprint)) return;
    seen.add(f.fingerprint);
    out.push(f);
  };
  const subjects =
    source === 'store'
      ? (await loadStore({ config, dir: storeDir(config.specsDir) })).map((s) => ({
          subject: s.subject,
          file: s.file,
          versions: s.versions.map((v) => ({ version: v.version, schema: storedSchema(s, v.version) })),
        }))
      : await readPulled(config, registryName);
  const bySubject = new Map(subjects.map((s) => [s.subject, s]));
  const current = currentSubjects(snap.model);
  for (const c of current) {
    const stored = bySubject.get(c.subject);
    if (!stored || stored.versions.length === 0) continue;
    const { mode: subjectModeValue, place } = subjectMode(snap, c.event);
    const mode = modeOverride ?? subjectModeValue;
    const versions = isTransitive(mode) ? [...stored.versions].reverse() : stored.versions.slice(-1);
    const working: LocatedSchema =
      source === 'store'
        ? workingSchema(c.event, c.schema)
        : workingSchema(c.event, eventRegistryContent(snap.model, c.event).content);
    for (const v of versions)
      for (const f of compareVersions(c.subject, v.schema, working, {
        mode,
        place,
        draft4: source === 'aws',
      }))
        push(f);
  }
  const names = new Set(current.map((c) => c.subject));
  for (const s of subjects) {
    if (names.has(s.subject)) continue;
    const f = makeFinding({
      ruleId: 'message-removed',
      subject: `event ${s.subject}`,
      where: 'registry subject',
      file: s.file.displayPath,
      position: s.file.locate('/subject'),
      pointer: '/subject',
      place: 'contract',
      mode: modeOverride ?? 'full',
      identity: s.subject,
    });
    if (f) push(f);
  }
  const description =
    source === 'store'
      ? `registry ${storeDir(config.specsDir).slice(config.projectRoot.length + 1)}`
      : `AWS Schema Registry versions pulled into .evtgen/aws-registry/${registryName ?? ''}`;
  return { description, findings: out };
}
