import { describe, expect, it } from 'vitest';
import { csharp } from '../../generator/bindings/csharp.js';
import { go } from '../../generator/bindings/go.js';
import {
  cStyleString,
  enumKeyWords,
  modelina,
  processorOptions,
  specialCharsAsWords,
} from '../../generator/bindings/modelina.js';
import { python } from '../../generator/bindings/python.js';
import { commentSafe, modelinaInput, requiredPaths } from '../../generator/bindings/schema.js';
import type { BindingSubject } from '../../generator/bindings/subjects.js';

// What evtgen puts around Modelina: the names it stamps, the text it makes safe, the literals and
// keys it prints where Modelina's own would not compile or would read badly.
const subject: BindingSubject = {
  subject: 'test.things@thing-happened',
  source: 'test.things',
  detailType: 'thing-happened',
  version: 3,
  schema: {
    title: 'ThingHappenedDetail',
    type: 'object',
    required: ['data', 'metadata'],
    properties: { data: { $ref: '#/definitions/Thing' }, metadata: { $ref: '#/definitions/Meta' } },
    definitions: {
      Meta: { type: 'object', required: ['at'], properties: { at: { type: 'string', format: 'date-time' } } },
      Thing: {
        type: 'object',
        required: ['shipping', 'lines'],
        properties: {
          shipping: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
          lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
          'kind-of': { type: 'string', enum: ['a', 'b'] },
          self: { $ref: '#/definitions/Thing' },
        },
      },
    },
  },
};

describe('the schema handed to Modelina', () => {
  it('names the envelope, the detail, every definition and every inline object or enum', () => {
    const input = modelinaInput(subject);
    expect(input.title).toBe('ThingHappenedEnvelope');
    const defs = input.definitions as Record<
      string,
      { title?: string; properties?: Record<string, { title?: string; items?: { title?: string } }> }
    >;
    expect(defs.ThingHappenedDetail?.title).toBe('ThingHappenedDetail');
    expect(defs.Thing?.title).toBe('Thing');
    expect(defs.Thing?.properties?.shipping?.title).toBe('ThingShipping');
    expect(defs.Thing?.properties?.lines?.items?.title).toBe('ThingLinesItem');
    expect(defs.Thing?.properties?.['kind-of']?.title).toBe('ThingKindOf');
    // A $ref keeps no title: the target is named where it is defined.
    expect(defs.Thing?.properties?.self?.title).toBeUndefined();
  });

  it('gives Modelina nothing to invent: every model it builds has an evtgen name', async () => {
    const m = await modelina();
    const models = await new m.PythonGenerator({ processorOptions }).generate(modelinaInput(subject));
    expect(models.map((o) => o.modelName).sort()).toEqual([
      'Meta',
      'Thing',
      'ThingHappenedDetail',
      'ThingHappenedEnvelope',
      'ThingKindOf',
      'ThingLinesItem',
      'ThingShipping',
    ]);
  });

  it('lists the required paths through objects, stopping at recursion', () => {
    expect(requiredPaths(modelinaInput(subject))).toEqual([
      ['detail'],
      ['detail', 'data'],
      ['detail', 'data', 'lines'],
      ['detail', 'data', 'shipping'],
      ['detail', 'data', 'shipping', 'city'],
      ['detail', 'metadata'],
      ['detail', 'metadata', 'at'],
      ['detail-type'],
      ['source'],
    ]);
  });

  it('makes spec text safe in a block comment and in Java', () => {
    expect(commentSafe('a */ b \\u0022 c\u2028d')).toBe('a *\\/ b \\\\u0022 c\nd');
  });
});

describe('names and literals Modelina gets wrong', () => {
  it('splits keys on punctuation instead of spelling it, keeping identifiers ASCII', () => {
    expect(specialCharsAsWords('detail-type')).toBe('detail type');
    expect(specialCharsAsWords('crème.brûlée')).toBe('creme brulee');
    expect(specialCharsAsWords('注文')).toBe('U6ce8U6587');
  });

  it('spells an enum value with no letters rather than leaving its key empty', async () => {
    const words = enumKeyWords(await modelina());
    expect(words('ü')).toBe('u');
    expect(words('*/')).toBe('asterisk_slash');
  });

  it('escapes Java and C# string literals, never with a Unicode escape for a quote or line break', () => {
    expect(cStyleString('say "hi"\\\n\u00fc\u2028')).toBe('"say \\"hi\\"\\\\\\n\\u00fc\\u2028"');
  });
});

describe('the Python back-end', () => {
  it('writes the version constant and the module named after the event', async () => {
    const out = await python([subject]);
    const module = out.files.find((f) => f.path === 'evtgen_bindings/thing_happened_v3.py');
    expect(module?.content).toContain('SCHEMA_VERSION = 3\n');
    expect(module?.content).toContain('class ThingKindOf(Enum):\n    A = "a"\n    B = "b"\n');
    expect(out.entries).toEqual([
      {
        subject: 'test.things@thing-happened',
        version: 3,
        file: 'evtgen_bindings/thing_happened_v3.py',
        type: 'evtgen_bindings.thing_happened_v3.ThingHappenedEnvelope',
      },
    ]);
  });
});

// Go and C# are compiled only where their toolchains exist (toolchains.test.ts); here, what evtgen
// adds to Modelina's output is checked on the text.
describe('the Go and C# back-ends', () => {
  it('Go: enums readable from JSON, lower-case file names, a module and a parser that knows the event', async () => {
    const out = await go([subject]);
    const paths = out.files.map((f) => f.path);
    expect(paths).toContain('go.mod');
    expect(paths).toContain('thinghappenedv3/thingkindof.go');
    const kind = out.files.find((f) => f.path === 'thinghappenedv3/thingkindof.go')?.content ?? '';
    expect(kind).toContain('import (\n\t"encoding/json"\n\t"fmt"\n)');
    expect(kind).toContain('func (op *ThingKindOf) UnmarshalJSON(raw []byte) error {');
    expect(kind).toContain('var ThingKindOfValues = []any{"a","b"}');
    const parser = out.files.find((f) => f.path === 'events/parser.go')?.content ?? '';
    expect(parser).toContain('\t"evtgen/bindings/thinghappenedv3"');
    expect(parser).toContain('{"test.things", "thing-happened"}: {');
    expect(parser).toContain('var event thinghappenedv3.ThingHappenedEnvelope');
  });

  it('C#: a parser dispatching to the envelope converter, with the version constant', async () => {
    const out = await csharp([subject]);
    const parser = out.files.find((f) => f.path === 'EventParser.cs')?.content ?? '';
    expect(parser).toContain(
      '[("test.things", "thing-happened")] = new Known("test.things@thing-happened", 3,',
    );
    expect(parser).toContain(
      'json => global::Evtgen.Bindings.ThingHappened.V3.ThingHappenedEnvelope.Deserialize(json)',
    );
    const versions = out.files.find((f) => f.path === 'ThingHappened/V3/Versions.cs')?.content ?? '';
    expect(versions).toContain('public const int SchemaVersion = 3;');
  });
});
