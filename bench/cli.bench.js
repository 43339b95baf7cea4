// `npm run bench:cli` (also part of `npm run bench`): how fast the CLI starts and how `evtgen generate`
// copes with a big real spec. Not a test: it prints figures, median and spread of BENCH_CLI_RUNS runs.
//
// 1. The example (specs/ of this repository) in a fresh project: `evtgen generate --force` as a new
//    process each time (cold: module loading included) and the no-op re-run (inputs unchanged).
// 2. GitHub's REST API description (@octokit/openapi, 1,221 operations, 13 MB; made generatable by
//    bench/github-spec.js): `evtgen generate --force`, time and peak RSS, against openapi-typescript
//    alone (its CLI, types only) on the same file in the same run.
// 3. `evtgen lint` of both, a new process each time (GitHub's exits 1: Redocly's ruleset finds ~850
//    errors in it).
// 4. The editing loop: `evtgen generate --watch` on the example, a description in one of its specs
//    changed (the two specs in turn), timed from the file's write to the watcher's JSON line for
//    that run (its 150 ms debounce included; the output changes, so files are written). The first
//    save comes once the watcher is idle (it warms the pipeline up after its first run).
//
// For the cold runs it also prints the CPU time used (user + system, every thread and esbuild's
// process, as `time` reports it) and how many of the machine's cores that kept busy on average:
// near the core count, a run is bound by the CPU its work needs, not by waiting.
//
// Environment: BENCH_CLI_RUNS=5 (example, and edits under --watch), BENCH_BIG_RUNS=3 (GitHub).

import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeGithubSpec } from './github-spec.js';
import {
  cliPath,
  cpuTimes,
  freshProject,
  removeScratch,
  repoRoot,
  scratchDir,
  stopChildren,
  timedNode,
} from './projects.js';
import { envInt, formatMs, statsHeader, statsRow, summarize, textTable } from './stats.js';

const runs = envInt('BENCH_CLI_RUNS', 5);
const bigRuns = envInt('BENCH_BIG_RUNS', 3);
const rssPreload = join(repoRoot, 'bench', 'rss-report.cjs');
const openapiTs = join(repoRoot, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/** Runs `node args` in `cwd` with the RSS reporter; throws on failure (an exit code not in `ok`). */
async function measured(args, cwd, what, ok = [0]) {
  const result = await timedNode(args, { cwd, env: { NODE_OPTIONS: `--require ${rssPreload}` } });
  if (!ok.includes(result.code))
    throw new Error(`${what} exited with ${result.code}\n${result.stderr.slice(-4000)}`);
  const rss = /evtgen-bench-maxrss-kb (\d+)/.exec(result.stderr);
  return { ms: result.ms, cpuMs: result.cpuMs, rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
}

async function series(count, label, run) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    samples.push(await run());
    process.stderr.write(`${label} ${i + 1}/${count}: ${formatMs(samples.at(-1).ms)}\n`);
  }
  return samples;
}

const mb = (samples) => {
  const s = summarize(samples.map((x) => x.rssMb));
  return `peak RSS median ${s.median.toFixed(0)} MB [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;
};

const cores = cpus().length;

/** `CPU 11.2 s [10.9–11.5], 1.55 of 2 cores busy`: the CPU time and the cores it kept busy (medians). */
const cpu = (samples) => {
  if (samples.some((x) => x.cpuMs === undefined)) return 'CPU n/a (no /proc)';
  const s = summarize(samples.map((x) => x.cpuMs));
  const busy = summarize(samples.map((x) => x.cpuMs / x.ms)).median;
  return `CPU ${formatMs(s.median)} [${formatMs(s.min)}–${formatMs(s.max)}], ${busy.toFixed(2)} of ${cores} cores busy`;
};

/** Waits until process `pid` has used no CPU for 300 ms (at most 60 s; at once without /proc). */
async function untilIdle(pid) {
  const deadline = performance.now() + 60_000;
  let last = cpuTimes(pid)?.own;
  let quietSince = performance.now();
  while (last !== undefined && performance.now() < deadline) {
    await new Promise((settle) => setTimeout(settle, 50));
    const now = cpuTimes(pid)?.own;
    if (now !== last) quietSince = performance.now();
    else if (performance.now() - quietSince >= 300) return;
    last = now;
  }
}

/**
 * `evtgen generate --watch --json` in `project`: each edit rewrites one spec with a changed
 * description, and is timed from that write to the watcher's JSON line for the run.
 */
async function editsUnderWatch(project, count) {
  const edits = [
    // Both reach generated code: the operation's JSDoc, the event's models and consumers.
    { file: join(project, 'specs', 'orders.openapi.yaml'), text: 'summary: Place an order\n' },
    {
      file: join(project, 'specs', 'orders.asyncapi.yaml'),
      text: 'summary: A customer placed an order and the orders service accepted it.\n',
    },
  ];
  const originals = await Promise.all(edits.map((e) => readFile(e.file, 'utf8')));
  edits.forEach((e, i) => {
    if (!originals[i]?.includes(e.text)) throw new Error(`bench: "${e.text}" is no longer in ${e.file}`);
  });
  const watcher = spawn(process.execPath, [cliPath, 'generate', '--watch', '--json'], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  watcher.stderr.on('data', (chunk) => stderr.push(chunk));
  const lines = createInterface({ input: watcher.stdout })[Symbol.asyncIterator]();
  const nextRun = async () => {
    const { value, done } = await lines.next();
    if (done)
      throw new Error(`evtgen generate --watch ended\n${Buffer.concat(stderr).toString().slice(-4000)}`);
    const result = JSON.parse(value);
    if (!result.ok) throw new Error(`evtgen generate --watch: a run failed\n${value.slice(0, 4000)}`);
    return result;
  };
  try {
    await nextRun();
    // The watcher warms the pipeline up after its first run (watch.ts), unreported: saves are timed
    // once it is idle, as when a person edits after starting it.
    await untilIdle(watcher.pid);
    const samples = [];
    for (let i = 0; i < count; i++) {
      const k = i % edits.length;
      const edit = edits[k];
      const edited = originals[k].replace(edit.text, `${edit.text.trimEnd()} (edit ${i + 1})\n`);
      // Apart, as a person's saves are: each is a run of its own.
      await new Promise((settle) => setTimeout(settle, 300));
      const started = performance.now();
      await writeFile(edit.file, edited);
      const result = await nextRun();
      samples.push({ ms: performance.now() - started });
      if (!result.files.some((f) => f.change === 'changed'))
        throw new Error('bench: an edit under --watch changed no generated file');
      process.stderr.write(`example edit under --watch ${i + 1}/${count}: ${formatMs(samples.at(-1).ms)}\n`);
    }
    return samples;
  } finally {
    watcher.kill('SIGINT');
    await Promise.all(edits.map((e, i) => writeFile(e.file, originals[i])));
  }
}

process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

try {
  const rows = [];
  const example = await freshProject(join(repoRoot, 'specs'), 'cli-example');
  await measured([cliPath, 'generate', '-q'], example, 'evtgen generate (example, first)');
  const cold = await series(runs, 'example generate --force', () =>
    measured([cliPath, 'generate', '-q', '--force'], example, 'evtgen generate --force'),
  );
  rows.push(
    statsRow(
      'example: evtgen generate --force (new process)',
      summarize(cold.map((x) => x.ms)),
      `${mb(cold)}; ${cpu(cold)}`,
    ),
  );
  const noop = await series(runs, 'example generate (no-op)', () =>
    measured([cliPath, 'generate', '-q'], example, 'evtgen generate (no-op)'),
  );
  rows.push(
    statsRow('example: evtgen generate, nothing changed', summarize(noop.map((x) => x.ms)), mb(noop)),
  );

  const watched = await editsUnderWatch(example, runs);
  rows.push(
    statsRow(
      'example: a spec edited under evtgen generate --watch',
      summarize(watched.map((x) => x.ms)),
      'from the save to the run reported; 150 ms debounce',
    ),
  );

  const exampleLint = await series(runs, 'example lint', () =>
    measured([cliPath, 'lint'], example, 'evtgen lint (example)'),
  );
  rows.push(
    statsRow('example: evtgen lint (new process)', summarize(exampleLint.map((x) => x.ms)), mb(exampleLint)),
  );

  const github = await scratchDir('cli-github');
  const spec = await writeGithubSpec(github);
  const ours = await series(bigRuns, 'GitHub generate --force', () =>
    measured([cliPath, 'generate', '-q', '--force'], github, 'evtgen generate (GitHub)'),
  );
  rows.push(
    statsRow(
      'GitHub REST API: evtgen generate --force',
      summarize(ours.map((x) => x.ms)),
      `${mb(ours)}; ${cpu(ours)}`,
    ),
  );
  const peer = await series(bigRuns, 'GitHub openapi-typescript', () =>
    measured([openapiTs, spec, '-o', join(github, 'peer.d.ts')], github, 'openapi-typescript (GitHub)'),
  );
  rows.push(
    statsRow(
      'GitHub REST API: openapi-typescript alone (types)',
      summarize(peer.map((x) => x.ms)),
      `${mb(peer)}; ${cpu(peer)}`,
    ),
  );

  const githubLint = await series(bigRuns, 'GitHub lint', () =>
    measured([cliPath, 'lint'], github, 'evtgen lint (GitHub)', [0, 1]),
  );
  rows.push(statsRow('GitHub REST API: evtgen lint', summarize(githubLint.map((x) => x.ms)), mb(githubLint)));

  console.log(`\nCLI start-up and a big real spec (machine: ${cores} cores)\n`);
  console.log(textTable(statsHeader, rows));
} finally {
  await removeScratch();
}
