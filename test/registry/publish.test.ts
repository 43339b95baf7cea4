import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProject, RegistryCommandError } from '../../generator/registry/project.js';
import { diff, publish } from '../../generator/registry/registry.js';
import { readStore, subjectFileName } from '../../generator/registry/store.js';
import { type SpecShape, setSpec, subject, thingProject } from './fixture.js';

const base: SpecShape = { properties: { id: '{type: string}', count: '{type: integer}' }, required: ['id'] };
const storeFile = (dir: string) => join(dir, 'specs', 'registry', subjectFileName(subject));

async function publishIn(dir: string, dryRun = false) {
  return publish(await openProject(dir), { dryRun });
}

async function versions(dir: string): Promise<number[]> {
  const store = await readStore(dir, join(dir, 'specs', 'registry'));
  return store.find((s) => s.subject === subject)?.versions.map((v) => v.version) ?? [];
}

describe('registry publish', () => {
  it('publishes the first version with hash, spec version, commit and time; then is a no-op', async () => {
    const dir = await thingProject(base);
    const dry = await publishIn(dir, true);
    expect(dry.subjects).toMatchObject([{ subject, status: 'new', version: 1, mode: 'full' }]);
    expect(await versions(dir)).toEqual([]);
    const first = await publishIn(dir);
    expect(first.ok).toBe(true);
    expect(first.written).toEqual([`specs/registry/${subject}.json`]);
    const stored = JSON.parse(await readFile(storeFile(dir), 'utf8'));
    expect(stored.mode).toBe('full');
    expect(stored.versions[0]).toMatchObject({
      version: 1,
      specVersion: '1.0.0',
      contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // The whole detail, self-contained: metadata/data/schemaVersion and the payload definition.
    expect(Object.keys(stored.versions[0].schema.properties)).toEqual([
      'data',
      'eventId',
      'metadata',
      'schemaVersion',
    ]);
    expect(stored.versions[0].schema.definitions.ThingPayload.required).toEqual(['id']);
    const before = await readFile(storeFile(dir), 'utf8');
    const again = await publishIn(dir);
    expect(again.subjects).toMatchObject([{ status: 'unchanged', version: 1 }]);
    expect(again.written).toEqual([]);
    expect(await readFile(storeFile(dir), 'utf8')).toBe(before);
  });

  it('normalized content: key order, formatting and the order of required are not a change', async () => {
    const dir = await thingProject({ ...base, required: ['id', 'count'] });
    await publishIn(dir);
    await setSpec(dir, {
      properties: { count: '{ type:   integer }', id: '{"type": "string"}' },
      required: ['count', 'id'],
    });
    const r = await publishIn(dir);
    expect(r.subjects).toMatchObject([{ status: 'unchanged', version: 1 }]);
    // The spec's (unused by validation) metadata version is no schema change either.
    await setSpec(dir, {
      properties: { count: '{type: integer}', id: '{type: string}' },
      required: ['id', 'count'],
      version: '1.0.1',
    });
    expect((await publishIn(dir)).subjects[0]?.status).toBe('unchanged');
  });

  it('appends a version for a compatible change (forward: a new optional property on an open object)', async () => {
    const dir = await thingProject({ ...base, closed: false, mode: 'forward' });
    await publishIn(dir);
    await setSpec(dir, {
      ...base,
      closed: false,
      mode: 'forward',
      properties: { ...base.properties, note: '{type: string}' },
    });
    const r = await publishIn(dir);
    expect(r.ok).toBe(true);
    expect(r.subjects).toMatchObject([{ status: 'changed', version: 2, checkedAgainst: [1] }]);
    expect(await versions(dir)).toEqual([1, 2]);
    const d = await diff(await openProject(dir), subject, 1, 2);
    expect(d.findings.map((f) => [f.ruleId, f.level])).toEqual([['property-added-open-object', 'info']]);
  });

  // Each mode refuses the change that breaks the reader it protects, and accepts the one that does not.
  const cases: { mode: string; refused: SpecShape; accepted: SpecShape }[] = [
    {
      mode: 'backward', // new reads old: a new required property breaks, removing a constraint does not
      refused: { ...base, required: ['id', 'count'] },
      accepted: { ...base, properties: { id: '{type: string}', count: '{type: number}' } },
    },
    {
      mode: 'forward', // old reads new: widening breaks, narrowing does not
      refused: { ...base, properties: { id: '{type: string}', count: '{type: number}' } },
      accepted: { ...base, required: ['id', 'count'] },
    },
    {
      mode: 'full', // both: either breaks; a description does not
      refused: { ...base, required: ['id', 'count'] },
      accepted: {
        ...base,
        properties: { id: '{type: string, description: The id}', count: '{type: integer}' },
      },
    },
  ];
  for (const c of cases) {
    for (const mode of [c.mode, `${c.mode}-transitive`]) {
      it(`${mode}: refuses an incompatible change with the findings, changing nothing; accepts a compatible one`, async () => {
        const dir = await thingProject({ ...base, mode });
        await publishIn(dir);
        const before = await readFile(storeFile(dir), 'utf8');
        await setSpec(dir, { ...c.refused, mode });
        const refused = await publishIn(dir);
        expect(refused.ok).toBe(false);
        expect(refused.subjects[0]?.status).toBe('refused');
        expect(refused.subjects[0]?.findings.some((f) => f.level === 'error')).toBe(true);
        expect(await readFile(storeFile(dir), 'utf8')).toBe(before);
        await setSpec(dir, { ...c.accepted, mode });
        const accepted = await publishIn(dir);
        expect(accepted.ok, JSON.stringify(accepted.subjects[0]?.findings)).toBe(true);
        expect(await versions(dir)).toEqual([1, 2]);
      });
    }
  }

  it('none: publishes anything', async () => {
    const dir = await thingProject({ ...base, mode: 'none' });
    await publishIn(dir);
    await setSpec(dir, { properties: { id: '{type: integer}' }, required: ['id'], mode: 'none' });
    expect((await publishIn(dir)).ok).toBe(true);
    expect(await versions(dir)).toEqual([1, 2]);
  });

  it('transitive: refuses a change that conflicts only with an older version', async () => {
    // v1 count: integer; v2 drops count (open object: backward-compatible); v3 brings count back as a
    // string — compatible with v2 (it never had count… but closed? no: open), incompatible with v1.
    const open = { closed: false } as const;
    const v1: SpecShape = {
      ...open,
      properties: { id: '{type: string}', count: '{type: integer}' },
      required: ['id'],
    };
    const v2: SpecShape = { ...open, properties: { id: '{type: string}' }, required: ['id'] };
    const v3: SpecShape = {
      ...open,
      properties: { id: '{type: string}', count: '{type: string}' },
      required: ['id'],
    };
    for (const [mode, expectRefused] of [
      ['forward', false],
      ['forward-transitive', true],
    ] as const) {
      const dir = await thingProject({ ...v1, mode });
      await publishIn(dir);
      await setSpec(dir, { ...v2, mode });
      expect((await publishIn(dir)).ok).toBe(true);
      await setSpec(dir, { ...v3, mode });
      const r = await publishIn(dir);
      expect(r.ok, mode).toBe(!expectRefused);
      if (expectRefused) {
        expect(r.subjects[0]?.checkedAgainst).toEqual([2, 1]);
        const errors = r.subjects[0]?.findings.filter((f) => f.level === 'error') ?? [];
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.every((f) => f.against === 'v1')).toBe(true);
        expect(await versions(dir)).toEqual([1, 2]);
      } else expect(await versions(dir)).toEqual([1, 2, 3]);
    }
  });
});

describe('registry tamper detection', () => {
  it('refuses an edited schema, an edited record and a removed version, located in the file', async () => {
    const dir = await thingProject(base);
    await publishIn(dir);
    await setSpec(dir, {
      ...base,
      properties: { ...base.properties, note: '{type: string, description: x}' },
      mode: 'none',
    });
    await publishIn(dir);
    const original = await readFile(storeFile(dir), 'utf8');
    const tamper = async (change: (s: { versions: Record<string, unknown>[] }) => void) => {
      const s = JSON.parse(original);
      change(s);
      await writeFile(storeFile(dir), JSON.stringify(s, null, 2));
      const error = await publishIn(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryCommandError);
      return (error as RegistryCommandError).diagnostics;
    };
    const schemaEdit = await tamper((s) => {
      (s.versions[0]?.schema as { title: string }).title = 'edited';
    });
    expect(schemaEdit).toMatchObject([
      { code: 'registry-tampered', file: `specs/registry/${subject}.json`, pointer: '/versions/0/schema' },
    ]);
    expect(schemaEdit[0]?.position.line).toBeGreaterThan(1);
    const recordEdit = await tamper((s) => {
      (s.versions[1] as { commit: string }).commit = 'deadbeef';
    });
    expect(recordEdit).toMatchObject([{ code: 'registry-tampered', pointer: '/versions/1' }]);
    const removed = await tamper((s) => {
      s.versions.splice(0, 1);
    });
    expect(removed[0]?.code).toBe('registry-malformed');
    // Formatting alone is not tampering.
    await writeFile(storeFile(dir), JSON.stringify(JSON.parse(original)));
    expect(await versions(dir)).toEqual([1, 2]);
  });
});

describe('registry lock', () => {
  it('takes over a stale lock (its process is gone) and refuses a live one after the timeout', async () => {
    const { hostname } = await import('node:os');
    const { mkdir } = await import('node:fs/promises');
    const dir = await thingProject(base);
    const lock = join(dir, 'specs', 'registry', '.lock');
    await mkdir(join(dir, 'specs', 'registry'), { recursive: true });
    await writeFile(
      lock,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: '2020-01-01T00:00:00Z' }),
    );
    expect((await publishIn(dir)).ok).toBe(true);
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
    );
    await setSpec(dir, { ...base, mode: 'none', properties: { id: '{type: integer}' } });
    const error = await publish(await openProject(dir), { lockTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryCommandError);
    expect((error as RegistryCommandError).failure).toBe('locked');
    expect(await versions(dir)).toEqual([1]);
  });
});
