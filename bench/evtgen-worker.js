// Times evtgen's library entry, `generate(projectRoot)`, in one process with its modules already
// imported and warmed up: the pipeline's own cost, without process start or module loading, which is
// how the peers are timed too. It also reports the wall time of the AsyncAPI parser's `validate()`,
// which runs in a worker thread while evtgen builds the model and emits (so it overlaps the rest).
// Usage (from generate.bench.js):
//   node --expose-gc bench/evtgen-worker.js '{"specsDir": "...", "warmupSpecsDir": "...", "runs": 3, "label": "..."}'

import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const job = JSON.parse(process.argv[2] ?? '{}');

const importStarted = performance.now();
const { generate } = await import('../dist/generator/generate.js');
const importMs = performance.now() - importStarted;

// evtgen runs the AsyncAPI parser in a worker thread and sums the wall time it waits for it.
const { parserTiming } = await import('../dist/generator/load/asyncapi-validate.js');

/** One cold generate into a fresh copy of `specsDir` (no generated/, no input cache). */
async function coldGenerate(specsDir) {
  const dir = await mkdtemp(join(tmpdir(), 'evtgen-bench-inproc-'));
  try {
    await cp(specsDir, join(dir, 'specs'), { recursive: true });
    globalThis.gc?.();
    parserTiming.totalMs = 0;
    const started = performance.now();
    const result = await generate(dir, { mode: 'write' });
    const ms = performance.now() - started;
    const validated = parserTiming.totalMs;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (!result.ok || errors.length > 0) {
      const shown = result.diagnostics
        .slice(0, 20)
        .map((d) => `${d.file}:${d.position.line} ${d.severity} ${d.code} ${d.message}`);
      throw new Error(`generate failed (${result.failure}):\n${shown.join('\n')}`);
    }
    return { ms, validated, result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Warm-up (untimed): loads the lazily imported parser, jstt, openapi-typescript, ajv and esbuild.
const warmupStarted = performance.now();
await coldGenerate(job.warmupSpecsDir);
const warmupMs = performance.now() - warmupStarted;

const times = [];
const validateTimes = [];
let last;
for (let i = 0; i < job.runs; i++) {
  const { ms, validated, result } = await coldGenerate(job.specsDir);
  times.push(ms);
  validateTimes.push(validated);
  last = result;
  process.stderr.write(
    `    evtgen generate() in-process, ${job.label}: run ${i + 1}/${job.runs} ${(ms / 1000).toFixed(2)} s (AsyncAPI validate ${(validated / 1000).toFixed(2)} s)\n`,
  );
}
const count = (severity) => last.diagnostics.filter((d) => d.severity === severity).length;
console.log(
  JSON.stringify({
    times,
    validateTimes,
    importMs,
    warmupMs,
    files: last.files.length,
    diagnostics: { error: count('error'), warning: count('warning'), info: count('info') },
  }),
);
