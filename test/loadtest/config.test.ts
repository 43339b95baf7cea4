/**
 * The scenario file of `evtgen load` and what a run resolves to: real broken files give located
 * diagnostics; without a file the architecture's defaults apply; flags beat the file, which beats
 * the defaults.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLoadConfig } from '../../generator/loadtest/config.js';
import { parseDuration } from '../../generator/loadtest/duration.js';
import { resolveScenario } from '../../generator/loadtest/scenario.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'loadtest', 'config');
const contract = {
  consumers: ['audit', 'fulfilment', 'notifications'],
  queueConsumers: ['fulfilment', 'notifications'],
};

async function diagnosticsOf(file: string) {
  const result = await readLoadConfig(fixtures, file);
  expect(result.config).toBeUndefined();
  return result.diagnostics.map((d) => ({
    at: `${d.file}:${d.position.line}:${d.position.column}`,
    pointer: d.pointer,
    message: d.message,
  }));
}

describe('parseDuration', () => {
  it('reads units and plain seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(45)).toBe(45_000);
    expect(parseDuration('45')).toBe(45_000);
  });

  it('refuses what it cannot read, saying what it accepts', () => {
    expect(() => parseDuration('10x', '--duration')).toThrow(
      'Invalid --duration "10x": expected a number of seconds or a number with a unit, e.g. 500ms, 30s, 2m, 1h.',
    );
    expect(() => parseDuration(-1)).toThrow(/Invalid duration -1/);
    expect(() => parseDuration('')).toThrow(/Invalid duration ""/);
  });
});

describe('readLoadConfig', () => {
  it('reports wrong types where they are written', async () => {
    expect(await diagnosticsOf('wrong-type.json')).toEqual([
      { at: 'wrong-type.json:2:3', pointer: '/rate', message: 'Invalid rate "fast": must be number.' },
      {
        at: 'wrong-type.json:3:3',
        pointer: '/maxRequests',
        message: 'Invalid maxRequests 1.5: must be integer.',
      },
      {
        at: 'wrong-type.json:5:23',
        pointer: '/routes/POST ~1orders/weight',
        message: 'Invalid routes["POST /orders"].weight -1: must be >= 0.',
      },
    ]);
  });

  it('reports unknown keys at the key, with the known ones', async () => {
    expect(await diagnosticsOf('unknown-property.json')).toEqual([
      {
        at: 'unknown-property.json:3:30',
        pointer: '/phases/baseline/speed',
        message: 'Invalid phases.baseline.speed: unknown key (known: "rate", "duration").',
      },
      {
        at: 'unknown-property.json:4:5',
        pointer: '/phases/chaos',
        message: 'Invalid phases.chaos: unknown key (known: "baseline", "ramp", "soak", "faults").',
      },
    ]);
  });

  it('reports durations it cannot read, in YAML too', async () => {
    const found = await diagnosticsOf('bad-duration.yaml');
    expect(found.map((d) => `${d.at} ${d.pointer}`)).toEqual([
      'bad-duration.yaml:2:1 /duration',
      'bad-duration.yaml:6:5 /phases/soak/duration',
    ]);
    expect(found[0]?.message).toBe(
      'Invalid duration "30 seconds": expected a duration: a number of seconds, or a string with a unit: "500ms", "30s", "2m", "1h".',
    );
  });

  it('reports route keys that are not `METHOD /path` and malformed header names', async () => {
    const found = await diagnosticsOf('bad-route.json');
    expect(found.map((d) => `${d.at} ${d.pointer}`)).toEqual([
      'bad-route.json:3:5 /routes/orders',
      'bad-route.json:5:16 /headers/Bad Header',
    ]);
    expect(found[0]?.message).toMatch(/a route key is `METHOD \/path`/);
  });

  it('reads a complete file', async () => {
    const result = await readLoadConfig(fixtures, 'full.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.phases?.faults?.poison).toBe(3);
  });

  it('needs no file, but a file asked for must exist', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'evtgen-load-config-'));
    expect(await readLoadConfig(empty)).toEqual({ config: {}, diagnostics: [] });
    const missing = await readLoadConfig(empty, 'nope.json');
    expect(missing.diagnostics[0]).toMatchObject({ code: 'file-unreadable', file: 'nope.json' });
    await writeFile(join(empty, 'evtgen.load.json'), '{ "rate": 3 ');
    const broken = await readLoadConfig(empty);
    expect(broken.diagnostics[0]).toMatchObject({ code: 'yaml-syntax', file: 'evtgen.load.json' });
  });
});

describe('resolveScenario', () => {
  it('applies the defaults without a file', () => {
    const all = resolveScenario({}, { scenario: 'all' }, contract);
    expect(all.phases).toEqual([
      { name: 'baseline', durationMs: 30_000, rate: { start: 10, end: 10 }, stopOnMiss: false },
      { name: 'ramp', durationMs: 60_000, rate: { start: 2, end: 50 }, stopOnMiss: true },
      { name: 'soak', durationMs: 600_000, rate: { start: 5, end: 5 }, stopOnMiss: false },
      {
        name: 'faults',
        durationMs: 30_000,
        rate: { start: 5, end: 5 },
        stopOnMiss: false,
        faults: {
          consumerErrors: { fulfilment: 0.05, notifications: 0.05 },
          consumerLatencyMs: {},
          aws: {},
          poison: 3,
        },
      },
    ]);
    expect(all).toMatchObject({ drainTimeoutMs: 120_000, maxRequests: 100_000, weights: {}, headers: {} });
    expect(resolveScenario({}).phases.map((p) => p.name)).toEqual(['baseline']);
  });

  it('takes the file over the defaults, a phase over the top level', async () => {
    const { config } = await readLoadConfig(fixtures, 'full.json');
    if (!config) throw new Error('full.json does not read');
    const s = resolveScenario(config, { scenario: 'all' }, contract);
    const [baseline, ramp, soak, faults] = s.phases;
    expect(baseline).toMatchObject({ durationMs: 30_000, rate: { start: 10, end: 10 } });
    expect(ramp).toMatchObject({ durationMs: 60_000, rate: { start: 5, end: 100 }, stopOnMiss: false });
    // The soak sets only its duration: the top-level rate applies.
    expect(soak).toMatchObject({ durationMs: 600_000, rate: { start: 20, end: 20 } });
    expect(faults?.faults).toEqual({
      consumerErrors: { fulfilment: 0.05 },
      consumerLatencyMs: { audit: 200 },
      aws: { dynamodb: { throttleRate: 0.05, latencyMs: 0 }, events: { throttleRate: 0.02, latencyMs: 0 } },
      poison: 3,
    });
    expect(s).toMatchObject({
      drainTimeoutMs: 60_000,
      maxRequests: 5000,
      weights: { 'POST /orders': 3, 'GET /health': 0 },
      headers: { Authorization: 'Bearer abc' },
    });
  });

  it('takes the flags over the file', async () => {
    const { config } = await readLoadConfig(fixtures, 'full.json');
    if (!config) throw new Error('full.json does not read');
    const flags = { rate: 40, duration: '5s', drainTimeout: '2m', maxRequests: 10 } as const;
    const s = resolveScenario(config, { ...flags, scenario: 'all' }, contract);
    for (const phase of s.phases) expect(phase.durationMs).toBe(5000);
    expect(s.phases.map((p) => p.rate)).toEqual([
      { start: 40, end: 40 },
      // --rate is the ramp's top rate.
      { start: 5, end: 40 },
      { start: 40, end: 40 },
      { start: 40, end: 40 },
    ]);
    expect(s).toMatchObject({ drainTimeoutMs: 120_000, maxRequests: 10 });
    // A top rate under the start rate lowers the start.
    expect(resolveScenario(config, { scenario: 'ramp', rate: 3 }).phases[0]?.rate).toEqual({
      start: 3,
      end: 3,
    });
  });

  it('refuses bad flags and consumers the contract does not have', () => {
    expect(() => resolveScenario({}, { duration: 'soon' })).toThrow(/Invalid --duration "soon"/);
    expect(() => resolveScenario({}, { rate: 0 })).toThrow(/Invalid --rate 0/);
    expect(() => resolveScenario({}, { maxRequests: 2.5 })).toThrow(/Invalid --max-requests 2.5/);
    expect(() =>
      resolveScenario(
        { phases: { faults: { consumerErrors: { billing: 0.1 } } } },
        { scenario: 'faults' },
        contract,
      ),
    ).toThrow(
      'The faults phase names consumers the contract does not have: billing (consumers: audit, fulfilment, notifications).',
    );
  });
});
