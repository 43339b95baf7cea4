// `npm run bench:cdk` (also part of `npm run bench`): how long `npx cdk synth` of the generated CDK
// app takes. Not a test: it prints figures.
//
// 1. The example service (7 functions): `npx cdk synth` from the repository root as a user runs it
//    (one esbuild build bundles every function: generated/cdk/bundles.ts; cdk-nag runs),
//    BENCH_CDK_RUNS times with the bundle cache (cdk.out/.evtgen-bundles) emptied first, and as
//    many times with it in place (nothing changed: no bundle is rebuilt).
// 2. The synthetic spec (500 event types, 200 operations, 26 consumers: bench/synthetic.js) in a
//    fresh project: `evtgen generate` (specs → generated/, handler skeletons, app scaffold), then
//    `cdk synth` with asset bundling skipped (construct tree, template, cdk-nag) and `cdk synth`
//    with every function bundled (226 bundles in one esbuild build; the cache emptied before each
//    run; BENCH_CDK_BUNDLE_SYNTHETIC=0 leaves it out). In the
//    default `single` layout its stack has far more than CloudFormation's 500 resources per stack,
//    so the resource limit check is switched off for that measurement.
// 3. The same project with its app/cdk/stack.ts switched to `layout: 'nested'` (each function in a
//    nested stack, the schemas in 16 groups): `cdk synth` with bundling skipped and the resource
//    limit in force — what such a service deploys with.
//
// Environment: BENCH_CDK_RUNS=3, BENCH_CDK_EVENTS=500, BENCH_CDK_OPERATIONS=200,
// BENCH_CDK_BUNDLE_SYNTHETIC=1 (0 leaves out the bundled synth of the synthetic spec).

import { spawn } from 'node:child_process';
import { copyFile, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertOk,
  cliPath,
  removeScratch,
  repoRoot,
  scratchDir,
  stopChildren,
  timedNode,
} from './projects.js';
import { formatMs, statsHeader, statsRow, summarize, textTable } from './stats.js';
import { writeSyntheticProject } from './synthetic.js';

const envInt = (name, fallback) => {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};
const runs = envInt('BENCH_CDK_RUNS', 3);
const events = envInt('BENCH_CDK_EVENTS', 500);
const operations = envInt('BENCH_CDK_OPERATIONS', 200);
const bundleSynthetic = envInt('BENCH_CDK_BUNDLE_SYNTHETIC', 1) === 1;

const cdkBin = join(repoRoot, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const env = {
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * The app command of cdk.json run as the CDK CLI runs it (CDK_OUTDIR, CDK_CONTEXT_JSON), with
 * bundling skipped: the CLI refuses user context keys starting with `aws:`, so this is the way to
 * time the construct tree, template and cdk-nag without esbuild.
 */
async function synthApp(cwd, label, context) {
  const out = await scratchDir(`cdk-app-${label}`);
  const cdkJson = JSON.parse(await readFile(join(cwd, 'cdk.json'), 'utf8'));
  const started = performance.now();
  const code = await new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', cdkJson.app], {
      cwd,
      env: {
        ...process.env,
        ...env,
        CDK_OUTDIR: out,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`the CDK app (${label}) exited with ${code}`);
  const ms = performance.now() - started;
  const files = (await readdir(out)).filter((f) => f.endsWith('.template.json'));
  const read = async (f) => JSON.parse(await readFile(join(out, f), 'utf8'));
  const parent = await read(files.find((f) => !f.endsWith('.nested.template.json')));
  const nested = await Promise.all(files.filter((f) => f.endsWith('.nested.template.json')).map(read));
  const size = (t) => Object.keys(t.Resources).length;
  const parameters = (t) => Object.keys(t.Parameters ?? {}).length;
  return {
    ms,
    resources: size(parent),
    nestedStacks: nested.length,
    maxNestedResources: Math.max(0, ...nested.map(size)),
    maxParameters: Math.max(parameters(parent), ...nested.map(parameters)),
  };
}

/** Removes the project's bundle cache, so the next synth builds every bundle. */
async function emptyBundleCache(project) {
  await rm(join(project, 'cdk.out', '.evtgen-bundles'), { recursive: true, force: true });
}

/** `cdk synth` in `cwd`, output to a scratch folder; resolves with the wall time. */
async function synth(cwd, label, extra = []) {
  const out = await scratchDir(`cdk-out-${label}`);
  const result = await timedNode([cdkBin, 'synth', '--no-notices', '--quiet', '--output', out, ...extra], {
    cwd,
    env,
  });
  assertOk(result, `cdk synth (${label})`);
  const assets = (await readdir(out)).filter((f) => f.startsWith('asset.')).length;
  const template = JSON.parse(
    await readFile(
      join(
        out,
        (await readdir(out)).find((f) => f.endsWith('.template.json')),
      ),
      'utf8',
    ),
  );
  return { ms: result.ms, assets, resources: Object.keys(template.Resources).length };
}

process.on('SIGINT', () => {
  stopChildren();
  process.exit(130);
});

try {
  const rows = [];
  const notes = [];

  // 1. The example: every bundle built, then every bundle from the cache.
  for (const cache of ['emptied', 'kept']) {
    const example = [];
    let exampleShape;
    for (let i = 0; i < runs; i++) {
      if (cache === 'emptied') await emptyBundleCache(repoRoot);
      const r = await synth(repoRoot, 'example');
      example.push(r.ms);
      exampleShape = r;
      process.stderr.write(`example synth, bundle cache ${cache}, ${i + 1}/${runs}: ${formatMs(r.ms)}\n`);
    }
    rows.push(
      statsRow(
        cache === 'emptied'
          ? 'example: npx cdk synth, every bundle built (cdk-nag)'
          : 'example: npx cdk synth, nothing changed (bundles cached)',
        summarize(example),
        `${exampleShape.resources} resources, ${exampleShape.assets} bundles`,
      ),
    );
  }

  // 2. The synthetic spec, in a fresh project that links this repository's node_modules.
  const dir = await scratchDir(`cdk-synthetic-${events}`);
  await writeSyntheticProject(dir, { events, operations });
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // A real project has its lock file (part of the bundle cache's key).
  for (const file of ['package.json', 'package-lock.json'])
    await copyFile(join(repoRoot, file), join(dir, file));
  const generated = await timedNode([cliPath, 'generate'], { cwd: dir });
  assertOk(generated, 'evtgen generate (synthetic)');
  rows.push(
    statsRow(`synthetic ${events} events / ${operations} ops: evtgen generate`, summarize([generated.ms])),
  );
  const noLimit = ['--context', '@aws-cdk/core:stackResourceLimit=0'];
  const skipped = [];
  let skippedShape;
  for (let i = 0; i < runs; i++) {
    const r = await synthApp(dir, 'synthetic-skip', {
      '@aws-cdk/core:stackResourceLimit': 0,
      'aws:cdk:bundling-stacks': [],
    });
    skipped.push(r.ms);
    skippedShape = r;
    process.stderr.write(`synthetic synth without bundling ${i + 1}/${runs}: ${formatMs(r.ms)}\n`);
  }
  rows.push(
    statsRow(
      'synthetic: the app (cdk.json command), bundling skipped',
      summarize(skipped),
      `${skippedShape.resources} resources`,
    ),
  );

  // 3. The nested layout, with CloudFormation's resource limit checked.
  const stackFile = join(dir, 'app', 'cdk', 'stack.ts');
  const scaffold = await readFile(stackFile, 'utf8');
  if (!scaffold.includes("layout: 'single',")) throw new Error(`no layout: 'single' in ${stackFile}`);
  await writeFile(stackFile, scaffold.replace("layout: 'single',", "layout: 'nested',"));
  const nestedTimes = [];
  let nestedShape;
  for (let i = 0; i < runs; i++) {
    const r = await synthApp(dir, 'synthetic-nested', { 'aws:cdk:bundling-stacks': [] });
    nestedTimes.push(r.ms);
    nestedShape = r;
    process.stderr.write(
      `synthetic synth, nested layout, without bundling ${i + 1}/${runs}: ${formatMs(r.ms)}\n`,
    );
  }
  rows.push(
    statsRow(
      "synthetic: the app, bundling skipped, layout: 'nested' (limit on)",
      summarize(nestedTimes),
      `parent ${nestedShape.resources} resources; ${nestedShape.nestedStacks} nested stacks ≤ ${nestedShape.maxNestedResources} resources; ≤ ${nestedShape.maxParameters} parameters`,
    ),
  );
  await writeFile(stackFile, scaffold);
  if (bundleSynthetic) {
    const bundled = [];
    let bundledShape;
    for (let i = 0; i < runs; i++) {
      await emptyBundleCache(dir);
      const r = await synth(dir, 'synthetic-bundled', noLimit);
      bundled.push(r.ms);
      bundledShape = r;
      process.stderr.write(`synthetic synth, every function bundled ${i + 1}/${runs}: ${formatMs(r.ms)}\n`);
    }
    rows.push(
      statsRow(
        'synthetic: npx cdk synth, every bundle built (limit off)',
        summarize(bundled),
        `${bundledShape.assets} bundles`,
      ),
    );
  } else {
    notes.push('The bundled synth of the synthetic spec was left out (BENCH_CDK_BUNDLE_SYNTHETIC=0).');
  }

  console.log(`\ncdk synth (${runs} runs; machine: ${(await import('node:os')).cpus().length} cores)\n`);
  console.log(textTable(statsHeader, rows));
  for (const note of notes) console.log(note);
} finally {
  await removeScratch();
}
