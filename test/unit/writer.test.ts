import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestFileName } from '../../generator/write/manifest.js';
import { applyWrite, pendingChanges, planWrite } from '../../generator/write/writer.js';
import { snapshotTree, tempProject } from '../helpers/project.js';

const files = (entries: Record<string, string>) =>
  Object.entries(entries).map(([path, content]) => ({ path, content }));

describe('writer', () => {
  it('writes every file and a manifest on the first run', async () => {
    const out = join(await tempProject(), 'generated');
    const plan = await planWrite(out, files({ 'a.ts': 'A\n', 'sub/b.ts': 'B\n' }));
    expect(pendingChanges(plan).map((f) => [f.path, f.change])).toEqual([
      [manifestFileName, 'added'],
      ['a.ts', 'added'],
      ['sub/b.ts', 'added'],
    ]);
    await applyWrite(plan);
    const tree = await snapshotTree(out);
    expect(tree['a.ts']).toBe('A\n');
    expect(tree['sub/b.ts']).toBe('B\n');
    expect(JSON.parse(tree[manifestFileName] ?? '{}').files).toHaveProperty('sub/b.ts');
  });

  it('rewrites only files whose content changed', async () => {
    const out = join(await tempProject(), 'generated');
    await applyWrite(await planWrite(out, files({ 'a.ts': 'A\n', 'b.ts': 'B\n' })));
    const before = await stat(join(out, 'a.ts'));
    await new Promise((r) => setTimeout(r, 20));
    const plan = await planWrite(out, files({ 'a.ts': 'A\n', 'b.ts': 'B2\n' }));
    expect(pendingChanges(plan).map((f) => f.path)).toEqual([manifestFileName, 'b.ts']);
    await applyWrite(plan);
    expect((await stat(join(out, 'a.ts'))).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(out, 'b.ts'), 'utf8')).toBe('B2\n');
  });

  it('deletes files it no longer generates, and never files it did not write', async () => {
    const out = join(await tempProject(), 'generated');
    await applyWrite(await planWrite(out, files({ 'a.ts': 'A\n', 'old/gone.ts': 'G\n' })));
    await writeFile(join(out, 'users-note.md'), 'mine\n');
    const plan = await planWrite(out, files({ 'a.ts': 'A\n' }));
    expect(pendingChanges(plan).map((f) => [f.path, f.change])).toEqual([
      [manifestFileName, 'changed'],
      ['old/gone.ts', 'removed'],
    ]);
    await applyWrite(plan);
    const tree = await snapshotTree(out);
    expect(Object.keys(tree).sort()).toEqual([manifestFileName, 'a.ts', 'users-note.md']);
  });

  it('leaves the old tree intact when a write fails', async () => {
    const out = join(await tempProject(), 'generated');
    await applyWrite(await planWrite(out, files({ 'a.ts': 'A\n', 'b.ts': 'B\n' })));
    const before = await snapshotTree(out);
    // 'a.ts' is a file, so 'a.ts/x' cannot be staged: the write fails after 'a.ts' was staged.
    const plan = await planWrite(out, files({ 'a.ts': 'A2\n', 'a.ts/x': 'X\n', 'c.ts': 'C\n' }));
    expect(pendingChanges(plan).length).toBeGreaterThan(2);
    await expect(applyWrite(plan)).rejects.toThrow();
    expect(await snapshotTree(out)).toEqual(before);
    const siblings = await readdir(dirname(out));
    expect(siblings.filter((name) => name.startsWith('.evtgen-staging'))).toEqual([]);
  });

  it('writes many files at once, and a failure among them still leaves the old tree and no staging folder', async () => {
    const out = join(await tempProject(), 'generated');
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 7}/f${i}.ts`, `${i}\n`]));
    await applyWrite(await planWrite(out, files(many)));
    const written = await snapshotTree(out);
    expect(Object.keys(written).length).toBe(301);
    expect(written['d3/f150.ts']).toBe('150\n');
    expect(Object.keys(JSON.parse(written[manifestFileName] ?? '{}').files).length).toBe(300);
    // 'd0/f0.ts/x' cannot be staged once 'd0/f0.ts' is: the failure comes while other writes are in flight.
    const changed = {
      ...Object.fromEntries(Object.keys(many).map((p) => [p, 'new\n'])),
      'd0/f0.ts/x': 'X\n',
    };
    await expect(applyWrite(await planWrite(out, files(changed)))).rejects.toThrow();
    expect(await snapshotTree(out)).toEqual(written);
    const siblings = await readdir(dirname(out));
    expect(siblings.filter((name) => name.startsWith('.evtgen-staging'))).toEqual([]);
  });
});
