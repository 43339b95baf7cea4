import { setFlagsFromString } from 'node:v8';

/**
 * V8 optimizes a function with TurboFan, on its background threads, once the function has run
 * through an "interrupt budget" of bytecode (66 KB by default). A run of evtgen is short and runs
 * much of its code (the parsers, ajv, esbuild's JS side, prettier) only a few times, so by default
 * V8 optimizes thousands of functions whose optimized code hardly runs: on this 2-core machine that
 * background compiling was ~1 s of CPU out of the example's 3.3 s, competing with evtgen's worker
 * threads. An eight times larger budget leaves the optimizing to the code that really runs hot
 * (ajv's compile loop, the YAML parser on a big spec).
 *
 * Measured with `/usr/bin/time`, the example's cold generate went from 2.0 s wall / 3.3 s CPU to
 * 1.7 s / 2.5 s; GitHub's REST API description and the 500-event spec spent ~1 s less CPU and
 * were no slower (docs/performance.md, sixth pass). Larger budgets were no better and slowed the
 * big specs.
 *
 * Not for `evtgen dev` and `evtgen load`: they run the service's handlers for as long as the user
 * likes, and the latencies they report should be those of Node's defaults, which Lambda runs with.
 *
 * Imported first by bin/run.js, so that it is set before any module is compiled. V8 flags are per
 * process: the worker threads started later run with it too.
 */
const longRunning = new Set(['dev', 'load']);

if (!longRunning.has(process.argv[2] ?? '')) setFlagsFromString('--interrupt-budget=540672');
