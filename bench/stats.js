// Summary statistics and table rendering for the benchmark report.

/** Quantile with linear interpolation between closest ranks (R type 7, numpy's default). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Median, min, max, p25, p75, mean and sample standard deviation of `samples` (milliseconds). */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  const variance = n > 1 ? sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) : 0;
  return {
    runs: n,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[n - 1],
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    mean,
    stddev: Math.sqrt(variance),
  };
}

/** `850 ms`, `12.34 s`. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 100_000 ? 2 : 1)} s`;
}

/** The columns of the main table for one scenario. */
export function statsRow(scenario, stats, note = '') {
  return [
    scenario,
    String(stats.runs),
    formatMs(stats.median),
    formatMs(stats.min),
    formatMs(stats.max),
    stats.runs > 1 ? `${formatMs(stats.p25)} – ${formatMs(stats.p75)}` : 'n/a (1 run)',
    stats.runs > 1 ? `± ${formatMs(stats.stddev)}` : 'n/a',
    note,
  ];
}

export const statsHeader = ['scenario', 'runs', 'median', 'min', 'max', 'p25 – p75', 'stddev', 'note'];

/** Cells that are figures (or placeholders among figures) are right-aligned. */
const isNumeric = (cell) => cell === '' || cell === 'skipped' || /^([\d±.]|n\/a)/.test(cell);

/** A plain-text table with aligned columns (numbers right-aligned). */
export function textTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i])));
  const line = (cells) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same table in GitHub Markdown. */
export function markdownTable(header, rows) {
  const escapeCell = (c) => c.replaceAll('|', '\\|');
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i])));
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

/** A positive integer from the environment (`BENCH_RUNS=5`), or `fallback`. */
export function envInt(name, fallback) {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
