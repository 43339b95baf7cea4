import { join } from 'node:path';
import { configFileName, loadConfig } from './config.js';
import { keepWorkersLoaded } from './eval-worker.js';
import { watchFiles } from './file-watcher.js';
import { type GenerateResult, generate } from './generate.js';

export interface WatchOptions {
  /** Quiet period after the last change before a run starts (editors write in bursts). */
  readonly debounceMs?: number;
  /** Called after every run, successful or not; the watcher keeps going either way. */
  readonly onResult: (result: GenerateResult, trigger: string | undefined) => void;
  /** Called when a run throws (an evtgen bug or an I/O error): reported, and watching goes on. */
  readonly onCrash: (error: unknown) => void;
  /** Called when the start-up's warm-up run (see `watchAndGenerate`) has ended, with its result. */
  readonly onWarmedUp?: (result: GenerateResult | undefined) => void;
}

export interface Watcher {
  /** Resolves when the watcher is closed. */
  readonly closed: Promise<void>;
  close(): void;
}

/**
 * `evtgen generate --watch`: one run now, then one after each burst of changes under `specs/` or to
 * the config file. Runs never overlap: changes during a run schedule exactly one more. Errors are
 * reported and the watcher stays up, so fixing the spec regenerates without restarting anything.
 *
 * When the first run finds nothing to do (generate.ts's no-op check), it has loaded none of the
 * pipeline, and the first save would pay for loading it and its workers: on the example ~1.6 s
 * against ~0.5 s for the saves after it (docs/performance.md, tenth pass). So a run that writes
 * nothing (`check` mode) follows it at once, unreported: it loads the pipeline, starts the workers
 * and runs each tool once. A save meanwhile waits for it, as for any run; so does Ctrl-C.
 */
export async function watchAndGenerate(projectRoot: string, options: WatchOptions): Promise<Watcher> {
  const debounceMs = options.debounceMs ?? 150;
  // Each change regenerates: the workers stay loaded between runs.
  keepWorkersLoaded();
  const { config } = await loadConfig(projectRoot);
  const specsDir = config?.specsDir ?? join(projectRoot, 'specs');
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again: string | undefined;
  let closed = false;

  let first: GenerateResult | undefined;
  const run = async (trigger: string | undefined): Promise<void> => {
    if (running) {
      again = trigger ?? again ?? 'change';
      return;
    }
    running = true;
    try {
      const result = await generate(projectRoot);
      first ??= result;
      options.onResult(result, trigger);
    } catch (error) {
      options.onCrash(error);
    } finally {
      running = false;
    }
    await runPending();
  };
  /** Changes that came during a run (or the warm-up) get exactly one run after it. */
  const runPending = async (): Promise<void> => {
    if (again === undefined || closed) return;
    const next = again;
    again = undefined;
    await run(next);
  };
  // Serialized with the runs (a save meanwhile waits, then runs); its outcome is not reported: the
  // next run reports whatever it would have found.
  const warmUp = async (): Promise<void> => {
    running = true;
    let result: GenerateResult | undefined;
    try {
      // `check` mode never takes the no-op path, and writes nothing.
      result = await generate(projectRoot, { mode: 'check' });
    } catch {
      result = undefined;
    } finally {
      running = false;
    }
    options.onWarmedUp?.(result);
    await runPending();
  };
  const schedule = (trigger: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(trigger), debounceMs);
  };

  // chokidar, not fs.watch: an editor's atomic save (rename over the file) blinds Node 20's watcher.
  const watcher = watchFiles([specsDir, join(projectRoot, configFileName)], {
    root: projectRoot,
    debounceMs: 0,
    // An editor's temporary files (`.x.swp`, `x~`) are not what the user changed.
    onChange: (paths) => schedule(paths.find((p) => !/(^|\/)\.[^/]*$|~$/.test(p)) ?? paths[0] ?? 'change'),
  });
  await watcher.ready;
  let resolveClosed: () => void = () => undefined;
  const closedPromise = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  await run(undefined);
  if (first && isNoOp(first) && !running && !closed) void warmUp();
  return {
    closed: closedPromise,
    close: () => {
      closed = true;
      clearTimeout(timer);
      void watcher.close();
      resolveClosed();
    },
  };
}

/** The result of generate.ts's no-op check: nothing was loaded, no file was even compared. */
function isNoOp(result: GenerateResult): boolean {
  return result.ok && result.upToDate && result.files.length === 0;
}
