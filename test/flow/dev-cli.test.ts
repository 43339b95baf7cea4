/**
 * `evtgen dev` refuses what it cannot run, with a message that says what to do, and starts nothing:
 * moto missing (the install command), malformed flags (exit 2), a failure injection naming no
 * function of the service (exit 2, the service's functions listed, the emulator it started gone).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleAppProject } from '../helpers/dev-process.js';
import { repoRoot } from '../helpers/project.js';

let dir: string;

beforeAll(async () => {
  dir = await exampleAppProject('dev-cli-');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function dev(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'dev', '--no-watch', '--port', '0', ...args],
      { cwd: dir, env: { ...env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('evtgen dev refuses what it cannot run', () => {
  it('without moto_server (and no --endpoint): exit 1 with the install command', async () => {
    // Only node's own folder on PATH: moto_server cannot be found.
    const result = await dev([], { ...process.env, PATH: dirname(process.execPath) });
    expect(result.code).toBe(1);
    expect(result.output).toContain("pip install 'moto[server]'");
    expect(result.output).toContain('--endpoint');
  });

  it('malformed flags: exit 2 saying what was expected', async () => {
    const delay = await dev(['--retry-delay', 'soon']);
    expect(delay.code).toBe(2);
    expect(delay.output).toContain('expected whole seconds');
    const injection = await dev(['--inject-failure', 'fulfilment=30%']);
    expect(injection.code).toBe(2);
    expect(injection.output).toContain('NAME=RATE');
  });

  it('a failure injection for a function the service does not have: exit 2 listing its functions', async () => {
    const result = await dev(['--inject-failure', 'shipping=0.5']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('shipping');
    expect(result.output).toMatch(/fulfilment/);
    expect(result.output).toMatch(/createOrder/);
  });
});
