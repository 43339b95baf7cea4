/**
 * The tables of the HTML load report (`report-html.ts`): verdict, objectives and, per phase, the
 * requests by route, the event accounting per consumer, the faults injected with their expectations
 * and the ramp's limit. Static HTML, readable without JavaScript; every string from the report is
 * escaped.
 */
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
import type { ConsumerAccounting, LoadReport, PhaseReport, RequestFigures } from './report-types.js';

/** `text` safe to put in HTML content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A cell: text (escaped here) and an optional class (`num`, `ok`, `bad`, ...). */
interface Cell {
  readonly text: string;
  readonly className?: string;
  /** Render as `<code>`. */
  readonly code?: boolean;
}

/** A breakdown (`200 ×597, 201 ×900`) whose items do not wrap inside themselves. */
const breakdown = (record: Readonly<Record<string, number>>): string =>
  formatBreakdown(record).replace(/ ×/g, '\u00a0×');

const num = (text: string, extra?: string): Cell => ({ text, className: extra ? `num ${extra}` : 'num' });
const flagged = (n: number, cls: string): Cell => num(formatCount(n), n > 0 ? cls : undefined);

function cellHtml(cell: Cell, tag: 'td' | 'th'): string {
  const content = cell.code ? `<code>${escapeHtml(cell.text)}</code>` : escapeHtml(cell.text);
  const cls = cell.className ? ` class="${escapeHtml(cell.className)}"` : '';
  return `<${tag}${cls}>${content}</${tag}>`;
}

/**
 * A table with a caption, a header row (cells of type `num` are right-aligned) and body rows; the
 * first cell of each row is a row header. `rowClass` marks rows (e.g. the phase total).
 */
function table(
  caption: string,
  head: readonly Cell[],
  rows: readonly { readonly cells: readonly Cell[]; readonly rowClass?: string }[],
): string {
  const headHtml = `<tr>${head.map((c) => cellHtml(c, 'th')).join('')}</tr>`;
  const body = rows
    .map(({ cells, rowClass }) => {
      const [first, ...rest] = cells;
      const cls = rowClass ? ` class="${escapeHtml(rowClass)}"` : '';
      const firstHtml = first ? cellHtml(first, 'th').replace('<th', '<th scope="row"') : '';
      return `<tr${cls}>${firstHtml}${rest.map((c) => cellHtml(c, 'td')).join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table>\n<caption>${escapeHtml(caption)}</caption>\n<thead>${headHtml}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

const heads = (...labels: string[]): Cell[] =>
  labels.map((label) => (label.startsWith('#') ? num(label.slice(1)) : { text: label }));

/** The verdict banner: met, or missed with one line per miss. */
export function verdictHtml(report: LoadReport): string {
  if (report.verdict === 'met')
    return `<section class="verdict met" id="verdict"><h2>Verdict: met</h2><p>Every objective and expectation held and no event was lost.</p></section>`;
  const misses = report.misses.map((miss) => `<li>${escapeHtml(miss)}</li>`).join('\n');
  return `<section class="verdict missed" id="verdict"><h2>Verdict: missed</h2>\n<ul>\n${misses}\n</ul></section>`;
}

/** The objectives (`x-slo`) checked per phase, with where each is written. */
export function objectivesHtml(report: LoadReport): string {
  if (report.objectives.length === 0)
    return '<section id="objectives"><h2>Objectives</h2><p class="muted">The contract declares no objectives (<code>x-slo</code>).</p></section>';
  const met = report.objectives.filter((o) => o.met).length;
  const rows = report.objectives.map((o) => ({
    cells: [
      { text: o.subject },
      { text: o.phase },
      { text: o.objective, code: true },
      num(formatObjectiveValue(o.objective, o.target)),
      num(formatObjectiveValue(o.objective, o.measured), o.met ? undefined : 'bad'),
      o.met ? { text: 'met', className: 'ok' } : { text: 'missed', className: 'bad' },
      { text: o.source, code: true },
    ],
  }));
  const caption = `${met} of ${report.objectives.length} objectives met`;
  return `<section id="objectives"><h2>Objectives</h2>\n${table(caption, heads('subject', 'phase', 'objective', '#target', '#measured', 'met', 'source'), rows)}\n</section>`;
}

function requestCells(label: string, f: RequestFigures): Cell[] {
  const noAnswer = f.sent - f.answered;
  return [
    { text: label },
    num(formatCount(f.sent)),
    num(formatCount(f.answered)),
    { text: breakdown(f.byStatus) },
    noAnswer > 0 ? { text: breakdown(f.errors), className: 'bad' } : { text: 'none' },
    num(formatPercent(f.errorRatePercent), f.errorRatePercent > 0 ? 'bad' : undefined),
    num(formatRps(f.throughputRps)),
    num(formatMs(f.latency.p50)),
    num(formatMs(f.latency.p90)),
    num(formatMs(f.latency.p99)),
    num(formatMs(f.latency.max)),
  ];
}

function consumerCells(name: string, c: ConsumerAccounting): Cell[] {
  return [
    { text: name },
    num(formatCount(c.expected)),
    num(formatCount(c.processed)),
    num(c.duplicates === undefined ? '–' : formatCount(c.duplicates)),
    flagged(c.deadLettered, 'warn'),
    flagged(c.inFlight, 'warn'),
    flagged(c.lost, 'bad'),
    num(formatCount(c.failedAttempts)),
    num(c.latency ? formatMs(c.latency.p50) : '–'),
    num(c.latency ? formatMs(c.latency.p99) : '–'),
  ];
}

/** One phase: what it does, its requests by route, its events, faults, expectations and limit. */
export function phaseHtml(phase: PhaseReport): string {
  const id = `phase-${escapeHtml(phase.name)}`;
  const parts: string[] = [
    `<section class="phase" id="${id}"><h2>Phase ${escapeHtml(phase.name)}</h2>`,
    `<p>${escapeHtml(phase.description)}</p>`,
    `<p class="phase-head">${formatCount(phase.startS)}–${formatCount(phase.startS + phase.durationS)} s since start · target ${escapeHtml(formatRate(phase.rate))}</p>`,
  ];
  const routeRows = [
    { cells: requestCells('all routes', phase.requests), rowClass: 'total' },
    ...sortedEntries(phase.routes).map(([route, f]) => ({ cells: requestCells(route, f) })),
  ];
  parts.push(
    table(
      'Requests',
      heads(
        'route',
        '#sent',
        '#answered',
        'statuses',
        'no answer',
        '#error rate',
        '#throughput',
        '#p50',
        '#p90',
        '#p99',
        '#max',
      ),
      routeRows,
    ),
  );
  const e = phase.events;
  if (e.measured === false)
    parts.push(
      '<p class="warn">Events not counted: the target is a URL; pass <code>--stack</code> to count them from the deployed stack (see docs/load.md).</p>',
    );
  else {
    if (e.note) parts.push(`<p class="note">${escapeHtml(e.note)}</p>`);
    parts.push(
      table('Events', heads('figure', 'value'), [
        {
          cells: [
            { text: 'published' },
            { text: `${formatCount(e.published)} (${formatBreakdown(e.publishedByType)})` },
          ],
        },
        { cells: [{ text: 'expected from requests' }, { text: formatCount(e.expectedFromRequests) }] },
        {
          cells: [
            { text: 'unpublished' },
            { text: formatCount(e.unpublished), ...(e.unpublished > 0 ? { className: 'bad' } : {}) },
          ],
        },
        { cells: [{ text: 'lost' }, { text: formatCount(e.lost), className: e.lost > 0 ? 'bad' : 'ok' }] },
        {
          cells: [
            { text: 'drained' },
            e.drained
              ? { text: `yes, in ${formatMs(e.drainMs)}`, className: 'ok' }
              : { text: `no, still in flight after ${formatMs(e.drainMs)}`, className: 'warn' },
          ],
        },
      ]),
    );
  }
  const consumers = sortedEntries(e.consumers);
  if (consumers.length > 0)
    parts.push(
      table(
        'Event accounting per consumer',
        heads(
          'consumer',
          '#expected',
          '#processed',
          '#duplicates',
          '#dead-lettered',
          '#in flight',
          '#lost',
          '#failed attempts',
          '#p50',
          '#p99',
        ),
        consumers.map(([name, c]) => ({ cells: consumerCells(name, c) })),
      ),
    );
  for (const [name, c] of consumers)
    if (c.lostEventIds && c.lostEventIds.length > 0)
      parts.push(
        `<p>Lost events of ${escapeHtml(name)}: ${c.lostEventIds.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ')}</p>`,
      );
  if (phase.faults.length > 0)
    parts.push(
      table(
        'Faults injected',
        heads('kind', 'what and where'),
        phase.faults.map((f) => ({ cells: [{ text: f.kind, code: true }, { text: f.description }] })),
      ),
    );
  if (phase.expectations.length > 0)
    parts.push(
      table(
        'Expectations',
        heads('expectation', 'met', 'figures'),
        phase.expectations.map((x) => ({
          cells: [
            { text: x.text },
            x.met ? { text: 'met', className: 'ok' } : { text: 'missed', className: 'bad' },
            { text: x.detail },
          ],
        })),
      ),
    );
  if (phase.limit) {
    const broken = phase.limit.brokenBy
      ? `; above it, first broken: ${escapeHtml(phase.limit.brokenBy)}`
      : '';
    parts.push(
      `<p class="limit"><strong>Limit:</strong> every objective held up to ${escapeHtml(formatRps(phase.limit.sustainedRps))}${broken}.</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}
