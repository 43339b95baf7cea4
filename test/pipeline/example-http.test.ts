import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as http from '../../generated/validators/http.js';
import { repoRoot } from '../helpers/project.js';

/** The committed HTTP validators on the request examples of specs/orders.openapi.yaml. */
const spec = parse(await readFile(join(repoRoot, 'specs/orders.openapi.yaml'), 'utf8')) as {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }
    >
  >;
};
const bodyExamples = Object.entries(
  spec.paths['/orders']?.post?.requestBody?.content['application/json']?.examples ?? {},
);

describe('request validators on the spec examples', () => {
  it('the spec has createOrder request examples', () => {
    expect(bodyExamples.length).toBeGreaterThan(0);
  });

  it.each(bodyExamples)('createOrder example %s is valid', (_name, example) => {
    expect(http.validateCreateOrderRequestBody(example.value).valid).toBe(true);
    expect(http.isCreateOrderRequestBody(example.value)).toBe(true);
  });

  it('a body with an invalid line reports each failing pointer', () => {
    const body = structuredClone(bodyExamples[0]?.[1].value) as { lines: Record<string, unknown>[] };
    const [line] = body.lines;
    if (line) {
      line.quantity = 'two';
      line.sku = 'lower-case';
    }
    const result = http.validateCreateOrderRequestBody(body);
    expect(result.valid ? [] : result.issues.map((i) => `${i.pointer} ${i.keyword}`).sort()).toEqual([
      '/lines/0/quantity type',
      '/lines/0/sku pattern',
    ]);
  });
});

describe('parameter validators coerce strings as API Gateway delivers them', () => {
  it('accepts a uuid path parameter and rejects anything else', () => {
    expect(http.validateGetOrderPathParams({ orderId: '6f1c2b0e-3d4a-4c8e-9b7f-2a5d8e1f0c93' }).valid).toBe(
      true,
    );
    const bad = http.validateGetOrderPathParams({ orderId: '42' });
    expect(bad.valid ? [] : bad.issues.map((i) => [i.pointer, i.keyword])).toEqual([['/orderId', 'format']]);
    const missing = http.validateGetOrderPathParams({});
    expect(missing.valid ? [] : missing.issues.map((i) => i.pointer)).toEqual(['/orderId']);
  });

  it('coerces a single query value into the declared array, on a copy', () => {
    const query = { include: 'shipments' };
    const result = http.validateGetOrderQuery(query);
    expect(result).toEqual({ valid: true, value: { include: ['shipments'] } });
    expect(query).toEqual({ include: 'shipments' });
    const bad = http.validateGetOrderQuery({ include: 'everything' });
    expect(bad.valid ? [] : bad.issues.map((i) => [i.pointer, i.keyword])).toEqual([['/include/0', 'enum']]);
  });

  it('validates header parameters by their lower-case names', () => {
    expect(
      http.validateCreateOrderHeaders({ 'idempotency-key': '8e0f4c2a-1b3d-4e5f-9a7b-6c8d0e2f4a1b' }).valid,
    ).toBe(true);
  });
});
