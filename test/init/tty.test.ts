/**
 * `evtgen init` on a terminal: it asks, re-asks after an invalid answer, takes the defaults on
 * Enter, and shows progress. The terminal is a real pseudo-terminal from util-linux `script`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from '../helpers/project.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
// CI must run this test: there a missing `script` is a failure, not a skip.
const runIt = hasScript || process.env.CI === 'true' ? it : it.skip;

/** Runs `evtgen init` under a pseudo-terminal, typing `answers` one at a time once each prompt shows. */
function initOnTerminal(cwd: string, answers: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const command = `${process.execPath} ${join(repoRoot, 'bin', 'run.js')} init svc`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, TERM: 'xterm' },
    });
    let output = '';
    let prompts = 0;
    const pending = [...answers];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Each prompt ends in "): "; answer the next one as it appears.
      const seen = output.split('): ').length - 1;
      while (prompts < seen && pending.length > 0) {
        prompts += 1;
        child.stdin.write(`${pending.shift()}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`exit ${code}:\n${output}`)),
    );
  });
}

describe('evtgen init on a terminal', () => {
  runIt('asks for the name and source, re-asks after an invalid name, and shows progress', async () => {
    const dir = await tempProject();
    const output = (await initOnTerminal(dir, ['Bad_Name', 'shop-orders', ''])).replace(/\r/g, '');

    expect(output).toContain('Service name for svc/ (svc): ');
    expect(output).toContain('"Bad_Name" is not a service name');
    expect(output).toContain('EventBridge source of its events (com.example.shop-orders): ');
    expect(output).toMatch(/Scaffolding shop-orders\.\.\. .*done/s);
    expect((await readdir(join(dir, 'svc', 'specs'))).sort()).toEqual([
      'shop-orders.asyncapi.yaml',
      'shop-orders.openapi.yaml',
    ]);
    expect(await readFile(join(dir, 'svc', 'specs', 'shop-orders.asyncapi.yaml'), 'utf8')).toContain(
      'source: com.example.shop-orders',
    );
  });
});
