/**
 * The CDK emitter's own decisions, on the example model with small changes: registry conversion
 * notes and unenforceable security schemes become generate warnings; the emitted contract is what
 * the constructs build from.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitCdk } from '../../generator/emit/cdk.js';
import { loadContract } from '../../generator/model/build-model.js';
import type { ContractModel } from '../../generator/model/contract.js';
import { repoRoot } from '../helpers/project.js';

let model: ContractModel;
beforeAll(async () => {
  const loaded = await loadContract(repoRoot, join(repoRoot, 'specs'), { validate: false });
  if (!loaded.model) throw new Error('the example specs do not load');
  model = loaded.model;
});

const contractOf = async (m: ContractModel) => {
  const { files, diagnostics } = await emitCdk(m);
  const data = files.find((f) => f.path === 'cdk/contract.ts')?.content ?? '';
  const json = data.slice(data.indexOf('= {') + 2, data.lastIndexOf(';'));
  return { contract: JSON.parse(json), diagnostics, files };
};

describe('emitCdk', () => {
  it('emits the constructs and the contract, with no warning for the example', async () => {
    const { contract, diagnostics, files } = await contractOf(model);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.path).sort()).toEqual([
      'cdk/accounts.ts',
      'cdk/alarms.ts',
      'cdk/bundle-build.ts',
      'cdk/bundles.ts',
      'cdk/contract-types.ts',
      'cdk/contract.ts',
      'cdk/functions.ts',
      'cdk/index.ts',
      'cdk/outbox.ts',
      'cdk/service-api.ts',
      'cdk/service-events.ts',
      'cdk/service.ts',
    ]);
    // Copied constructs import each other without the cdk- prefix of their sources.
    for (const file of files) expect(file.content).not.toMatch(/from '\.\/cdk-/);
    expect(contract.authorizers).toEqual([{ scheme: 'cognito', id: 'Cognito', kind: 'jwt' }]);
    expect(contract.routes.map((r: { id: string }) => r.id)).toEqual([
      'CreateOrder',
      'GetHealth',
      'GetOrder',
    ]);
    expect(contract.consumers.find((c: { name: string }) => c.name === 'fulfilment')).toMatchObject({
      queue: {
        name: 'orders-fulfilment',
        fifo: false,
        visibilityTimeoutSeconds: 180,
        retentionSeconds: 345600,
      },
      deadLetterQueue: {
        name: 'orders-fulfilment-dlq',
        fifo: false,
        retentionSeconds: 1209600,
        maxReceiveCount: 5,
      },
    });
  });

  it('carries the objectives (x-slo), the event types each consumer receives and which are published', async () => {
    const { contract } = await contractOf(model);
    type Entry = { id: string; slo?: object; published?: boolean };
    const byId = (list: Entry[], id: string) => list.find((x) => x.id === id);
    expect(byId(contract.routes, 'GetOrder')).toMatchObject({ slo: { p99Ms: 100, errorRatePercent: 0.1 } });
    expect(byId(contract.routes, 'CreateOrder')).toMatchObject({
      slo: { p99Ms: 300, errorRatePercent: 0.1 },
    });
    expect(byId(contract.consumers, 'Fulfilment')).toMatchObject({
      eventTypes: ['OrderPlaced'],
      slo: { errorRatePercent: 0.1, p99Ms: 2000 },
    });
    expect(byId(contract.consumers, 'Audit')).toMatchObject({
      eventTypes: ['OrderPlaced', 'OrderShipped', 'PaymentFailed'],
      slo: { errorRatePercent: 0.1 },
    });
    expect(byId(contract.consumers, 'Audit')?.slo).not.toHaveProperty('p99Ms');
    // Published: a send operation names it (OrderShipped, PaymentFailed) or an x-emits (OrderPlaced).
    expect(
      model.events.map((e) => [e.names.payload, byId(contract.events, e.names.payload)?.published]),
    ).toEqual([
      ['OrderPlaced', true],
      ['OrderShipped', true],
      ['PaymentFailed', true],
      // The shipping service's event: received here, only its owner publishes it.
      ['ShipmentDispatched', false],
    ]);
    const noSend = await contractOf({ ...model, eventOperations: [], httpOperations: [] });
    expect(noSend.contract.events.map((e: { published: boolean }) => e.published)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('reports what the registry copy cannot express as a warning naming the message', async () => {
    const schemas = model.schemas.map((s) =>
      s.name === 'OrderPlacedPayload' && typeof s.schema === 'object'
        ? { ...s, schema: { ...s.schema, contains: { const: 1 } } }
        : s,
    );
    const { diagnostics } = await contractOf({ ...model, schemas });
    expect(diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      ['warning', 'registry-conversion', 'specs/orders.asyncapi.yaml'],
    ]);
    expect(diagnostics[0]?.message).toMatch(/^OrderPlaced: .*contains/);
  });

  it('warns when a secured operation cannot be enforced by an HTTP API, and the constructs refuse it', async () => {
    const securitySchemes = [{ name: 'cognito', type: 'http', scheme: 'basic' }];
    const { contract, diagnostics } = await contractOf({ ...model, securitySchemes });
    expect(diagnostics.map((d) => d.code)).toEqual(['cdk-authorizer', 'cdk-authorizer']);
    expect(contract.authorizers).toEqual([{ scheme: 'cognito', id: 'Unsupported', kind: 'unsupported' }]);
  });

  it('joins several sources in one pattern with $or, never a cross product', async () => {
    const events = model.events.map((e) =>
      e.messageName === 'PaymentFailed' ? { ...e, source: 'com.example.payments' } : e,
    );
    const { contract } = await contractOf({ ...model, events });
    expect(contract.consumers.find((c: { name: string }) => c.name === 'notifications').pattern).toEqual({
      $or: [
        { source: ['com.example.orders'], 'detail-type': ['OrderShipped'] },
        { source: ['com.example.payments'], 'detail-type': ['PaymentFailed'] },
      ],
      detail: { data: { customer: { email: [{ exists: true }] } } },
    });
  });
});
