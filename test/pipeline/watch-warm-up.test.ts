import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import type { GenerateResult } from '../../generator/generate-result.js';
import { type Watcher, watchAndGenerate } from '../../generator/watch.js';
import { exampleProject } from '../helpers/project.js';

/** Each file under `dir` with its modification time and content: a rewrite shows even if the bytes are the same. */
async function fileStates(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(dir, path)] = `${(await stat(path)).mtimeMs} ${await readFile(path, 'utf8')}`;
    }
  };
  await walk(dir);
  return out;
}

/** Results in arrival order, and a way to wait for the next one. */
function queue<T>() {
  const items: T[] = [];
  const waiting: ((item: T) => void)[] = [];
  return {
    push: (item: T) => {
      const taker = waiting.shift();
      if (taker) taker(item);
      else items.push(item);
    },
    next: () =>
      new Promise<T>((resolve) => {
        const item = items.shift();
        if (item !== undefined) resolve(item);
        else waiting.push(resolve);
      }),
    get size() {
      return items.length;
    },
  };
}

/** `watchAndGenerate` in `dir`, its reported runs and its warm-ups queued as they come. */
async function startWatching(dir: string) {
  const results = queue<{ result: GenerateResult; trigger: string | undefined }>();
  const warmUps = queue<GenerateResult | undefined>();
  const watcher: Watcher = await watchAndGenerate(dir, {
    onResult: (result, trigger) => results.push({ result, trigger }),
    onCrash: (error) => {
      throw error;
    },
    onWarmedUp: (result) => warmUps.push(result),
  });
  return { watcher, results, warmUps };
}

/**
 * `generate --watch` on a project that is up to date: its first run is the no-op check, which loads
 * nothing, so a run that writes nothing follows it to load the pipeline before the first save (see
 * watch.ts; the time it saves is measured by `npm run bench:cli`, not asserted here). In process,
 * with the real pipeline and workers.
 */
describe('generate --watch warm-up', () => {
  it('follows a no-op first run with an unreported full run that writes nothing, and loses no save made meanwhile', async () => {
    const dir = await exampleProject();
    const initial = await generate(dir);
    expect(initial.ok).toBe(true);
    const before = await fileStates(join(dir, 'generated'));

    const { watcher, results, warmUps } = await startWatching(dir);
    try {
      const first = await results.next();
      // The no-op check answered: nothing loaded, no file listed.
      expect(first.result).toMatchObject({ ok: true, upToDate: true, files: [] });

      // A save while the warm-up runs: it waits for it, then runs and is reported.
      const asyncapi = join(dir, 'specs/orders.asyncapi.yaml');
      const original = await readFile(asyncapi, 'utf8');
      const edited = original.replace(
        'summary: A customer placed an order and the orders service accepted it.',
        'summary: A customer placed an order, and the orders service accepted it.',
      );
      expect(edited).not.toBe(original);
      await writeFile(asyncapi, edited);

      const warm = await warmUps.next();
      // The whole pipeline ran in check mode: every generated file compared (whether it saw the
      // save or not depends on when the save landed).
      expect(warm?.mode).toBe('check');
      expect(warm?.files.length).toBe(initial.files.length);
      // Not reported as a run, and nothing written by it.
      expect(results.size).toBe(0);

      const saved = await results.next();
      expect(saved.trigger).toBe('specs/orders.asyncapi.yaml');
      expect(saved.result.ok).toBe(true);
      expect(saved.result.files.filter((f) => f.change === 'changed').map((f) => f.path)).toContain(
        'events/models.ts',
      );
      const after = await fileStates(join(dir, 'generated'));
      const rewritten = Object.keys(before).filter((path) => after[path] !== before[path]);
      // Only the save's run wrote, and only what the edit changed.
      expect(rewritten.sort()).toEqual(
        saved.result.files
          .filter((f) => f.change === 'changed')
          .map((f) => f.path)
          .sort(),
      );
    } finally {
      watcher.close();
    }
  });

  it('does not warm up after a first run that did the work (a project not generated yet)', async () => {
    const dir = await exampleProject();
    const { watcher, results, warmUps } = await startWatching(dir);
    try {
      const first = await results.next();
      expect(first.result.ok).toBe(true);
      expect(first.result.files.length).toBeGreaterThan(0);
      // A save after the first run: had a warm-up been started, it would have ended before this run.
      const openapi = join(dir, 'specs/orders.openapi.yaml');
      const original = await readFile(openapi, 'utf8');
      await writeFile(openapi, original.replace('summary: Place an order\n', 'summary: Place one order\n'));
      const saved = await results.next();
      expect(saved.trigger).toBe('specs/orders.openapi.yaml');
      expect(warmUps.size).toBe(0);
    } finally {
      watcher.close();
    }
  });
});
