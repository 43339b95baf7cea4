import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { repoRoot, snapshotTree, tempProject } from '../helpers/project.js';

/**
 * Golden files: each case under test/golden/<case>/ holds input specs and the expected output in
 * expected/ (type-checked by `npm run typecheck`). The example service's expected output is the
 * committed generated/ itself. Refresh after an intended change with `npm run test:update`
 * (vitest -u rewrites the files).
 */
const goldenRoot = join(repoRoot, 'test', 'golden');

async function generatedTree(specsDir: string): Promise<Record<string, string>> {
  const dir = await tempProject();
  await cp(specsDir, join(dir, 'specs'), { recursive: true });
  const result = await generate(dir, { mode: 'write', force: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return snapshotTree(join(dir, 'generated'));
}

async function expectTreeMatches(actual: Record<string, string>, expectedDir: string): Promise<void> {
  const expectedFiles = Object.keys(await snapshotTree(expectedDir)).sort();
  // A file that is expected but no longer generated is a failure too (unless updating).
  if (!process.env.UPDATE_GOLDEN) {
    expect(Object.keys(actual).sort()).toEqual(expectedFiles);
  }
  for (const [path, content] of Object.entries(actual)) {
    await expect(content).toMatchFileSnapshot(join(expectedDir, path));
  }
}

const cases = (await readdir(goldenRoot, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe('golden output', () => {
  it('the example service matches the committed generated/', async () => {
    await expectTreeMatches(await generatedTree(join(repoRoot, 'specs')), join(repoRoot, 'generated'));
  });

  it.each(cases)('%s', async (name) => {
    await expectTreeMatches(
      await generatedTree(join(goldenRoot, name, 'specs')),
      join(goldenRoot, name, 'expected'),
    );
  });
});
