/**
 * Diagnostics are how bad input is reported: data, never exceptions. Every stage returns them and
 * the CLI prints them as `file:line:col  severity  code  message`.
 */

export type Severity = 'error' | 'warning' | 'info';

/** A position in a source file, 1-based like editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine-readable code, e.g. `yaml-syntax`, `unresolved-ref`. */
  readonly code: string;
  /** What went wrong, naming the bad value and what is allowed. */
  readonly message: string;
  /** Path of the file relative to the project root (POSIX separators). */
  readonly file: string;
  readonly position: SourcePosition;
  /** JSON pointer of the offending value inside `file` ('' for the document root). */
  readonly pointer: string;
  /** How to fix it. */
  readonly hint?: string;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, line, column, then code, so output is stable whatever order stages ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column ||
      severityRank[a.severity] - severityRank[b.severity] ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.message, b.message),
  );
}

/** Removes exact duplicates (two stages may report the same fact). */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}|${d.position.line}|${d.position.column}|${d.code}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one-line form of PRODUCT.md: `file:line:col  severity  code  message`, then pointer and hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.position.line}:${d.position.column}  ${d.severity}  ${d.code}  ${d.message}`;
  const pointer = `    at ${d.pointer === '' ? '(document root)' : d.pointer}`;
  return d.hint ? `${head}\n${pointer}\n    fix: ${d.hint}` : `${head}\n${pointer}`;
}

/** Byte-wise comparison: locale-independent, so output is identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
