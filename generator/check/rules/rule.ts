/**
 * A rule is data: a stable id (never renamed), the level it reports at when the change breaks a
 * reader the mode protects (oasdiff's meanings: `error` breaks, `warn` may break — the spec does not
 * say enough to decide —, `info` breaks nobody), the readers it can break, a purpose sentence and a
 * message template (`{detail}`, `{old}`, `{new}`, `{keyword}`, `{subject}`).
 */
export type Level = 'error' | 'warn' | 'info';

/**
 * Where a rule applies. `schema` rules apply to every schema and are projected by who reads it;
 * `request`/`response` rules come in twins; `operation`, `event` and `channel` rules are contract
 * level.
 */
export type RuleDirection = 'schema' | 'request' | 'response' | 'operation' | 'event' | 'channel';

export interface Rule {
  readonly id: string;
  readonly family: string;
  readonly level: Level;
  /** Readers the change can break: `bwd` (new reads old data), `fwd` (old reads new data). */
  readonly breaks: readonly ('bwd' | 'fwd')[];
  readonly direction: RuleDirection;
  /** The mirror rule of the other direction (request ↔ response). */
  readonly twin?: string;
  readonly purpose: string;
  readonly message: string;
}

export function defineRules(family: string, rules: Omit<Rule, 'family'>[]): Rule[] {
  return rules.map((r) => ({ ...r, family }));
}
