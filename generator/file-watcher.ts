/**
 * Watching files for `generate --watch` and `evtgen dev`, on chokidar. Node 20's recursive
 * `fs.watch` follows inodes: after an editor's atomic save (write a temporary file, rename it over
 * the original) it reports nothing more for that file. chokidar re-attaches to the new file and
 * reports the save as one change. Changes arrive in bursts (an editor, `git checkout`): they are
 * debounced into one call with every path that changed.
 */
import { relative, sep } from 'node:path';
import { watch } from 'chokidar';

export interface FileWatcherOptions {
  /** Folder the reported paths are relative to. */
  readonly root: string;
  /** Quiet period after the last change before `onChange` runs. */
  readonly debounceMs: number;
  /** Paths (absolute, or below `root`) to leave out, e.g. generated/ and node_modules/. */
  readonly ignored?: (path: string) => boolean;
  /** The project-relative (posix) paths that changed in one burst. */
  readonly onChange: (paths: readonly string[]) => void;
}

export interface FileWatcher {
  /** Resolves when the watcher sees the files (changes before that are not reported). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Watches files and folders (recursively); missing ones are picked up when they appear. */
export function watchFiles(paths: readonly string[], options: FileWatcherOptions): FileWatcher {
  const watcher = watch([...paths], {
    ignoreInitial: true,
    ...(options.ignored ? { ignored: options.ignored } : {}),
    // Editors that save by rename: wait until the new file is complete before reporting it.
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
  });
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const record = (path: string): void => {
    changed.add(relative(options.root, path).split(sep).join('/'));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const burst = [...changed].sort();
      changed.clear();
      options.onChange(burst);
    }, options.debounceMs);
  };
  watcher.on('add', record).on('change', record).on('unlink', record);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
