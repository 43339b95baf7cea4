// `npm run bench:dev`: `POST /orders` through `evtgen dev` on this machine, and where its time goes.
// Not a test: it prints figures.
//
// In one run, against one `evtgen dev` (the example, moto started by it), interleaved per round:
// 1. `POST /orders` through evtgen dev: the HTTP server, the createOrder worker, its DynamoDB calls
//    (idempotency record, the order + outbox transaction, idempotency completion) on moto.
// 2. The emulator alone: the same three DynamoDB calls a POST makes, sent straight to moto with the
//    same concurrency and item sizes (what moto costs per order).
// 3. evtgen alone: `GET /health` through evtgen dev (HTTP server, event building, worker hop,
//    handler, response) with no AWS call.
// Then the asynchronous side: from the last 201 until the relay, fulfilment and audit have
// processed every order's event (the pollers, the relay's PutEvents, moto's rule delivery).
//
// Environment: BENCH_RUNS=3 (rounds), BENCH_REQUESTS=150 (per contender per round),
// BENCH_CONCURRENCY=8. moto's TransactWriteItems copies whole tables, so figures slowly degrade as
// the tables grow over the rounds: the interleaving keeps the contenders comparable.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { cliPath, repoRoot } from './projects.js';
import { envInt, quantile, summarize } from './stats.js';

const runs = envInt('BENCH_RUNS', 3);
const requests = envInt('BENCH_REQUESTS', 150);
const concurrency = envInt('BENCH_CONCURRENCY', 8);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const orderBody = JSON.stringify({
  customer: { customerId: '0d9f8a52-6c1e-4b7a-8f3d-5e2c1a9b7d40', email: 'ada@example.org', name: 'Ada' },
  lines: [
    {
      sku: 'MUG-001',
      productName: 'Coffee mug',
      quantity: 1,
      unitPrice: { amount: '9.50', currency: 'EUR' },
    },
  ],
  shippingAddress: { line1: 'Friedrichstraße 123', city: 'Berlin', postalCode: '10117', country: 'DE' },
});

// ---- evtgen dev -----------------------------------------------------------------------------

const child = spawn(process.execPath, [cliPath, 'dev', '--json', '--port', '0', '--no-watch'], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.includes('HTTP API')) resolve();
  });
  child.once('exit', (code) => reject(new Error(`evtgen dev exited (${code})`)));
});
const state = JSON.parse(await readFile(join(repoRoot, '.evtgen/dev/state.json'), 'utf8'));
const status = async () => (await fetch(state.status)).json();
const tables = (await status()).resources.tables;
const tableOf = (prefix) => Object.entries(tables).find(([id]) => id.startsWith(prefix))[1];
const ordersTable = tableOf('OrdersTable');
const outboxTable = tableOf('ServiceOutboxTable');
const idempotencyTable = tableOf('ServiceIdempotencyTable');
const dynamo = new DynamoDBClient({
  endpoint: state.endpoint,
  region: state.region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** Runs `count` calls of `call` with `concurrency` in flight; latencies (ms) and requests/s. */
async function closedLoop(count, call) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: count / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

const contenders = {
  'POST /orders through evtgen dev': async () => {
    const response = await fetch(`${state.http}/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${state.token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: orderBody,
    });
    await response.text();
    if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}`);
  },
  "the same DynamoDB calls straight to moto (emulator's share)": async () => {
    const id = randomUUID();
    const key = { id: { S: `createOrder#${id}` } };
    await dynamo.send(
      new PutItemCommand({
        TableName: idempotencyTable,
        Item: { ...key, status: { S: 'INPROGRESS' }, expiration: { N: '9999999999' } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: ordersTable,
              Item: { pk: { S: `BENCH#${id}` }, body: { S: orderBody } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: outboxTable, Item: { id: { S: `bench-${id}` }, detail: { S: orderBody } } } },
        ],
      }),
    );
    await dynamo.send(
      new UpdateItemCommand({
        TableName: idempotencyTable,
        Key: key,
        UpdateExpression: 'SET #s = :done',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': { S: 'COMPLETED' } },
      }),
    );
  },
  "GET /health through evtgen dev (evtgen's share)": async () => {
    const response = await fetch(`${state.http}/health`);
    await response.text();
  },
};

// Warm-up: every worker started, moto's code paths loaded.
for (const call of Object.values(contenders)) await closedLoop(concurrency * 2, call);

const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const drains = [];
for (let round = 0; round < runs; round++) {
  for (const [name, call] of Object.entries(contenders)) {
    const before = name.startsWith('POST') ? (await status()).consumers : undefined;
    results[name].push(await closedLoop(requests, call));
    if (before) {
      // The asynchronous side: until the relay, fulfilment and audit have each processed every event.
      const t = performance.now();
      for (;;) {
        const now = (await status()).consumers;
        const done = ['outboxRelay', 'fulfilment', 'audit'].every(
          (c) => (now[c]?.succeeded ?? 0) - (before[c]?.succeeded ?? 0) >= requests,
        );
        if (done) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      drains.push(performance.now() - t);
    }
  }
}

child.kill('SIGINT');
await new Promise((resolve) => child.once('exit', resolve));

const fmt = (x, digits = 0) => x.toFixed(digits);
console.log(
  `\nevtgen dev on this machine: ${runs} rounds × ${requests} requests, concurrency ${concurrency} (closed loop)`,
);
console.log('median of rounds [min–max]\n');
console.log(['contender', 'req/s', 'p50 ms', 'p99 ms'].join(' | '));
for (const [name, rounds] of Object.entries(results)) {
  const rps = summarize(rounds.map((r) => r.rps));
  const p50 = summarize(rounds.map((r) => r.p50));
  const p99 = summarize(rounds.map((r) => r.p99));
  console.log(
    `${name} | ${fmt(rps.median, 1)} [${fmt(rps.min, 1)}–${fmt(rps.max, 1)}] | ${fmt(p50.median)} [${fmt(p50.min)}–${fmt(p50.max)}] | ${fmt(p99.median)} [${fmt(p99.min)}–${fmt(p99.max)}]`,
  );
}
const post = summarize(results['POST /orders through evtgen dev'].map((r) => r.p50)).median;
const moto = summarize(
  results["the same DynamoDB calls straight to moto (emulator's share)"].map((r) => r.p50),
).median;
const own = summarize(results["GET /health through evtgen dev (evtgen's share)"].map((r) => r.p50)).median;
const drain = summarize(drains);
console.log(
  `\np50 of a POST: ${fmt(post)} ms, of which the emulator ${fmt(moto)} ms (${fmt((100 * moto) / post)} %) and evtgen's server + worker hop ~${fmt(own)} ms (${fmt((100 * own) / post)} %); the rest is the handler's own code (validation, SDK marshalling, Powertools) and waiting for a free worker.`,
);
console.log(
  `async drain after the last 201 of a round (relay → bus → fulfilment and audit): median ${fmt(drain.median)} ms [${fmt(drain.min)}–${fmt(drain.max)}]`,
);
