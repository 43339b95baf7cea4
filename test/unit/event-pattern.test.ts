import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameProblem } from '../../generator/model/aws-limits.js';
import { loadContract } from '../../generator/model/build-model.js';
import { consumerRulePattern } from '../../generator/model/consumer-resources.js';
import { checkEventPattern } from '../../generator/model/event-pattern.js';
import { repoRoot } from '../helpers/project.js';

/**
 * EventBridge's event-pattern grammar (event-ruler's JsonRuleCompiler). Each refused pattern names
 * the pointer of the offending value and a reason that mentions the offending part; each accepted
 * one yields no problem at all.
 */

/** A refused pattern: where the (first) problem is, and what its reason must mention. */
interface Refused {
  readonly at: string;
  readonly mentions: RegExp;
}

type Case = readonly [name: string, pattern: unknown, expected: 'ok' | Refused];

const d = (detail: unknown) => ({ source: ['shop.orders'], detail });
const f = (...matchers: unknown[]) => d({ field: matchers });

const cases: readonly Case[] = [
  // Structure
  ['plain values of every JSON scalar type', d({ a: ['x', 1, 1.5, true, false, null] }), 'ok'],
  ['nested objects', d({ a: { b: { c: ['x'] } } }), 'ok'],
  ['the empty string as a value', d({ a: [''] }), 'ok'],
  ['a number too large for numeric matching as a plain value', d({ account: [123456789012] }), 'ok'],
  ['a pattern that is not an object', ['x'], { at: '', mentions: /Filter is not an object.*array/ }],
  ['an empty pattern', {}, { at: '', mentions: /Empty objects are not allowed/ }],
  ['an empty nested object', d({}), { at: '/detail', mentions: /Empty objects.*detail is \{\}/ }],
  [
    'a scalar leaf (string)',
    d({ state: 'shipped' }),
    { at: '/detail/state', mentions: /"state" must be an object or an array.*"shipped"/ },
  ],
  [
    'a scalar leaf (number)',
    d({ count: 5 }),
    { at: '/detail/count', mentions: /"count" must be an object or an array/ },
  ],
  ['a scalar leaf (null)', d({ gone: null }), { at: '/detail/gone', mentions: /"gone" must be.*null/ }],
  ['a scalar leaf (boolean)', d({ ok: true }), { at: '/detail/ok', mentions: /"ok" must be.*true/ }],
  [
    'an empty array',
    d({ state: [] }),
    { at: '/detail/state', mentions: /Empty arrays are not allowed \(detail\.state is \[\]\)/ },
  ],
  [
    'a nested array',
    d({ state: [['a']] }),
    { at: '/detail/state/0', mentions: /Match value must be String.*detail\.state\[0\] is a nested array/ },
  ],
  ['an empty matcher object', f({}), { at: '/detail/field/0', mentions: /Match expression name not found/ }],
  [
    'an unknown matcher',
    f({ contains: 'x' }),
    { at: '/detail/field/0/contains', mentions: /Unrecognized match type contains/ },
  ],
  [
    'a capitalised matcher name (Prefix)',
    f({ Prefix: 'x' }),
    { at: '/detail/field/0/Prefix', mentions: /Unrecognized match type Prefix.*"prefix"/ },
  ],
  [
    'a capitalised matcher name (EXISTS)',
    f({ EXISTS: true }),
    { at: '/detail/field/0/EXISTS', mentions: /Unrecognized match type EXISTS.*"exists"/ },
  ],
  [
    'two matchers in one object',
    f({ prefix: 'a', suffix: 'b' }),
    { at: '/detail/field/0/suffix', mentions: /Only one key allowed.*"prefix".*"suffix"/ },
  ],
  ['matchers and values mixed in one list', f('x', { prefix: 'a' }, 3), 'ok'],
  // prefix / suffix
  ['prefix', f({ prefix: 'EU-' }), 'ok'],
  ['prefix ""', f({ prefix: '' }), 'ok'],
  ['prefix with equals-ignore-case', f({ prefix: { 'equals-ignore-case': 'eu-' } }), 'ok'],
  [
    'prefix number',
    f({ prefix: 5 }),
    { at: '/detail/field/0/prefix', mentions: /prefix match pattern must be a string, found number 5/ },
  ],
  [
    'prefix array',
    f({ prefix: ['a'] }),
    { at: '/detail/field/0/prefix', mentions: /prefix match pattern must be a string.*array/ },
  ],
  [
    'prefix {}',
    f({ prefix: {} }),
    { at: '/detail/field/0/prefix', mentions: /Prefix expression name not found/ },
  ],
  [
    'prefix with an unsupported wrapper',
    f({ prefix: { wildcard: 'a*' } }),
    { at: '/detail/field/0/prefix/wildcard', mentions: /Unsupported prefix pattern: wildcard/ },
  ],
  [
    'prefix/equals-ignore-case number',
    f({ prefix: { 'equals-ignore-case': 1 } }),
    {
      at: '/detail/field/0/prefix/equals-ignore-case',
      mentions: /equals-ignore-case match pattern must be a string/,
    },
  ],
  [
    'prefix/equals-ignore-case with a second key',
    f({ prefix: { 'equals-ignore-case': 'a', x: 1 } }),
    { at: '/detail/field/0/prefix/x', mentions: /Only one key allowed.*"x"/ },
  ],
  ['suffix', f({ suffix: '.png' }), 'ok'],
  ['suffix with equals-ignore-case', f({ suffix: { 'equals-ignore-case': '.PNG' } }), 'ok'],
  [
    'suffix boolean',
    f({ suffix: true }),
    { at: '/detail/field/0/suffix', mentions: /suffix match pattern must be a string, found boolean true/ },
  ],
  [
    'suffix with an unsupported wrapper',
    f({ suffix: { prefix: 'a' } }),
    { at: '/detail/field/0/suffix/prefix', mentions: /Unsupported suffix pattern: prefix/ },
  ],
  // equals-ignore-case, exactly
  ['equals-ignore-case', f({ 'equals-ignore-case': 'alice@example.com' }), 'ok'],
  [
    'equals-ignore-case array',
    f({ 'equals-ignore-case': ['a'] }),
    {
      at: '/detail/field/0/equals-ignore-case',
      mentions: /equals-ignore-case match pattern must be a string/,
    },
  ],
  ['exactly (Ruler)', f({ exactly: 'x' }), 'ok'],
  [
    'exactly number',
    f({ exactly: 1 }),
    { at: '/detail/field/0/exactly', mentions: /exactly match pattern must be a string/ },
  ],
  // wildcard
  ['wildcard', f({ wildcard: 'dir/*.png' }), 'ok'],
  ['wildcard with escaped star and backslash', f({ wildcard: 'a\\*b\\\\c*' }), 'ok'],
  ['wildcard with separated stars', f({ wildcard: '*a*b*' }), 'ok'],
  [
    'wildcard with consecutive stars',
    f({ wildcard: 'a**b' }),
    { at: '/detail/field/0/wildcard', mentions: /Consecutive wildcard characters at pos 2 in "a\*\*b"/ },
  ],
  [
    'wildcard with a bad escape',
    f({ wildcard: 'a\\b' }),
    { at: '/detail/field/0/wildcard', mentions: /Invalid escape character at pos 2 in "a\\\\b"/ },
  ],
  [
    'wildcard ending in a backslash',
    f({ wildcard: 'a\\' }),
    { at: '/detail/field/0/wildcard', mentions: /Invalid escape character/ },
  ],
  [
    'wildcard number',
    f({ wildcard: 3 }),
    { at: '/detail/field/0/wildcard', mentions: /wildcard match pattern must be a string, found number 3/ },
  ],
  // exists
  ['exists true', f({ exists: true }), 'ok'],
  ['exists false', f({ exists: false }), 'ok'],
  [
    'exists "yes"',
    f({ exists: 'yes' }),
    {
      at: '/detail/field/0/exists',
      mentions: /exists match pattern must be either true or false, found string "yes"/,
    },
  ],
  ['exists "true"', f({ exists: 'true' }), { at: '/detail/field/0/exists', mentions: /exists.*"true"/ }],
  ['exists 1', f({ exists: 1 }), { at: '/detail/field/0/exists', mentions: /exists.*number 1/ }],
  ['exists null', f({ exists: null }), { at: '/detail/field/0/exists', mentions: /exists.*null/ }],
  // cidr
  ['cidr IPv4', f({ cidr: '10.0.0.0/24' }), 'ok'],
  ['cidr IPv4 /0', f({ cidr: '0.0.0.0/0' }), 'ok'],
  ['cidr IPv6', f({ cidr: '2001:db8::/32' }), 'ok'],
  [
    'cidr without a mask',
    f({ cidr: '10.0.0.1' }),
    { at: '/detail/field/0/cidr', mentions: /Malformed CIDR "10\.0\.0\.1", one '\/' required/ },
  ],
  [
    'cidr with two slashes',
    f({ cidr: '10.0.0.0/8/8' }),
    { at: '/detail/field/0/cidr', mentions: /one '\/' required/ },
  ],
  [
    'cidr with a word mask',
    f({ cidr: '10.0.0.0/abc' }),
    { at: '/detail/field/0/cidr', mentions: /mask bits must be an integer/ },
  ],
  [
    'cidr with a negative mask',
    f({ cidr: '10.0.0.0/-1' }),
    { at: '/detail/field/0/cidr', mentions: /mask bits must not be negative/ },
  ],
  [
    'cidr IPv4 /32 (Ruler: below 32)',
    f({ cidr: '10.0.0.1/32' }),
    { at: '/detail/field/0/cidr', mentions: /IPv4 mask bits must be < 32.*\/32/ },
  ],
  [
    'cidr IPv4 /33',
    f({ cidr: '10.0.0.0/33' }),
    { at: '/detail/field/0/cidr', mentions: /IPv4 mask bits must be < 32/ },
  ],
  [
    'cidr IPv6 /128',
    f({ cidr: '::1/128' }),
    { at: '/detail/field/0/cidr', mentions: /IPv6 mask bits must be < 128/ },
  ],
  [
    'cidr with an octet above 255',
    f({ cidr: '10.0.0.256/24' }),
    { at: '/detail/field/0/cidr', mentions: /Invalid IP address: "10\.0\.0\.256"/ },
  ],
  [
    'cidr with a host name',
    f({ cidr: 'example.com/24' }),
    { at: '/detail/field/0/cidr', mentions: /Nonstandard IP address: "example\.com"/ },
  ],
  [
    'cidr with a bad IPv6 address',
    f({ cidr: '1:2:3:4:5:6:7:8:9/64' }),
    { at: '/detail/field/0/cidr', mentions: /Invalid IP address/ },
  ],
  [
    'cidr number',
    f({ cidr: 10 }),
    { at: '/detail/field/0/cidr', mentions: /cidr match pattern must be a string/ },
  ],
  // numeric
  ['numeric =', f({ numeric: ['=', 3.018e2] }), 'ok'],
  ['numeric >', f({ numeric: ['>', 0] }), 'ok'],
  ['numeric <=', f({ numeric: ['<=', 5] }), 'ok'],
  ['numeric range', f({ numeric: ['>', 0, '<=', 5] }), 'ok'],
  ['numeric range >= <', f({ numeric: ['>=', -10.5, '<', 10.25] }), 'ok'],
  ['numeric at the limits', f({ numeric: ['>=', -5e9, '<=', 5e9] }), 'ok'],
  ['numeric six decimals', f({ numeric: ['>', 0.123456] }), 'ok'],
  [
    'numeric not an array',
    f({ numeric: 5 }),
    { at: '/detail/field/0/numeric', mentions: /Value of numeric must be an array, found number 5/ },
  ],
  [
    'numeric []',
    f({ numeric: [] }),
    { at: '/detail/field/0/numeric', mentions: /Invalid member in numeric match: \]/ },
  ],
  [
    'numeric starting with a number',
    f({ numeric: [5, '<'] }),
    { at: '/detail/field/0/numeric/0', mentions: /Invalid member in numeric match: 5/ },
  ],
  [
    'numeric ==',
    f({ numeric: ['==', 5] }),
    { at: '/detail/field/0/numeric/0', mentions: /Unrecognized numeric range operator: ==/ },
  ],
  [
    'numeric with a string operand',
    f({ numeric: ['>', '5'] }),
    { at: '/detail/field/0/numeric/1', mentions: /Value of > must be numeric, found string "5"/ },
  ],
  [
    'numeric operator alone',
    f({ numeric: ['='] }),
    { at: '/detail/field/0/numeric/0', mentions: /Value of = must be numeric/ },
  ],
  [
    'numeric = with a second term',
    f({ numeric: ['=', 5, '<', 6] }),
    { at: '/detail/field/0/numeric/2', mentions: /Too many elements in numeric expression: "="/ },
  ],
  [
    'numeric range upper bound first',
    f({ numeric: ['<', 10, '>', 0] }),
    { at: '/detail/field/0/numeric/2', mentions: /Too many elements.*"<"/ },
  ],
  [
    'numeric range with two lower bounds',
    f({ numeric: ['>', 0, '>', 5] }),
    { at: '/detail/field/0/numeric/2', mentions: /Bad numeric range operator: >/ },
  ],
  [
    'numeric range with a number for an operator',
    f({ numeric: ['>', 0, 5] }),
    { at: '/detail/field/0/numeric/2', mentions: /Bad value in numeric range: 5/ },
  ],
  [
    'numeric range without an upper value',
    f({ numeric: ['>', 0, '<'] }),
    { at: '/detail/field/0/numeric/2', mentions: /Value of < must be numeric/ },
  ],
  [
    'numeric range with five terms',
    f({ numeric: ['>', 0, '<', 5, 6] }),
    { at: '/detail/field/0/numeric/4', mentions: /Too many terms in numeric range/ },
  ],
  [
    'numeric empty range',
    f({ numeric: ['>', 5, '<', 5] }),
    { at: '/detail/field/0/numeric/3', mentions: /Bottom must be less than top: 5 is not below 5/ },
  ],
  [
    'numeric inverted range',
    f({ numeric: ['>=', 10, '<=', 1] }),
    { at: '/detail/field/0/numeric/3', mentions: /Bottom must be less than top: 10/ },
  ],
  [
    'numeric above 5e9',
    f({ numeric: ['>', 6e9] }),
    {
      at: '/detail/field/0/numeric/1',
      mentions: /Value must be between -5000000000 and 5000000000.*6000000000/,
    },
  ],
  [
    'numeric below -5e9 in a range',
    f({ numeric: ['>', 0, '<', -1e10] }),
    { at: '/detail/field/0/numeric/3', mentions: /Value must be between/ },
  ],
  [
    'numeric > 5e9 leaves nothing',
    f({ numeric: ['>', 5e9] }),
    { at: '/detail/field/0/numeric/1', mentions: /Bottom must be less than top: > 5000000000/ },
  ],
  [
    'numeric < -5e9 leaves nothing',
    f({ numeric: ['<', -5e9] }),
    { at: '/detail/field/0/numeric/1', mentions: /Bottom must be less than top: < -5000000000/ },
  ],
  [
    'numeric seven decimals',
    f({ numeric: ['=', 0.1234567] }),
    { at: '/detail/field/0/numeric/1', mentions: /Only values up to 6 decimals.*0\.1234567/ },
  ],
  [
    'numeric with another key',
    f({ numeric: ['>', 0], exists: true }),
    {
      at: '/detail/field/0/exists',
      mentions: /Too many elements in numeric expression: "numeric".*"exists"/,
    },
  ],
  // anything-but
  ['anything-but string', f({ 'anything-but': 'initializing' }), 'ok'],
  ['anything-but number', f({ 'anything-but': 123 }), 'ok'],
  ['anything-but list of strings', f({ 'anything-but': ['stopped', 'overloaded'] }), 'ok'],
  ['anything-but list of numbers', f({ 'anything-but': [100, 200, 300] }), 'ok'],
  ['anything-but prefix', f({ 'anything-but': { prefix: 'init' } }), 'ok'],
  ['anything-but suffix', f({ 'anything-but': { suffix: '.txt' } }), 'ok'],
  ['anything-but prefix list', f({ 'anything-but': { prefix: ['a', 'b'] } }), 'ok'],
  ['anything-but equals-ignore-case', f({ 'anything-but': { 'equals-ignore-case': 'X' } }), 'ok'],
  ['anything-but equals-ignore-case list', f({ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }), 'ok'],
  ['anything-but wildcard', f({ 'anything-but': { wildcard: '*/lib/*' } }), 'ok'],
  ['anything-but wildcard list', f({ 'anything-but': { wildcard: ['a*', '*b'] } }), 'ok'],
  [
    'anything-but boolean',
    f({ 'anything-but': true }),
    {
      at: '/detail/field/0/anything-but',
      mentions: /Value of anything-but must be an array or single string\/number value, found boolean true/,
    },
  ],
  [
    'anything-but null',
    f({ 'anything-but': null }),
    { at: '/detail/field/0/anything-but', mentions: /anything-but.*null/ },
  ],
  [
    'anything-but []',
    f({ 'anything-but': [] }),
    { at: '/detail/field/0/anything-but', mentions: /either all values are number or string.*empty/ },
  ],
  [
    'anything-but mixed list',
    f({ 'anything-but': ['a', 1] }),
    { at: '/detail/field/0/anything-but', mentions: /mixed type is not supported/ },
  ],
  [
    'anything-but list with null',
    f({ 'anything-but': ['a', null] }),
    {
      at: '/detail/field/0/anything-but/1',
      mentions: /start\|null\|boolean is not supported: anything-but\[1\] is null/,
    },
  ],
  [
    'anything-but list with an object',
    f({ 'anything-but': [{ prefix: 'a' }] }),
    { at: '/detail/field/0/anything-but/0', mentions: /anything-but\[0\] is an object/ },
  ],
  [
    'anything-but number out of range',
    f({ 'anything-but': 1e10 }),
    { at: '/detail/field/0/anything-but', mentions: /Value must be between/ },
  ],
  [
    'anything-but {}',
    f({ 'anything-but': {} }),
    { at: '/detail/field/0/anything-but', mentions: /Anything-But expression name not found/ },
  ],
  [
    'anything-but numeric',
    f({ 'anything-but': { numeric: ['>', 0] } }),
    { at: '/detail/field/0/anything-but/numeric', mentions: /Unsupported anything-but pattern: numeric/ },
  ],
  [
    'anything-but exists',
    f({ 'anything-but': { exists: true } }),
    { at: '/detail/field/0/anything-but/exists', mentions: /Unsupported anything-but pattern: exists/ },
  ],
  [
    'anything-but prefix ""',
    f({ 'anything-but': { prefix: '' } }),
    { at: '/detail/field/0/anything-but/prefix', mentions: /Null prefix\/suffix not allowed.*prefix/ },
  ],
  [
    'anything-but suffix "" in a list',
    f({ 'anything-but': { suffix: ['a', ''] } }),
    { at: '/detail/field/0/anything-but/suffix/1', mentions: /Null prefix\/suffix not allowed.*suffix/ },
  ],
  [
    'anything-but prefix number',
    f({ 'anything-but': { prefix: 5 } }),
    {
      at: '/detail/field/0/anything-but/prefix',
      mentions: /prefix\/suffix match pattern must be a string, found number 5/,
    },
  ],
  [
    'anything-but prefix boolean',
    f({ 'anything-but': { prefix: true } }),
    {
      at: '/detail/field/0/anything-but/prefix',
      mentions: /anything-but must be an array or single string\/number value, found boolean true/,
    },
  ],
  [
    'anything-but equals-ignore-case number list',
    f({ 'anything-but': { 'equals-ignore-case': [1] } }),
    {
      at: '/detail/field/0/anything-but/equals-ignore-case/0',
      mentions: /anything-but\/equals-ignore-case list, number/,
    },
  ],
  [
    'anything-but wildcard with consecutive stars',
    f({ 'anything-but': { wildcard: 'a**' } }),
    { at: '/detail/field/0/anything-but/wildcard', mentions: /Consecutive wildcard characters.*"a\*\*"/ },
  ],
  [
    'anything-but with two wrappers',
    f({ 'anything-but': { prefix: 'a', suffix: 'b' } }),
    { at: '/detail/field/0/anything-but/suffix', mentions: /anything-but has "prefix" and "suffix"/ },
  ],
  [
    'anything-but with another key',
    f({ 'anything-but': 'a', prefix: 'b' }),
    { at: '/detail/field/0/prefix', mentions: /"anything-but" cannot be combined with "prefix"/ },
  ],
  // $or
  ['$or at the top', { $or: [{ source: ['a'] }, { 'detail-type': ['b'] }] }, 'ok'],
  ['$or inside detail', d({ $or: [{ a: [1] }, { b: [{ exists: false }] }] }), 'ok'],
  ['nested $or', d({ $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] }), 'ok'],
  [
    '$or not an array',
    d({ $or: { a: [1] } }),
    { at: '/detail/$or', mentions: /It must be an Array followed with \$or: found an object/ },
  ],
  [
    '$or with one branch',
    d({ $or: [{ a: [1] }] }),
    { at: '/detail/$or', mentions: /at least 2 Objects in \$or relationship \(found 1\)/ },
  ],
  ['$or empty', d({ $or: [] }), { at: '/detail/$or', mentions: /at least 2 Objects.*found 0/ }],
  [
    '$or with a string branch',
    d({ $or: [{ a: [1] }, 'b'] }),
    {
      at: '/detail/$or/1',
      mentions: /Only JSON object is allowed in array of \$or.*\$or\[1\] is string "b"/,
    },
  ],
  [
    '$or with an empty branch',
    d({ $or: [{ a: [1] }, {}] }),
    { at: '/detail/$or/1', mentions: /Empty objects are not allowed/ },
  ],
  [
    '$or with a reserved field name',
    d({ $or: [{ numeric: [1] }, { b: [2] }] }),
    {
      at: '/detail/$or/0/numeric',
      mentions: /numeric is Ruler reserved fieldName which cannot be used inside \$or/,
    },
  ],
  [
    '$or with a reserved name nested deeper',
    d({ $or: [{ a: { prefix: ['x'] } }, { b: [2] }] }),
    { at: '/detail/$or/0/a/prefix', mentions: /prefix is Ruler reserved/ },
  ],
  ['a reserved name outside $or', d({ prefix: ['x'] }), 'ok'],
  [
    '$or branch with a scalar leaf',
    d({ $or: [{ a: 1 }, { b: [2] }] }),
    { at: '/detail/$or/0/a', mentions: /"a" must be an object or an array/ },
  ],
  // Length
  ['a pattern at the size limit', d({ a: ['x'.repeat(2048 - JSON.stringify(d({ a: [''] })).length)] }), 'ok'],
  [
    'a pattern over the size limit',
    d({ a: ['x'.repeat(2048)] }),
    { at: '', mentions: /is 20\d\d characters long; EventBridge allows 2048/ },
  ],
];

describe('EventBridge event-pattern grammar', () => {
  it('has a table of at least 80 patterns, both kinds', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(cases.filter(([, , e]) => e === 'ok').length).toBeGreaterThan(30);
  });

  it.each(cases)('%s', (_, pattern, expected) => {
    const problems = checkEventPattern(pattern);
    if (expected === 'ok') {
      expect(problems).toEqual([]);
      return;
    }
    const found = problems.find((p) => p.pointer === expected.at);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found?.reason).toMatch(expected.mentions);
  });

  it('accepts the rule pattern of every consumer of the example spec (the notifications filter included)', async () => {
    const { model, diagnostics } = await loadContract(repoRoot, join(repoRoot, 'specs'), { validate: false });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const consumers = model?.consumers ?? [];
    expect(consumers.some((c) => c.filter !== undefined)).toBe(true);
    for (const consumer of consumers) {
      const events = model?.events.filter((e) => consumer.events.includes(e.names.payload)) ?? [];
      const pattern = consumerRulePattern(consumer, events);
      expect(pattern.source ?? pattern.$or).toBeDefined();
      expect(checkEventPattern(pattern)).toEqual([]);
    }
  });
});

describe('AWS name limits', () => {
  it.each([
    ['queueName', 'orders-fulfilment', undefined],
    ['queueName', 'q'.repeat(80), undefined],
    ['queueName', 'q'.repeat(81), /81 characters long; AWS allows 1–80/],
    ['queueName', 'orders.queue', /characters AWS refuses/],
    ['fifoQueueName', `${'q'.repeat(75)}.fifo`, undefined],
    ['fifoQueueName', `${'q'.repeat(76)}.fifo`, /81 characters long/],
    ['detailType', 'Order Placed', undefined],
    ['detailType', 'x'.repeat(129), /129 characters long; AWS allows 1–128/],
    ['eventSource', 'aws.orders', /characters AWS refuses.*aws\./],
    ['eventSource', 'shop.orders', undefined],
    ['schemaName', `shop.orders@${'x'.repeat(374)}`, /386 characters long; AWS allows 1–385/],
    ['eventBusName', 'default', /not "default"/],
    ['eventBusName', 'shop/orders', /no "\/"/],
  ] as const)('%s %s', (kind, name, expected) => {
    const problem = nameProblem(kind, name);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
