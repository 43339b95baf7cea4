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

  const run = async (trigger: string | undefined): Promise<void> => {
    if (running) {
      again = trigger ?? again ?? 'change';
      return;
    }
    running = true;
    try {
      options.onResult(await generate(projectRoot), trigger);
    } catch (error) {
      options.onCrash(error);
    } finally {
      running = false;
    }
    if (again !== undefined && !closed) {
      const next = again;
      again = undefined;
      await run(next);
    }
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
