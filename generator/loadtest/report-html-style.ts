/**
 * The stylesheet of the HTML load report (`report-html.ts`), inlined into the page next to uPlot's
 * own CSS. Plain CSS, system fonts, no external resources.
 */

/** The report page's CSS. */
export const reportCss = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --zebra: #f6f8fa; --bg: #ffffff;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
.verdict { margin: 20px 0; padding: 12px 16px; border-radius: 6px; border: 1px solid; }
.verdict h2 { margin: 0; padding: 0; border: 0; }
.verdict ul { margin: 8px 0 0; padding-left: 20px; }
.verdict.met { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.verdict.missed { color: var(--bad); background: var(--bad-bg); border-color: var(--bad); }
.verdict li { color: var(--fg); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--line); white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--zebra); }
tr.total th, tr.total td { font-weight: 600; }
.num { text-align: right; white-space: nowrap; }
.ok { color: var(--ok); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.note { color: var(--muted); font-size: 13px; }
.muted { color: var(--muted); }
.plots { display: grid; grid-template-columns: 1fr; gap: 24px; }
figure { margin: 0; }
figcaption { color: var(--muted); margin-bottom: 6px; }
figcaption strong { color: var(--fg); }
.plot { min-height: 40px; width: 100%; }
.noscript { color: var(--warn); }
.phase { margin-top: 8px; }
.phase-head { color: var(--muted); }
`;
