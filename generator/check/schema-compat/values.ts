import { createRequire } from 'node:module';
import { isObject } from '../../load/json-pointer.js';
import { child, jsonEqual, type SchemaContext, type SchemaNode, typesOf, viewOf } from './node.js';

/**
 * Whether a literal value (an `enum`/`const` member) is accepted by a schema, judged the way the
 * generated ajv validators judge it (formats asserted with ajv-formats, own properties only, string
 * lengths in code points). `undefined` when the schema uses a keyword this evaluator does not know.
 */
export function accepts(
  node: SchemaNode,
  value: unknown,
  ctx: SchemaContext,
  depth = 0,
): boolean | undefined {
  if (depth > 40) return undefined;
  const view = viewOf(node, ctx);
  const s = view.schema;
  if (s === true) return true;
  if (s === false) return false;
  let unknown = false;
  const all = (results: (boolean | undefined)[]): boolean | undefined => {
    if (results.includes(false)) return false;
    if (results.includes(undefined)) return undefined;
    return true;
  };
  const checks: (boolean | undefined)[] = view.conjuncts.map((c) => accepts(c, value, ctx, depth + 1));
  const kind = jsonType(value);
  for (const [keyword, arg] of Object.entries(s)) {
    switch (keyword) {
      case 'type': {
        const types = typesOf(s) ?? new Set();
        checks.push(types.has(kind) || (kind === 'integer' && types.has('number')));
        break;
      }
      case 'enum':
        checks.push(Array.isArray(arg) && arg.some((v) => jsonEqual(v, value)));
        break;
      case 'const':
        checks.push(jsonEqual(arg, value));
        break;
      case 'minimum':
        if (typeof value === 'number' && typeof arg === 'number') checks.push(value >= arg);
        break;
      case 'maximum':
        if (typeof value === 'number' && typeof arg === 'number') checks.push(value <= arg);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && typeof arg === 'number') checks.push(value > arg);
        break;
      case 'exclusiveMaximum':
        if (typeof value === 'number' && typeof arg === 'number') checks.push(value < arg);
        break;
      case 'multipleOf':
        if (typeof value === 'number' && typeof arg === 'number') {
          const q = value / arg;
          checks.push(q === Number.parseInt(String(q), 10));
        }
        break;
      case 'minLength':
        if (typeof value === 'string' && typeof arg === 'number') checks.push(codePoints(value) >= arg);
        break;
      case 'maxLength':
        if (typeof value === 'string' && typeof arg === 'number') checks.push(codePoints(value) <= arg);
        break;
      case 'pattern':
        if (typeof value === 'string' && typeof arg === 'string') checks.push(matches(arg, value));
        break;
      case 'format':
        if (typeof value === 'string' && typeof arg === 'string') checks.push(formatAccepts(arg, value));
        break;
      case 'minItems':
        if (Array.isArray(value) && typeof arg === 'number') checks.push(value.length >= arg);
        break;
      case 'maxItems':
        if (Array.isArray(value) && typeof arg === 'number') checks.push(value.length <= arg);
        break;
      case 'uniqueItems':
        if (Array.isArray(value) && arg === true)
          checks.push(value.every((v, i) => value.findIndex((w) => jsonEqual(v, w)) === i));
        break;
      case 'items':
        if (Array.isArray(value)) {
          if (Array.isArray(arg)) unknown = true;
          else checks.push(all(value.map((v) => accepts(child(view.loc, 'items'), v, ctx, depth + 1))));
        }
        break;
      case 'minProperties':
        if (isObject(value) && typeof arg === 'number') checks.push(Object.keys(value).length >= arg);
        break;
      case 'maxProperties':
        if (isObject(value) && typeof arg === 'number') checks.push(Object.keys(value).length <= arg);
        break;
      case 'required':
        if (isObject(value) && Array.isArray(arg)) checks.push(arg.every((k) => Object.hasOwn(value, k)));
        break;
      case 'properties':
      case 'patternProperties':
      case 'additionalProperties':
        break;
      case 'allOf':
        if (Array.isArray(arg))
          checks.push(all(arg.map((_, i) => accepts(child(view.loc, 'allOf', i), value, ctx, depth + 1))));
        break;
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(arg)) break;
        const results = arg.map((_, i) => accepts(child(view.loc, keyword, i), value, ctx, depth + 1));
        if (results.includes(undefined)) checks.push(undefined);
        else {
          const hits = results.filter((r) => r === true).length;
          checks.push(keyword === 'anyOf' ? hits > 0 : hits === 1);
        }
        break;
      }
      case 'not': {
        const r = accepts(child(view.loc, 'not'), value, ctx, depth + 1);
        checks.push(r === undefined ? undefined : !r);
        break;
      }
      default:
        if (!isIgnorable(keyword)) unknown = true;
    }
  }
  if (isObject(value) && ['properties', 'patternProperties', 'additionalProperties'].some((k) => k in s))
    checks.push(objectAccepts(view.loc, s, value, ctx, depth));
  const result = all(checks);
  if (result === false) return false;
  return unknown ? undefined : result;
}

function objectAccepts(
  loc: SchemaNode,
  s: Readonly<Record<string, unknown>>,
  value: Record<string, unknown>,
  ctx: SchemaContext,
  depth: number,
): boolean | undefined {
  const props = isObject(s.properties) ? s.properties : {};
  const patterns = isObject(s.patternProperties) ? Object.keys(s.patternProperties) : [];
  const results: (boolean | undefined)[] = [];
  for (const [name, v] of Object.entries(value)) {
    let covered = false;
    if (Object.hasOwn(props, name)) {
      covered = true;
      results.push(accepts(child(loc, 'properties', name), v, ctx, depth + 1));
    }
    for (const p of patterns) {
      if (matches(p, name)) {
        covered = true;
        results.push(accepts(child(loc, 'patternProperties', p), v, ctx, depth + 1));
      }
    }
    if (!covered && s.additionalProperties !== undefined)
      results.push(accepts(child(loc, 'additionalProperties'), v, ctx, depth + 1));
  }
  if (results.includes(false)) return false;
  return results.includes(undefined) ? undefined : true;
}

const ignorable = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  '$id',
  'id',
  '$schema',
  '$comment',
  'deprecated',
  'readOnly',
  'writeOnly',
  'definitions',
  '$defs',
  'discriminator',
  'xml',
  'externalDocs',
]);

function isIgnorable(keyword: string): boolean {
  return ignorable.has(keyword) || keyword.startsWith('x-');
}

/** The JSON type of a value, `integer` for whole numbers (as ajv's `type: integer` reads them). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const regexCache = new Map<string, RegExp | undefined>();

/** `pattern` as ajv compiles it (unicode flag); an uncompilable pattern matches nothing. */
export function matches(pattern: string, text: string): boolean {
  let re = regexCache.get(pattern);
  if (!regexCache.has(pattern)) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = undefined;
    }
    regexCache.set(pattern, re);
  }
  return re ? re.test(text) : false;
}

type FormatDef =
  | boolean
  | RegExp
  | ((s: string) => boolean)
  | { type?: string; validate: RegExp | ((s: string) => boolean) };
let formats: Record<string, FormatDef> | undefined;

/** ajv-formats' full formats: the ones the generated validators assert. */
export function knownFormats(): Record<string, FormatDef> {
  if (!formats) {
    const require = createRequire(import.meta.url);
    formats = (require('ajv-formats/dist/formats.js') as { fullFormats: Record<string, FormatDef> })
      .fullFormats;
  }
  return formats;
}

/**
 * Whether `format` constrains strings in the generated validators: ajv-formats knows it, does not
 * define it as `true` (password, binary: accepted as is), and it is not a number format (int32,
 * float… apply to numbers only).
 */
export function isAssertedFormat(format: string): boolean {
  if (!Object.hasOwn(knownFormats(), format)) return false;
  const def = knownFormats()[format];
  if (typeof def === 'boolean') return false;
  return !(typeof def === 'object' && !(def instanceof RegExp) && def.type === 'number');
}

export function formatAccepts(format: string, text: string): boolean {
  if (!isAssertedFormat(format)) return true;
  const def = knownFormats()[format] as Exclude<FormatDef, boolean>;
  const check = def instanceof RegExp || typeof def === 'function' ? def : def.validate;
  return check instanceof RegExp ? check.test(text) : check(text);
}

/**
 * Formats whose strings all pass another asserted format (ajv-formats' definitions): a change from
 * the first to the second loosens, the reverse tightens.
 */
const formatInclusions: Readonly<Record<string, readonly string[]>> = {
  'date-time': ['iso-date-time'],
  time: ['iso-time'],
  uri: ['uri-reference'],
};

/** Does every string of format `a` pass format `b`? */
export function formatIncluded(a: string, b: string): boolean {
  return a === b || (formatInclusions[a] ?? []).includes(b);
}
