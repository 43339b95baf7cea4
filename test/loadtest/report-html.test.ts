import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../generator/loadtest/report-html.js';
import type { LoadReport } from '../../generator/loadtest/report-types.js';
import { chromiumPath, haveChromium, launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/project.js';
import { loadReportFixture } from './fixture.js';

/**
 * The HTML load report: self-contained (uPlot inlined, nothing fetched), the report embedded as
 * JSON that no string can break out of, every string escaped, deterministic; then the page in a
 * real browser (Debian's chromium, offline): the tables render, uPlot draws all five plots, and
 * there is no script error and no request but the file itself.
 */

const injection = '</script><script>alert(1)</script>';
const markup = '<img src=x onerror="alert(2)">';

/** The fixture with markup in strings that end up in the page (service, a miss, a route, a fault). */
async function hostileReport(): Promise<LoadReport> {
  const report = await loadReportFixture();
  const [first, ...rest] = report.phases;
  if (!first) throw new Error('fixture without phases');
  return {
    ...report,
    service: `orders ${injection}`,
    misses: [...report.misses, `faults: ${markup}`],
    phases: [
      {
        ...first,
        routes: { ...first.routes, [`GET /x${markup}`]: first.requests },
        faults: [{ kind: 'poison', description: `detail ${injection}` }],
      },
      ...rest,
    ],
  };
}

/** The DOM as far as the page checks need it (the project's `lib` has no DOM types). */
interface PageDocument {
  querySelector(selector: string): {
    readonly width: number;
    readonly height: number;
    getContext(
      kind: '2d',
    ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
  } | null;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The text of the embedded report element. */
function embedded(html: string): string {
  const match = /<script type="application\/json" id="report">([\s\S]*?)<\/script>/.exec(html);
  expect(match, 'no <script type="application/json" id="report">').not.toBeNull();
  return match?.[1] ?? '';
}

describe('renderReportHtml', () => {
  it('is self-contained: uPlot inlined, no script, stylesheet or image loaded from anywhere', async () => {
    const html = await renderReportHtml(await loadReportFixture());
    const require = createRequire(import.meta.url);
    const uplot = await readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    const css = await readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    expect(html).toContain(`<script>\n${uplot}\n</script>`);
    expect(html).toContain(css);
    expect(html).not.toMatch(/\b(src|href|srcset|action|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
  });

  it('embeds the report as JSON that parses back to the same report', async () => {
    const report = await loadReportFixture();
    const html = await renderReportHtml(report);
    expect(JSON.parse(embedded(html))).toEqual(report);
  });

  it('escapes the embedded JSON: a string holding </script> cannot close the element', async () => {
    const report = await hostileReport();
    const html = await renderReportHtml(report);
    const json = embedded(html);
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(report);
    expect(html.match(/<script\b/gi)).toHaveLength(3);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(html).not.toContain(injection);
  });

  it('HTML-escapes every string from the report', async () => {
    const html = await renderReportHtml(await hostileReport());
    expect(html).not.toContain(markup);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain(
      '<h1>Load report: orders &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>',
    );
    expect(html).toContain('<li>faults: &lt;img src=x onerror=&quot;alert(2)&quot;&gt;</li>');
    expect(html).toContain('GET /x&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('has the verdict, the objectives and every phase table with its figures', async () => {
    const report = await loadReportFixture();
    const html = await renderReportHtml(report);
    expect(html).toContain('<section class="verdict missed" id="verdict"><h2>Verdict: missed</h2>');
    for (const miss of report.misses) expect(html).toContain(`<li>${escapeText(miss)}</li>`);
    expect(html).toContain('<caption>12 of 15 objectives met</caption>');
    expect(html).toContain('<code>specs/orders.openapi.yaml#/paths/~1orders/post/x-slo</code>');
    for (const phase of report.phases) expect(html).toContain(`<h2>Phase ${phase.name}</h2>`);
    expect(html).toMatch(
      /<th scope="row">POST \/orders<\/th><td class="num">2,700<\/td><td class="num">2,695<\/td><td>201\u00a0×2,676, 503\u00a0×19<\/td><td class="bad">timeout\u00a0×5<\/td><td class="num bad">0.89 %<\/td>/,
    );
    expect(html).toMatch(
      /<th scope="row">outboxRelay<\/th><td class="num">898<\/td><td class="num">896<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num bad">2<\/td><td class="num">6<\/td>/,
    );
    expect(html).toContain('<code>01JEXQ3M8Z4T7K2WQ9D1V5R6BN</code>');
    expect(html).toContain(
      '<td>no, still in flight after 10,000 ms</td>'.replace('<td>', '<td class="warn">'),
    );
    expect(html).toContain('<strong>Limit:</strong> every objective held up to 180 rps');
    expect(html).toContain(
      '<th scope="row">throttled PutEvents are retried: nothing unpublished</th><td class="bad">missed</td>',
    );
  });

  it('says met, without misses, when the run met everything', async () => {
    const report: LoadReport = { ...(await loadReportFixture()), verdict: 'met', misses: [] };
    const html = await renderReportHtml(report);
    expect(html).toContain('<section class="verdict met" id="verdict"><h2>Verdict: met</h2>');
    expect(html).not.toContain('Verdict: missed');
  });

  it('is deterministic: the same report gives the same bytes', async () => {
    const first = await renderReportHtml(await loadReportFixture());
    const second = await renderReportHtml(await loadReportFixture());
    expect(second).toBe(first);
  });
});

const artifacts = join(repoRoot, 'test', '.artifacts', 'loadtest');

// CI must run the browser tests: a missing browser there is a failure, not a skip.
it.runIf(process.env.CI === 'true')('chromium is installed (CI)', () => {
  expect(existsSync(chromiumPath), `${chromiumPath} is missing: .ci/run installs Debian's chromium`).toBe(
    true,
  );
});

/** The stroke colour of one series per plot (from report-html-script.ts), with the plot's id. */
const strokes: readonly [string, [number, number, number]][] = [
  ['plot-latency', [0xcf, 0x22, 0x2e]], // p99
  ['plot-throughput', [0x1a, 0x7f, 0x37]], // answered
  ['plot-errors', [0xcf, 0x22, 0x2e]], // errors
  ['plot-dlq', [0x9a, 0x67, 0x00]], // DLQ depth
  ['plot-async', [0x82, 0x50, 0xdf]], // in flight
];

describe.skipIf(!haveChromium)('the HTML load report in chromium', () => {
  let browser: Browser;
  let page: Page;
  let report: LoadReport;
  let fileUrl: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    report = await hostileReport();
    await mkdir(artifacts, { recursive: true });
    const file = join(artifacts, 'load-report.html');
    await writeFile(file, await renderReportHtml(report), 'utf8');
    fileUrl = pathToFileURL(file).href;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Every request is recorded; anything but the report file itself is blocked.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url === fileUrl ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the page: title, verdict, objectives and one section per phase', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe(`Load report: ${report.service}`);
    await expect(page.locator('#verdict li').count()).resolves.toBe(report.misses.length);
    await expect(page.locator('#objectives tbody tr').count()).resolves.toBe(report.objectives.length);
    await expect(page.locator('section.phase h2').allTextContents()).resolves.toEqual(
      report.phases.map((p) => `Phase ${p.name}`),
    );
  });

  it('draws five uPlot charts, each with its series on a non-blank canvas', async () => {
    await page.waitForSelector('body[data-plots="5"]', { timeout: 15_000 });
    await expect(page.locator('.plot > .uplot').count()).resolves.toBe(5);
    for (const [id, rgb] of strokes) {
      const drawn = await page.evaluate(
        ([plotId, [r, g, b]]) => {
          const { document } = globalThis as unknown as { document: PageDocument };
          const canvas = document.querySelector(`#${plotId} canvas`);
          if (!canvas) return { width: 0, painted: 0, stroke: 0 };
          const ctx = canvas.getContext('2d');
          const data = ctx?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
          let painted = 0;
          let stroke = 0;
          for (let i = 0; i < data.length; i += 4) {
            if ((data[i + 3] ?? 0) === 0) continue;
            painted++;
            const near = (v: number | undefined, want: number) => Math.abs((v ?? -999) - want) <= 40;
            if (near(data[i], r) && near(data[i + 1], g) && near(data[i + 2], b) && (data[i + 3] ?? 0) > 200)
              stroke++;
          }
          return { width: canvas.width, painted, stroke };
        },
        [id, rgb] as const,
      );
      expect(drawn.width, `${id}: canvas width`).toBeGreaterThan(300);
      expect(drawn.painted, `${id}: painted pixels`).toBeGreaterThan(1000);
      expect(drawn.stroke, `${id}: pixels of the series' colour`).toBeGreaterThan(30);
    }
    await page.screenshot({ path: join(artifacts, 'load-report.png'), fullPage: true });
  });

  it('keeps injected markup as text: the embedded JSON parses back to the report, no alert ran', async () => {
    const parsed = JSON.parse((await page.locator('#report').textContent()) ?? 'null');
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
    await expect(page.locator('script').count()).resolves.toBe(3);
    await expect(page.locator('img').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('logged no console error, raised no script error and requested nothing but the file', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });
});
