/**
 * The worker threads get their work when the documents are read, before the main thread models the
 * specs (model/build-model.ts `onDocuments`, pipeline.ts `startTyping`): handed over later, or after
 * an asynchronous read, a document waits for the main thread to be idle, and on GitHub's REST API
 * description openapi-typescript sat idle for 6 s. These tests pin the order, not a duration.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../generator/model/build-model.js';
import { startTyping } from '../../generator/openapi-worker.js';
import { tempProject } from '../helpers/project.js';

const openapi = `openapi: 3.1.0
info: {title: Items, version: 1.0.0}
security: []
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: The items.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
`;

const asyncapi = `asyncapi: 3.0.0
info: {title: Items, version: 1.0.0}
channels:
  items:
    address: items
    messages:
      ItemAdded: {$ref: '#/components/messages/ItemAdded'}
operations:
  publishItemAdded:
    action: send
    channel: {$ref: '#/channels/items'}
components:
  messages:
    ItemAdded:
      payload: {type: object, properties: {id: {type: string}}}
`;

describe('work for the worker threads', () => {
  it('is announced with every document, kind and path, before the model is built', async () => {
    const dir = await tempProject({
      'specs/items.openapi.yaml': openapi,
      'specs/items.asyncapi.yaml': asyncapi,
    });
    const order: string[] = [];
    let announced: readonly { kind: string; path: string }[] = [];
    const loaded = await loadContract(dir, join(dir, 'specs'), {
      onStage: (stage) => order.push(stage.split(':')[0] ?? stage),
      onDocuments: (documents) => {
        order.push('documents');
        announced = documents;
      },
    });
    expect(loaded.model).toBeDefined();
    expect(order.slice(0, 3)).toEqual(['load', 'documents', 'model']);
    expect([...announced].sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'asyncapi', path: join(dir, 'specs/items.asyncapi.yaml') },
      { kind: 'openapi', path: join(dir, 'specs/items.openapi.yaml') },
    ]);
  });

  it('types a document from its path alone: the worker reads the file', async () => {
    const dir = await tempProject({ 'specs/items.openapi.yaml': openapi });
    const typed = startTyping([join(dir, 'specs', '..', 'specs', 'items.openapi.yaml')]);
    // Keyed by the absolute, normalized path: what the emitter asks for.
    const types = await typed.get(join(dir, 'specs/items.openapi.yaml'));
    expect(types).toContain('listItems');
  });
});
