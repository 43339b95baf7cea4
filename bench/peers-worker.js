// Times a peer generator in one process, import and a warm-up run excluded (as for evtgen in-process):
//   modelina:           new TypeScriptGenerator({modelType: 'interface'}).generate('file://…asyncapi.yaml')
//                       — reads the file, parses and validates it with @asyncapi/parser (the time inside
//                       its `parse()` is reported separately), then generates the models;
//   openapi-typescript: astToString(await openapiTS(new URL('file://…openapi.yaml'))).
// Usage (from generate.bench.js):
//   node --expose-gc bench/peers-worker.js '{"tool": "modelina", "file": "...", "warmupFile": "...", "runs": 1, "label": "..."}'

import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2] ?? '{}');

let parseMs = 0;

async function loadTool(tool) {
  if (tool === 'modelina') {
    const { TypeScriptGenerator } = await import('@asyncapi/modelina');
    // Modelina parses through @asyncapi/multi-parser with the same (CommonJS) @asyncapi/parser module.
    const { Parser } = await import('@asyncapi/parser');
    const parse = Parser.prototype.parse;
    Parser.prototype.parse = async function timedParse(...args) {
      const started = performance.now();
      try {
        return await parse.apply(this, args);
      } finally {
        parseMs += performance.now() - started;
      }
    };
    return async (file) => {
      const generator = new TypeScriptGenerator({ modelType: 'interface' });
      const models = await generator.generate(pathToFileURL(file).href);
      return { outputs: models.length, chars: models.reduce((sum, m) => sum + m.result.length, 0) };
    };
  }
  if (tool === 'openapi-typescript') {
    const { default: openapiTS, astToString } = await import('openapi-typescript');
    return async (file) => {
      const code = astToString(await openapiTS(pathToFileURL(file)));
      return { outputs: 1, chars: code.length };
    };
  }
  throw new Error(`unknown tool ${tool}`);
}

const importStarted = performance.now();
const run = await loadTool(job.tool);
const importMs = performance.now() - importStarted;

const warmupStarted = performance.now();
await run(job.warmupFile);
const warmupMs = performance.now() - warmupStarted;

const times = [];
const parseTimes = [];
let output;
for (let i = 0; i < job.runs; i++) {
  globalThis.gc?.();
  parseMs = 0;
  const started = performance.now();
  output = await run(job.file);
  const ms = performance.now() - started;
  times.push(ms);
  parseTimes.push(parseMs);
  const parsed = job.tool === 'modelina' ? ` (AsyncAPI parse ${(parseMs / 1000).toFixed(2)} s)` : '';
  process.stderr.write(
    `    ${job.tool}, ${job.label}: run ${i + 1}/${job.runs} ${(ms / 1000).toFixed(2)} s${parsed}\n`,
  );
}
console.log(JSON.stringify({ times, parseTimes, importMs, warmupMs, ...output }));
