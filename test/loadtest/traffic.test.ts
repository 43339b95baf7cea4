/**
 * The traffic `evtgen load` derives from the contract, on the repository's own example contract and
 * on a fixture without examples: valid bodies, unique idempotency keys and correlation ids, the
 * exact mix, captured path values, credentials, and a clear refusal when they are missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  validateCreateOrderHeaders,
  validateCreateOrderRequestBody,
} from '../../generated/validators/http.js';
import { contractSchemas } from '../../generator/loadtest/contract-schemas.js';
import { buildTraffic, correlationHeader, type PlannedRequest } from '../../generator/loadtest/traffic.js';
import { smoothWeightedCycle } from '../../generator/loadtest/weighted-cycle.js';
import { loadContract } from '../../generator/model/build-model.js';

const repo = join(import.meta.dirname, '..', '..');
const fixture = join(import.meta.dirname, '..', 'fixtures', 'loadtest', 'no-examples');

async function load(root: string) {
  const loaded = await loadContract(root, join(root, 'specs'), {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model || !loaded.workspace) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return { model: loaded.model, workspace: loaded.workspace };
}

/** A repeatable random (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const token = 'dev-session-token';

describe('traffic from the orders contract', () => {
  it('reads the correlation id header the generated HTTP runtime reads', () => {
    const runtime = readFileSync(join(repo, 'generated', 'runtime', 'http.ts'), 'utf8');
    expect(runtime).toContain(`export const correlationHeader = '${correlationHeader}';`);
  });

  it('sends valid bodies, unique idempotency keys and correlation ids over 1,000 requests', async () => {
    const { model, workspace } = await load(repo);
    const plan = await buildTraffic(model, workspace, { auth: { bearerToken: token }, random: seeded(1) });
    const requests = Array.from({ length: 1000 }, (_, i) => plan.next(i));
    const posts = requests.filter((r) => r.routeKey === 'POST /orders');
    expect(posts.length).toBeGreaterThan(300);
    const bodies = new Set<string>();
    for (const post of posts) {
      expect(post.method).toBe('POST');
      expect(post.headers['content-type']).toBe('application/json');
      const body: unknown = JSON.parse(post.body ?? '');
      expect(validateCreateOrderRequestBody(body).valid).toBe(true);
      bodies.add(post.body ?? '');
      const headers = { 'idempotency-key': post.headers['Idempotency-Key'] };
      expect(validateCreateOrderHeaders(headers).valid).toBe(true);
    }
    // Both request examples of the spec, in turn.
    expect(bodies.size).toBe(2);
    expect(new Set(posts.map((p) => p.headers['Idempotency-Key'])).size).toBe(posts.length);
    const ids = requests.map((r) => r.correlationId);
    expect(new Set(ids).size).toBe(1000);
    for (const r of requests) {
      expect(r.headers[correlationHeader]).toBe(r.correlationId);
      expect(r.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('mixes the routes exactly by weight, in every window of one cycle', async () => {
    const { model, workspace } = await load(repo);
    const weights = { 'POST /orders': 3, 'GET /orders/{orderId}': 2, 'GET /health': 1 };
    const plan = await buildTraffic(model, workspace, { weights, auth: { bearerToken: token } });
    const keys = Array.from({ length: 600 }, (_, i) => plan.next(i).routeKey);
    const count = (from: number, to: number, key: string) =>
      keys.slice(from, to).filter((k) => k === key).length;
    for (let start = 0; start < 600; start += 6) {
      expect(count(start, start + 6, 'POST /orders')).toBe(3);
      expect(count(start, start + 6, 'GET /orders/{orderId}')).toBe(2);
      expect(count(start, start + 6, 'GET /health')).toBe(1);
    }
    expect(smoothWeightedCycle([3, 1])).toEqual([0, 0, 1, 0]);
  });

  it('leaves out routes of weight 0 and refuses unknown route keys', async () => {
    const { model, workspace } = await load(repo);
    const plan = await buildTraffic(model, workspace, {
      weights: { 'GET /health': 0 },
      auth: { bearerToken: token },
    });
    expect(plan.routes.map((r) => r.routeKey)).toEqual(['POST /orders', 'GET /orders/{orderId}']);
    expect(Array.from({ length: 50 }, (_, i) => plan.next(i).routeKey)).not.toContain('GET /health');
    await expect(
      buildTraffic(model, workspace, { weights: { 'DELETE /orders': 1 }, auth: { bearerToken: token } }),
    ).rejects.toThrow(/DELETE \/orders.*Routes: POST \/orders/);
    await expect(
      buildTraffic(model, workspace, { weights: { 'GET /health': -1 }, auth: { bearerToken: token } }),
    ).rejects.toThrow('GET /health: the weight must be a number of at least 0 (0 leaves the route out).');
  });

  it('describes the routes for the report', async () => {
    const { model, workspace } = await load(repo);
    const plan = await buildTraffic(model, workspace, { auth: { bearerToken: token } });
    const post = plan.routes.find((r) => r.routeKey === 'POST /orders');
    expect(post).toMatchObject({
      operationId: 'createOrder',
      weight: 1,
      emits: ['OrderPlaced'],
      secured: true,
      source: 'specs/orders.openapi.yaml#/paths/~1orders/post',
      slo: { p99Ms: 300, errorRatePercent: 0.1 },
    });
    expect(plan.routes.find((r) => r.routeKey === 'GET /orders/{orderId}')?.slo.p99Ms).toBe(100);
    expect(plan.routes.find((r) => r.routeKey === 'GET /health')?.secured).toBe(false);
  });

  it('reads the orders the run created: captured orderIds fill GET /orders/{orderId}', async () => {
    const { model, workspace } = await load(repo);
    const weights = { 'POST /orders': 1, 'GET /orders/{orderId}': 1, 'GET /health': 0 };
    const plan = await buildTraffic(model, workspace, {
      weights,
      auth: { bearerToken: token },
      random: seeded(7),
    });
    const exampleId = '6f1c2b0e-3d4a-4c8e-9b7f-2a5d8e1f0c93';
    const first = plan.next(0).routeKey === 'GET /orders/{orderId}' ? plan.next(0) : plan.next(1);
    // Nothing captured yet: the parameter's example.
    expect(first.path).toBe(`/orders/${exampleId}`);
    expect(plan.needsBody('POST /orders', 201)).toBe(true);
    expect(plan.needsBody('POST /orders', 400)).toBe(false);
    expect(plan.needsBody('GET /health', 200)).toBe(false);
    // A GET of one order can only echo the id it was sent.
    expect(plan.needsBody('GET /orders/{orderId}', 200)).toBe(false);
    const created = ['0b7c0d5e-1111-4222-8333-444455556666', '1c8d1e6f-2222-4333-8444-555566667777'];
    for (const orderId of created)
      plan.observe('POST /orders', 201, JSON.stringify({ orderId, status: 'placed' }));
    // Not a UUID: the path parameter's schema refuses it, so it is not used.
    plan.observe('POST /orders', 201, JSON.stringify({ orderId: 'not-an-id' }));
    plan.observe('POST /orders', 500, JSON.stringify({ orderId: '2d9e2f70-3333-4444-8555-666677778888' }));
    const gets: PlannedRequest[] = [];
    for (let i = 2; gets.length < 200; i++) {
      const r = plan.next(i);
      if (r.routeKey === 'GET /orders/{orderId}') gets.push(r);
    }
    const used = new Set(gets.map((g) => g.path.slice('/orders/'.length)));
    expect([...used].sort()).toEqual([...created].sort());
    // Optional query parameters (include) are left out; GET requests carry no body.
    for (const g of gets) {
      expect(g.body).toBeUndefined();
      expect(g.headers.authorization).toBe(`Bearer ${token}`);
    }
  });

  it('captures from a Location header too', async () => {
    const { model, workspace } = await load(repo);
    const weights = { 'POST /orders': 0, 'GET /orders/{orderId}': 1, 'GET /health': 0 };
    const plan = await buildTraffic(model, workspace, { weights, auth: { bearerToken: token } });
    const id = '3eaf3081-4444-4555-8666-777788889999';
    plan.observe('POST /orders', 201, undefined, `https://api.example.org/orders/${id}`);
    expect(plan.next(0).path).toBe(`/orders/${id}`);
  });

  it('refuses secured routes without credentials, unless their weight is 0', async () => {
    const { model, workspace } = await load(repo);
    await expect(buildTraffic(model, workspace, { auth: {} })).rejects.toThrow(
      /No credentials for the secured route\(s\) POST \/orders \(createOrder; security: cognito\), GET \/orders\/\{orderId\}.*--header 'Authorization: Bearer …'/,
    );
    const health = await buildTraffic(model, workspace, {
      weights: { 'POST /orders': 0, 'GET /orders/{orderId}': 0 },
      auth: {},
    });
    expect(health.next(0)).toMatchObject({ method: 'GET', path: '/health', routeKey: 'GET /health' });
    expect(health.next(0).headers.authorization).toBeUndefined();
  });

  it('sends the user headers on every request, over the bearer token', async () => {
    const { model, workspace } = await load(repo);
    const plan = await buildTraffic(model, workspace, {
      auth: { bearerToken: token, headers: { Authorization: 'Bearer mine', 'X-Tenant': 'acme' } },
    });
    for (let i = 0; i < 3; i++) {
      const r = plan.next(i);
      expect(r.headers.Authorization).toBe('Bearer mine');
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['X-Tenant']).toBe('acme');
    }
    // A header alone is a credential.
    await expect(
      buildTraffic(model, workspace, { auth: { headers: { authorization: 'Bearer x' } } }),
    ).resolves.toBeDefined();
  });
});

describe('traffic from a contract without examples', () => {
  it('samples bodies and parameters that the request schemas accept', async () => {
    const { model, workspace } = await load(fixture);
    const plan = await buildTraffic(model, workspace, { auth: {} });
    const schemas = await contractSchemas(model);
    const post = model.httpOperations.find((op) => op.operationId === 'createWidget');
    if (!post?.requestBody) throw new Error('fixture changed');
    const check = schemas.compile(post.requestBody.schema, post.dialect);
    const requests = Array.from({ length: 100 }, (_, i) => plan.next(i));
    const posts = requests.filter((r) => r.routeKey === 'POST /widgets');
    expect(posts).toHaveLength(50);
    for (const r of posts) {
      expect(check(JSON.parse(r.body ?? '')), r.body).toEqual([]);
      expect(r.headers['X-Idempotency-Key']).toMatch(/^[A-Za-z0-9_.:-]{8,64}$/);
    }
    expect(new Set(posts.map((r) => r.headers['X-Idempotency-Key'])).size).toBe(50);
    const get = requests.find((r) => r.routeKey === 'GET /widgets/{widgetId}');
    // The required query parameter is sampled, the optional one left out; the path value too.
    expect(get?.path).toMatch(/^\/widgets\/[0-9a-f-]{36}\?view=(full|short)$/);
    expect(plan.needsBody('POST /widgets', 201)).toBe(true);
  });

  it('refuses a request example its schema refuses, naming the operation', async () => {
    const { model, workspace } = await load(join(fixture, '..', 'bad-example'));
    await expect(buildTraffic(model, workspace, { auth: {} })).rejects.toThrow(
      /POST \/notes \(createNote\): the request example does not match the request schema \(\(the value\) must have required property 'text'/,
    );
  });
});
