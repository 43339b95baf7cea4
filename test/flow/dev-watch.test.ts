/**
 * `evtgen dev` reloads on edits without restarting the emulator: a handler edit (saved the way
 * editors do, by renaming a temporary file over it) rebuilds and restarts the function; a spec
 * edit regenerates, synthesizes and provisions again, and the functions get the new environment
 * (`SERVICE_VERSION` comes from the AsyncAPI document's `info.version` through the CDK constructs). A spec with
 * an error is reported and the previous version keeps serving. Real CLI, real moto.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStatus } from '../../generator/dev/dev-status.js';
import { type DevProcess, exampleAppProject, startDevProcess } from '../helpers/dev-process.js';

let dev: DevProcess;

beforeAll(async () => {
  dev = await startDevProcess(await exampleAppProject('dev-watch-'));
}, 300_000);

afterAll(async () => {
  if (!dev) return;
  expect(await dev.stop()).toBe(0);
  await rm(dev.dir, { recursive: true, force: true });
});

async function health(): Promise<{ status: string; version: string }> {
  const response = await fetch(`${dev.state.http}/health`);
  return (await response.json()) as { status: string; version: string };
}

async function reloads(): Promise<number> {
  return ((await (await fetch(dev.state.status)).json()) as DevStatus).reloads;
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}\n${dev.lines.slice(-20).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Writes `content` the way many editors save: a temporary file renamed over the original. */
async function atomicSave(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp-save`, content);
  await rename(`${path}.tmp-save`, path);
}

describe('evtgen dev --watch', () => {
  it('a handler edit (atomic save) reloads the function', async () => {
    expect(await health()).toEqual({ status: 'ok', version: '1.0.0' });
    const file = join(dev.dir, 'app/handlers/http/get-health.ts');
    const source = await readFile(file, 'utf8');
    const edited = source.replace(
      "version: process.env.SERVICE_VERSION ?? '1.0.0'",
      "version: (process.env.SERVICE_VERSION ?? '1.0.0') + '+edited'",
    );
    expect(edited).not.toBe(source);
    const before = await reloads();
    await atomicSave(file, edited);
    await until('the edited handler', async () =>
      (await health()).version === '1.0.0+edited' ? true : undefined,
    );
    expect(await reloads()).toBeGreaterThan(before);
    // A second save of the same file is seen too (the watcher followed the rename).
    await atomicSave(file, source);
    await until('the original handler', async () =>
      (await health()).version === '1.0.0' ? true : undefined,
    );
  });

  it('a spec edit regenerates and re-provisions; a broken spec keeps the previous version serving', async () => {
    const spec = join(dev.dir, 'specs/orders.asyncapi.yaml');
    const original = await readFile(spec, 'utf8');
    const bumped = original.replace(/^( {2}version: )1\.0\.0$/m, '$11.1.0');
    expect(bumped).not.toBe(original);
    await writeFile(spec, bumped);
    await until('the new version', async () => ((await health()).version === '1.1.0' ? true : undefined));
    expect(await readFile(join(dev.dir, 'generated/cdk/contract.ts'), 'utf8')).toContain('"1.1.0"');

    const lines = dev.lines.length;
    await writeFile(spec, bumped.replace('asyncapi: 3.0.0', 'asyncapi: 3.0.0\nbroken: ['));
    await until('the reported spec error', async () =>
      dev.lines.slice(lines).some((l) => l.includes('yaml') || l.includes('nothing was regenerated'))
        ? true
        : undefined,
    );
    expect(await health()).toEqual({ status: 'ok', version: '1.1.0' });
    await writeFile(spec, original);
    await until('the original version', async () =>
      (await health()).version === '1.0.0' ? true : undefined,
    );
  });
});
