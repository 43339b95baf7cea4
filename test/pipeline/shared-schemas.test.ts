import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check/check.js';
import { generate } from '../../generator/generate.js';
import { tempProject, typeCheckGenerated } from '../helpers/project.js';

/**
 * The same schema defined in two documents — `Money` and a recursive `Category` in an OpenAPI 3.0
 * and an AsyncAPI document, spelled differently where the dialects differ (`nullable` vs a `null`
 * type) and with different descriptions — is one type. Refused before as a name collision.
 */
const openapi = `openapi: 3.0.3
info: {title: Shop API, version: '1'}
security: []
paths:
  /prices:
    get:
      operationId: getPrice
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  price: {$ref: '#/components/schemas/Money'}
                  category: {$ref: '#/components/schemas/Category'}
components:
  schemas:
    Money:
      description: An amount of money, in cents.
      type: object
      required: [amount, currency]
      properties:
        amount: {type: integer}
        currency: {type: string, pattern: '^[A-Z]{3}$', example: EUR}
        note: {type: string, nullable: true}
    Category:
      type: object
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Category'}
`;

const asyncapi = `asyncapi: 3.0.0
info: {title: Shop, version: '1', x-eventbridge: {source: com.shop}}
channels:
  bus:
    address: shop-bus
    messages:
      PriceChanged: {$ref: '#/components/messages/PriceChanged'}
operations:
  publishPriceChanged:
    action: send
    channel: {$ref: '#/channels/bus'}
    messages: [{$ref: '#/channels/bus/messages/PriceChanged'}]
components:
  messages:
    PriceChanged:
      payload:
        type: object
        properties:
          price: {$ref: '#/components/schemas/Money'}
          category: {$ref: '#/components/schemas/Category'}
  schemas:
    Money:
      description: Money (cents).
      type: object
      required: [amount, currency]
      properties:
        amount: {type: integer}
        currency: {type: string, pattern: '^[A-Z]{3}$'}
        note: {type: [string, 'null']}
    Category:
      type: object
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Category'}
`;

describe('one schema defined in two documents', () => {
  it('becomes one type, validated the same on both sides', async () => {
    const dir = await tempProject({
      'specs/shop.openapi.yaml': openapi,
      'specs/shop.asyncapi.yaml': asyncapi,
    });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.diagnostics).toEqual([]);
    expect(await typeCheckGenerated(dir)).toEqual([]);
    const models = await readFile(join(dir, 'generated/events/models.ts'), 'utf8');
    expect(models.match(/export interface Money\b/g)).toHaveLength(1);
    expect(models.match(/export interface Category\b/g)).toHaveLength(1);
    expect(models).toContain('parent?: Category;');

    const compiled = (await import(
      pathToFileURL(join(dir, 'generated/validators/compiled.js')).href
    )) as Record<string, (value: unknown) => boolean>;
    const good = { price: { amount: 1, currency: 'EUR', note: null }, category: { parent: { name: 'a' } } };
    const bad = { price: { amount: 1, currency: 'eur' } };
    for (const name of ['GetPriceResponse200', 'PriceChanged']) {
      expect(compiled[name]?.(good), name).toBe(true);
      expect(compiled[name]?.(bad), name).toBe(false);
    }
  });

  it('loads for check too', async () => {
    const dir = await tempProject({
      'old/shop.openapi.yaml': openapi,
      'old/shop.asyncapi.yaml': asyncapi,
      'specs/shop.openapi.yaml': openapi.replace(
        'amount: {type: integer}',
        'amount: {type: integer, minimum: 0}',
      ),
      'specs/shop.asyncapi.yaml': asyncapi.replace(
        'amount: {type: integer}',
        'amount: {type: integer, minimum: 0}',
      ),
    });
    const result = await check({ project: dir, against: `${dir}/old`, failOn: 'info', today: '2026-06-01' });
    expect(result.message).toBeUndefined();
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.level} ${f.subject}`)).toEqual([
      'bound-tightened info GET /prices',
      'bound-tightened info event PriceChanged',
    ]);
  });
});
