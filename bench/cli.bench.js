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
//
// Environment: BENCH_CLI_RUNS=5 (example), BENCH_BIG_RUNS=3 (GitHub).

import { join } from 'node:path';
import { writeGithubSpec } from './github-spec.js';
import {
  cliPath,
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
  return { ms: result.ms, rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
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
    statsRow('example: evtgen generate --force (new process)', summarize(cold.map((x) => x.ms)), mb(cold)),
  );
  const noop = await series(runs, 'example generate (no-op)', () =>
    measured([cliPath, 'generate', '-q'], example, 'evtgen generate (no-op)'),
  );
  rows.push(
    statsRow('example: evtgen generate, nothing changed', summarize(noop.map((x) => x.ms)), mb(noop)),
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
  rows.push(statsRow('GitHub REST API: evtgen generate --force', summarize(ours.map((x) => x.ms)), mb(ours)));
  const peer = await series(bigRuns, 'GitHub openapi-typescript', () =>
    measured([openapiTs, spec, '-o', join(github, 'peer.d.ts')], github, 'openapi-typescript (GitHub)'),
  );
  rows.push(
    statsRow('GitHub REST API: openapi-typescript alone (types)', summarize(peer.map((x) => x.ms)), mb(peer)),
  );

  const githubLint = await series(bigRuns, 'GitHub lint', () =>
    measured([cliPath, 'lint'], github, 'evtgen lint (GitHub)', [0, 1]),
  );
  rows.push(statsRow('GitHub REST API: evtgen lint', summarize(githubLint.map((x) => x.ms)), mb(githubLint)));

  console.log(
    `\nCLI start-up and a big real spec (machine: ${(await import('node:os')).cpus().length} cores)\n`,
  );
  console.log(textTable(statsHeader, rows));
} finally {
  await removeScratch();
}
