/**
 * `x-slo` through the model: the architecture's defaults (p99 300 ms, error rate 0.1 %), the
 * document's x-slo for every operation, an operation's fields over the document's field by field,
 * and a consumer's x-slo on its AsyncAPI receive operation.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { loadContract } from '../../generator/model/build-model.js';
import type { ContractModel } from '../../generator/model/contract.js';
import { exampleProject } from '../helpers/project.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function model(edit?: (openapi: Record<string, unknown>) => void): Promise<ContractModel> {
  dir = await exampleProject();
  if (edit) {
    const path = join(dir, 'specs', 'orders.openapi.yaml');
    const doc = parseDocument(await readFile(path, 'utf8')).toJS() as Record<string, unknown>;
    edit(doc);
    await writeFile(path, stringify(doc, { lineWidth: 0 }), 'utf8');
  }
  const loaded = await loadContract(dir, join(dir, 'specs'), { validate: false });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!loaded.model) throw new Error('no model');
  return loaded.model;
}

const slo = (m: ContractModel, operationId: string) =>
  m.httpOperations.find((op) => op.operationId === operationId)?.slo;

describe('x-slo', () => {
  it("gives operations without one the architecture's objectives, and an operation's own p99", async () => {
    const m = await model();
    expect(slo(m, 'createOrder')).toEqual({ p99Ms: 300, errorRatePercent: 0.1 });
    expect(slo(m, 'getOrder')).toEqual({ p99Ms: 100, errorRatePercent: 0.1 });
    expect(m.consumers.find((c) => c.name === 'fulfilment')?.slo).toEqual({ p99Ms: 2000 });
    expect(m.consumers.find((c) => c.name === 'audit')?.slo).toBeUndefined();
  });

  it("takes the document's x-slo as every operation's default; an operation overrides only the fields it names", async () => {
    const m = await model((doc) => {
      doc['x-slo'] = { p99Ms: 250, errorRatePercent: 0.5 };
    });
    expect(slo(m, 'createOrder')).toEqual({ p99Ms: 250, errorRatePercent: 0.5 });
    expect(slo(m, 'getHealth')).toEqual({ p99Ms: 250, errorRatePercent: 0.5 });
    // getOrder declares p99Ms: 100 only: the document's error rate stays.
    expect(slo(m, 'getOrder')).toEqual({ p99Ms: 100, errorRatePercent: 0.5 });
  });
});
