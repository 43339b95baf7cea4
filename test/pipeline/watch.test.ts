import { spawn } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { exampleProject, repoRoot } from '../helpers/project.js';

interface RunLine {
  readonly trigger: string | null;
  readonly ok: boolean;
  readonly diagnostics: { code: string; severity: string }[];
  readonly files: { path: string; change: string }[];
}

/**
 * `evtgen generate --watch --json` as a user runs it: the built CLI in a project folder, one JSON
 * line per run. The test waits for each run's line (no timing is asserted).
 */
describe('evtgen generate --watch', () => {
  it('regenerates on each spec change, reports errors without exiting, and stops cleanly on SIGINT', async () => {
    const dir = await exampleProject();
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'generate', '--watch', '--json'],
      {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const nextRun = async (): Promise<RunLine> => {
      const { value, done } = await lines.next();
      if (done) throw new Error('the watcher exited');
      return JSON.parse(value) as RunLine;
    };
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const first = await nextRun();
    expect(first).toMatchObject({ trigger: null, ok: true });
    expect(first.files.some((f) => f.path === 'events/models.ts' && f.change === 'added')).toBe(true);

    // A new optional payload property regenerates the models.
    const asyncapi = join(dir, 'specs/orders.asyncapi.yaml');
    const original = await readFile(asyncapi, 'utf8');
    const withGiftWrap = original.replace(
      '        salesChannel:\n',
      '        giftWrap:\n          description: Wrap the parcel as a gift.\n          type: boolean\n        salesChannel:\n',
    );
    expect(withGiftWrap).not.toBe(original);
    await writeFile(asyncapi, withGiftWrap);
    const second = await nextRun();
    expect(second).toMatchObject({ trigger: 'specs/orders.asyncapi.yaml', ok: true });
    expect(second.files.filter((f) => f.change === 'changed').map((f) => f.path)).toContain(
      'events/models.ts',
    );
    expect(await readFile(join(dir, 'generated/events/models.ts'), 'utf8')).toContain('giftWrap?: boolean');

    // Broken YAML: a located error, nothing written, and the watcher keeps going.
    await writeFile(asyncapi, withGiftWrap.replace('asyncapi: 3.0.0', 'asyncapi: 3.0.0\nbroken: ['));
    const third = await nextRun();
    expect(third.ok).toBe(false);
    expect(third.diagnostics.map((d) => d.code)).toContain('yaml-syntax');

    await writeFile(asyncapi, original);
    const fourth = await nextRun();
    expect(fourth.ok).toBe(true);
    expect(await readFile(join(dir, 'generated/events/models.ts'), 'utf8')).not.toContain('giftWrap');

    // An editor's atomic save (write a temporary file, rename it over the spec), twice: Node 20's
    // recursive fs.watch reported the first and then nothing more for that file.
    for (const content of [withGiftWrap, original]) {
      const temporary = join(dir, 'specs/.orders.asyncapi.yaml.swp');
      await writeFile(temporary, content);
      await rename(temporary, asyncapi);
      let run = await nextRun();
      // The temporary file may be reported on its own first: wait for the run the spec triggers.
      while (run.trigger !== 'specs/orders.asyncapi.yaml') run = await nextRun();
      expect(run.ok).toBe(true);
      const models = await readFile(join(dir, 'generated/events/models.ts'), 'utf8');
      expect(models.includes('giftWrap?: boolean')).toBe(content === withGiftWrap);
    }

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
