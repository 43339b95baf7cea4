import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../generator/diagnostics.js';
import { generate } from '../../generator/generate.js';
import { corporaRoot, tempProject, typeCheckGenerated } from '../helpers/project.js';

const suiteRoot = join(corporaRoot, 'json-schema-test-suite', 'tests');
const suitePresent = existsSync(suiteRoot);
if (!suitePresent) {
  console.warn(
    `[json-schema-suite] SKIPPED: the JSON Schema test suite is not at ${suiteRoot} ` +
      '(../shared/corpora relative to the repository root; CI has it, a fresh clone does not).',
  );
}

const drafts = ['draft7', 'draft2020-12'] as const;
type Draft = (typeof drafts)[number];

// ─── What does not apply, and why ──────────────────────────────────────────────────────────────

/**
 * Whole test files left out (paths relative to the draft folder; a file missing from one draft is
 * simply not there). Every other `optional/` file outside `optional/format/` is left out too, as
 * optional behaviour the specification does not require. `optional/format/*` IS run: evtgen asserts
 * formats (ajv-formats) — except the formats ajv-formats does not implement, which ajv ignores.
 */
const excludedFiles: Record<string, string> = {
  'refRemote.json':
    'remote $refs (http://localhost:1234/…): evtgen runs offline and refuses URL $refs (ref-remote diagnostic)',
  'vocabulary.json':
    '$vocabulary needs a custom meta-schema reached through $schema/$id; evtgen drops both and validates every ' +
    'OpenAPI 3.1 schema as plain 2020-12',
  'optional/format/idn-email.json': 'format not implemented by ajv-formats (ajv ignores unknown formats)',
  'optional/format/idn-hostname.json': 'format not implemented by ajv-formats (ajv ignores unknown formats)',
  'optional/format/iri.json': 'format not implemented by ajv-formats (ajv ignores unknown formats)',
  'optional/format/iri-reference.json': 'format not implemented by ajv-formats (ajv ignores unknown formats)',
};
const optionalReason =
  'optional/ outside optional/format/: behaviour the specification does not require (bignum, ' +
  'float-overflow, ECMA-262 regex details, cross-draft/$id/anchor/dynamicRef/unknownKeyword/' +
  'no-schema/format-assertion, which all need $schema/$id/$ref handling evtgen replaces with its bundle)';

/**
 * Keywords that identify or reference schemas. evtgen moves every `$ref` target into its own bundle
 * (`#/definitions/<Name>`, named after the pointer's last segment) and drops `$id`, `$anchor`,
 * `$defs`, `definitions` and `$schema`; base-URI resolution, anchors, dynamic scopes and refs into
 * `$defs` of an inline schema therefore cannot be expressed through it. A group whose schema uses one
 * of these in a schema position is left out (JSON-pointer `$ref`s between components are covered by
 * evtgen's own tests).
 */
const referenceKeywords = new Set([
  '$ref',
  '$id',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  'definitions',
  '$defs',
]);

/** Single tests left out, by draft and file, with the predicate on the test description. */
const excludedTests: { file: string; matches: (test: string) => boolean; reason: string }[] = [
  {
    file: 'draft2020-12/format.json',
    matches: (test) => test.endsWith('is only an annotation by default'),
    reason:
      'evtgen deliberately ASSERTS formats (ajv-formats), not the 2020-12 default of format as annotation; ' +
      'format assertion is what optional/format/* checks',
  },
];

type Failure = 'throws' | 'refuses';

/**
 * Groups with a valid schema on which `generate()` throws ('throws') or which it refuses with error
 * diagnostics ('refuses'), each with why. They are kept out of the batch (one of them would abort
 * every group); each is generated alone to check it still fails that way. The list is exact: once
 * one is fixed, remove its entry and it joins the batch.
 */
const knownEvtgenFailures: Record<string, { kind: Failure; reason: string }> = {
  'draft7/properties.json › properties whose names are Javascript object property names': {
    kind: 'refuses',
    reason:
      '@asyncapi/parser reads `properties: {__proto__: {type: number}}` into an object whose PROTOTYPE is ' +
      '{type: number}, then fails its own meta-schema check ("type" property type must be object,boolean at ' +
      '…/payload/properties/type): evtgen refuses the document',
  },
  'draft2020-12/enum.json › empty enum': {
    kind: 'refuses',
    reason:
      'a deliberate refusal, not a bug: `enum: []` accepts nothing and ajv cannot compile it, so evtgen ' +
      'reports schema-invalid at the keyword and suggests `not: {}` (model/schema-check.ts)',
  },
};

const inBoth = (path: string): string[] => drafts.map((draft) => `${draft}/${path}`);
const aLabels = (...tests: string[]): string[] =>
  tests.flatMap((t) =>
    inBoth(`optional/format/hostname.json › validation of A-label (punycode) host names › ${t}`),
  );

/**
 * Tests whose expected answer ajv 8.20.0 with ajv-formats 3.0.1 (evtgen's configuration) does not give.
 * Each entry is `<draft>/<test file> › <group description> › <test description>`.
 */
const knownAjvDeviations: { reason: string; tests: string[] }[] = [
  {
    reason:
      'ajv reads a property as `data.__proto__`, which is the prototype (an object), not the own property ' +
      'JSON.parse creates for a "__proto__" key, so the property schema is never applied to its value',
    tests: [
      'draft2020-12/properties.json › properties whose names are Javascript object property names › __proto__ not valid',
    ],
  },
  {
    reason: 'ajv refuses to compile `enum: []` ("enum must have non-empty array"); 2020-12 allows it',
    tests: [
      'array is invalid',
      'boolean is invalid',
      'null is invalid',
      'number is invalid',
      'object is invalid',
      'string is invalid',
    ].map((t) => `draft2020-12/enum.json › empty enum › ${t}`),
  },
  {
    reason:
      'ajv 2020 does not count `contains`, or `if` without then/else, or items of nested/true subschemas ' +
      'as evaluated for unevaluatedItems/unevaluatedProperties',
    tests: [
      "unevaluatedItems.json › unevaluatedItems and contains interact to control item dependency relationship › only a's and c's are invalid",
      "unevaluatedItems.json › unevaluatedItems and contains interact to control item dependency relationship › only b's and c's are invalid",
      "unevaluatedItems.json › unevaluatedItems and contains interact to control item dependency relationship › only b's are invalid",
      "unevaluatedItems.json › unevaluatedItems and contains interact to control item dependency relationship › only c's are invalid",
      'unevaluatedItems.json › unevaluatedItems can see annotations from if without then and else › valid in case if is evaluated',
      'unevaluatedItems.json › unevaluatedItems depends on adjacent contains › contains passes, second item is not evaluated',
      'unevaluatedItems.json › unevaluatedItems depends on multiple nested contains › 7 not evaluated, fails unevaluatedItems',
      'unevaluatedItems.json › unevaluatedItems with minContains = 0 › all items evaluated by contains',
      'unevaluatedItems.json › unevaluatedItems with nested items › with invalid additional item',
      'unevaluatedItems.json › unevaluatedItems with nested items › with no additional items',
      'unevaluatedProperties.json › unevaluatedProperties can see annotations from if without then and else › valid in case if is evaluated',
      'unevaluatedProperties.json › unevaluatedProperties with if/then/else, then not defined › when if is false and has unevaluated properties',
      'unevaluatedProperties.json › unevaluatedProperties with if/then/else, then not defined › when if is true and has no unevaluated properties',
    ].map((t) => `draft2020-12/${t}`),
  },
  {
    reason:
      'ajv-formats date-time: accepts "+01" offsets and hour 24 with a leap second, rejects >9 fraction digits',
    tests: [
      'a numeric offset without minutes is invalid',
      'a second fraction of fifteen nines is valid',
      'hour 24 is invalid even with a leap second',
    ].flatMap((t) => inBoth(`optional/format/date-time.json › validation of date-time strings › ${t}`)),
  },
  {
    reason: 'ajv-formats duration: its regex accepts designator sequences that skip a unit',
    tests: [
      'hours and seconds cannot appear without minutes',
      'years and days cannot appear without months',
    ].map((t) => `draft2020-12/optional/format/duration.json › validation of duration strings › ${t}`),
  },
  {
    reason: 'ajv-formats regex: compiles with `new RegExp(s)` (no `u` flag), which accepts the \\a escape',
    tests: inBoth(
      'optional/format/ecmascript-regex.json › \\a is not an ECMA 262 control escape › when used as a pattern',
    ),
  },
  {
    reason: 'ajv-formats email: no quoted local parts, no address literals',
    tests: [
      'a quoted string with a @ in the local part is valid',
      'a quoted string with a double dot in the local part is valid',
      'a quoted string with a space in the local part is valid',
      'an IPv4-address-literal after the @ is valid',
      'an IPv6-address-literal after the @ is valid',
    ].map((t) => `draft2020-12/optional/format/email.json › validation of e-mail addresses › ${t}`),
  },
  {
    reason:
      'ajv-formats hostname: an RFC 1123 regex; no IDNA2008/punycode (A-label) checks, accepts a trailing dot',
    tests: [
      ...aLabels(
        'Arabic-Indic digits mixed with Extended Arabic-Indic digits',
        'Begins with a Nonspacing Mark',
        'Begins with a Spacing Combining Mark',
        'Begins with an Enclosing Mark',
        'Exceptions that are DISALLOWED, left-to-right chars',
        'Exceptions that are DISALLOWED, right-to-left chars',
        'Greek KERAIA not followed by Greek',
        'Greek KERAIA not followed by anything',
        'Hebrew GERESH not preceded by Hebrew',
        'Hebrew GERESH not preceded by anything',
        'Hebrew GERSHAYIM not preceded by Hebrew',
        'Hebrew GERSHAYIM not preceded by anything',
        'KATAKANA MIDDLE DOT with no Hiragana, Katakana, or Han',
        'KATAKANA MIDDLE DOT with no other characters',
        "MIDDLE DOT with no following 'l'",
        "MIDDLE DOT with no preceding 'l'",
        'MIDDLE DOT with nothing following',
        'MIDDLE DOT with nothing preceding',
        'ZERO WIDTH JOINER not preceded by Virama',
        'ZERO WIDTH JOINER not preceded by anything',
        'contains "--" in the 3rd and 4th position',
        'contains illegal char U+302E Hangul single dot tone mark',
        'invalid Punycode',
      ),
      ...inBoth('optional/format/hostname.json › validation of host names › trailing dot'),
    ],
  },
  {
    reason:
      'ajv-formats uri / uri-reference: a permissive regex (ports, IPv4-in-IPv6, brackets, quotes, at-signs)',
    tests: [
      ...[
        'leading zero in an embedded IPv4 address is invalid',
        'non-numeric port is invalid',
        'square brackets are not allowed in a path segment',
      ].flatMap((t) => inBoth(`optional/format/uri.json › validation of URIs › ${t}`)),
      ...[
        'a colon in the first segment of a relative-path reference',
        'a double quote in a path',
        'a leading zero in the IPv4 part of an IPv6 literal',
        'a non-numeric port in a network-path reference',
        'more than one at-sign in the authority',
        'square brackets outside an authority',
      ].flatMap((t) => inBoth(`optional/format/uri-reference.json › validation of URI References › ${t}`)),
    ],
  },
  {
    reason:
      'ajv-formats uri-template: accepts DEL in literals, rejects dotted variable names and apostrophes',
    tests: [
      'a delete character in a literal is invalid',
      'a dotted variable name is valid',
      'an apostrophe in a literal is valid',
    ].flatMap((t) => inBoth(`optional/format/uri-template.json › format: uri-template › ${t}`)),
  },
  {
    reason: 'ajv-formats uuid: accepts the "urn:uuid:" prefix',
    tests: ['draft2020-12/optional/format/uuid.json › uuid format › URN prefixed UUID is invalid'],
  },
];

// ─── Reading the suite ─────────────────────────────────────────────────────────────────────────

interface SuiteTest {
  readonly description: string;
  readonly data: unknown;
  readonly valid: boolean;
}
interface SuiteGroup {
  readonly description: string;
  readonly schema: unknown;
  readonly tests: SuiteTest[];
}
interface Case {
  /** The message / operation name, e.g. `Case0001`. */
  readonly name: string;
  /** `draft7/optional/format/date.json` */
  readonly file: string;
  readonly group: SuiteGroup;
  /** The group's tests that are run (all but those in `excludedTests`). */
  readonly tests: SuiteTest[];
}
interface Selection {
  readonly cases: Case[];
  readonly excludedFiles: { file: string; groups: number; tests: number; reason: string }[];
  readonly excludedGroups: { key: string; tests: number; reason: string }[];
  readonly excludedTests: { key: string; reason: string }[];
  /** Groups whose schema ajv itself cannot compile: their tests count as deviations. */
  readonly uncompilable: { file: string; group: SuiteGroup }[];
  /** Groups listed in knownEvtgenFailures. */
  readonly failing: { file: string; group: SuiteGroup }[];
}

const schemaValued = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'items',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const schemaArrays = new Set(['allOf', 'anyOf', 'items', 'oneOf', 'prefixItems']);
const schemaMaps = new Set([
  '$defs',
  'definitions',
  'dependencies',
  'dependentSchemas',
  'patternProperties',
  'properties',
]);

/** Reference/identifier keywords used where a schema can be (not inside `const`, `enum`, …). */
function referenceKeywordsIn(schema: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const [keyword, child] of Object.entries(node)) {
      if (referenceKeywords.has(keyword)) found.add(keyword);
      if (Array.isArray(child)) {
        if (schemaArrays.has(keyword)) child.forEach(visit);
      } else if (schemaValued.has(keyword)) visit(child);
      else if (schemaMaps.has(keyword) && typeof child === 'object' && child !== null) {
        Object.values(child).forEach(visit);
      }
    }
  };
  visit(schema);
  return [...found].sort();
}

function suiteFiles(draft: Draft): string[] {
  const dir = join(suiteRoot, draft);
  const json = (sub: string) =>
    readdirSync(join(dir, sub))
      .filter((f) => f.endsWith('.json'))
      .map((f) => (sub === '' ? f : `${sub}/${f}`));
  return [...json(''), ...json('optional'), ...json('optional/format')].sort();
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

/** The group's schema compiled straight by ajv, configured as evtgen configures it (undefined if ajv refuses). */
function directValidator(draft: Draft, schema: unknown): ValidateFunction | undefined {
  const options = {
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    ownProperties: true,
    logger: false as const,
  };
  const ajv = draft === 'draft2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  try {
    return ajv.compile(schema as never);
  } catch {
    return undefined;
  }
}

function select(draft: Draft): Selection {
  const selection: Selection = {
    cases: [],
    excludedFiles: [],
    excludedGroups: [],
    excludedTests: [],
    uncompilable: [],
    failing: [],
  };
  for (const file of suiteFiles(draft)) {
    const groups = JSON.parse(readFileSync(join(suiteRoot, draft, file), 'utf8')) as SuiteGroup[];
    const path = `${draft}/${file}`;
    const fileReason =
      excludedFiles[file] ??
      (file.startsWith('optional/') && !file.startsWith('optional/format/') ? optionalReason : undefined);
    if (fileReason !== undefined) {
      const tests = groups.reduce((n, g) => n + g.tests.length, 0);
      selection.excludedFiles.push({ file: path, groups: groups.length, tests, reason: fileReason });
      continue;
    }
    for (const group of groups) {
      const key = `${path} › ${group.description}`;
      const refs = referenceKeywordsIn(group.schema);
      const reason = refs.length > 0 ? `uses ${refs.join(', ')}` : undefined;
      if (reason !== undefined) {
        selection.excludedGroups.push({ key, tests: group.tests.length, reason });
      } else if (knownEvtgenFailures[key] !== undefined) {
        selection.failing.push({ file: path, group });
      } else if (!directValidator(draft, group.schema)) {
        // One schema ajv refuses would abort the whole batch (evtgen bug, see the report).
        selection.uncompilable.push({ file: path, group });
      } else {
        const excluded = excludedTests.find((e) => e.file === path);
        const tests = group.tests.filter((test) => {
          if (!excluded?.matches(test.description)) return true;
          selection.excludedTests.push({ key: `${key} › ${test.description}`, reason: excluded.reason });
          return false;
        });
        const name = `Case${String(selection.cases.length + 1).padStart(4, '0')}`;
        selection.cases.push({ name, file: path, group, tests });
      }
    }
  }
  return selection;
}

// ─── The documents evtgen reads ────────────────────────────────────────────────────────────────

function asyncapiDocument(cases: readonly Pick<Case, 'name' | 'file' | 'group'>[]): string {
  const messages: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  const operationMessages: unknown[] = [];
  for (const c of cases) {
    // AsyncAPI's own Schema Object must be an object: a boolean schema is given as draft-07 JSON Schema.
    const payload =
      typeof c.group.schema === 'boolean'
        ? { schemaFormat: 'application/schema+json;version=draft-07', schema: c.group.schema }
        : c.group.schema;
    messages[c.name] = { name: c.name, summary: `${c.file}: ${c.group.description}`, payload };
    channelMessages[c.name] = { $ref: `#/components/messages/${c.name}` };
    operationMessages.push({ $ref: `#/channels/suite/messages/${c.name}` });
  }
  const document = {
    asyncapi: '3.0.0',
    info: { title: 'JSON Schema test suite draft-07', version: '1.0.0' },
    channels: { suite: { address: 'suite', messages: channelMessages } },
    operations: {
      sendSuite: { action: 'send', channel: { $ref: '#/channels/suite' }, messages: operationMessages },
    },
    components: { messages },
  };
  return JSON.stringify(document, null, 2);
}

function openapiDocument(cases: readonly Pick<Case, 'name' | 'file' | 'group'>[]): string {
  const paths: Record<string, unknown> = {};
  for (const c of cases) {
    const operationId = c.name.toLowerCase();
    paths[`/${operationId}`] = {
      post: {
        operationId,
        security: [],
        summary: `${c.file}: ${c.group.description}`,
        requestBody: { required: true, content: { 'application/json': { schema: c.group.schema } } },
        responses: { '204': { description: 'accepted' } },
      },
    };
  }
  const document = {
    openapi: '3.1.0',
    info: { title: 'JSON Schema test suite draft 2020-12', version: '1.0.0' },
    paths,
  };
  return JSON.stringify(document, null, 2);
}

function specFiles(
  draft: Draft,
  cases: readonly Pick<Case, 'name' | 'file' | 'group'>[],
): Record<string, string> {
  return draft === 'draft7'
    ? { 'specs/suite.asyncapi.json': asyncapiDocument(cases) }
    : { 'specs/suite.openapi.json': openapiDocument(cases) };
}

// ─── Running ───────────────────────────────────────────────────────────────────────────────────

type Validator = (data: unknown) => boolean;

interface Outcome {
  readonly key: string;
  readonly expected: boolean;
  /** 'uncompilable': ajv refused the schema, so it was not generated. */
  readonly evtgen: boolean | 'missing' | 'uncompilable';
  /** What ajv answers given the original schema directly ('error' if it cannot compile it). */
  readonly ajv: boolean | 'error';
}

interface DraftRun {
  /** The generated project. */
  readonly dir: string;
  readonly selection: Selection;
  readonly outcomes: Outcome[];
  readonly errors: Diagnostic[];
}

async function runDraft(draft: Draft): Promise<DraftRun> {
  const selection = select(draft);
  const dir = await tempProject(specFiles(draft, selection.cases));
  const result = await generate(dir, { mode: 'write', force: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ok) return { dir, selection, outcomes: [], errors };
  const compiledUrl = pathToFileURL(join(dir, 'generated', 'validators', 'compiled.js')).href;
  const compiled = (await import(compiledUrl)) as Record<string, Validator | undefined>;
  const outcomes: Outcome[] = selection.uncompilable.flatMap(({ file, group }) =>
    group.tests.map((test) => ({
      key: `${file} › ${group.description} › ${test.description}`,
      expected: test.valid,
      evtgen: 'uncompilable' as const,
      ajv: 'error' as const,
    })),
  );
  for (const c of selection.cases) {
    const validator = compiled[draft === 'draft7' ? c.name : `${c.name}RequestBody`];
    const direct = directValidator(draft, c.group.schema);
    for (const test of c.tests) {
      outcomes.push({
        key: `${c.file} › ${c.group.description} › ${test.description}`,
        expected: test.valid,
        evtgen: validator ? validator(test.data) : 'missing',
        ajv: direct ? direct(test.data) : 'error',
      });
    }
  }
  return { dir, selection, outcomes, errors };
}

/** `tsc --noEmit` (strict, NodeNext) over the project's generated TypeScript: the error lines. */
function summary(draft: Draft, run: DraftRun): string {
  const { selection: s, outcomes } = run;
  const tests = (list: { tests: number }[]) => list.reduce((n, x) => n + x.tests, 0);
  const groupTests = (list: { group: SuiteGroup }[]) => list.reduce((n, x) => n + x.group.tests.length, 0);
  const filesByReason = new Map<string, string[]>();
  for (const f of s.excludedFiles)
    filesByReason.set(f.reason, [...(filesByReason.get(f.reason) ?? []), f.file]);
  const refGroups = s.excludedGroups.filter((g) => g.reason.startsWith('uses '));
  const otherGroups = s.excludedGroups.filter((g) => !g.reason.startsWith('uses '));
  return [
    `[json-schema-suite] ${draft}: ran ${s.cases.length} groups / ${outcomes.length - groupTests(s.uncompilable)} tests through evtgen`,
    `  excluded ${s.excludedFiles.length} files (${s.excludedFiles.reduce((n, f) => n + f.groups, 0)} groups / ${tests(s.excludedFiles)} tests):`,
    ...[...filesByReason].map(([reason, files]) => `    - ${files.join(', ')}: ${reason}`),
    `  excluded ${refGroups.length} groups (${tests(refGroups)} tests) using $ref/$id/$anchor/$dynamicRef/$defs/definitions`,
    ...otherGroups.map((g) => `  excluded group ${g.key} (${g.tests} tests): ${g.reason}`),
    `  excluded ${s.excludedTests.length} single tests: ${[...new Set(s.excludedTests.map((t) => t.reason))].join('; ') || '-'}`,
    `  ${s.uncompilable.length} groups (${groupTests(s.uncompilable)} tests) ajv cannot compile: counted as deviations`,
    `  ${s.failing.length} groups (${groupTests(s.failing)} tests) evtgen throws on or refuses (knownEvtgenFailures)`,
    `  ${outcomes.filter((o) => o.evtgen !== o.expected).length} tests deviate from the suite (knownAjvDeviations)`,
  ].join('\n');
}

for (const draft of drafts) {
  describe.skipIf(!suitePresent)(`JSON Schema test suite ${draft} through evtgen`, () => {
    let run: DraftRun;
    beforeAll(async () => {
      run = await runDraft(draft);
      console.log(summary(draft, run));
    }, 600_000);

    it('generates a validator for every selected group, without errors', () => {
      expect(run.errors).toEqual([]);
      expect(run.outcomes.filter((o) => o.evtgen === 'missing').map((o) => o.key)).toEqual([]);
      expect(run.selection.cases.length).toBeGreaterThan(200);
    });

    it("answers exactly like ajv given the original schema (evtgen's conversion loses nothing)", () => {
      const differing = run.outcomes.filter((o) => o.evtgen !== 'uncompilable' && o.evtgen !== o.ajv);
      expect(differing.map((o) => `${o.key}: evtgen ${o.evtgen}, ajv ${o.ajv}`)).toEqual([]);
    });

    it('generated TypeScript type-checks, with a model type for every group', async () => {
      // Boolean schemas, `allOf: [{}]` and the like collapse to `unknown` in json-schema-to-typescript,
      // which then declares nothing; evtgen must still export the name envelopes and validators import.
      expect(await typeCheckGenerated(run.dir), 'type errors in the generated code').toEqual([]);
    });

    it('gives the suite answer except for exactly the known ajv deviations', () => {
      const failing = run.outcomes.filter((o) => o.evtgen !== o.expected).map((o) => o.key);
      const known = knownAjvDeviations.flatMap((d) => d.tests).filter((k) => k.startsWith(`${draft}/`));
      expect(new Set(known).size, 'knownAjvDeviations has duplicate entries').toBe(known.length);
      const unexpected = failing.filter((k) => !known.includes(k));
      // Entries in groups that evtgen currently refuses (knownEvtgenFailures) cannot be checked; they
      // stay listed for when those groups join the batch again.
      const notRun = new Set(run.selection.failing.map((c) => `${c.file} › ${c.group.description}`));
      const inNotRunGroup = (k: string) => notRun.has(k.slice(0, k.lastIndexOf(' › ')));
      const nowPassing = known.filter((k) => !failing.includes(k) && !inNotRunGroup(k));
      const ran = new Set(run.outcomes.map((o) => o.key));
      const unknown = known.filter((k) => !ran.has(k) && !inNotRunGroup(k));
      expect(unexpected, 'tests failing that are not in knownAjvDeviations').toEqual([]);
      expect(unknown, 'knownAjvDeviations entries naming no selected test').toEqual([]);
      expect(nowPassing, 'knownAjvDeviations entries that pass: remove them').toEqual([]);
    });

    it('still fails on each group in knownEvtgenFailures, as listed (remove an entry once fixed)', async () => {
      const listed = Object.keys(knownEvtgenFailures).filter((k) => k.startsWith(`${draft}/`));
      const found = run.selection.failing.map((c) => `${c.file} › ${c.group.description}`);
      expect(found.sort(), 'knownEvtgenFailures names groups that were not found').toEqual(listed.sort());
      const changed: string[] = [];
      for (const { file, group } of run.selection.failing) {
        const key = `${file} › ${group.description}`;
        const dir = await tempProject(specFiles(draft, [{ name: 'Case0001', file, group }]));
        const observed = await generate(dir, { mode: 'write', force: true }).then(
          (result) => (result.ok ? 'generates' : 'refuses'),
          () => 'throws',
        );
        if (observed !== knownEvtgenFailures[key]?.kind) changed.push(`${key}: now ${observed}`);
      }
      expect(changed, 'update knownEvtgenFailures (a fixed group joins the batch)').toEqual([]);
    });
  });
}
