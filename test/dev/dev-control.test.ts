/**
 * The `/_evtgen/` control endpoints (dev-control.ts) served by the real local HTTP server over
 * loopback: the journal pages by `after`/`limit` and refuses bad ones with 400, `PUT /_evtgen/faults`
 * validates and applies a body and answers the faults now in force (400 with the reason otherwise),
 * `DELETE` clears them, and a method an endpoint does not serve is 405 with `allow`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { controlRoutes } from '../../generator/dev/dev-control.js';
import type { DevFaults } from '../../generator/dev/dev-faults.js';
import { EventJournal } from '../../generator/dev/event-journal.js';
import { type RunningHttpServer, startHttpServer } from '../../generator/dev/http-server.js';
import { createLocalAuth } from '../../generator/dev/local-auth.js';

let running: RunningHttpServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Session {
  readonly url: string;
  readonly journal: EventJournal;
  /** Every value setFaults was called with, in order. */
  readonly applied: DevFaults[];
}

async function start(journalEntries = 0): Promise<Session> {
  const journal = new EventJournal();
  for (let n = 1; n <= journalEntries; n++)
    journal.append({ kind: 'processed', at: n, consumer: 'notifyCustomer', eventId: `e-${n}` });
  const applied: DevFaults[] = [];
  let faults: DevFaults = {};
  running = await startHttpServer({
    port: 0,
    routes: [],
    auth: createLocalAuth({ routes: [] }),
    invoke: () => Promise.reject(new Error('no route is invoked here')),
    extraRoutes: controlRoutes({
      status: () => Promise.reject(new Error('not under test')),
      journal,
      functionNames: () => ['createOrder', 'notifyCustomer'],
      faults: () => faults,
      setFaults: (next) => {
        applied.push(next);
        faults = next;
      },
    }),
  });
  return { url: running.url, journal, applied };
}

interface Page {
  readonly entries: readonly { readonly seq: number; readonly eventId?: string }[];
  readonly last: number;
  readonly dropped: number;
}
const page = async (url: string): Promise<Page> => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  return (await response.json()) as Page;
};
const seqs = (p: Page) => p.entries.map((e) => e.seq);

describe('GET /_evtgen/journal', () => {
  it('pages through the journal with after and limit', async () => {
    const { url } = await start(5);
    const first = await page(`${url}/_evtgen/journal?after=0&limit=2`);
    expect(first).toEqual({
      entries: [
        { seq: 1, kind: 'processed', at: 1, consumer: 'notifyCustomer', eventId: 'e-1' },
        { seq: 2, kind: 'processed', at: 2, consumer: 'notifyCustomer', eventId: 'e-2' },
      ],
      last: 5,
      dropped: 0,
    });
    expect(seqs(await page(`${url}/_evtgen/journal?after=2&limit=2`))).toEqual([3, 4]);
    expect(seqs(await page(`${url}/_evtgen/journal?after=4&limit=2`))).toEqual([5]);
    expect(await page(`${url}/_evtgen/journal?after=5&limit=2`)).toEqual({
      entries: [],
      last: 5,
      dropped: 0,
    });
  });

  it('reads from the start, up to 10000 entries, when after and limit are not given', async () => {
    const { url, journal } = await start(0);
    for (let n = 1; n <= 10_001; n++) journal.append({ kind: 'failed', at: n, consumer: 'c' });
    const all = await page(`${url}/_evtgen/journal`);
    expect(all.entries).toHaveLength(10_000);
    expect(all.entries[0]?.seq).toBe(1);
    expect(all.last).toBe(10_001);
    expect(seqs(await page(`${url}/_evtgen/journal?after=10000`))).toEqual([10_001]);
  });

  it.each([
    'after=-1',
    'after=1.5',
    'after=abc',
    'limit=0',
    'limit=100001',
    'limit=2.5',
    'limit=ten',
    'after=0&limit=',
  ])('answers 400 to ?%s', async (query) => {
    const { url } = await start(3);
    const response = await fetch(`${url}/_evtgen/journal?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'expected ?after=<position ≥ 0>&limit=<1–100000>' });
  });

  it('answers 405 with allow: GET to another method', async () => {
    const { url } = await start(1);
    const response = await fetch(`${url}/_evtgen/journal`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toEqual({ message: 'POST is not allowed here: GET' });
  });
});

describe('/_evtgen/faults', () => {
  const put = (url: string, body: string) =>
    fetch(`${url}/_evtgen/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

  it('GET answers the faults in force: none at first', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/_evtgen/faults`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('PUT applies a valid body and answers the faults now in force; GET then answers them too', async () => {
    const { url, applied } = await start();
    const faults = {
      functions: { notifyCustomer: { errorRate: 0.5, where: 'before', latencyMs: 20 } },
      aws: { dynamodb: { throttleRate: 0.1 }, events: { latencyMs: 300 } },
    };
    const response = await put(url, JSON.stringify(faults));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(faults);
    expect(applied).toEqual([faults]);
    expect(await (await fetch(`${url}/_evtgen/faults`)).json()).toEqual(faults);
  });

  it.each([
    [
      'an unknown function',
      '{"functions":{"nope":{"errorRate":1}}}',
      "PUT /_evtgen/faults: functions.nope: no such function; the service's functions: createOrder, notifyCustomer",
    ],
    [
      'a bad fraction',
      '{"aws":{"events":{"errorRate":7}}}',
      'PUT /_evtgen/faults: aws.events.errorRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'an unknown field',
      '{"lambda":{}}',
      'PUT /_evtgen/faults: unknown field "lambda": expected functions or aws',
    ],
  ])('PUT answers 400 with the reason to %s and changes nothing', async (_name, body, message) => {
    const { url, applied } = await start();
    await put(url, '{"aws":{"dynamodb":{"throttleRate":1}}}');
    const response = await put(url, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message });
    expect(applied).toHaveLength(1);
    expect(await (await fetch(`${url}/_evtgen/faults`)).json()).toEqual({
      functions: {},
      aws: { dynamodb: { throttleRate: 1 } },
    });
  });

  it('PUT answers 400 to a body that is not JSON, or none', async () => {
    const { url, applied } = await start();
    for (const body of ['{"aws":', '']) {
      const response = await put(url, body);
      expect(response.status).toBe(400);
      const { message } = (await response.json()) as { message: string };
      expect(message).toMatch(/^PUT \/_evtgen\/faults: .*JSON/);
    }
    expect(applied).toEqual([]);
  });

  it('PUT answers 413 to a body over 1 MB, saying so, and applies nothing', async () => {
    const { url, applied } = await start();
    const response = await put(url, JSON.stringify({ functions: {}, padding: 'x'.repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'PUT /_evtgen/faults: the body is over 1 MB' });
    expect(applied).toEqual([]);
  });

  it('DELETE clears the faults and answers {}', async () => {
    const { url, applied } = await start();
    await put(url, '{"functions":{"createOrder":{"errorRate":1}}}');
    const response = await fetch(`${url}/_evtgen/faults`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(applied.at(-1)).toEqual({});
    expect(await (await fetch(`${url}/_evtgen/faults`)).json()).toEqual({});
  });

  it('answers 405 with allow: GET, PUT, DELETE to another method, changing nothing', async () => {
    const { url, applied } = await start();
    const response = await fetch(`${url}/_evtgen/faults`, {
      method: 'POST',
      body: '{"aws":{"events":{"errorRate":1}}}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(await response.json()).toEqual({ message: 'POST is not allowed here: GET, PUT, DELETE' });
    expect(applied).toEqual([]);
  });
});
