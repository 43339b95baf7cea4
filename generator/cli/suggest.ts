/**
 * "Did you mean": the closest known word to a mistyped command, topic or flag. Plain edit distance
 * (insertions, deletions, substitutions, and swaps of two neighbours — the commonest typo), with a
 * cut-off so that unrelated words suggest nothing rather than something random.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(best.candidate.length / 3));
  const prefix = best.candidate.startsWith(word) && word.length >= 3;
  return best.distance <= allowed || prefix ? best.candidate : undefined;
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** A flag definition as oclif's parser keeps it: only what a suggestion needs. */
interface FlagDefinition {
  readonly name: string;
  readonly char?: string;
  readonly hidden?: boolean;
  readonly aliases?: readonly string[];
}

/**
 * For oclif's "Nonexistent flag" error: the nearest flag of the same command for each unknown one,
 * as lines to append (`Did you mean --check?`). Empty when nothing is close.
 */
export function flagSuggestions(unknown: readonly string[], flags: Record<string, FlagDefinition>): string[] {
  const visible = Object.values(flags).filter((flag) => !flag.hidden);
  const names = visible.flatMap((flag) => [flag.name, ...(flag.aliases ?? [])]);
  const lines: string[] = [];
  for (const given of unknown) {
    const bare = given.replace(/^-+/, '').split('=', 1)[0] as string;
    const match = closest(bare, names);
    if (match) lines.push(`Did you mean --${match} (instead of ${given})?`);
  }
  return lines;
}
