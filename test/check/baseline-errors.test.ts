import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/project.js';

/**
 * A git baseline that cannot exist is explained, with what to pass instead, and exits 2 (a usage
 * error) — never git's raw `fatal: not a git repository`.
 */
const spec = `openapi: 3.1.0
info: {title: Pets, version: '1'}
security: []
paths:
  /pets:
    get:
      operationId: listPets
      responses: {'204': {description: ok}}
`;

describe('check without a usable git baseline', () => {
  it('outside a git repository: says so and names the alternatives', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': spec });
    const result = await runCli(['check'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `${dir} is not inside a git repository, so there is no git baseline to compare against: run evtgen check in a git repository, or pass --against <dir> (a folder holding the older spec files) or --against registry.`,
    );
    expect(result.stderr).not.toContain('fatal:');
  });

  it('outside a git repository with a git ref: neither a folder nor a revision', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': spec });
    const result = await runCli(['check', '--against', 'v1.0'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `--against v1.0 is not a folder, and ${dir} is not inside a git repository, so there is no git baseline to compare against: run evtgen check in a git repository, or pass --against <dir> (a folder holding the older spec files) or --against registry.`,
    );
  });

  it('in a repository, a baseline revision that does not exist', async () => {
    const dir = await tempProject({ 'specs/pets.openapi.yaml': spec });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
        cwd: dir,
        stdio: 'pipe',
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'specs');
    const result = await runCli(['check', '--against', 'v9.9'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      '--against v9.9: not a folder, and git knows no revision of that name.',
    );
  });
});
