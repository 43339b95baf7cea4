// `npm run bench:check`: evtgen check on a large real pair (GitHub's REST description, @octokit/openapi
// 22.0.0 → 23.0.2) and on the 500-event / 200-operation synthetic spec against a mutated copy.
// Each run is the CLI as users run it (process start included); min / median / max over several runs.

import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freshProject, removeScratch, runEvtgen, scratchDir, stopChildren } from './projects.js';
import { formatMs, markdownTable, summarize } from './stats.js';
import { writeSyntheticProject } from './synthetic.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const require = createRequire(import.meta.url);
process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

async function githubPair() {
  const dir = await scratchDir('check-github');
  const newer = join(
    dirname(require.resolve('@octokit/openapi/package.json')),
    'generated',
    'api.github.com.json',
  );
  const older = join(
    dirname(require.resolve('octokit-openapi-22/package.json')),
    'generated',
    'api.github.com.json',
  );
  await mkdir(join(dir, 'specs'), { recursive: true });
  await mkdir(join(dir, 'old'), { recursive: true });
  await cp(newer, join(dir, 'specs', 'api.github.com.json'));
  await cp(older, join(dir, 'old', 'api.github.com.json'));
  return dir;
}

/** The synthetic spec as the baseline; the working copy gets one breaking edit per 25 events. */
async function syntheticPair() {
  const source = await scratchDir('check-synthetic-src');
  await writeSyntheticProject(source, { events: 500, operations: 200 });
  const dir = await freshProject(join(source, 'specs'), 'check-synthetic');
  await cp(join(source, 'specs'), join(dir, 'old'), { recursive: true });
  const path = join(dir, 'specs', 'events.asyncapi.yaml');
  const doc = parse(await readFile(path, 'utf8'));
  const messages = Object.values(doc.components.messages);
  messages.forEach((m, i) => {
    if (i % 25 !== 0) return;
    m['x-eventbridge'] = { ...(m['x-eventbridge'] ?? {}), detailType: `${m.name}V2` };
  });
  for (const [i, s] of Object.values(doc.components.schemas ?? {}).entries()) {
    if (i % 25 === 0 && s && typeof s === 'object' && s.properties) {
      s.properties.benchAdded = { type: 'string' };
      s.required = [...(s.required ?? []), 'benchAdded'];
    }
  }
  await writeFile(path, stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }));
  return dir;
}

async function measure(label, dir) {
  const samples = [];
  let findings = '';
  for (let i = 0; i < runs; i++) {
    const r = await runEvtgen(['check', '-C', dir, '--against', join(dir, 'old'), '--format', 'json']);
    if (r.code !== 0 && r.code !== 1) throw new Error(`${label}: exit ${r.code}\n${r.stderr}`);
    samples.push(r.ms);
    const counts = JSON.parse(r.stdout).counts;
    findings = `${counts.error} errors, ${counts.warn} warnings, ${counts.info} info`;
  }
  const s = summarize(samples);
  return [label, formatMs(s.median), `${formatMs(s.min)} – ${formatMs(s.max)}`, String(runs), findings];
}

try {
  const rows = [];
  rows.push(
    await measure('GitHub REST API, @octokit/openapi 22.0.0 → 23.0.2 (13 MB JSON)', await githubPair()),
  );
  rows.push(await measure('synthetic 500 events / 200 operations vs mutated copy', await syntheticPair()));
  console.log(
    markdownTable(
      ['scenario (CLI, process start included)', 'median', 'min – max', 'runs', 'findings'],
      rows,
    ),
  );
} finally {
  await removeScratch();
}
