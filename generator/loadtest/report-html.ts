/**
 * The HTML load report (`load-report.html`): one self-contained page rendered from a LoadReport.
 * uPlot (script and CSS) is inlined from the installed package and the report is embedded as JSON,
 * so the page loads nothing at view time. Tables carry every figure without JavaScript; the five
 * plots need it. Deterministic: the same report gives the same bytes.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { plotIds, reportScript } from './report-html-script.js';
import { reportCss } from './report-html-style.js';
import { escapeHtml, objectivesHtml, phaseHtml, verdictHtml } from './report-html-tables.js';
import type { LoadReport } from './report-types.js';

const require = createRequire(import.meta.url);

interface Assets {
  readonly uplotJs: string;
  readonly uplotCss: string;
}
let assets: Promise<Assets> | undefined;

/** uPlot's browser build and stylesheet, read once from the installed `uplot` package. */
function loadAssets(): Promise<Assets> {
  assets ??= (async () => {
    const [uplotJs, uplotCss] = await Promise.all([
      readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    ]);
    // Inlined raw: a closing tag inside either would end the element early.
    if (/<\/script|<!--/i.test(uplotJs)) throw new Error('uPlot script contains </script or <!--');
    if (/<\/style/i.test(uplotCss)) throw new Error('uPlot CSS contains </style');
    return { uplotJs, uplotCss };
  })();
  return assets;
}

/**
 * `value` as JSON that is safe inside `<script type="application/json">`: every `<` becomes
 * `\u003c`, so no `</script>` or `<!--` in a string can end or confuse the element.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface PlotSpec {
  readonly id: (typeof plotIds)[number];
  readonly title: string;
  readonly caption: string;
}

const plots: readonly PlotSpec[] = [
  {
    id: 'plot-latency',
    title: 'Latency percentiles',
    caption:
      'p50, p90, p99 and max latency of the requests answered in each second (scheduled start to answer, so time spent waiting for a connection counts). A rising p99 with a flat p50 means queueing; everything rising together means the service itself got slower. Gaps are seconds without an answer.',
  },
  {
    id: 'plot-throughput',
    title: 'Throughput',
    caption:
      'Requests sent per second (the open-loop schedule) against answers received. The lines should lie on top of each other; answered falling below sent means the target stopped keeping up and requests are queueing or timing out.',
  },
  {
    id: 'plot-errors',
    title: 'Errors per second',
    caption:
      '5xx answers plus requests without an answer (connection errors, timeouts) in each second. Isolated spikes during the faults phase are expected; errors that grow with the rate mark the limit.',
  },
  {
    id: 'plot-dlq',
    title: 'Dead-letter queue depth',
    caption:
      "Messages in the service's dead-letter queues, sampled (the line joins the samples). It should stay flat at zero except where a phase injects poison events; a steady climb means a consumer gives up on events it should process.",
  },
  {
    id: 'plot-async',
    title: 'Async lag and events in flight',
    caption:
      'Left axis: p50 and p99 of API accept to consumer done, for the events finished in each second. Right axis (dashed): events still on their way to a consumer. Lag and in-flight events rising together mean the consumers fall behind; both should fall back once the load drops.',
  },
];

function plotsHtml(): string {
  const figures = plots.map(
    (p) =>
      `<figure>\n<figcaption><strong>${escapeHtml(p.title)}.</strong> ${escapeHtml(p.caption)}</figcaption>\n<div class="plot" id="${p.id}"></div>\n</figure>`,
  );
  return `<section id="plots"><h2>Over time</h2>\n<p class="muted">x axis: seconds since the run started; shaded bands are the phases, named at their top left.</p>\n<noscript><p class="noscript">The plots need JavaScript; the tables carry every figure.</p></noscript>\n<div class="plots">\n${figures.join('\n')}\n</div></section>`;
}

function headerHtml(report: LoadReport): string {
  const rows: [string, string][] = [
    ['target', `${report.target.url} (${report.target.kind})`],
    ['load generator', `${report.generator.engine}, ${report.generator.model}`],
    ['started', report.startedAt],
    ['finished', report.finishedAt],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ];
  const meta = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<header><h1>Load report: ${escapeHtml(report.service)}</h1>\n<dl class="meta">${meta}</dl></header>`;
}

/** The report as one self-contained HTML page (same report, same bytes). */
export async function renderReportHtml(report: LoadReport): Promise<string> {
  const { uplotJs, uplotCss } = await loadAssets();
  if (plots.length !== plotIds.length || plots.some((p, i) => p.id !== plotIds[i]))
    throw new Error('report-html: plot ids out of step with the script');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Load report: ${escapeHtml(report.service)} (${report.verdict === 'met' ? 'met' : 'missed'})</title>`,
    `<style>\n${uplotCss}\n</style>`,
    `<style>${reportCss}</style>`,
    '</head>',
    '<body>',
    '<main>',
    headerHtml(report),
    verdictHtml(report),
    objectivesHtml(report),
    plotsHtml(),
    ...report.phases.map(phaseHtml),
    '</main>',
    `<script type="application/json" id="report">${embedJson(report)}</script>`,
    `<script>\n${uplotJs}\n</script>`,
    `<script>${reportScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
