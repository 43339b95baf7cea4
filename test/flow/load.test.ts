/**
 * `evtgen load` as a user runs it — the built CLI against a real `evtgen dev` (moto's server, the
 * example service's handlers in worker threads) — with every count of its report checked against
 * itself and against what dev and the emulator saw independently: requests sent = answered by
 * status; events published = processed + dead-lettered + in flight; lost = 0; the poison events of a
 * fault phase exactly in the dead-letter queues; a missed objective exits 1; the HTML report draws
 * its plots in chromium. Loads are short (seconds at a few requests per second) and bounded.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStatus } from '../../generator/dev/dev-status.js';
import { eventIdentity } from '../../generator/dev/event-journal.js';
import { emulatorCredentials } from '../../generator/dev/lambda-env.js';
import { deadLetteredEvent, peekQueue } from '../../generator/dlq/peek.js';
import type { LoadReport, PhaseReport, RequestFigures } from '../../generator/loadtest/report-types.js';
import { haveChromium, launchChromium } from '../helpers/chromium.js';
import { type DevProcess, exampleAppProject, startDevProcess } from '../helpers/dev-process.js';
import { repoRoot } from '../helpers/project.js';

let dev: DevProcess;

beforeAll(async () => {
  const dir = await exampleAppProject('load-');
  dev = await startDevProcess(dir, ['--no-watch', '--retry-delay', '1']);
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  if (dev) await rm(dev.dir, { recursive: true, force: true });
});

function load(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'load', ...args],
      { cwd: dev.dir, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function status(): Promise<DevStatus> {
  return (await (await fetch(dev.state.status)).json()) as DevStatus;
}

async function report(out: string): Promise<LoadReport> {
  return JSON.parse(await readFile(join(dev.dir, out, 'load-report.json'), 'utf8')) as LoadReport;
}

const sum = (values: Readonly<Record<string, number>>): number =>
  Object.values(values).reduce((total, n) => total + n, 0);

/** The HTTP counts of a figure add up: sent = answered + unanswered; answered = Σ statuses. */
function expectRequestsAddUp(figures: RequestFigures): void {
  expect(figures.sent).toBe(figures.answered + sum(figures.errors));
  expect(sum(figures.byStatus)).toBe(figures.answered);
}

/** Every consumer's events add up, nothing lost, and the run drained. */
function expectEventsAddUp(phase: PhaseReport): void {
  const { events } = phase;
  expect(events.drained).toBe(true);
  expect(events.lost).toBe(0);
  expect(events.unpublished).toBe(0);
  expect(sum(events.publishedByType)).toBe(events.published);
  for (const [name, c] of Object.entries(events.consumers)) {
    expect({ name, total: c.processed + c.deadLettered + c.inFlight }).toEqual({ name, total: c.expected });
    expect(c.lost).toBe(0);
  }
}

describe('evtgen load against evtgen dev', () => {
  it('a short baseline: requests add up by status and route, every OrderPlaced is published, processed by fulfilment and audit, none lost', async () => {
    const before = await status();
    const run = await load(['--duration', '8s', '--rate', '4', '--warmup', '2s', '--out', 'baseline']);
    expect(run.stderr).not.toContain('Error');
    const result = await report('baseline');
    const after = await status();
    const [phase] = result.phases;
    if (!phase) throw new Error('no phase in the report');
    expect(phase.name).toBe('baseline');
    // 4 req/s for 8 s, open loop: the arrivals the schedule says.
    expect(phase.requests.sent).toBe(32);
    expectRequestsAddUp(phase.requests);
    for (const figures of Object.values(phase.routes)) expectRequestsAddUp(figures);
    expect(sum(Object.fromEntries(Object.entries(phase.routes).map(([k, f]) => [k, f.sent])))).toBe(
      phase.requests.sent,
    );
    // Every created order published one OrderPlaced, which reached fulfilment and audit.
    const created = phase.routes['POST /orders']?.byStatus['201'] ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(phase.events.expectedFromRequests).toBe(created);
    expect(phase.events.publishedByType.OrderPlaced).toBe(created);
    expectEventsAddUp(phase);
    for (const consumer of ['fulfilment', 'audit']) {
      expect(phase.events.consumers[consumer]).toMatchObject({
        expected: created,
        processed: created,
        lost: 0,
      });
      expect(phase.events.consumers[consumer]?.latency?.count).toBe(created);
    }
    // dev's own route counters saw at least what the report says was answered (plus the warm-up).
    const answered = (route: string, s: DevStatus) => s.routes[route]?.received ?? 0;
    expect(answered('POST /orders', after) - answered('POST /orders', before)).toBeGreaterThanOrEqual(
      phase.routes['POST /orders']?.answered ?? Number.NaN,
    );
    // The timeline covers the phase, one point per second, with its requests.
    expect(sum(Object.fromEntries(phase.timeline.map((p) => [p.t, p.sentRps])))).toBe(phase.requests.sent);
    expect(result.objectives.length).toBe(Object.keys(phase.routes).length * 2);
    expect(run.code).toBe(result.verdict === 'met' ? 0 : 1);
    expect(run.stdout).toContain('load-report.html');
  }, 240_000);

  it('a fault phase — fulfilment failing 10 %, 3 poison events — loses nothing, and exactly the poison events land in the dead-letter queues', async () => {
    // 10 %: fail often enough to be retried, while a healthy record failing all 5 receives before
    // redrive stays improbable (1e-5 each) — this test must not flake on chance.
    await writeFile(
      join(dev.dir, 'faults.load.json'),
      JSON.stringify({
        routes: { 'POST /orders': { weight: 3 }, 'GET /health': { weight: 0 } },
        phases: { faults: { consumerErrors: { fulfilment: 0.1 }, poison: 3 } },
      }),
    );
    const before = await status();
    // Watch dev while the phase runs: the faults it was asked to inject are in force.
    const injected: unknown[] = [];
    const watching = setInterval(() => {
      void status()
        .then((s) => injected.push(s.faults))
        .catch(() => undefined);
    }, 500);
    const run = await load([
      '--scenario',
      'faults',
      '--duration',
      '8s',
      '--rate',
      '4',
      '--warmup',
      '0',
      '--config',
      'faults.load.json',
      '--out',
      'faults',
    ]).finally(() => clearInterval(watching));
    const result = await report('faults');
    const after = await status();
    expect(injected).toContainEqual({
      functions: { fulfilment: { errorRate: 0.1, where: 'after' } },
      aws: {},
    });
    const [phase] = result.phases;
    if (!phase) throw new Error('no phase in the report');
    expectRequestsAddUp(phase.requests);
    expectEventsAddUp(phase);
    // The retries recovered every event that was not poison (failures themselves are left to chance
    // here; the function pool's tests show the injected rate).
    const poison = phase.faults.find((f) => f.kind === 'poison')?.events ?? [];
    expect(poison).toHaveLength(3);
    for (const [name, c] of Object.entries(phase.events.consumers))
      expect({ name, deadLettered: c.deadLettered }).toEqual({
        name,
        deadLettered: poison.filter((p) => p.consumers.includes(name)).length,
      });
    // Read from the queues themselves: each poison event sits in the DLQ of every consumer it
    // reached. The depth grew by at least that much — a consumer that dead-letters a poison event
    // itself may do it twice when its batch is retried (at-least-once), which the report's
    // accounting by event id already counts once.
    const sqs = new SQSClient({
      endpoint: dev.state.endpoint,
      region: dev.state.region,
      credentials: emulatorCredentials,
    });
    for (const p of poison)
      for (const consumer of p.consumers) {
        const queues = after.deadLetterQueues.filter((q) => q.consumers.includes(consumer));
        const bodies = (await Promise.all(queues.map((q) => peekQueue(sqs, q.queueUrl, 1000)))).flat();
        const ids = bodies.map((b) => eventIdentity(deadLetteredEvent(b)).eventId);
        expect({ consumer, poison: p.eventId, found: ids.includes(p.eventId) }).toEqual({
          consumer,
          poison: p.eventId,
          found: true,
        });
      }
    sqs.destroy();
    const depth = (s: DevStatus) => s.deadLetterQueues.reduce((total, q) => total + q.depth, 0);
    expect(depth(after) - depth(before)).toBeGreaterThanOrEqual(
      poison.reduce((total, p) => total + p.consumers.length, 0),
    );
    expect(phase.expectations.every((e) => e.met)).toBe(true);
    // The faults were cleared after the phase.
    expect(after.faults).toEqual({});
    expect(run.code).toBe(0);
    expect(result.verdict).toBe('met');
  }, 240_000);

  it('a missed objective exits 1 and names it', async () => {
    await writeFile(
      join(dev.dir, 'strict.load.json'),
      JSON.stringify({ objectives: { 'GET /health': { p99Ms: 0.001 } } }),
    );
    const run = await load([
      '--config',
      'strict.load.json',
      '--duration',
      '3s',
      '--rate',
      '3',
      '--warmup',
      '0',
      '--out',
      'strict',
    ]);
    const result = await report('strict');
    expect(run.code).toBe(1);
    expect(result.verdict).toBe('missed');
    const miss = result.objectives.find((o) => !o.met);
    expect(miss).toMatchObject({ subject: 'GET /health', objective: 'p99Ms', target: 0.001 });
    expect(miss?.source).toBe('strict.load.json#/objectives/GET ~1health');
    expect(run.stdout).toContain('MISSED');
  }, 120_000);

  it('a URL target: secured routes need a credential (exit 2 without one), then HTTP figures only, events marked not counted', async () => {
    const common = ['--target', dev.state.http, '--duration', '2s', '--rate', '3', '--warmup', '0'];
    const refused = await load([...common, '--out', 'url-refused']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--header');
    const run = await load([
      ...common,
      '--header',
      `Authorization: Bearer ${dev.state.token}`,
      '--out',
      'url',
    ]);
    const result = await report('url');
    expect(result.target).toEqual({ kind: 'url', url: dev.state.http });
    const [phase] = result.phases;
    if (!phase) throw new Error('no phase in the report');
    expect(phase.requests.sent).toBe(6);
    expectRequestsAddUp(phase.requests);
    expect(phase.routes['POST /orders']?.byStatus['201']).toBeGreaterThan(0);
    expect(phase.events).toMatchObject({ measured: false, published: 0, consumers: {} });
    expect(run.stdout).toContain('events     not counted');
    expect(run.code).toBe(result.verdict === 'met' ? 0 : 1);
  }, 120_000);

  it('--stack and the faults phase are refused, with what to do, where they cannot work (exit 2)', async () => {
    const url = ['--target', dev.state.http, '--duration', '1s', '--rate', '1', '--warmup', '0'];
    const auth = ['--header', `Authorization: Bearer ${dev.state.token}`];
    const noAws = { AWS_REGION: '', AWS_DEFAULT_REGION: '' };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--stack', 'OrdersService', '--duration', '1s'], {}, /--stack counts the events of a deployed stack/],
      [[...url, ...auth, '--stack', 'OrdersService'], noAws, /region is unknown: pass --region/],
      [
        [...url, ...auth, '--stack', 'NoSuchStack', '--region', 'us-east-1'],
        { AWS_ENDPOINT_URL: dev.state.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
        /--stack NoSuchStack: CloudFormation could not read it/,
      ],
      [[...url, ...auth, '--scenario', 'faults'], {}, /faults phase injects its faults through evtgen dev/],
    ];
    for (const [args, env, message] of cases) {
      const run = await load([...args, '--out', 'refused'], env);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr.replace(/\s+›\s+/g, ' ').replace(/\s+/g, ' ')).toMatch(message);
    }
  }, 120_000);

  it.skipIf(!haveChromium)(
    "the baseline's HTML report draws its five plots in chromium, offline, without errors",
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => requests.push(r.url()));
        const file = pathToFileURL(join(dev.dir, 'baseline', 'load-report.html')).href;
        await page.goto(file);
        await page.waitForFunction("document.body.dataset.plots === '5'", undefined, { timeout: 30_000 });
        expect(await page.locator('.uplot canvas').count()).toBe(5);
        expect(errors).toEqual([]);
        expect(requests).toEqual([file]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
