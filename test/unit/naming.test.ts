import { describe, expect, it } from 'vitest';
import { NameRegistry, toKebabName, toTypeName, toValueName } from '../../generator/model/naming.js';

describe('naming pass', () => {
  it.each([
    ['order-placed', 'OrderPlaced', 'orderPlaced'],
    ['order.placed.v2', 'OrderPlacedV2', 'orderPlacedV2'],
    ['orderPlacedV2', 'OrderPlacedV2', 'orderPlacedV2'],
    ['ORDER_PLACED', 'OrderPlaced', 'orderPlaced'],
    ['HTTPServerError', 'HttpServerError', 'httpServerError'],
    ['2fa code', 'N2FaCode', 'n2FaCode'],
    ['Café crème', 'CafeCreme', 'cafeCreme'],
    ['注文', 'U6Ce8U6587', 'u6Ce8U6587'],
    ['class', 'Class', 'classValue'],
    ['Date', 'DateModel', 'dateModel'],
    ['Promise', 'PromiseModel', 'promiseModel'],
    ['user_id', 'UserId', 'userId'],
  ])('%s → type %s, value %s', (spec, type, value) => {
    expect(toTypeName(spec)).toBe(type);
    expect(toValueName(spec)).toBe(value);
    expect(toTypeName(spec)).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
  });

  it('is stable: the same spec name always gives the same TypeScript name', () => {
    expect(toTypeName('order-placed')).toBe(toTypeName('order-placed'));
    expect(toKebabName('OrderPlaced')).toBe('order-placed');
  });

  it('returns no name for a name without letters or digits', () => {
    expect(toTypeName('---')).toBe('');
  });

  const origin = (file: string, line: number, pointer: string) => ({
    file,
    pointer,
    position: { line, column: 3 },
  });

  it('reports a collision naming both locations, instead of suffixing', () => {
    const names = new NameRegistry();
    expect(
      names.claim(
        'OrderPlaced',
        origin('specs/a.yaml', 10, '/components/messages/OrderPlaced'),
        'message',
        'OrderPlaced',
      ),
    ).toBe(true);
    expect(
      names.claim(
        'OrderPlaced',
        origin('specs/b.yaml', 20, '/components/schemas/order-placed'),
        'schema',
        'order-placed',
      ),
    ).toBe(false);
    expect(names.diagnostics).toHaveLength(1);
    const [d] = names.diagnostics;
    expect(d?.code).toBe('name-collision');
    expect(d?.file).toBe('specs/b.yaml');
    expect(d?.position.line).toBe(20);
    expect(d?.message).toContain('specs/a.yaml:10:3');
    expect(d?.message).toContain('`OrderPlaced`');
  });

  it('lets the same origin claim its name again (a schema reached twice)', () => {
    const names = new NameRegistry();
    const where = origin('specs/a.yaml', 4, '/components/schemas/Money');
    expect(names.claim('Money', where, 'schema', 'Money')).toBe(true);
    expect(names.claim('Money', where, 'schema', 'Money')).toBe(true);
    expect(names.diagnostics).toEqual([]);
  });

  it('refuses an empty name with a diagnostic', () => {
    const names = new NameRegistry();
    expect(names.claim('', origin('specs/a.yaml', 1, '/x'), 'message', '---')).toBe(false);
    expect(names.diagnostics[0]?.code).toBe('name-unusable');
  });
});

describe('naming agrees with json-schema-to-typescript', () => {
  it('every type name is a fixed point of its toSafeString, so emitted references resolve', async () => {
    // An internal module of the library: this test pins the assumption the naming pass relies on.
    const { toSafeString } = await import('json-schema-to-typescript/dist/src/utils.js');
    for (const spec of [
      '2fa code',
      'order-placed.v2beta',
      'Café',
      '注文',
      'x_y_z',
      'ABC123def',
      'v2-3rd-party',
    ]) {
      const name = toTypeName(spec);
      expect({ spec, name: toSafeString(name) }).toEqual({ spec, name });
    }
  });
});
