import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';
import type { Finding } from './findings.js';
import type { Snapshot } from './snapshot.js';

/** File name of the ignore file, at the project root. */
export const ignoreFileName = 'evtgen.ignore.yaml';

interface Ignore {
  readonly rule: string;
  readonly reason: string;
  readonly expires?: string;
  readonly fingerprint?: string;
  readonly subject?: string;
  readonly pointer?: string;
  readonly file: SourceFile;
  readonly at: string;
  /** Where it was written: the ignore file, or `x-compatibility` of a message/operation. */
  readonly source: string;
}

function entries(list: unknown, file: SourceFile, at: string, subject?: string): Ignore[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((e, i) => {
    if (!isObject(e) || typeof e.rule !== 'string' || typeof e.reason !== 'string') return [];
    const str = (k: string) => (typeof e[k] === 'string' ? { [k]: e[k] as string } : {});
    const pointer = joinPointer(at, i);
    return [
      {
        rule: e.rule,
        reason: e.reason,
        ...str('expires'),
        ...str('fingerprint'),
        ...str('pointer'),
        ...(subject !== undefined ? { subject } : str('subject')),
        file,
        at: pointer,
        source: `${file.displayPath}:${file.locate(pointer).line}`,
      } as Ignore,
    ];
  });
}

/** Inline ignores: `x-compatibility.ignore` on AsyncAPI messages and OpenAPI operations. */
function inlineIgnores(snap: Snapshot): Ignore[] {
  const out: Ignore[] = [];
  for (const event of snap.model.events) {
    const file = snap.workspace.fileByDisplayPath(event.origin.file);
    const message = file && isObject(file.value) ? pointerValue(file.value, event.origin.pointer) : undefined;
    const ext = isObject(message) ? message['x-compatibility'] : undefined;
    if (file && isObject(ext))
      out.push(
        ...entries(
          ext.ignore,
          file,
          joinPointer(event.origin.pointer, 'x-compatibility', 'ignore'),
          `event ${event.messageName}`,
        ),
      );
  }
  for (const op of snap.model.httpOperations) {
    const file = snap.workspace.fileByDisplayPath(op.origin.file);
    const value = file && isObject(file.value) ? pointerValue(file.value, op.origin.pointer) : undefined;
    const ext = isObject(value) ? value['x-compatibility'] : undefined;
    if (file && isObject(ext))
      out.push(
        ...entries(
          ext.ignore,
          file,
          joinPointer(op.origin.pointer, 'x-compatibility', 'ignore'),
          `${op.method} ${op.path}`,
        ),
      );
  }
  return out;
}

function pointerValue(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    v = isObject(v) ? v[key] : undefined;
  }
  return v;
}

/**
 * Marks findings an ignore matches (by rule id, plus fingerprint, subject and/or pointer; never by
 * message text). An expired ignore no longer applies and is reported as a warning.
 */
export async function applyIgnores(
  projectRoot: string,
  findings: Finding[],
  snap: Snapshot,
  today: string,
): Promise<{ findings: Finding[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const ignores: Ignore[] = inlineIgnores(snap);
  const path = join(projectRoot, ignoreFileName);
  const raw = await readFile(path, 'utf8').catch(() => undefined);
  if (raw !== undefined) {
    const { file, diagnostics: parseProblems } = parseSource(raw, path, ignoreFileName);
    diagnostics.push(...parseProblems);
    if (parseProblems.length === 0) {
      const problems = checkExtension('ignore-file', ignoreFileName, file.value, file, '');
      diagnostics.push(...problems);
      if (problems.length === 0 && isObject(file.value))
        ignores.push(...entries(file.value.ignore, file, '/ignore'));
    }
  }
  const live = ignores.filter((ig) => {
    if (ig.expires === undefined || ig.expires > today) return true;
    diagnostics.push({
      severity: 'warning',
      code: 'check-ignore-expired',
      message: `The ignore of ${ig.rule} expired on ${ig.expires} and no longer applies (reason was: ${ig.reason}).`,
      file: ig.file.displayPath,
      position: ig.file.locate(ig.at),
      pointer: ig.at,
      hint: 'Fix the finding, or extend the expiry date with a new reason.',
    });
    return false;
  });
  const out = findings.map((f) => {
    const match = live.find(
      (ig) =>
        ig.rule === f.ruleId &&
        (ig.fingerprint === undefined || ig.fingerprint === f.fingerprint) &&
        (ig.subject === undefined || ig.subject === f.subject) &&
        (ig.pointer === undefined || ig.pointer === f.pointer),
    );
    return match
      ? {
          ...f,
          ignored: {
            reason: match.reason,
            ...(match.expires ? { expires: match.expires } : {}),
            source: match.source,
          },
        }
      : f;
  });
  return { findings: out, diagnostics };
}
