import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { snapshotTree, tempProject } from '../helpers/project.js';

/**
 * AsyncAPI documents written for other brokers (Kafka servers, channel parameters and bindings, Avro
 * payloads behind remote `$ref`s), as teams have them.
 */
const kafka = (payload: string) => `asyncapi: 3.0.0
info: {title: Kafka Shop, version: '1'}
servers:
  prod:
    host: broker.example.com:9092
    protocol: kafka
channels:
  orders:
    address: orders.{region}
    parameters:
      region: {description: the region}
    messages:
      OrderPlaced: {$ref: '#/components/messages/OrderPlaced'}
    bindings:
      kafka: {partitions: 3, bindingVersion: 0.5.0}
operations:
  publishOrderPlaced:
    action: send
    channel: {$ref: '#/channels/orders'}
    messages: [{$ref: '#/channels/orders/messages/OrderPlaced'}]
    bindings:
      kafka: {clientId: {type: string}, bindingVersion: 0.5.0}
components:
  messages:
    OrderPlaced:
      payload:
${payload}
`;

const line = (d: {
  file: string;
  position?: { line: number; column: number };
  severity: string;
  code: string;
  message: string;
}) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.code} ${d.message}`;

describe('non-EventBridge AsyncAPI documents', () => {
  it('generate with one warning naming the servers, parameters and bindings it ignores', async () => {
    const dir = await tempProject({
      'specs/k.asyncapi.yaml': kafka(
        '        type: object\n        properties:\n          id: {type: string}',
      ),
    });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(line)).toEqual([
      'specs/k.asyncapi.yaml:4:3 warning asyncapi-ignored evtgen maps this document to EventBridge (a bus, rules, SQS queues) and ignores its servers, channel parameters and non-EventBridge bindings: server prod (kafka), channel orders parameters (region), kafka bindings (channel orders), kafka bindings (operation publishOrderPlaced).',
    ]);
  });

  it('a remote $ref inside an Avro payload is ref-remote, not the parser reading an empty document', async () => {
    const dir = await tempProject({
      'specs/k.asyncapi.yaml': kafka(
        "        schemaFormat: application/vnd.apache.avro;version=1.9.0\n        schema:\n          $ref: 'https://example.com/schemas/order.avsc'",
      ),
    });
    const before = await snapshotTree(dir);
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(line)).toEqual([
      'specs/k.asyncapi.yaml:27:9 error schema-format-unsupported Payload schemaFormat "application/vnd.apache.avro;version=1.9.0" is not supported; evtgen reads JSON Schema and AsyncAPI Schema payloads.',
      'specs/k.asyncapi.yaml:29:11 error ref-remote $ref "https://example.com/schemas/order.avsc" points at a URL; evtgen resolves only files next to the spec (it runs offline).',
    ]);
    expect(await snapshotTree(dir), 'nothing written').toEqual(before);
  });
});
