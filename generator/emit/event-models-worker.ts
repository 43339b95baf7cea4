import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { EvalWorker } from '../eval-worker.js';
import type { JsonSchema } from '../model/contract.js';

/**
 * json-schema-to-typescript runs in a worker thread: it needs only the schema bundle, and with its
 * prettier pass it is ~2.5 s of the main thread's work on the 500-event synthetic service (jstt
 * resolves the bundle, then prettier formats the result). In the worker that time overlaps the
 * validators' compilation. Like the others, the worker is a short CommonJS script run by
 * `EvalWorker` (eval-worker.ts); the options travel with each request, so they stay written here.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.jstt);
// An unused worker must not report a failed load as an unhandled rejection.
loaded.catch(() => undefined);
parentPort.on('message', async ({ id, definitions, rootName, options }) => {
  try {
    const { compile } = await loaded;
    parentPort.postMessage({ id, result: await compile({ definitions }, rootName, options) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface ModelsRequest {
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  readonly rootName: string;
  readonly options: Readonly<Record<string, unknown>>;
}

const models = new EvalWorker<ModelsRequest, string>(
  workerSource,
  () => ({
    jstt: pathToFileURL(createRequire(import.meta.url).resolve('json-schema-to-typescript')).href,
  }),
  { stopWhenIdle: true },
);

/** Starts the worker when the specs hold events, so that loading jstt and prettier overlaps modelling. */
export function startModelsWorker(): void {
  models.start();
}

/** json-schema-to-typescript's `compile({definitions}, rootName, options)`, run in the worker. */
export function compileInWorker(
  definitions: Readonly<Record<string, JsonSchema>>,
  rootName: string,
  options: Readonly<Record<string, unknown>>,
): Promise<string> {
  return models.request({ definitions, rootName, options });
}
