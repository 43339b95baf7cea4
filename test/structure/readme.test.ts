// The README's promise to a new user: exactly two commands set up a fresh machine — one runs the
// main job, one runs the tests — and CI (.ci/run, on a fresh clone) runs exactly those two.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const ciRun = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');

/** The commands of the first fenced block under a heading (comments and blank lines dropped). */
function commandsUnder(heading: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(heading));
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

describe('the README as a front door', () => {
  it('shows exactly two set-up commands: the main job and the tests', () => {
    expect(commandsUnder('Two commands on a fresh machine')).toEqual([
      'npm ci && npx evtgen generate',
      'npm test',
    ]);
  });

  it('is one CI runs: .ci/run runs both commands as written', () => {
    const lines = ciRun.split('\n').map((line) => line.trim());
    expect(lines).toContain('npm ci --no-audit --no-fund && npx evtgen generate');
    expect(lines).toContain('npm test');
    expect(ciRun).toMatch(/git diff --exit-code -- generated\//);
  });

  it('stays short: under 250 lines, the rest in docs/', () => {
    expect(readme.split('\n').length).toBeLessThan(250);
  });

  it('lists every command and every registry subcommand at a glance', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { hidden?: boolean }>;
    };
    const glance = readme.slice(
      readme.indexOf('## Commands at a glance'),
      readme.indexOf('## What a generated'),
    );
    const missing = Object.entries(manifest.commands)
      .filter(([, command]) => !command.hidden)
      .map(([id]) => id.split(':'))
      .filter((words) => {
        const last = words[words.length - 1] as string;
        const head = `evtgen ${words.slice(0, -1).join(' ')}`.trim();
        // `evtgen registry list` / `show` / `diff` lists several verbs of one topic in one row.
        return (
          !glance.includes(`evtgen ${words.join(' ')}`) && !new RegExp(`${head}[^|]*\`${last}\``).test(glance)
        );
      })
      .map((words) => words.join(' '));
    expect(missing).toEqual([]);
  });
});
