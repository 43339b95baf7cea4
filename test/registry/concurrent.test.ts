import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStore } from '../../generator/registry/store.js';
import { runCli } from '../helpers/project.js';
import { type SpecShape, subject, thingProject } from './fixture.js';

const shape = (extra: Record<string, string>): SpecShape => ({
  properties: { id: '{type: string}', ...extra },
  required: ['id'],
  mode: 'none',
});

describe('concurrent publishes', () => {
  it('two processes publishing into one store at once: distinct consecutive versions (or a clean refusal), a valid store', async () => {
    const store = await mkdtemp(join(tmpdir(), 'evtgen-store-'));
    const first = await thingProject(shape({}));
    expect((await runCli(['registry', 'publish', '--store', store], first)).code).toBe(0);
    // Two projects with different changes of the same subject, sharing the store.
    const a = await thingProject(shape({ fromA: '{type: string}' }));
    const b = await thingProject(shape({ fromB: '{type: integer}' }));
    for (let round = 0; round < 3; round++) {
      const [ra, rb] = await Promise.all([
        runCli(['registry', 'publish', '--store', store, '--json'], a),
        runCli(['registry', 'publish', '--store', store, '--json'], b),
      ]);
      for (const r of [ra, rb]) {
        // Success, or a clean refusal naming the lock: never a crash or a half-written store.
        if (r.code !== 0) expect(r.stderr).toMatch(/locked by another publish/);
      }
      const versions = (await readStore(store, store)).find((s) => s.subject === subject)?.versions ?? [];
      // Numbered 1, 2, 3 … with no gap or reuse; no two consecutive versions hold the same content.
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
      for (let i = 1; i < versions.length; i++)
        expect(versions[i]?.contentHash).not.toBe(versions[i - 1]?.contentHash);
    }
    const versions = (await readStore(store, store))[0]?.versions ?? [];
    // v1, then at least both changes once; at most one version per publish that ran.
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(versions.length).toBeLessThanOrEqual(7);
    expect(new Set(versions.map((v) => v.contentHash)).size).toBe(3);
    expect((await readdir(store)).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 60_000);
});
