import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { snapshotTree, tempProject } from '../helpers/project.js';

const spec = `asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  shop:
    address: shop
    messages:
      UserSignedUp: {$ref: '#/components/messages/UserSignedUp'}
operations:
  publishUserSignedUp:
    action: send
    channel: {$ref: '#/channels/shop'}
components:
  messages:
    UserSignedUp:
      headers:
        type: object
        required: [correlationId]
        properties:
          correlationId: {type: string, format: uuid}
      payload:
        type: object
        additionalProperties: false
        required: [userId, email, at]
        properties:
          userId: {type: string, format: uuid}
          email: {type: string, format: email}
          at: {type: string, format: date-time}
          plan: {type: string, enum: [free, pro]}
`;

type Compiled = Record<string, ((value: unknown) => boolean) & { errors?: unknown[] | null }>;

async function generated() {
  const dir = await tempProject({ 'specs/shop.asyncapi.yaml': spec });
  const result = await generate(dir, { mode: 'write', force: true });
  expect(result.ok).toBe(true);
  return dir;
}

const valid = {
  userId: '0b6b9a52-3c55-4f43-9b7e-7d2bd0c4a1f1',
  email: 'ada@example.com',
  at: '2026-11-26T10:00:00Z',
  plan: 'pro',
};

describe('precompiled validators', () => {
  it('are standalone ES modules: importable with no node_modules in reach', async () => {
    const dir = await generated();
    // compiled.js re-exports each validator from its module in compiled/ (validator-modules.ts).
    const validators = join(dir, 'generated/validators');
    const modules = (await readdir(join(validators, 'compiled'))).map((file) => `compiled/${file}`);
    expect(modules.length).toBeGreaterThan(1);
    for (const file of ['compiled.js', ...modules]) {
      const code = await readFile(join(validators, file), 'utf8');
      expect(code).not.toMatch(/\brequire\(/);
      expect(code).not.toMatch(/from ['"]ajv/);
    }
    // Copy into a folder with no node_modules anywhere above it, then import.
    const isolated = join(tmpdir(), `evtgen-isolated-${process.pid}-${Date.now()}`);
    await mkdir(isolated, { recursive: true });
    await cp(validators, isolated, { recursive: true });
    const compiled = (await import(pathToFileURL(join(isolated, 'compiled.js')).href)) as Compiled;
    expect(compiled.UserSignedUp?.(valid)).toBe(true);
  });

  it('assert formats, enums and closed objects, reporting JSON pointers', async () => {
    const dir = await generated();
    const events = (await import(pathToFileURL(join(dir, 'generated/validators/events.ts')).href)) as {
      validateUserSignedUp: (v: unknown) => {
        valid: boolean;
        issues?: { pointer: string; keyword: string }[];
      };
      isUserSignedUp: (v: unknown) => boolean;
      validateUserSignedUpDetail: (v: unknown) => {
        valid: boolean;
        issues?: { pointer: string; keyword: string }[];
      };
    };
    expect(events.isUserSignedUp(valid)).toBe(true);
    const bad = events.validateUserSignedUp({
      userId: 'not-a-uuid',
      email: 'nope',
      at: 'yesterday',
      plan: 'gold',
      extra: 1,
    });
    expect(bad.valid).toBe(false);
    const found = (bad.issues ?? []).map((i) => `${i.pointer} ${i.keyword}`).sort();
    expect(found).toEqual([
      '/at format',
      '/email format',
      '/extra additionalProperties',
      '/plan enum',
      '/userId format',
    ]);
    const missing = events.validateUserSignedUp({ email: valid.email, at: valid.at });
    expect((missing.issues ?? []).map((i) => i.pointer)).toEqual(['/userId']);
    const detail = events.validateUserSignedUpDetail({
      metadata: { correlationId: 'x' },
      data: { ...valid, plan: 'gold' },
    });
    expect((detail.issues ?? []).map((i) => i.pointer).sort()).toEqual([
      '/data/plan',
      '/metadata/correlationId',
    ]);
  });

  it('are deterministic: two projects from the same specs get the same bytes, with no local paths', async () => {
    const [a, b] = await Promise.all([generated(), generated()]);
    const treeA = await snapshotTree(join(a, 'generated'));
    const treeB = await snapshotTree(join(b, 'generated'));
    expect(treeA).toEqual(treeB);
    for (const content of Object.values(treeA)) {
      expect(content).not.toContain(a);
      expect(content).not.toContain(tmpdir());
      expect(content).not.toContain('node_modules');
    }
  });

  it('a re-run with nothing changed writes nothing and reports up to date', async () => {
    const dir = await generated();
    const before = await snapshotTree(join(dir, 'generated'));
    const rerun = await generate(dir, { mode: 'write', force: true });
    expect(rerun.upToDate).toBe(true);
    expect(rerun.files.filter((f) => f.change !== 'unchanged')).toEqual([]);
    expect(await snapshotTree(join(dir, 'generated'))).toEqual(before);
  });
});
