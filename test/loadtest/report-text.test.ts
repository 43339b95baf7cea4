import { describe, expect, it } from 'vitest';
import { renderReportText } from '../../generator/loadtest/report-text.js';
import type { LoadReport } from '../../generator/loadtest/report-types.js';
import { loadReportFixture } from './fixture.js';

/**
 * The terminal summary of a load run, rendered from the fixture: the verdict comes first with every
 * miss, each phase's figures appear, colour only when asked, and the output is deterministic.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what is looked for
const ansi = /\u001b\[/;

/** The lines of `text` from the one starting with `start` up to (excluding) the next blank line. */
function block(text: string, start: string): string {
  const lines = text.split('\n');
  const from = lines.findIndex((line) => line.startsWith(start));
  expect(from, `no line starting with "${start}"`).toBeGreaterThanOrEqual(0);
  const to = lines.findIndex((line, i) => i > from && line === '');
  return lines.slice(from, to === -1 ? undefined : to).join('\n');
}

describe('renderReportText', () => {
  it('puts the verdict first and lists every miss under it', async () => {
    const report = await loadReportFixture();
    const text = renderReportText(report);
    const verdictAt = text.indexOf('VERDICT: MISSED (5 misses)');
    expect(verdictAt).toBeGreaterThan(0);
    expect(text.indexOf('baseline')).toBeGreaterThan(verdictAt);
    const verdict = block(text, 'VERDICT');
    for (const miss of report.misses) expect(verdict).toContain(`  x ${miss}`);
    expect(verdict.split('\n')).toHaveLength(1 + report.misses.length);
  });

  it('says MET without misses when the run met everything', async () => {
    const report: LoadReport = { ...(await loadReportFixture()), verdict: 'met', misses: [] };
    const text = renderReportText(report);
    expect(text).toContain('VERDICT: MET');
    expect(text).not.toContain('MISSED');
  });

  it("shows each phase's rate, requests, statuses, error rate, latency and routes", async () => {
    const text = renderReportText(await loadReportFixture());
    const ramp = block(text, 'ramp');
    expect(ramp).toContain('30-60 s  target 50 → 250 rps');
    expect(ramp).toContain(
      'sent 4,500  answered 4,494  no answer 6  error rate 0.73 %  throughput 149.8 rps',
    );
    expect(ramp).toContain('200 ×1,786, 201 ×2,676, 404 ×5, 503 ×27; no answer: timeout ×6');
    expect(ramp).toContain('p50 14.2 ms  p90 253 ms  p99 546 ms  max 873 ms');
    expect(ramp).toMatch(/POST \/orders +2,700 +2,695 +0\.89 % +19\.9 ms +764 ms/);
    expect(ramp).toContain('limit      sustained 180 rps; broken first by POST /orders p99Ms');
    expect(ramp).toContain('not drained after 10,000 ms');
  });

  it('accounts for events per consumer: processed, DLQ, in flight, lost', async () => {
    const text = renderReportText(await loadReportFixture());
    const faults = block(text, 'faults');
    expect(faults).toContain(
      'published 1,791 (OrderFulfilled ×895, OrderPlaced ×896); expected from requests 898, unpublished 2',
    );
    expect(faults).toMatch(/consumer +expected +processed +DLQ +in flight +lost +dup +failed +p50 +p99/);
    expect(faults).toMatch(/notifications +895 +892 +3 +0 +0 +0 +9 +470 ms +2,100 ms/);
    expect(faults).toMatch(/outboxRelay +898 +896 +0 +0 +2 +0 +6 +130 ms +1,900 ms/);
    expect(faults).toContain(
      'lost ids   outboxRelay: 01JEXQ3M8Z4T7K2WQ9D1V5R6BN, 01JEXQ3N2F0H8S3YB6C4A7P1MX',
    );
    expect(faults).toContain('fault      poison: notifications: 3 events with a malformed detail');
    expect(faults).toContain('expect     MISS throttled PutEvents are retried: nothing unpublished');
    expect(block(text, 'ramp')).toMatch(/fulfilment +2,676 +2,662 +0 +14 +0/);
  });

  it("says a deployed stack's counts are metric totals, with no duplicates or latencies it cannot know", async () => {
    const report = await loadReportFixture();
    const [first, ...rest] = report.phases;
    if (!first) throw new Error('the fixture has no phase');
    const consumers = Object.fromEntries(
      Object.entries(first.events.consumers).map(([name, { duplicates: _, latency: __, ...c }]) => [name, c]),
    );
    const fromStack = {
      ...report,
      phases: [
        {
          ...first,
          events: {
            ...first.events,
            source: 'cloudwatch' as const,
            note: 'Counted from CloudWatch metrics.',
            consumers,
          },
        },
        ...rest,
      ],
    };
    const phase = block(renderReportText(fromStack), first.name);
    expect(phase).toContain('Counted from CloudWatch metrics.');
    const [name, c] = Object.entries(consumers)[0] ?? [];
    if (!name || !c) throw new Error('the fixture phase has no consumer');
    expect(phase).toMatch(
      new RegExp(`${name} +${c.expected.toLocaleString('en-US')} +.* +- +\\S+ +- +-$`, 'm'),
    );
  });

  it('aligns the columns of a table', async () => {
    const text = renderReportText(await loadReportFixture());
    const rows = block(text, 'baseline')
      .split('\n')
      .filter((line) => /^ {4}(consumer|audit|fulfilment|notifications|outboxRelay) /.test(line));
    expect(rows).toHaveLength(5);
    const ends = rows.map((row) => row.length);
    expect(new Set(ends).size, rows.join('\n')).toBe(1);
  });

  it('counts the objectives met and missed and marks each one', async () => {
    const report = await loadReportFixture();
    const objectives = block(renderReportText(report), 'objectives');
    expect(objectives.split('\n')[0]).toBe('objectives  12 met, 3 missed');
    expect(objectives).toMatch(/MISS +ramp +POST \/orders +p99Ms +300 ms +764 ms/);
    expect(objectives).toMatch(/ok +baseline +POST \/orders +errorRatePercent +1 % +0 %/);
    expect(objectives.split('\n')).toHaveLength(2 + report.objectives.length);
  });

  it('is plain text by default and coloured only when asked', async () => {
    const report = await loadReportFixture();
    expect(renderReportText(report)).not.toMatch(ansi);
    const coloured = renderReportText(report, { colour: true });
    expect(coloured).toMatch(ansi);
    expect(coloured).toContain('\u001b[31mVERDICT: MISSED\u001b[0m');
  });

  it('is deterministic: the same report gives the same text', async () => {
    const first = renderReportText(await loadReportFixture());
    const second = renderReportText(await loadReportFixture());
    expect(second).toBe(first);
  });
});
