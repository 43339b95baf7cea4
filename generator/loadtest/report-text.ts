/**
 * The terminal summary of a load run (`evtgen load`): the verdict first, then one compact block per
 * phase and the objectives. Rendered from the LoadReport only; the caller prints the report files'
 * paths. Plain text with aligned columns; colour (ANSI) only when asked for.
 */
import { paint, type Style } from '../cli/render.js';
import {
  formatBreakdown,
  formatCount,
  formatMs,
  formatObjectiveValue,
  formatPercent,
  formatRate,
  formatRps,
  sortedEntries,
} from './report-format.js';
import type { ConsumerAccounting, LoadReport, PhaseReport } from './report-types.js';

/** Options of {@link renderReportText}. */
export interface ReportTextOptions {
  /** ANSI colours (verdict, misses, lost events); off by default. */
  readonly colour?: boolean;
}

interface Cell {
  readonly text: string;
  readonly style?: Style;
}
type Align = 'left' | 'right';

/** The summary of `report` as lines of text (ending with a newline); same report, same text. */
export function renderReportText(report: LoadReport, options: ReportTextOptions = {}): string {
  const colour = options.colour ?? false;
  const lines: string[] = [
    `evtgen load: ${report.service} → ${report.target.url} (${report.target.kind}), ${report.generator.engine}, ${report.generator.model}`,
    `run ${report.startedAt} to ${report.finishedAt}`,
    '',
    ...verdictLines(report, colour),
  ];
  for (const phase of report.phases) lines.push('', ...phaseLines(phase, colour));
  lines.push('', ...objectiveLines(report, colour));
  return `${lines.join('\n')}\n`;
}

function verdictLines(report: LoadReport, colour: boolean): string[] {
  if (report.verdict === 'met')
    return [`${paint('VERDICT: MET', 'green', colour)} (every objective and expectation held, nothing lost)`];
  const count = `${report.misses.length} ${report.misses.length === 1 ? 'miss' : 'misses'}`;
  return [
    `${paint('VERDICT: MISSED', 'red', colour)} (${count})`,
    ...report.misses.map((miss) => `  ${paint('x', 'red', colour)} ${miss}`),
  ];
}

function phaseLines(phase: PhaseReport, colour: boolean): string[] {
  const r = phase.requests;
  const errorCount = r.sent - r.answered;
  const end = phase.startS + phase.durationS;
  const lines = [
    `${paint(phase.name, 'bold', colour)}  ${formatCount(phase.startS)}-${formatCount(end)} s  target ${formatRate(phase.rate)}`,
    paint(`  ${phase.description}`, 'dim', colour),
    `  requests   sent ${formatCount(r.sent)}  answered ${formatCount(r.answered)}  no answer ${formatCount(errorCount)}  error rate ${paintIf(formatPercent(r.errorRatePercent), 'red', colour && r.errorRatePercent > 0)}  throughput ${formatRps(r.throughputRps)}`,
    `  statuses   ${formatBreakdown(r.byStatus)}${errorCount > 0 ? `; no answer: ${formatBreakdown(r.errors)}` : ''}`,
    `  latency    p50 ${formatMs(r.latency.p50)}  p90 ${formatMs(r.latency.p90)}  p99 ${formatMs(r.latency.p99)}  max ${formatMs(r.latency.max)}`,
  ];
  const routeRows: Cell[][] = sortedEntries(phase.routes).map(([route, f]) => [
    { text: route },
    { text: formatCount(f.sent) },
    { text: formatCount(f.answered) },
    { text: formatPercent(f.errorRatePercent), ...(f.errorRatePercent > 0 ? { style: 'red' as const } : {}) },
    { text: formatMs(f.latency.p50) },
    { text: formatMs(f.latency.p99) },
  ]);
  if (routeRows.length > 0)
    lines.push(
      ...table(
        [['route', 'sent', 'answered', 'error %', 'p50', 'p99'].map((text) => ({ text })), ...routeRows],
        ['left', 'right', 'right', 'right', 'right', 'right'],
        colour,
      ).map((line) => `    ${line}`),
    );
  const e = phase.events;
  if (e.measured === false) {
    lines.push(
      '  events     not counted: the target is a URL; pass --stack to count them from the deployed stack (see docs/load.md)',
    );
    return lines.concat(phaseTail(phase, colour));
  }
  lines.push(
    `  events     published ${formatCount(e.published)} (${formatBreakdown(e.publishedByType)}); expected from requests ${formatCount(e.expectedFromRequests)}, unpublished ${paintIf(formatCount(e.unpublished), 'red', colour && e.unpublished > 0)}; ${e.drained ? `drained in ${formatMs(e.drainMs)}` : paint(`not drained after ${formatMs(e.drainMs)}`, 'yellow', colour)}; lost ${paintIf(formatCount(e.lost), 'red', colour && e.lost > 0)}`,
  );
  if (e.note) lines.push(`             ${paint(e.note, 'dim', colour)}`);
  const consumerRows = sortedEntries(e.consumers).map(([name, c]) => consumerRow(name, c));
  if (consumerRows.length > 0)
    lines.push(
      ...table(
        [
          [
            'consumer',
            'expected',
            'processed',
            'DLQ',
            'in flight',
            'lost',
            'dup',
            'failed',
            'p50',
            'p99',
          ].map((text) => ({ text })),
          ...consumerRows,
        ],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        colour,
      ).map((line) => `    ${line}`),
    );
  for (const [name, c] of sortedEntries(e.consumers))
    if (c.lostEventIds && c.lostEventIds.length > 0)
      lines.push(`  lost ids   ${name}: ${c.lostEventIds.join(', ')}`);
  return lines.concat(phaseTail(phase, colour));
}

/** The faults, expectations and ramp limit of a phase. */
function phaseTail(phase: PhaseReport, colour: boolean): string[] {
  const lines: string[] = [];
  for (const fault of phase.faults) lines.push(`  fault      ${fault.kind}: ${fault.description}`);
  for (const x of phase.expectations)
    lines.push(
      `  expect     ${x.met ? paint('ok  ', 'green', colour) : paint('MISS', 'red', colour)} ${x.text}`,
      paint(`                  ${x.detail}`, 'dim', colour),
    );
  if (phase.limit)
    lines.push(
      `  limit      sustained ${formatRps(phase.limit.sustainedRps)}${phase.limit.brokenBy ? `; broken first by ${phase.limit.brokenBy}` : ''}`,
    );
  return lines;
}

function consumerRow(name: string, c: ConsumerAccounting): Cell[] {
  const flag = (n: number, style: Style): Cell => ({ text: formatCount(n), ...(n > 0 ? { style } : {}) });
  return [
    { text: name },
    { text: formatCount(c.expected) },
    { text: formatCount(c.processed) },
    flag(c.deadLettered, 'yellow'),
    flag(c.inFlight, 'yellow'),
    flag(c.lost, 'red'),
    { text: c.duplicates === undefined ? '-' : formatCount(c.duplicates) },
    { text: formatCount(c.failedAttempts) },
    { text: c.latency ? formatMs(c.latency.p50) : '-' },
    { text: c.latency ? formatMs(c.latency.p99) : '-' },
  ];
}

function objectiveLines(report: LoadReport, colour: boolean): string[] {
  if (report.objectives.length === 0)
    return ['objectives  none checked (x-slo objectives are judged in the baseline and soak phases)'];
  const missed = report.objectives.filter((o) => !o.met).length;
  const head = `objectives  ${report.objectives.length - missed} met, ${paintIf(`${missed} missed`, 'red', colour && missed > 0)}`;
  const rows: Cell[][] = report.objectives.map((o) => [
    o.met ? { text: 'ok', style: 'green' } : { text: 'MISS', style: 'red' },
    { text: o.phase },
    { text: o.subject },
    { text: o.objective },
    { text: formatObjectiveValue(o.objective, o.target) },
    { text: formatObjectiveValue(o.objective, o.measured) },
  ]);
  return [
    head,
    ...table(
      [['', 'phase', 'subject', 'objective', 'target', 'measured'].map((text) => ({ text })), ...rows],
      ['left', 'left', 'left', 'left', 'right', 'right'],
      colour,
    ).map((line) => `  ${line}`),
  ];
}

/** Rows padded to aligned columns (widths from the plain text, so colour cannot shift them). */
function table(rows: readonly (readonly Cell[])[], align: readonly Align[], colour: boolean): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((row) => row[i]?.text.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        const padded = align[i] === 'right' ? cell.text.padStart(width) : cell.text.padEnd(width);
        return cell.style ? paint(padded, cell.style, colour) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

function paintIf(text: string, style: Style, when: boolean): string {
  return when ? paint(text, style, true) : text;
}
