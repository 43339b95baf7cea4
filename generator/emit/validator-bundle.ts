import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EvalWorker } from '../eval-worker.js';
import { packagePath } from '../package-root.js';
import { bundleGroups, type ValidatorGroup } from './compile-validators.js';
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
  modules: ReadonlyMap<string, string>,
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
 * The worker runs the compiled module (beside this one in the build, or in dist/ when run from the
 * TypeScript sources, as the dev server's function worker does): `npm test` builds first.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.module);
// An unused worker must not report a failed load as an unhandled rejection.
loaded.catch(() => undefined);
parentPort.on('message', async ({ id, modules, groups }) => {
  try {
    const { bundleAndSplit } = await loaded;
    parentPort.postMessage({ id, result: await bundleAndSplit(modules, groups) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;

interface BundleRequest {
  readonly modules: ReadonlyMap<string, string>;
  readonly groups: readonly ValidatorGroup[];
}

const bundler = new EvalWorker<BundleRequest, BundledValidators>(
  workerSource,
  () => ({ module: pathToFileURL(compiledModule()).href }),
  { stopWhenIdle: true },
);

function compiledModule(): string {
  const sibling = fileURLToPath(new URL('./validator-bundle.js', import.meta.url));
  return existsSync(sibling) ? sibling : packagePath('dist', 'generator', 'emit', 'validator-bundle.js');
}

/** Starts the worker now, so that its module loading overlaps ajv's compile. */
export function startValidatorBundler(): void {
  bundler.start();
}

/** `bundleAndSplit`, run in the worker. */
export function bundleInWorker(
  modules: ReadonlyMap<string, string>,
  groups: readonly ValidatorGroup[],
): Promise<BundledValidators> {
  return bundler.request({ modules, groups });
}
