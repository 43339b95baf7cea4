import { createHash } from 'node:crypto';
import type { SourcePosition } from '../diagnostics.js';
import { type Level, ruleById } from './rules/index.js';
import type { SchemaChange, Verdict } from './schema-compat/compare.js';

/** Compatibility modes (Confluent's names, lower-case). */
export type Mode =
  | 'backward'
  | 'forward'
  | 'full'
  | 'backward-transitive'
  | 'forward-transitive'
  | 'full-transitive'
  | 'none';

export const modes: readonly Mode[] = [
  'backward',
  'forward',
  'full',
  'backward-transitive',
  'forward-transitive',
  'full-transitive',
  'none',
];

/** Which readers a mode protects. */
export function needs(mode: Mode): { bwd: boolean; fwd: boolean } {
  const base = mode.replace(/-transitive$/, '');
  return { bwd: base === 'backward' || base === 'full', fwd: base === 'forward' || base === 'full' };
}

export function isTransitive(mode: Mode): boolean {
  return mode.endsWith('-transitive');
}

/** Where a schema sits, which decides who reads it (COMPAT.md's table). */
export type Place = 'request' | 'response' | 'sent-event' | 'received-event' | 'event' | 'contract';

/** The default mode per place: see docs/check.md ("Modes and who reads what"). */
export function defaultMode(place: Place): Mode {
  switch (place) {
    case 'request':
    case 'received-event':
      return 'backward';
    case 'response':
    case 'sent-event':
      return 'forward';
    default:
      return 'full';
  }
}

const whyText: Record<Place, { bwd: string; fwd: string }> = {
  request: {
    bwd: 'the new server rejects requests that old clients still send',
    fwd: 'old servers reject requests that new clients send',
  },
  response: {
    bwd: 'new clients reject responses of servers still running the old version',
    fwd: 'old clients reject responses the new server sends',
  },
  'sent-event': {
    bwd: 'the service rejects events of the old shape it reads back',
    fwd: 'existing consumers reject events the service now publishes',
  },
  'received-event': {
    bwd: 'the new consumer rejects events already on the bus, queued, archived or replayed',
    fwd: 'producers still on the old contract reject events of the new shape',
  },
  event: {
    bwd: 'readers of the new contract reject events written under the old one',
    fwd: 'readers of the old contract reject events written under the new one',
  },
  contract: {
    bwd: 'readers of the new contract reject data written under the old one',
    fwd: 'readers of the old contract reject data written under the new one',
  },
};

export interface Finding {
  readonly ruleId: string;
  readonly level: Level;
  readonly message: string;
  /** Why it breaks which reader ('' when it breaks none the mode protects). */
  readonly why: string;
  /** The operation, event or channel: `POST /orders`, `event OrderPlaced`. */
  readonly subject: string;
  /** Where inside the subject: `request body`, `response 200 application/json`, `payload`. */
  readonly where: string;
  /** What the change concerns, e.g. a property or parameter name (what was removed, for removals). */
  readonly detail?: string;
  /** In the new spec (for removals: the nearest place that still exists). */
  readonly file: string;
  readonly position: SourcePosition;
  readonly pointer: string;
  readonly oldFile?: string;
  readonly oldPointer?: string;
  readonly old?: string;
  readonly new?: string;
  readonly bwd?: Verdict;
  readonly fwd?: Verdict;
  readonly mode: Mode;
  readonly fingerprint: string;
  /** Set when an ignore matched (the finding does not count for --fail-on). */
  readonly ignored?: { readonly reason: string; readonly expires?: string; readonly source: string };
  /** The baseline version it was found against (transitive checks). */
  readonly against?: string;
}

export interface FindingInput {
  readonly ruleId: string;
  readonly subject: string;
  readonly where: string;
  readonly file: string;
  readonly position: SourcePosition;
  readonly pointer: string;
  readonly oldFile?: string;
  readonly oldPointer?: string;
  readonly detail?: string;
  readonly keyword?: string;
  readonly old?: unknown;
  readonly new?: unknown;
  readonly bwd?: Verdict;
  readonly fwd?: Verdict;
  readonly place: Place;
  readonly mode: Mode;
  /** The pointer identity for the fingerprint (no line numbers). */
  readonly identity: string;
}

/**
 * A schema change as a finding's input: located in the new file (removals at the nearest existing
 * ancestor), with the old place, the values and both verdicts. `identity` names it for fingerprints.
 */
export function schemaChangeInput(
  c: SchemaChange,
  context: { readonly subject: string; readonly where: string; readonly place: Place; readonly mode: Mode },
  identity: string,
): FindingInput {
  return {
    ruleId: c.rule,
    subject: context.subject,
    where: context.where,
    file: c.new.file.displayPath,
    position: c.new.file.locate(c.newPointer),
    pointer: c.newPointer,
    oldFile: c.old.file.displayPath,
    oldPointer: c.oldPointer,
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    ...(c.keyword !== undefined ? { keyword: c.keyword } : {}),
    ...(c.oldValue !== undefined ? { old: c.oldValue } : {}),
    ...(c.newValue !== undefined ? { new: c.newValue } : {}),
    bwd: c.bwd,
    fwd: c.fwd,
    place: context.place,
    mode: context.mode,
    identity,
  };
}

export function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The level of a finding under a mode: the rule's level when the change breaks (or, for `warn`, may
 * break) a reader the mode protects, `info` otherwise. Schema changes carry their own verdicts;
 * contract rules use the readers their rule says they break.
 */
export function makeFinding(input: FindingInput): Finding | undefined {
  const rule = ruleById(input.ruleId);
  const need = needs(input.mode);
  const verdicts = {
    bwd: input.bwd ?? (rule.breaks.includes('bwd') ? 'break' : 'ok'),
    fwd: input.fwd ?? (rule.breaks.includes('fwd') ? 'break' : 'ok'),
  } as const;
  const broken = (['bwd', 'fwd'] as const).filter((d) => need[d] && verdicts[d] === 'break');
  const unsure = (['bwd', 'fwd'] as const).filter((d) => need[d] && verdicts[d] === 'unknown');
  let level: Level = 'info';
  if (input.mode !== 'none') {
    if (broken.length > 0) level = rule.level;
    else if (unsure.length > 0) level = 'warn';
  }
  const readers = broken.length > 0 ? broken : unsure;
  const why =
    level === 'info'
      ? ''
      : `${unsure.length > 0 && broken.length === 0 ? 'may break: ' : ''}${readers.map((d) => whyText[input.place][d]).join('; ')}`;
  const message = rule.message
    .replaceAll('{detail}', input.detail ?? '')
    .replaceAll('{keyword}', input.keyword ?? '')
    .replaceAll('{subject}', input.subject)
    .replaceAll('{old}', show(input.old))
    .replaceAll('{new}', show(input.new));
  const fingerprint = createHash('sha256')
    .update([rule.id, input.subject, input.where, input.identity, input.detail ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return {
    ruleId: rule.id,
    level,
    message,
    why,
    subject: input.subject,
    where: input.where,
    ...(input.detail ? { detail: input.detail } : {}),
    file: input.file,
    position: input.position,
    pointer: input.pointer,
    ...(input.oldFile !== undefined ? { oldFile: input.oldFile } : {}),
    ...(input.oldPointer !== undefined ? { oldPointer: input.oldPointer } : {}),
    ...(input.old !== undefined ? { old: show(input.old) } : {}),
    ...(input.new !== undefined ? { new: show(input.new) } : {}),
    ...(input.bwd !== undefined ? { bwd: input.bwd } : {}),
    ...(input.fwd !== undefined ? { fwd: input.fwd } : {}),
    mode: input.mode,
    fingerprint,
  };
}

const levelRank: Record<Level, number> = { error: 0, warn: 1, info: 2 };

export function atLeast(level: Level, threshold: Level): boolean {
  return levelRank[level] <= levelRank[threshold];
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      levelRank[a.level] - levelRank[b.level] ||
      cmp(a.subject, b.subject) ||
      cmp(a.file, b.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.fingerprint, b.fingerprint),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
