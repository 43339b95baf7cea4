import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, runCli } from '../helpers/project.js';

// `evtgen docs --bindings DIR`: the site carries a copy of the bindings and every event of the
// index links to its bindings in each language built; a folder without bindings is a usage error.
let project = '';

beforeAll(async () => {
  project = await exampleProject();
  const built = await runCli(
    ['bindings', '--lang', 'python', '--lang', 'java', '--out', 'bindings'],
    project,
  );
  expect(built.code, built.stderr).toBe(0);
});

describe('evtgen docs --bindings', () => {
  it('copies the bindings into the site and links each event to its files', async () => {
    const result = await runCli(['docs', '--bindings', 'bindings', '--out', 'site'], project);
    expect(result.code, result.stderr).toBe(0);
    const index = await readFile(join(project, 'site', 'index.html'), 'utf8');
    expect(index).toContain('<th>Bindings</th>');
    const links = [...index.matchAll(/<a data-role="bindings" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [
      m[2],
      m[1],
    ]);
    expect(links).toContainEqual(['python v2', 'bindings/python/evtgen_bindings/order_placed_v2.py']);
    expect(links).toContainEqual([
      'java v3',
      'bindings/java/evtgen/bindings/ordershipped/v3/OrderShippedEnvelope.java',
    ]);
    expect(links).toHaveLength(6);
    for (const [, href] of links) expect(existsSync(join(project, 'site', href ?? 'missing'))).toBe(true);
    expect(existsSync(join(project, 'site', 'bindings', 'python', 'bindings.json'))).toBe(true);
  });

  it('refuses a folder without bindings (exit 2) and builds nothing', async () => {
    const result = await runCli(['docs', '--bindings', 'nowhere', '--out', 'other-site'], project);
    expect(result.stderr).toMatch(/nowhere holds no bindings \(no <language>\/bindings\.json\)/);
    expect(result.stderr).toMatch(/evtgen bindings --lang python --out nowhere/);
    expect(result.code).toBe(2);
    expect(existsSync(join(project, 'other-site'))).toBe(false);
  });
});
