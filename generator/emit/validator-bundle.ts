import { pathToFileURL } from 'node:url';
import { EvalWorker } from '../eval-worker.js';
import { compiledModulePath } from '../package-root.js';
import { bundleGroups, type ModuleSources } from './bundle-validators.js';
import type { ValidatorGroup } from './compile-validators.js';
import { splitValidators } from './validator-modules.js';

/** What validators/ holds: `compiled.js`, and the modules of `compiled/` when the code could be split. */
export interface BundledValidators {
  /** `compiled.js`: the re-exports of the split modules, or the whole bundle when it was not split. */
  readonly barrel: string;
  /** File name in `compiled/` → its code (empty when not split). */
  readonly modules: ReadonlyMap<string, string>;
}

/**
 * The groups' standalone modules (compile-validators.ts `compileGroups`) bundled by esbuild and split
 * into one module per validator and per shared set (validator-modules.ts). Pure: the same modules
 * give the same bytes in the worker or in process.
 */
export async function bundleAndSplit(
  modules: ModuleSources,
  groups: readonly ValidatorGroup[],
): Promise<BundledValidators> {
  const code = await bundleGroups(modules, groups);
  const split = splitValidators(code);
  return split ?? { barrel: code, modules: new Map() };
}

/**
 * `bundleAndSplit` in a worker thread, so that the main thread emits the rest of the output
 * meanwhile (emit-all.ts).
 *
 * Why: on the 500-event synthetic service esbuild takes ~1.4 s over the validators' 11 MB of
 * standalone code (one file is parsed on one thread: ~0.9 s of it is esbuild alone), and splitting
 * the result takes ~0.8 s more. In process the main thread could not do anything else meanwhile:
 * esbuild asks evtgen's plugin for each module and each `require` it resolves, and a busy main thread
 * answers none of them until it is done. In the worker the plugin answers at once, and the CDK
 * contract, the runtime and the other emitters (~1 s there) run on the main thread beside it.
 *
 * The modules are sent as ajv finishes each (`streamToWorker`): esbuild reads the first group's
 * (~9 MB on GitHub's REST API description) while ajv still compiles the next, and asks for a module
 * that has not come yet by waiting for it. The bundle is the same: the same modules, in the same
 * entry.
 *
 * The worker runs the compiled module (beside this one in the build, or in dist/ when run from the
 * TypeScript sources, as the dev server's function worker does): `npm test` builds first.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.module);
// An unused worker must not report a failed load as an unhandled rejection.
loaded.catch(() => undefined);
// The modules of each bundling under way (by its key), each a promise until it comes. A bundling's
// request comes before its modules; a module for a bundling no longer under way (it failed) is dropped.
const streams = new Map();
const moduleOf = (stream, module) => {
  let entry = stream.modules.get(module);
  if (!entry) {
    let resolve;
    const promise = new Promise((settle) => (resolve = settle));
    entry = { promise, resolve };
    stream.modules.set(module, entry);
    // A module asked for after the last has come is missing: bundled as empty, as in process.
    if (stream.done) resolve(undefined);
  }
  return entry;
};
parentPort.on('message', async (message) => {
  if (message.kind === 'module') {
    const stream = streams.get(message.key);
    if (stream) moduleOf(stream, message.module).resolve(message.code);
    return;
  }
  if (message.kind === 'done') {
    const stream = streams.get(message.key);
    if (!stream) return;
    stream.done = true;
    for (const entry of stream.modules.values()) entry.resolve(undefined);
    return;
  }
  const { id, key, groups } = message;
  const stream = { modules: new Map(), done: false };
  streams.set(key, stream);
  try {
    const { bundleAndSplit } = await loaded;
    // A module esbuild has read is dropped here: the split that follows needs the room.
    const modules = {
      get: (module) =>
        moduleOf(stream, module).promise.then((code) => {
          stream.modules.delete(module);
          return code;
        }),
    };
    parentPort.postMessage({ id, result: await bundleAndSplit(modules, groups) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  } finally {
    streams.delete(key);
  }
});
`;

interface BundleRequest {
  readonly kind: 'bundle';
  /** Names this bundling in the messages that bring its modules. */
  readonly key: number;
  readonly groups: readonly ValidatorGroup[];
}

const bundler = new EvalWorker<BundleRequest, BundledValidators>(
  workerSource,
  () => ({ module: pathToFileURL(compiledModulePath('emit', 'validator-bundle.js')).href }),
  { stopWhenIdle: true },
);

/** Starts the worker now, so that its module loading overlaps ajv's compile. */
export function startValidatorBundler(): void {
  bundler.start();
}

/** A bundling in the worker, to which the groups' modules are sent as ajv compiles them. */
export interface StreamedBundle {
  /** Sends one group's module (`ModuleSources`' id) to the worker. */
  add(module: string, code: string): void;
  /** No more modules: one esbuild still asks for is bundled as empty, as `bundleGroups` does. */
  done(): void;
  readonly result: Promise<BundledValidators>;
}

let nextKey = 0;

/** `bundleAndSplit` in the worker, of modules sent one by one. Call `done` in every case. */
export function streamToWorker(groups: readonly ValidatorGroup[]): StreamedBundle {
  const key = nextKey++;
  const result = bundler.request({ kind: 'bundle', key, groups });
  // A caller whose compile failed stops before reading it: that must not be an unhandled rejection.
  result.catch(() => undefined);
  return {
    add: (module, code) => bundler.post({ kind: 'module', key, module, code }),
    done: () => bundler.post({ kind: 'done', key }),
    result,
  };
}
