import { loadStore, RegistryCommandError, type RegistryProject } from '../registry/project.js';
import { loadCurrent } from '../registry/registry.js';
import { currentSubjects, publishedVersions } from '../registry/subjects.js';

/** One event type at one version: what every language back-end renders. */
export interface BindingSubject {
  /** `{source}@{DetailType}` */
  readonly subject: string;
  readonly source: string;
  readonly detailType: string;
  /** The registry version; 0 when built from a current spec schema that is not published yet. */
  readonly version: number;
  /** The whole `detail` schema, draft-07, self-contained (`#/definitions/…` named by evtgen). */
  readonly schema: Record<string, unknown>;
}

export interface SubjectQuery {
  readonly from: 'registry' | 'spec';
  readonly subject?: string;
  readonly version?: number;
}

/** `{source}@{DetailType}`: sources are reverse-DNS names without `@`, so the first `@` splits. */
function split(subject: string): { source: string; detailType: string } {
  const at = subject.indexOf('@');
  return { source: subject.slice(0, at), detailType: subject.slice(at + 1) };
}

/**
 * The subjects to bind. From the registry (default): each subject's latest version, or `--version`
 * of the one `--subject`. From the spec: each event type's current schema, stamped with the
 * registry version holding exactly that content (0 when unpublished).
 */
export async function selectSubjects(p: RegistryProject, q: SubjectQuery): Promise<BindingSubject[]> {
  if (q.version !== undefined && q.subject === undefined)
    throw new RegistryCommandError('usage', '--version needs --subject: versions are numbered per subject.');
  if (q.from === 'spec') {
    if (q.version !== undefined)
      throw new RegistryCommandError(
        'usage',
        '--version reads the registry: it cannot be used with --from spec.',
      );
    const snap = await loadCurrent(p);
    const published = publishedVersions(snap.model, await loadStore(p));
    const all = currentSubjects(snap.model);
    const chosen = q.subject === undefined ? all : all.filter((c) => c.subject === q.subject);
    if (chosen.length === 0)
      throw new RegistryCommandError(
        'usage',
        `No event type ${q.subject} in the specs (event types: ${all.map((c) => c.subject).join(', ') || 'none'}).`,
      );
    return chosen.map((c) => ({
      subject: c.subject,
      ...split(c.subject),
      version: published.get(c.event.messageName) ?? 0,
      schema: c.schema,
    }));
  }
  const store = await loadStore(p);
  if (store.length === 0)
    throw new RegistryCommandError(
      'usage',
      'The registry is empty: run evtgen registry publish first, or bind the current specs with --from spec.',
    );
  const chosen = q.subject === undefined ? store : store.filter((s) => s.subject === q.subject);
  if (chosen.length === 0)
    throw new RegistryCommandError(
      'usage',
      `No subject ${q.subject} in the registry (subjects: ${store.map((s) => s.subject).join(', ')}).`,
    );
  return chosen.map((s) => {
    const v = q.version === undefined ? s.versions.at(-1) : s.versions[q.version - 1];
    if (!v)
      throw new RegistryCommandError(
        'usage',
        `${s.subject} has no version ${q.version} (it has ${s.versions.length ? `1–${s.versions.length}` : 'none'}).`,
      );
    return { subject: s.subject, ...split(s.subject), version: v.version, schema: v.schema };
  });
}
