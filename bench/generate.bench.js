// `npm run bench`: how long `evtgen generate` takes, how it grows with the size of the specs, and how
// it compares with Modelina and openapi-typescript on the same input. Not a test: it prints figures.
//
// Environment:
//   BENCH_RUNS=5                 runs per scenario (evtgen CLI at every size, openapi-typescript, ...)
//   BENCH_BIG_RUNS=1             evtgen in-process runs at the largest size, 500 events (the CLI still
//                                gets BENCH_RUNS there; each run takes minutes)
//   BENCH_PEER_RUNS=min(runs,3)  Modelina runs at the smaller sizes (50/125/250 events)
//   BENCH_MODELINA_BIG_RUNS=1    Modelina runs at the largest size (minutes each)
//   BENCH_SKIP_MODELINA_BIG=1    skip Modelina at the largest size
//   BENCH_EXAMPLE_SPECS=dir      specs folder for scenarios 1–2 (default: the repository's specs/)
//   BENCH_SIZES=50,125,250,500   event counts of the synthetic sizes (operations = 0.4 × events)
//
// Progress goes to stderr; the report (machine, tables, Markdown) to stdout.

import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import {
  assertOk,
  describeDiagnostics,
  freshProject,
  parseDiagnostics,
  removeDir,
  removeScratch,
  repoRoot,
  runEvtgen,
  runWorker,
  scratchDir,
  stopChildren,
} from './projects.js';
import { envInt, formatMs, markdownTable, statsHeader, statsRow, summarize, textTable } from './stats.js';
import { entityCount, writeSyntheticProject } from './synthetic.js';

const runs = envInt('BENCH_RUNS', 5);
const bigRuns = envInt('BENCH_BIG_RUNS', 1);
const peerRuns = envInt('BENCH_PEER_RUNS', Math.min(runs, 3));
const modelinaBigRuns = envInt('BENCH_MODELINA_BIG_RUNS', 1);
const skipModelinaBig = process.env.BENCH_SKIP_MODELINA_BIG === '1';

/**
 * Scaling sizes (operations = 0.4 × events), all in the `bus` layout of the example specs; the last one is
 * "the large spec". BENCH_SIZES=50,125 runs fewer (for a quick try).
 */
const sizes = (process.env.BENCH_SIZES ?? '50,125,250,500')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0)
  .map((events) => ({ events, operations: Math.round(events * 0.4) }));
const largest = sizes[sizes.length - 1];
const warmupSize = { events: 5, operations: 8 };
const fallbackExampleSize = { events: 8, operations: 8 };
const sizeLabel = (s) => `${s.events} ev / ${s.operations} ops`;

const benchStarted = performance.now();
const progress = (message) =>
  process.stderr.write(
    `[${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(5)} s] ${message}\n`,
  );

/** Rows of the main table, in the order measured. */
const rows = [];
/** Summaries by key, for the scaling and comparison tables. */
const results = new Map();
/** Notes on inputs (sizes, diagnostics) printed before the tables. */
const inputNotes = [];

const share = (part, whole) =>
  `${formatMs(part.median)} (${((100 * part.median) / whole.median).toFixed(0)}%)`;

function record(key, scenario, samples, note = '') {
  const stats = summarize(samples);
  results.set(key, stats);
  rows.push(statsRow(scenario, stats, typeof note === 'function' ? note(stats) : note));
  progress(`${scenario}: median ${formatMs(stats.median)} (${stats.runs} runs)`);
  return stats;
}

/** Times `evtgen generate` (CLI, process start included) on a fresh copy of `specsDir`, `count` times. */
async function coldCli(specsDir, count, label) {
  const samples = [];
  let diagnostics;
  let lastProject;
  for (let i = 0; i < count; i++) {
    const dir = await freshProject(specsDir, 'cold');
    const result = assertOk(await runEvtgen(['generate', '-C', dir]), `evtgen generate (${label})`);
    if (!/file\(s\) updated/.test(result.stdout))
      throw new Error(`cold run wrote nothing:\n${result.stdout}`);
    diagnostics ??= parseDiagnostics(result.stderr);
    samples.push(result.ms);
    progress(`  cold CLI ${label}: run ${i + 1}/${count} ${formatMs(result.ms)}`);
    if (lastProject) await removeDir(lastProject);
    lastProject = dir;
  }
  return { samples, diagnostics, project: lastProject };
}

/** Times re-runs of `generate` (with extra `flags`) on an already generated project. */
async function rerunCli(project, flags, count, label) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const result = assertOk(
      await runEvtgen(['generate', '-C', project, ...flags]),
      `evtgen generate ${flags}`,
    );
    if (!/up to date/.test(result.stdout)) throw new Error(`re-run changed files:\n${result.stdout}`);
    samples.push(result.ms);
    progress(`  ${label}: run ${i + 1}/${count} ${formatMs(result.ms)}`);
  }
  return samples;
}

/** Untimed: proves which path a re-run takes (the fast path reports no files at all) and that it writes nothing. */
async function checkRerunPath(project, flags, expectFastPath) {
  const result = assertOk(await runEvtgen(['generate', '-C', project, '--json', ...flags]), 'evtgen --json');
  const json = JSON.parse(result.stdout);
  const fastPath = json.upToDate === true && json.files.length === 0;
  const unchanged = json.files.every((f) => f.change === 'unchanged');
  if (fastPath !== expectFastPath || !unchanged) {
    throw new Error(
      `expected ${expectFastPath ? 'the fast path' : 'a full run'} with nothing written: ${result.stdout.slice(0, 2000)}`,
    );
  }
}

async function treeSizes(dir) {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const sizes = [];
  for (const f of files) {
    const path = join(f.parentPath ?? f.path, f.name);
    sizes.push({ path: path.slice(dir.length + 1), bytes: (await stat(path)).size });
  }
  return sizes.sort((a, b) => b.bytes - a.bytes);
}

const kb = (bytes) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function specsSummary(specsDir) {
  const sizes = await treeSizes(specsDir);
  return `${sizes.length} files, ${kb(sizes.reduce((sum, f) => sum + f.bytes, 0))}`;
}

/** What a cold run wrote: total size and the largest file (the output the fast path has to hash). */
async function outputSummary(project) {
  const sizes = await treeSizes(join(project, 'generated'));
  const total = sizes.reduce((sum, f) => sum + f.bytes, 0);
  const [top] = sizes;
  return `generated/ ${sizes.length} files, ${kb(total)}${top ? ` (largest: ${top.path} ${kb(top.bytes)})` : ''}`;
}

async function syntheticInput(size, layout = 'bus') {
  const dir = await scratchDir(`synthetic-${size.events}-${layout}`);
  const written = await writeSyntheticProject(dir, { ...size, layout });
  return { size, layout, specsDir: join(dir, 'specs'), files: written.files };
}

/** Scenarios 1–2: the example specs, cold, then re-run with nothing changed. */
async function exampleScenarios() {
  let specsDir = process.env.BENCH_EXAMPLE_SPECS ?? join(repoRoot, 'specs');
  let label = 'example specs/';
  if (!existsSync(specsDir)) {
    inputNotes.push(
      `${specsDir} does not exist: scenarios 1–2 use synthetic ${sizeLabel(fallbackExampleSize)}.`,
    );
    specsDir = (await syntheticInput(fallbackExampleSize)).specsDir;
    label = `synthetic ${sizeLabel(fallbackExampleSize)} (no specs/)`;
  }
  const example = await coldCli(specsDir, runs, 'example');
  inputNotes.push(
    `example specs (${specsDir}): ${await specsSummary(specsDir)}; diagnostics: ${describeDiagnostics(example.diagnostics)}; ${await outputSummary(example.project)}`,
  );
  record('example-cold', `1. cold generate, ${label}, CLI`, example.samples);

  await checkRerunPath(example.project, [], true);
  const noop = await rerunCli(example.project, [], runs, 'no-op');
  record('example-noop', `2. no-op re-run (fast path), ${label}, CLI`, noop, 'target < 500 ms');
  await checkRerunPath(example.project, ['--force'], false);
  const force = await rerunCli(example.project, ['--force'], runs, '--force');
  record('example-force', `2. generate --force (nothing written), ${label}, CLI`, force);
  await removeDir(example.project);
}

/** Scenario 3 at one size: cold CLI, in-process generate() with the AsyncAPI validation share. */
async function evtgenAtSize(input, warmupSpecsDir) {
  const { size, specsDir, files, layout } = input;
  const label = `${sizeLabel(size)}${layout === 'bus' ? '' : `, ${layout} layout`}`;
  const key = layout === 'bus' ? size.events : `${size.events}-${layout}`;
  const cold = await coldCli(specsDir, runs, label);
  inputNotes.push(
    `synthetic ${label}: ${await specsSummary(specsDir)} (${basename(files.asyncapi)}, ${basename(files.openapi)}); diagnostics: ${describeDiagnostics(cold.diagnostics)}; ${await outputSummary(cold.project)}`,
  );
  record(`cli-${key}`, `3. cold generate, synthetic ${label}, CLI`, cold.samples);
  if (size === largest && layout === 'bus') {
    await checkRerunPath(cold.project, [], true);
    const noop = await rerunCli(cold.project, [], runs, `no-op ${label}`);
    record('noop-big', `3. no-op re-run (fast path), synthetic ${label}, CLI`, noop, 'target < 500 ms');
  }
  await removeDir(cold.project);
  if (layout !== 'bus') return;

  const count = size === largest ? bigRuns : runs;
  const inproc = await runWorker('evtgen-worker.js', { specsDir, warmupSpecsDir, runs: count, label });
  const few = count < runs ? `; ${count} run(s) only (BENCH_BIG_RUNS)` : '';
  record(
    `inproc-${key}`,
    `3. generate() in-process, synthetic ${label}`,
    inproc.times,
    `imports + warm-up excluded${few}`,
  );
  record(
    `validate-${key}`,
    '   of which AsyncAPI parser validate()',
    inproc.validateTimes,
    (s) => `${((100 * s.median) / results.get(`inproc-${key}`).median).toFixed(0)}% of the in-process median`,
  );
  const rest = inproc.times.map((t, i) => t - inproc.validateTimes[i]);
  record(`rest-${key}`, '   beyond validate() (run − validate; the rest overlaps it)', rest);
}

/** Scenario 4 at one size: Modelina on the AsyncAPI document, openapi-typescript on the OpenAPI one. */
async function peersAtSize(input, warmupFiles) {
  const { size, files } = input;
  if (size === largest && skipModelinaBig) {
    rows.push([
      `4. Modelina TS models, ${size.events} events`,
      '0',
      'skipped',
      '',
      '',
      '',
      '',
      'BENCH_SKIP_MODELINA_BIG=1',
    ]);
  } else {
    const count = size === largest ? modelinaBigRuns : peerRuns;
    if (size === largest) progress(`  Modelina at ${size.events} events: ${count} run(s), minutes each`);
    const modelina = await runWorker('peers-worker.js', {
      tool: 'modelina',
      file: files.asyncapi,
      warmupFile: warmupFiles.asyncapi,
      runs: count,
      label: `${size.events} events`,
    });
    const total = summarize(modelina.times);
    const parse = summarize(modelina.parseTimes);
    results.set(`modelina-parse-${size.events}`, parse);
    const few = count < runs ? `; ${count} run(s) only (slow)` : '';
    const note = `${modelina.outputs} models; AsyncAPI parse ${share(parse, total)}${few}`;
    record(`modelina-${size.events}`, `4. Modelina TS models, ${size.events} events`, modelina.times, note);
    const rest = modelina.times.map((t, i) => t - modelina.parseTimes[i]);
    record(`modelina-rest-${size.events}`, '   Modelina without its parse', rest);
  }
  const oats = await runWorker('peers-worker.js', {
    tool: 'openapi-typescript',
    file: files.openapi,
    warmupFile: warmupFiles.openapi,
    runs,
    label: `${size.operations} operations`,
  });
  record(
    `oats-${size.events}`,
    `4. openapi-typescript, ${size.operations} operations`,
    oats.times,
    'openapiTS + astToString',
  );
}

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'generator', 'generate.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (or `npm run bench`, which does).');
  }
  const loadAtStart = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  progress(
    `runs: ${runs}; evtgen in-process at ${largest.events}: ${bigRuns}; Modelina: ${peerRuns}, ${skipModelinaBig ? 'skipped' : modelinaBigRuns} at ${largest.events}`,
  );
  const warmup = await syntheticInput(warmupSize);
  const synthetic = [];
  for (const size of sizes) synthetic.push(await syntheticInput(size));
  const domains = await syntheticInput(largest, 'domains');

  // Baseline: the floor of any CLI run (node start, oclif with its manifest).
  const baseline = [];
  for (let i = 0; i < runs; i++)
    baseline.push(assertOk(await runEvtgen(['--version']), 'evtgen --version').ms);
  record('baseline', 'baseline: evtgen --version (process start + oclif)', baseline);

  await exampleScenarios();
  for (const input of synthetic) await evtgenAtSize(input, warmup.specsDir);
  await evtgenAtSize(domains, warmup.specsDir);
  for (const input of synthetic) await peersAtSize(input, warmup.files);
  report(loadAtStart);
}

function machineInfo(loadAtStart) {
  const cpus = os.cpus();
  return [
    `CPU:     ${cpus[0]?.model ?? 'unknown'} — ${cpus.length} logical cores (availableParallelism ${os.availableParallelism()})`,
    `memory:  ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at the end`,
    `node:    ${process.version} on ${os.platform()} ${os.release()} (${os.arch()})`,
    `load:    ${loadAtStart} at the start, ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} at the end (1/5/15-min averages)`,
    'note:    a shared machine — other jobs run on it at the same time, so the figures are noisy: compare',
    '         medians of the same run, and treat differences under ~20% as noise.',
  ].join('\n');
}

const median = (key) => results.get(key)?.median;

function scalingReport() {
  const header = [
    'size',
    'evtgen CLI',
    'per event',
    'evtgen in-process',
    'AsyncAPI validate',
    'rest of pipeline',
    'rest per event',
    'Modelina',
    'its parse',
    'openapi-ts',
    'per op',
  ];
  const cell = (key, per) => {
    const m = median(key);
    if (m === undefined) return ['skipped', ...(per ? [''] : [])];
    return [formatMs(m), ...(per ? [`${(m / per).toFixed(1)} ms`] : [])];
  };
  const table = sizes.map((s) => [
    sizeLabel(s),
    ...cell(`cli-${s.events}`, s.events),
    ...cell(`inproc-${s.events}`),
    ...cell(`validate-${s.events}`),
    ...cell(`rest-${s.events}`, s.events),
    ...cell(`modelina-${s.events}`),
    ...cell(`modelina-parse-${s.events}`),
    ...cell(`oats-${s.events}`, s.operations),
  ]);
  const first = sizes[0];
  const sizeRatio = largest.events / first.events;
  const growth = (name, key) => {
    const a = median(`${key}-${first.events}`);
    const b = median(`${key}-${largest.events}`);
    if (a === undefined || b === undefined) return `${name.padEnd(46)} n/a (a size was skipped)`;
    const ratio = b / a;
    const exponent = Math.log(ratio) / Math.log(sizeRatio);
    const verdict = ratio <= sizeRatio * 1.1 ? 'no worse than linear' : 'WORSE than linear';
    return `${name.padEnd(46)} time(${largest.events})/time(${first.events}) = ${ratio.toFixed(2).padStart(6)} vs size ratio ${sizeRatio} → t ∝ n^${exponent.toFixed(2)} (${verdict})`;
  };
  const growthLines = [
    growth('evtgen generate, CLI (cold)', 'cli'),
    growth('evtgen generate(), in-process', 'inproc'),
    growth('  AsyncAPI parser validate() inside it', 'validate'),
    growth('  the rest of evtgen’s pipeline', 'rest'),
    growth('Modelina (AsyncAPI models)', 'modelina'),
    growth('  its AsyncAPI parse', 'modelina-parse'),
    growth('  Modelina without its parse', 'modelina-rest'),
    growth('openapi-typescript (OpenAPI types)', 'oats'),
  ];
  const bus = median(`cli-${largest.events}`);
  const domains = median(`cli-${largest.events}-domains`);
  if (bus !== undefined && domains !== undefined) {
    growthLines.push(
      '',
      `layout at ${sizeLabel(largest)}, cold CLI: one bus channel + one send operation per event (as specs/) ${formatMs(bus)}`,
      `  vs one channel per entity (${Math.min(entityCount, largest.events)} channels, one send operation each) ${formatMs(domains)} → ${(bus / domains).toFixed(1)}× slower`,
    );
  }
  return { header, table, growthLines };
}

function comparisonReport() {
  const header = [
    'size',
    'evtgen CLI',
    'evtgen in-process',
    'Modelina + openapi-ts',
    'evtgen ÷ peers',
    'evtgen w/o validate',
    'peers w/o parse',
  ];
  const table = sizes.map((s) => {
    const inproc = median(`inproc-${s.events}`);
    const modelina = median(`modelina-${s.events}`);
    const oats = median(`oats-${s.events}`);
    const peers = modelina !== undefined && oats !== undefined ? modelina + oats : undefined;
    const rest = median(`rest-${s.events}`);
    const peersRest = peers === undefined ? undefined : (median(`modelina-rest-${s.events}`) ?? 0) + oats;
    return [
      sizeLabel(s),
      formatMs(median(`cli-${s.events}`) ?? Number.NaN),
      formatMs(inproc ?? Number.NaN),
      peers === undefined ? 'skipped' : formatMs(peers),
      peers === undefined || inproc === undefined ? 'n/a' : `${(inproc / peers).toFixed(2)}×`,
      formatMs(rest ?? Number.NaN),
      peersRest === undefined ? 'skipped' : formatMs(peersRest),
    ];
  });
  return { header, table };
}

function report(loadAtStart) {
  const scaling = scalingReport();
  const comparison = comparisonReport();
  const fastPath = (key, what) => {
    const s = results.get(key);
    return s
      ? `${what} ${formatMs(s.median)} (max ${formatMs(s.max)}) ${s.median < 500 ? 'PASS' : 'FAIL'}`
      : `${what} n/a`;
  };
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const out = [
    '',
    '=== evtgen generate benchmark ===',
    '',
    machineInfo(loadAtStart),
    '',
    `runs: BENCH_RUNS=${runs} for every CLI row and openapi-typescript; evtgen in-process at ${largest.events} events: ${bigRuns}`,
    `      (BENCH_BIG_RUNS); Modelina: ${peerRuns} at smaller sizes (BENCH_PEER_RUNS), ${skipModelinaBig ? 'skipped (BENCH_SKIP_MODELINA_BIG=1)' : `${modelinaBigRuns} (BENCH_MODELINA_BIG_RUNS)`} at ${largest.events} events.`,
    '- CLI rows time the whole `node bin/run.js generate -C <dir>` process (start included) on a fresh copy',
    '  of the specs: no generated/, no input cache.',
    '- In-process rows time `generate(dir)` and the peer calls after their modules were imported and warmed up',
    '  once on a 5-event document: the pipeline without module loading, as for the peers.',
    '- "AsyncAPI validate" is the wall time evtgen waits for @asyncapi/parser `Parser.validate()`, which runs in',
    '  a worker thread while the model is built and the emitters run; Modelina\'s "parse" is its time inside',
    '  `Parser.parse()`, which validates too. Modelina gets the file URL: it reads and parses the file itself.',
    '- Synthetic specs: bench/synthetic.js, seed 1, deterministic; laid out like specs/orders.asyncapi.yaml (one',
    '  channel = the EventBridge bus with every message, one send operation per event type, one consumer per',
    `  entity and an audit consumer of every event), plus the same ${largest.events} events with one channel per entity.`,
    '',
    'inputs:',
    ...inputNotes.map((n) => `  - ${n}`),
    '',
    'All scenarios:',
    textTable(statsHeader, rows),
    '',
    'Scaling (medians; "per event" = median / event types, "per op" = median / operations):',
    textTable(scaling.header, scaling.table),
    '',
    ...scaling.growthLines,
    '',
    'evtgen (validation, models, envelopes, HTTP types, ajv validators bundled, catalog — written to disk)',
    'vs peers (Modelina: AsyncAPI models; openapi-typescript: OpenAPI types — in memory only):',
    textTable(comparison.header, comparison.table),
    '  "Modelina + openapi-ts" is the sum of the two medians; "evtgen ÷ peers" compares in-process medians.',
    '',
    `fast path target (no-op re-run < 500 ms): ${fastPath('example-noop', 'example specs')}; ${fastPath('noop-big', `synthetic ${sizeLabel(largest)}`)}`,
    '',
    '--- Markdown (for the README) ---',
    '',
    `Measured with \`npm run bench\` (BENCH_RUNS=${runs}) on ${cpu}, ${os.cpus().length} cores, Node ${process.version}; a shared,`,
    'noisy machine, so read the medians, not single runs.',
    '',
    markdownTable(statsHeader, rows),
    '',
    markdownTable(scaling.header, scaling.table),
    '',
    markdownTable(comparison.header, comparison.table),
    '',
    `total benchmark time: ${formatMs(performance.now() - benchStarted)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    stopChildren();
    await removeScratch();
    process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
} finally {
  await removeScratch();
}
