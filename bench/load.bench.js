// `npm run bench:load` (also part of `npm run bench`): what `evtgen load`'s own machinery costs on
// this machine. Not a test: it prints figures.
//
// (a) The generator's ceiling: the open-loop generator (dist/generator/loadtest/open-loop.js) at
//     fixed rates against a trivial route (bench/load-target.js: 200 {"ok":true}, in a child process
//     so it does not share the generator's event loop). Per rate: answers per second within the
//     scheduled window vs the target, p50/p99 latency (from the scheduled time), how late requests
//     left (send lag p99, sends > 5 ms late) and drops. Then autocannon (closed loop, as fast as the
//     target answers) against the same route, for comparison.
// (b) What the generated HTTP wrapper adds per request: bench/load-wrapper-target.ts bundled with
//     esbuild (as a deployment would be) serves the generated createOrder wrapper around a trivial
//     implementation and a bare `JSON.parse` handler, both behind the same API Gateway v2 event
//     translation; both are driven at the same open-loop rate with the spec's example body.
//
// Environment: LOAD_BENCH_SECONDS=3 (per measurement), LOAD_BENCH_RUNS=3 (per contender, interleaved),
// LOAD_BENCH_RATES=500,1000,2000,4000, LOAD_BENCH_WRAPPER_RATE=1000, LOAD_BENCH_CONNECTIONS=10
// (autocannon's connections), LOAD_BENCH_WARMUP_SECONDS=2 (before each part, per route in (b)).

import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { repoRoot } from './projects.js';
import { envInt, summarize, textTable } from './stats.js';

const seconds = envInt('LOAD_BENCH_SECONDS', 3);
const runs = envInt('LOAD_BENCH_RUNS', 3);
const rates = (process.env.LOAD_BENCH_RATES ?? '500,1000,2000,4000')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const wrapperRate = envInt('LOAD_BENCH_WRAPPER_RATE', 1000);
const cannonConnections = envInt('LOAD_BENCH_CONNECTIONS', 10);
const budgetMs = 300;

const { runOpenLoop } = await import(join(repoRoot, 'dist/generator/loadtest/open-loop.js'));

const children = [];
process.on('SIGINT', () => {
  for (const child of children) child.kill();
  process.exit(130);
});

/** Forks `script` (stdout discarded: logs and metrics go nowhere), resolves with it and its port. */
async function startTarget(script, env = {}) {
  const child = fork(script, [], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

/** One open-loop measurement: `rate` req/s for `seconds`. */
async function openLoop(baseUrl, rate, durationS, request) {
  const durationMs = durationS * 1000;
  let inWindow = 0;
  const cpuBefore = process.cpuUsage();
  const result = await runOpenLoop({
    baseUrl,
    rateAt: () => rate,
    durationMs,
    timeoutMs: 10_000,
    next: () => request,
    onOutcome: (o) => {
      if (o.status !== undefined && o.finishedAt <= durationMs) inWindow++;
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const figures = result.stats.figures(durationS);
  const failed = figures.sent - (figures.byStatus[request.expect] ?? 0);
  return {
    achieved: inWindow / durationS,
    p50: figures.latency.p50,
    p99: figures.latency.p99,
    lagP99: result.sendLag.p99,
    late: result.late,
    dropped: result.dropped,
    failed,
    /** This process's CPU time per request (the generator's own cost), µs. */
    cpuUs: (cpu.user + cpu.system) / figures.sent,
    /** Share of one core the generator used over the run. */
    cpuPercent: ((cpu.user + cpu.system) / 1000 / result.elapsedMs) * 100,
    statuses: JSON.stringify({ ...figures.byStatus, ...figures.errors }),
  };
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
/** `median [min–max]` of one field over the runs. */
const spread = (samples, field, digits = 1) => {
  const s = summarize(samples.map((r) => r[field]));
  return `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]`;
};
const total = (samples, field) => String(samples.reduce((sum, r) => sum + r[field], 0));

// ---- (a) the generator's ceiling ----------------------------------------------------------------

const trivial = await startTarget(join(repoRoot, 'bench', 'load-target.js'));
const get = { method: 'GET', path: '/', headers: {}, routeKey: 'GET /', expect: '200' };
const warmupS = envInt('LOAD_BENCH_WARMUP_SECONDS', 2);
const loadBefore = os.loadavg()[0];
await openLoop(trivial.baseUrl, 1000, warmupS, get); // warm-up: JIT of both sides, connections

const ceiling = Object.fromEntries(rates.map((r) => [r, []]));
for (let run = 0; run < runs; run++) {
  for (const rate of rates) ceiling[rate].push(await openLoop(trivial.baseUrl, rate, seconds, get));
}

const cannon = [];
for (let run = 0; run < runs; run++) {
  const r = await autocannon({
    url: trivial.baseUrl,
    connections: cannonConnections,
    duration: seconds,
  });
  cannon.push({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.errors + r.non2xx,
  });
}
trivial.child.kill();

console.log(
  `\n(a) the open-loop generator against a trivial route (child process), ${runs} runs × ${seconds} s per rate`,
);
console.log('median [min–max] over runs; latency from the scheduled time, ms\n');
console.log(
  textTable(
    [
      'target req/s',
      'answered req/s',
      'generator CPU % of a core',
      'p50 ms',
      'p99 ms',
      'send lag p99 ms',
      'late > 5 ms',
      'dropped',
      'failed',
    ],
    rates.map((rate) => [
      String(rate),
      spread(ceiling[rate], 'achieved'),
      spread(ceiling[rate], 'cpuPercent', 0),
      spread(ceiling[rate], 'p50', 2),
      spread(ceiling[rate], 'p99', 2),
      spread(ceiling[rate], 'lagP99', 2),
      total(ceiling[rate], 'late'),
      total(ceiling[rate], 'dropped'),
      total(ceiling[rate], 'failed'),
    ]),
  ),
);
console.log(
  `\nautocannon 9 (closed loop, ${cannonConnections} connections, as fast as answered): ${spread(cannon, 'rps')} req/s, p50 ${spread(cannon, 'p50')} ms, p99 ${spread(cannon, 'p99')} ms (autocannon records whole milliseconds), failed ${total(cannon, 'failed')}`,
);

const at1000 = ceiling[1000];
if (at1000) {
  const achieved = summarize(at1000.map((r) => r.achieved)).median;
  const lag = summarize(at1000.map((r) => r.lagP99)).median;
  const late = at1000.reduce((sum, r) => sum + r.late, 0) / (runs * seconds * 1000);
  const cpuPercent = summarize(at1000.map((r) => r.cpuPercent)).median;
  const cpuUs = summarize(at1000.map((r) => r.cpuUs)).median;
  const keepsUp = achieved >= 990 && cpuPercent <= 50 && at1000.every((r) => r.dropped === 0);
  const facts = `${fmt(achieved)} answers/s using ${fmt(cpuPercent, 0)} % of one core (${fmt(cpuUs, 0)} µs of CPU per request), send lag p99 ${fmt(lag, 2)} ms, ${fmt(late * 100, 2)} % of sends > 5 ms late`;
  console.log(
    keepsUp
      ? `→ at 1,000 req/s the generator is not the bottleneck: ${facts}.`
      : `→ at 1,000 req/s the generator IS a bottleneck on this machine: ${facts}.`,
  );
  console.log(
    `  (1-min load average ${fmt(loadBefore, 2)} before, ${fmt(os.loadavg()[0], 2)} after, on ${os.availableParallelism()} CPUs: lateness includes other processes' share of them)`,
  );
}

// ---- (b) the generated HTTP wrapper's overhead ----------------------------------------------------

const spec = parse(await readFile(join(repoRoot, 'specs', 'orders.openapi.yaml'), 'utf8'));
const body = JSON.stringify(
  spec.paths['/orders'].post.requestBody.content['application/json'].examples.twoLines.value,
);
const order = spec.components.examples.PlacedOrder.value;

const outDir = await mkdtemp(join(os.tmpdir(), 'evtgen-load-bench-'));
const bundle = join(outDir, 'wrapper-target.mjs');
await build({
  absWorkingDir: repoRoot,
  entryPoints: [join(repoRoot, 'bench', 'load-wrapper-target.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  mainFields: ['module', 'main'],
  logLevel: 'silent',
  banner: {
    js: "import { createRequire as __evtgenRequire } from 'node:module'; const require = __evtgenRequire(import.meta.url);",
  },
});
const wrapperTarget = await startTarget(bundle, {
  LOAD_BENCH_ORDER: JSON.stringify(order),
  AWS_REGION: 'eu-central-1',
  AWS_LAMBDA_FUNCTION_NAME: 'CreateOrderFn',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  _HANDLER: 'index.handler',
  TZ: ':UTC',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'orders-service',
  POWERTOOLS_METRICS_NAMESPACE: 'OrdersService',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
  EVENT_BUS_NAME: 'orders-bus',
  OUTBOX_TABLE_NAME: 'orders-outbox',
});
const post = (path) => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body,
  routeKey: `POST ${path}`,
  expect: '201',
});
const routes = {
  'wrapper (generated createOrder)': post('/wrapped'),
  'bare JSON.parse handler': post('/bare'),
};
// Warm-up: JIT of the wrapper, validators and Powertools (the first seconds run far slower).
for (const request of Object.values(routes))
  await openLoop(wrapperTarget.baseUrl, wrapperRate, warmupS + 1, request);
const writtenBefore = await childStats(wrapperTarget.child);

const overhead = Object.fromEntries(Object.keys(routes).map((name) => [name, []]));
for (let run = 0; run < runs; run++) {
  for (const [name, request] of Object.entries(routes)) {
    const before = await childStats(wrapperTarget.child, 'cpu');
    const measured = await openLoop(wrapperTarget.baseUrl, wrapperRate, seconds, request);
    const after = await childStats(wrapperTarget.child, 'cpu');
    const cpuUs = after.user + after.system - before.user - before.system;
    overhead[name].push({ ...measured, targetCpuUs: cpuUs / (seconds * wrapperRate) });
  }
}
const writtenAfter = await childStats(wrapperTarget.child);
// Sanity check of the stdout count: one invalid request (a 400 is logged and counted as a metric).
const invalid = await fetch(`${wrapperTarget.baseUrl}/wrapped`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{}',
});
await invalid.text();
const writtenInvalid = await childStats(wrapperTarget.child);
wrapperTarget.child.kill();
await rm(outDir, { recursive: true, force: true });

console.log(
  `\n(b) per-request overhead of the generated HTTP wrapper at ${wrapperRate} req/s (open loop), ${runs} runs × ${seconds} s per route`,
);
console.log('both behind the same API Gateway v2 event translation; median [min–max] over runs, ms\n');
console.log(
  textTable(
    ['handler', 'answered req/s', 'target CPU µs/request', 'p50 ms', 'p99 ms', 'failed', 'statuses'],
    Object.entries(overhead).map(([name, samples]) => [
      name,
      spread(samples, 'achieved'),
      spread(samples, 'targetCpuUs', 0),
      spread(samples, 'p50', 3),
      spread(samples, 'p99', 3),
      total(samples, 'failed'),
      samples[0]?.statuses ?? '',
    ]),
  ),
);
const [wrapped, bare] = Object.values(overhead).map((samples) => ({
  cpuUs: summarize(samples.map((r) => r.targetCpuUs)).median,
  p50: summarize(samples.map((r) => r.p50)).median,
  p99: summarize(samples.map((r) => r.p99)).median,
}));
const measured = runs * seconds * wrapperRate;
const lines = writtenAfter.lines - writtenBefore.lines;
console.log(
  `\n→ the wrapper adds ${fmt(wrapped.cpuUs - bare.cpuUs, 0)} µs of CPU per request; ${fmt(wrapped.p50 - bare.p50, 3)} ms at p50 and ${fmt(wrapped.p99 - bare.p99, 3)} ms at p99 (medians of runs): ${fmt(((wrapped.p99 - bare.p99) / budgetMs) * 100, 2)} % of the ${budgetMs} ms p99 budget. On a loaded machine the p99 difference is mostly scheduling noise; the CPU time is the stable figure.`,
);
console.log(
  `  stdout of the target (logs + EMF metrics): ${writtenBefore.lines} lines up to the end of the warm-up; while measured ${lines} lines, ${writtenAfter.bytes - writtenBefore.bytes} bytes (${fmt(lines / (measured / 2), 2)} per wrapped request); one invalid request (${invalid.status}) wrote ${writtenInvalid.lines - writtenAfter.lines} lines.`,
);

/** The target's count of what it wrote to stdout. */
function childStats(child, field = 'written') {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m[field]));
    child.send({ stats: true });
  });
}
