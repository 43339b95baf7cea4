import { cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, type ExpectStatic, expect, it } from 'vitest';
import { type CliResult, repoRoot, runCli, snapshotTree, tempProject } from '../helpers/project.js';

/**
 * Bad input, end to end through the built CLI: every broken spec gets a located diagnostic
 * (`file:line:col  severity  code  message`, then `    at <pointer>` and `    fix: <hint>`), exit 1,
 * no stack trace, and a `generated/` that is exactly what it was before.
 *
 * Each case starts from a project whose output is known good: fixtures/valid/ with the generated/
 * a real run made from it; then its specs/ is replaced by fixtures/<case>/ (the same service with
 * one mistake) and `generate` runs again. Line and column numbers below were read off the fixture
 * files; each expectation also names the fixture text the position must fall on, so a wrong column
 * fails with the offending source line in the message.
 */

const fixtures = join(repoRoot, 'test', 'bad-input', 'fixtures');

/** A diagnostic as the CLI prints it. */
interface PrintedDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  /** '' for the document root, as in the JSON output. */
  pointer: string;
  hint?: string;
}

const headLine =
  /^(?<file>\S+):(?<line>\d+):(?<column>\d+) {2}(?<severity>error|warning|info) {2}(?<code>\S+) {2}(?<message>.*)$/;

/** Parses every `file:line:col  severity  code  message` block (with its `at` and `fix` lines). */
function parseDiagnostics(output: string): PrintedDiagnostic[] {
  const found: PrintedDiagnostic[] = [];
  let current: PrintedDiagnostic | undefined;
  for (const line of output.split('\n')) {
    const groups = headLine.exec(line)?.groups;
    if (groups) {
      current = {
        file: groups.file ?? '',
        line: Number(groups.line),
        column: Number(groups.column),
        severity: groups.severity ?? '',
        code: groups.code ?? '',
        message: groups.message ?? '',
        pointer: '',
      };
      found.push(current);
    } else if (current && line.startsWith('    at ')) {
      const pointer = line.slice('    at '.length);
      current.pointer = pointer === '(document root)' ? '' : pointer;
    } else if (current && line.startsWith('    fix: ')) {
      current.hint = line.slice('    fix: '.length);
    } else {
      current = undefined;
    }
  }
  return found;
}

/**
 * No exception escaped: no stack frames (`at fn (file.js:1:2)`, `node:internal`) and no
 * `SomethingError: …` line as oclif prints an uncaught error. evtgen's own `    at /json/pointer`
 * lines have neither parentheses nor `.js:<digits>`.
 */
function expectNoCrash(expect: ExpectStatic, output: string): void {
  expect(output).not.toContain('node:internal');
  expect(output).not.toMatch(/\.[cm]?js:\d+/);
  expect(output).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)\s*$/m);
  expect(output).not.toMatch(/^\s*[A-Z]\w*Error: /m);
}

interface OutputState {
  /** Every file under generated/, by relative path. */
  readonly files: Record<string, string>;
  /** Modification times: a rewrite with identical content is still a write. */
  readonly mtimes: Record<string, number>;
  /** Entries of the project root besides the spec folders (a leftover staging folder would show). */
  readonly rootEntries: string[];
}

async function outputState(dir: string): Promise<OutputState> {
  const generated = join(dir, 'generated');
  const files = await snapshotTree(generated);
  const mtimes: Record<string, number> = {};
  for (const path of Object.keys(files)) mtimes[path] = (await stat(join(generated, path))).mtimeMs;
  const rootEntries = (await readdir(dir)).filter((name) => name !== 'specs' && name !== 'spec').sort();
  return { files, mtimes, rootEntries };
}

let knownGood: Promise<string> | undefined;

/** A project made of fixtures/valid/ and generated once by a real run; shared by every case. */
function knownGoodProject(): Promise<string> {
  knownGood ??= (async () => {
    const dir = await tempProject();
    await cp(join(fixtures, 'valid'), dir, { recursive: true });
    const first = await runCli(['generate'], dir);
    if (first.code !== 0) throw new Error(`fixtures/valid does not generate:\n${first.stderr}`);
    return dir;
  })();
  return knownGood;
}

afterAll(async () => {
  if (knownGood) await rm(await knownGood, { recursive: true, force: true });
});

/**
 * A temporary copy of the valid project with a known-good generated/ in place. With `inPlace` the
 * output is generated in this very project (so evtgen's input cache of that run is there too);
 * otherwise the tree generated once from the same specs is copied in.
 */
async function projectWithGoodOutput(
  expect: ExpectStatic,
  { inPlace = false } = {},
): Promise<{ dir: string; before: OutputState }> {
  const dir = await tempProject();
  await cp(join(fixtures, 'valid'), dir, { recursive: true });
  if (inPlace) {
    const first = await runCli(['generate'], dir);
    expect(first.code, first.stderr).toBe(0);
  } else {
    await cp(join(await knownGoodProject(), 'generated'), join(dir, 'generated'), { recursive: true });
  }
  const before = await outputState(dir);
  expect(Object.keys(before.files)).toEqual(
    expect.arrayContaining(['.evtgen-manifest.json', 'events/models.ts', 'http/operations.ts']),
  );
  return { dir, before };
}

/** Replaces the project's specs with the broken copy in fixtures/<fixture>/. */
async function breakProject(dir: string, fixture: string): Promise<void> {
  await rm(join(dir, 'specs'), { recursive: true, force: true });
  await cp(join(fixtures, fixture), dir, { recursive: true });
}

/** A diagnostic a case must produce. */
interface Expected {
  /** `file:line:col` exactly as printed. */
  readonly at: string;
  /** The code; a value ending in `/` is a prefix (the AsyncAPI parser's rule names). */
  readonly code: string;
  readonly message: RegExp;
  readonly pointer: string;
  readonly hint?: RegExp;
  /** Fixture text the position must fall on (from its first character to just past its last). */
  readonly text?: string;
  /** For collisions: the other location, which the message must name, and the text there. */
  readonly other?: { readonly at: string; readonly text: string };
}

interface Case {
  readonly name: string;
  readonly fixture: string;
  readonly expected: readonly Expected[];
}

function splitLocation(at: string): { file: string; line: number; column: number } {
  const match = /^(.+):(\d+):(\d+)$/.exec(at);
  if (!match) throw new Error(`Not a file:line:col location: ${at}`);
  return { file: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) };
}

/** Asserts that `at` (a location inside fixtures/<fixture>/) falls on `text`. */
async function expectPointsAt(
  expect: ExpectStatic,
  fixture: string,
  at: string,
  text: string,
): Promise<void> {
  const { file, line, column } = splitLocation(at);
  const source = (await readFile(join(fixtures, fixture, file), 'utf8')).split('\n')[line - 1] ?? '';
  const start = source.indexOf(text);
  const where = `${at} is on the line ${JSON.stringify(source)}, expected it on ${JSON.stringify(text)}`;
  expect(start, where).toBeGreaterThanOrEqual(0);
  expect(column, where).toBeGreaterThanOrEqual(start + 1);
  expect(column, where).toBeLessThanOrEqual(start + text.length + 1);
}

/** Asserts every expected diagnostic is printed in `output`, with its pointer, hint and position. */
async function expectDiagnostics(
  expect: ExpectStatic,
  fixture: string,
  output: string,
  expected: readonly Expected[],
): Promise<void> {
  const printed = parseDiagnostics(output);
  for (const want of expected) {
    expect(output).toContain(`${want.at}  error  ${want.code}`);
    const { file, line, column } = splitLocation(want.at);
    const codeMatches = (code: string) =>
      want.code.endsWith('/') ? code.startsWith(want.code) : code === want.code;
    const match = printed.find(
      (d) =>
        d.file === file &&
        d.line === line &&
        d.column === column &&
        d.severity === 'error' &&
        codeMatches(d.code) &&
        want.message.test(d.message),
    );
    expect(
      match,
      `no ${want.code} diagnostic at ${want.at} matching ${want.message} in:\n${output}`,
    ).toBeDefined();
    if (!match) continue;
    expect(match.pointer).toBe(want.pointer);
    expect(match.hint, 'every diagnostic says how to fix it').toMatch(want.hint ?? /\S/);
    if (want.text !== undefined) await expectPointsAt(expect, fixture, want.at, want.text);
    if (want.other) {
      expect(match.message).toContain(`${want.other.at} (`);
      await expectPointsAt(expect, fixture, want.other.at, want.other.text);
    }
  }
}

/** The common contract of a failed run: exit 1, the diagnostics, no crash, nothing listed as written. */
async function expectRejected(
  expect: ExpectStatic,
  result: CliResult,
  fixture: string,
  expected: readonly Expected[],
): Promise<void> {
  expectNoCrash(expect, result.stdout + result.stderr);
  expect(result.code, result.stderr).toBe(1);
  await expectDiagnostics(expect, fixture, result.stderr, expected);
  expect(result.stderr).toContain('Nothing was written');
  expect(result.stdout).not.toMatch(/^\s+(added|changed|removed)\s/m);
}

const asyncapi = 'specs/orders.asyncapi.yaml';
const openapi = 'specs/orders.openapi.yaml';

const cases: Case[] = [
  // 1. Malformed YAML/JSON: the position is where the YAML parser detects the problem.
  {
    name: 'YAML: a key indented one column short of its siblings',
    fixture: 'yaml-bad-indentation',
    expected: [
      {
        at: `${asyncapi}:28:1`,
        code: 'yaml-syntax',
        message: /Malformed YAML\/JSON: All mapping items must start at the same column/,
        pointer: '',
        hint: /indentation/,
        text: '           format: uuid',
      },
    ],
  },
  {
    name: 'YAML: an unclosed flow mapping',
    fixture: 'yaml-unclosed-flow-mapping',
    expected: [
      {
        // The `{` opened on line 22 is found unclosed where the next block key starts.
        at: `${asyncapi}:23:7`,
        code: 'yaml-syntax',
        message: /Flow map .*must be sufficiently indented and end with a \}/,
        pointer: '',
        hint: /unclosed brackets/,
        text: 'payload:',
      },
    ],
  },
  {
    name: 'YAML: the same property key twice',
    fixture: 'yaml-duplicate-key',
    expected: [
      {
        at: `${asyncapi}:31:11`,
        code: 'yaml-syntax',
        message: /Map keys must be unique/,
        pointer: '',
        text: 'orderId:',
      },
    ],
  },
  {
    name: 'JSON: a missing comma between properties',
    fixture: 'json-missing-comma',
    expected: [
      {
        at: 'specs/orders.asyncapi.json:29:13',
        code: 'yaml-syntax',
        message: /Missing , between flow map items/,
        pointer: '',
        text: '"total"',
      },
    ],
  },
  // 2. Unresolved $refs, located at the $ref.
  {
    name: '$ref to a schema name that does not exist in the same file',
    fixture: 'ref-missing-schema',
    expected: [
      {
        at: `${asyncapi}:30:13`,
        code: 'ref-unresolved',
        message:
          /\$ref "#\/components\/schemas\/Customer" cannot be resolved: specs\/orders\.asyncapi\.yaml has nothing at "\/components\/schemas\/Customer"/,
        pointer: '/components/messages/OrderPlaced/payload/properties/customer/$ref',
        hint: /spelling of the pointer/,
        text: '$ref',
      },
    ],
  },
  {
    name: '$ref to a file that does not exist (typo in the path)',
    fixture: 'ref-missing-file',
    expected: [
      {
        at: `${asyncapi}:30:13`,
        code: 'ref-unresolved',
        message:
          /\$ref "\.\/schemas\/comon\.yaml#\/Money" names the file "\.\/schemas\/comon\.yaml", which does not exist/,
        pointer: '/components/messages/OrderPlaced/payload/properties/total/$ref',
        hint: /relative path/,
        text: '$ref',
      },
    ],
  },
  {
    name: '$ref to a name that does not exist in another file',
    fixture: 'ref-missing-pointer',
    expected: [
      {
        at: `${asyncapi}:32:13`,
        code: 'ref-unresolved',
        message:
          /\$ref "\.\/schemas\/common\.yaml#\/Currency" cannot be resolved: specs\/schemas\/common\.yaml has nothing at "\/Currency"/,
        pointer: '/components/messages/OrderPlaced/payload/properties/currency/$ref',
        text: '$ref',
      },
    ],
  },
  // 3. Circular $refs.
  {
    name: 'circular $ref between two components.schemas used by a payload',
    fixture: 'ref-circular',
    expected: [
      {
        at: `${asyncapi}:23:9`,
        code: 'ref-circular',
        message: /\$ref "#\/components\/schemas\/OrderPlacedPayload" is circular/,
        pointer: '/components/messages/OrderPlaced/payload/$ref',
        hint: /recursion is allowed only through properties/,
        text: '$ref',
      },
      {
        at: `${asyncapi}:26:7`,
        code: 'ref-circular',
        message: /\$ref "#\/components\/schemas\/OrderRecord" is circular/,
        pointer: '/components/schemas/OrderPlacedPayload/$ref',
        text: '$ref',
      },
      {
        at: `${asyncapi}:28:7`,
        code: 'ref-circular',
        message: /\$ref "#\/components\/schemas\/OrderPlacedPayload" is circular/,
        pointer: '/components/schemas/OrderRecord/$ref',
        text: '$ref',
      },
    ],
  },
  {
    name: 'circular $ref inside a shared file (common.yaml)',
    fixture: 'ref-circular-across-files',
    expected: [
      {
        at: `${asyncapi}:30:13`,
        code: 'ref-circular',
        message: /\$ref "\.\/schemas\/common\.yaml#\/Money" is circular/,
        pointer: '/components/messages/OrderPlaced/payload/properties/total/$ref',
        text: '$ref',
      },
    ],
  },
  // 4. Documents the AsyncAPI parser rejects.
  {
    name: 'AsyncAPI: an operation with action "publish" (2.x vocabulary)',
    fixture: 'asyncapi-action-publish',
    expected: [
      {
        at: `${asyncapi}:15:13`,
        code: 'asyncapi/',
        message: /"action" property must be equal to one of the allowed values: "send", "receive"/,
        pointer: '/operations/publishOrderPlaced/action',
        hint: /AsyncAPI 3\.0 specification/,
        text: 'publish',
      },
    ],
  },
  {
    name: 'AsyncAPI: a channel whose messages are a list instead of a map',
    fixture: 'asyncapi-channel-messages-list',
    expected: [
      {
        // The parser locates a block value just past its key's colon.
        at: `${asyncapi}:10:14`,
        code: 'asyncapi/',
        message: /"messages" property type must be object/,
        pointer: '/channels/orders/messages',
        text: 'messages:',
      },
    ],
  },
  {
    name: 'AsyncAPI: an operation on a channel that does not exist',
    fixture: 'asyncapi-operation-channel-missing',
    expected: [
      {
        at: `${asyncapi}:17:13`,
        code: 'asyncapi/',
        message: /'#\/channels\/order' does not exist/,
        pointer: '/operations/publishOrderPlaced/channel/$ref',
        text: "'#/channels/order'",
      },
    ],
  },
  // 5. Unsupported versions.
  {
    name: 'AsyncAPI 2.6.0',
    fixture: 'asyncapi-2.6',
    expected: [
      {
        at: `${asyncapi}:1:1`,
        code: 'spec-version-unsupported',
        message: /Unsupported AsyncAPI version "2\.6\.0"; evtgen reads AsyncAPI 3\.0/,
        pointer: '/asyncapi',
        hint: /Convert it to AsyncAPI 3\.0\.0 with `npx @asyncapi\/cli convert`/,
        text: 'asyncapi: 2.6.0',
      },
    ],
  },
  {
    name: "Swagger '2.0'",
    fixture: 'swagger-2.0',
    expected: [
      {
        at: `${openapi}:1:1`,
        code: 'spec-version-unsupported',
        message: /Unsupported Swagger version "2\.0"; evtgen reads OpenAPI 3\.0 and 3\.1/,
        pointer: '/swagger',
        hint: /convert Swagger 2\.0/,
        text: "swagger: '2.0'",
      },
    ],
  },
  // 6. Name collisions name both locations.
  {
    name: 'messages "OrderPlaced" and "order-placed" become the same TypeScript names',
    fixture: 'name-collision-messages',
    expected: [
      {
        at: `${asyncapi}:27:5`,
        code: 'name-collision',
        message:
          /"order-placed" and the message detail type at .* both become the TypeScript name `OrderPlacedDetail`/,
        pointer: '/components/messages/order-placed',
        hint: /Rename one of them/,
        text: 'order-placed:',
        other: { at: `${asyncapi}:20:5`, text: 'OrderPlaced:' },
      },
    ],
  },
  {
    name: 'a components.schemas entry named like a message but not its payload',
    fixture: 'name-collision-schema',
    expected: [
      {
        at: `${asyncapi}:30:5`,
        code: 'name-collision',
        message:
          /The schema "OrderPlaced" and the schema at .* both become the TypeScript name `OrderPlaced`/,
        pointer: '/components/schemas/OrderPlaced',
        text: 'OrderPlaced:',
        other: { at: `${asyncapi}:22:7`, text: 'payload:' },
      },
    ],
  },
  {
    // Across documents one name may be one schema (the same content becomes one type); a different
    // one is refused with its first difference, located at it.
    name: 'an OpenAPI schema named like an AsyncAPI message payload but different (two files)',
    fixture: 'name-collision-across-files',
    expected: [
      {
        at: `${openapi}:24:9`,
        code: 'schema-conflict',
        message:
          /^The schema "OrderPlaced" and the schema at .* have one name but differ at \/properties\/orderId\/format: \(absent\) here, "uuid" there\.$/,
        pointer: '/components/schemas/OrderPlaced/properties/orderId/format',
        hint: /^Define it once in a shared file under specs\/ \(e\.g\. specs\/schemas\/order-placed\.yaml\) and \$ref it from both documents, or rename one of them\.$/,
        text: 'orderId:',
        other: { at: `${asyncapi}:22:7`, text: 'payload:' },
      },
    ],
  },
  // 7. Extension values, each located at the offending key.
  {
    name: 'x-consumer batchSize 0 and delivery carrier-pigeon, x-eventbridge detailType 5',
    fixture: 'extension-invalid',
    expected: [
      {
        at: `${asyncapi}:23:7`,
        code: 'extension-invalid',
        message: /Invalid x-consumer\.delivery "carrier-pigeon": .*allowed: "queue", "direct"/,
        pointer: '/operations/onOrderPlaced/x-consumer/delivery',
        hint: /x-consumer reference in docs\/specs\.md/,
        text: 'delivery: carrier-pigeon',
      },
      {
        at: `${asyncapi}:24:7`,
        code: 'extension-invalid',
        message: /Invalid x-consumer\.batchSize 0: must be >= 1/,
        pointer: '/operations/onOrderPlaced/x-consumer/batchSize',
        text: 'batchSize: 0',
      },
      {
        at: `${asyncapi}:30:9`,
        code: 'extension-invalid',
        message: /Invalid x-eventbridge\.detailType 5: must be string/,
        pointer: '/components/messages/OrderPlaced/x-eventbridge/detailType',
        hint: /x-eventbridge reference in docs\/specs\.md/,
        text: 'detailType: 5',
      },
    ],
  },
  {
    name: 'x-cors: an origin with a path, credentials with the origin "*", an unknown field',
    fixture: 'cors-invalid',
    expected: [
      {
        at: `${openapi}:8:7`,
        code: 'extension-invalid',
        message: /^Invalid x-cors\.allowOrigins\[1\] "https:\/\/shop\.example\.org\/": not an origin\.$/,
        pointer: '/x-cors/allowOrigins/1',
        hint: /without a path or a trailing slash/,
        text: 'https://shop.example.org/',
      },
      {
        at: `${openapi}:9:3`,
        code: 'extension-invalid',
        message:
          /^Invalid x-cors\.allowCredentials true: API Gateway does not allow credentials with the origin "\*" \(x-cors\.allowOrigins\[0\], line 7\)\.$/,
        pointer: '/x-cors/allowCredentials',
        hint: /List the origins that may send credentials instead of "\*"/,
        text: 'allowCredentials: true',
      },
      {
        at: `${openapi}:10:3`,
        code: 'extension-invalid',
        message: /^Invalid x-cors\.maxAge: unknown field \(known: .*"maxAgeSeconds".*\)\.$/,
        pointer: '/x-cors/maxAge',
        hint: /x-cors reference in docs\/specs\.md/,
        text: 'maxAge: 600',
      },
    ],
  },
  // What AWS would refuse at deploy time (docs/deploy-checks.md): located at the spec value.
  {
    name: 'x-consumer.filter: a scalar leaf, exists "yes", Prefix, an empty numeric range',
    fixture: 'event-pattern-invalid',
    expected: [
      {
        at: `${asyncapi}:30:11`,
        code: 'event-pattern-invalid',
        message:
          /Event pattern is not valid\. Reason: "status" must be an object or an array: found string "placed"/,
        pointer: '/operations/onOrderPlaced/x-consumer/filter/data/status',
        hint: /EventBridge pattern syntax/,
        text: 'status: placed',
      },
      {
        at: `${asyncapi}:33:17`,
        code: 'event-pattern-invalid',
        message: /Reason: exists match pattern must be either true or false, found string "yes"/,
        pointer: '/operations/onOrderPlaced/x-consumer/filter/data/customer/email/0/exists',
        text: "exists: 'yes'",
      },
      {
        at: `${asyncapi}:35:15`,
        code: 'event-pattern-invalid',
        message:
          /Reason: Unrecognized match type Prefix \(matcher names are case-sensitive: write "prefix"\)/,
        pointer: '/operations/onOrderPlaced/x-consumer/filter/data/region/0/Prefix',
        text: 'Prefix: EU-',
      },
      {
        at: `${asyncapi}:38:42`,
        code: 'event-pattern-invalid',
        message: /Reason: Bottom must be less than top: 100 is not below 10/,
        pointer: '/operations/onOrderPlaced/x-consumer/filter/data/total/amount/0/numeric/3',
        text: '10]',
      },
    ],
  },
  {
    name: 'a detail-type over 128 characters and a derived target-DLQ name over 80',
    fixture: 'aws-names-too-long',
    expected: [
      {
        at: `${asyncapi}:32:13`,
        code: 'aws-name-invalid',
        message:
          /queue name "orders-fulfilment-queue-of-the-order-placed-events-of-the-shop-service-target-dlq" is 81 characters long; AWS allows 1–80/,
        pointer: '/operations/onOrderPlaced/bindings/sqs/queues/0/name',
        hint: /CreateQueue\.QueueName/,
        text: 'name: orders-fulfilment',
      },
      {
        at: `${asyncapi}:37:7`,
        code: 'aws-name-invalid',
        message: /detail-type "OrderPlacedWithAVeryLong\w+" is 144 characters long; AWS allows 1–128/,
        pointer: '/components/messages/OrderPlaced/name',
        hint: /PutEventsRequestEntry\.DetailType/,
        text: 'name: OrderPlaced',
      },
    ],
  },
  {
    name: "examples their schemas refuse: an AsyncAPI payload, an OpenAPI parameter and a $ref'd body example",
    fixture: 'example-invalid',
    expected: [
      {
        at: `${asyncapi}:52:21`,
        code: 'example-invalid',
        message:
          /The example "amount-as-text" of message OrderPlaced \(payload\) does not match its schema: \/total\/amount must be integer/,
        pointer: '/components/messages/OrderPlaced/examples/1/payload/total/amount',
        hint: /satisfies the schema/,
        text: "amount: '12.50'",
      },
      {
        at: `${openapi}:50:11`,
        code: 'example-invalid',
        message:
          /example of GET \/orders\/\{orderId\} path parameter "orderId" does not match its schema: the value must match format "uuid"/,
        pointer: '/paths/~1orders~1{orderId}/get/parameters/0/example',
        text: 'example: order-42',
      },
      {
        at: `${openapi}:59:9`,
        code: 'example-invalid',
        message:
          /example "noCurrency" of POST \/orders request body \(application\/json\) does not match its schema: \/total must have required property 'currency'/,
        pointer: '/components/examples/NoCurrency/value/total',
        text: 'total:',
      },
    ],
  },
  {
    name: 'x-slo: an error rate of 0 on the document, a p99 in words and an unknown field on an operation',
    fixture: 'slo-invalid',
    expected: [
      {
        at: `${openapi}:6:3`,
        code: 'extension-invalid',
        message: /^Invalid x-slo\.errorRatePercent 0: must be > 0\.$/,
        pointer: '/x-slo/errorRatePercent',
        hint: /x-slo reference in docs\/specs\.md \(schema: generator\/extensions\/slo\.schema\.json\)/,
        text: 'errorRatePercent: 0',
      },
      {
        at: `${openapi}:13:9`,
        code: 'extension-invalid',
        message: /^Invalid x-slo\.p99Ms "fast": must be number\.$/,
        pointer: '/paths/~1orders/post/x-slo/p99Ms',
        text: 'p99Ms: fast',
      },
      {
        at: `${openapi}:14:9`,
        code: 'extension-invalid',
        message: /^Invalid x-slo\.p95Ms: unknown field \(known: "p99Ms", "errorRatePercent"\)\.$/,
        pointer: '/paths/~1orders/post/x-slo/p95Ms',
        text: 'p95Ms: 200',
      },
    ],
  },
  // 8. OpenAPI operations.
  {
    name: 'OpenAPI: a name derived from method and path taken by another operationId',
    fixture: 'openapi-operation-id-derived-collision',
    expected: [
      {
        at: `${openapi}:28:5`,
        code: 'name-collision',
        message:
          /The operation "getOrdersByOrderId" and the operation at .* both become the TypeScript name `GetOrdersByOrderId`/,
        pointer: '/paths/~1order-lookup/get',
        hint: /Rename one of them/,
        text: 'get:',
        other: { at: `${openapi}:16:5`, text: 'get:' },
      },
    ],
  },
  // Secure by default: no `security` anywhere is refused, not turned into a public route; the
  // operation that says `security: []` (getHealth, above it in the file) is public on purpose and
  // not reported.
  {
    name: 'OpenAPI: an operation with no security on it or on the document',
    fixture: 'openapi-security-missing',
    expected: [
      {
        at: `${openapi}:15:5`,
        code: 'operation-security-missing',
        message:
          /^POST \/orders \(operationId createOrder\) declares no security, neither on the operation nor on the document/,
        pointer: '/paths/~1orders/post',
        hint: /`security: \[\]`.*public on purpose.*document-level `security`/,
        text: 'post:',
      },
    ],
  },
  {
    name: 'OpenAPI: x-emits naming a message no AsyncAPI document has',
    fixture: 'openapi-emits-unknown-message',
    expected: [
      {
        at: `${openapi}:12:11`,
        code: 'emits-unknown-message',
        message:
          /x-emits names "OrderShipped", which is not a message of any AsyncAPI document \(known: OrderPlaced\)/,
        pointer: '/paths/~1orders/post/x-emits/1',
        text: 'OrderShipped',
      },
    ],
  },
  // The parser's channel-parameters rule, which evtgen runs itself (the parser's is off: see
  // load/asyncapi-validate.ts).
  {
    name: 'AsyncAPI: channel parameters missing from and redundant with the address',
    fixture: 'asyncapi-channel-parameters',
    expected: [
      {
        at: `${asyncapi}:11:5`,
        code: 'asyncapi/asyncapi3-channel-parameters',
        message: /Missed: tier\./,
        pointer: '/channels/orders/parameters',
        text: 'parameters:',
      },
      {
        at: `${asyncapi}:14:7`,
        code: 'asyncapi/asyncapi3-channel-parameters',
        message: /redundant defined "tenant" parameter/,
        pointer: '/channels/orders/parameters/tenant',
        text: 'tenant:',
      },
    ],
  },
  {
    name: 'AsyncAPI: an operation with an inline message instead of a $ref',
    fixture: 'asyncapi-operation-inline-message',
    expected: [
      {
        at: `${asyncapi}:20:9`,
        code: 'asyncapi-operation-reference',
        message: /An operation's message must be a \$ref to a message of the operation's channel/,
        pointer: '/operations/publishOrderPlaced/messages/0',
        text: 'name: Inline',
      },
    ],
  },
  // Schemas ajv cannot compile: located at the keyword, not thrown from inside the compiler.
  {
    name: 'schemas with an empty enum, broken patterns and an unknown type',
    fixture: 'schema-uncompilable',
    expected: [
      {
        at: `${asyncapi}:43:13`,
        code: 'schema-invalid',
        message: /The pattern "\(unclosed" is not a valid regular expression \(.*Unterminated group\)/,
        pointer: '/components/messages/OrderPlaced/payload/properties/note/pattern',
        text: 'pattern:',
      },
      {
        at: `${openapi}:23:19`,
        code: 'schema-invalid',
        message: /`enum: \[\]` accepts no value at all/,
        pointer: '/paths/~1orders/post/requestBody/content/application~1json/schema/properties/channel/enum',
        hint: /not: \{\}/,
        text: 'enum:',
      },
      {
        at: `${openapi}:26:19`,
        code: 'schema-invalid',
        message: /The pattern "\[A-Z" is not a valid regular expression/,
        pointer:
          '/paths/~1orders/post/requestBody/content/application~1json/schema/properties/coupon/pattern',
        text: 'pattern:',
      },
      {
        at: `${openapi}:28:25`,
        code: 'openapi/struct',
        message: /`type` can be one of the following only/,
        pointer: '/paths/~1orders/post/requestBody/content/application~1json/schema/properties/quantity/type',
        hint: /integer/,
        text: 'integr',
      },
    ],
  },
  // 9. No specs/ folder (the documents sit in a misnamed spec/).
  {
    name: 'no specs folder',
    fixture: 'specs-missing',
    expected: [
      {
        at: 'specs:1:1',
        code: 'specs-missing',
        message: /The specs folder specs does not exist/,
        pointer: '',
        hint: /Create specs\/.*docs\/specs\.md/,
      },
    ],
  },
];

describe('bad input: generate reports it and writes nothing', () => {
  it.concurrent.for(cases)('$name', async ({ fixture, expected }, { expect }) => {
    const { dir, before } = await projectWithGoodOutput(expect);
    try {
      await breakProject(dir, fixture);
      const result = await runCli(['generate'], dir);
      await expectRejected(expect, result, fixture, expected);
      expect(await outputState(dir)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.concurrent('after a good run in the same project, plain, --check and --dry-run runs reject a broken spec', async ({
    expect,
  }) => {
    const fixture = 'extension-invalid';
    const expected = cases.find((c) => c.fixture === fixture)?.expected ?? [];
    const { dir, before } = await projectWithGoodOutput(expect, { inPlace: true });
    try {
      await breakProject(dir, fixture);
      for (const flags of [[], ['--check'], ['--dry-run']]) {
        await expectRejected(expect, await runCli(['generate', ...flags], dir), fixture, expected);
      }
      expect(await outputState(dir)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('evtgen lint on broken projects', () => {
  it.concurrent.for(['extension-invalid', 'name-collision-across-files'])(
    "%s: exit 1 with generate's diagnostics (and Redocly's); --json has them located",
    async (fixture, { expect }) => {
      const expected = cases.find((c) => c.fixture === fixture)?.expected ?? [];
      expect(expected.length).toBeGreaterThan(0);
      const dir = await tempProject();
      try {
        await cp(join(fixtures, fixture), dir, { recursive: true });
        const generated = await runCli(['generate'], dir);
        const lint = await runCli(['lint'], dir);
        const json = await runCli(['lint', '--json'], dir);
        expect(generated.code, generated.stderr).toBe(1);

        expectNoCrash(expect, lint.stdout + lint.stderr);
        expect(lint.code).toBe(1);
        const lintOutput = lint.stdout + lint.stderr;
        await expectDiagnostics(expect, fixture, lintOutput, expected);
        // lint reports what generate does, plus its Redocly ruleset's findings (codes redocly/…).
        const ownFindings = parseDiagnostics(lintOutput).filter((d) => !d.code.startsWith('redocly/'));
        expect(ownFindings).toEqual(parseDiagnostics(generated.stderr));
        expect(lintOutput).toMatch(/^\d+ errors?, \d+ warnings?$/m);

        expectNoCrash(expect, json.stdout + json.stderr);
        expect(json.code).toBe(1);
        const parsed = JSON.parse(json.stdout) as { ok: boolean; diagnostics: unknown[] };
        expect(parsed.ok).toBe(false);
        for (const d of parsed.diagnostics) {
          expect(d).toEqual({
            severity: expect.any(String),
            code: expect.any(String),
            message: expect.any(String),
            file: expect.any(String),
            position: { line: expect.any(Number), column: expect.any(Number) },
            pointer: expect.any(String),
            hint: expect.any(String),
          });
        }
        const fromJson = (parsed.diagnostics as Required<JsonDiagnostic>[]).map(
          (d): PrintedDiagnostic => ({
            file: d.file,
            line: d.position.line,
            column: d.position.column,
            severity: d.severity,
            code: d.code,
            message: d.message,
            pointer: d.pointer,
            hint: d.hint,
          }),
        );
        expect(fromJson).toEqual(parseDiagnostics(lintOutput));

        // lint never writes: no generated/ appeared.
        expect(await readdir(dir)).not.toContain('generated');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

interface JsonDiagnostic {
  severity: string;
  code: string;
  message: string;
  file: string;
  position: { line: number; column: number };
  pointer: string;
  hint?: string;
}

describe('generate --check', () => {
  it('exits 0 when generated/ is current and 1, listing the changed files, after a payload edit', async () => {
    const { dir, before } = await projectWithGoodOutput(expect, { inPlace: true });
    try {
      const clean = await runCli(['generate', '--check'], dir);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toContain('generated/ is up to date.');
      expect(await outputState(dir)).toEqual(before);

      // Add an optional property to the OrderPlaced payload.
      const specPath = join(dir, 'specs', 'orders.asyncapi.yaml');
      const spec = await readFile(specPath, 'utf8');
      const edited = spec.replace(
        '        properties:\n          orderId:\n',
        '        properties:\n          note:\n            type: string\n            description: Free-text note from the customer.\n          orderId:\n',
      );
      expect(edited).not.toBe(spec);
      await writeFile(specPath, edited, 'utf8');

      const drift = await runCli(['generate', '--check'], dir);
      expectNoCrash(expect, drift.stdout + drift.stderr);
      expect(drift.code).toBe(1);
      const listed = [...drift.stdout.matchAll(/^ {2}(added|changed|removed) +(\S+)$/gm)]
        .map((m) => m[2] ?? '')
        .sort();
      expect(listed).toContain('events/models.ts');
      expect(drift.stderr).toContain(`generated/ is out of date: ${listed.length} file(s) would change.`);
      expect(await outputState(dir)).toEqual(before);

      // What --check listed is exactly what a real run then changes.
      const real = await runCli(['generate'], dir);
      expect(real.code, real.stderr).toBe(0);
      const after = await snapshotTree(join(dir, 'generated'));
      const changed = [...new Set([...Object.keys(before.files), ...Object.keys(after)])]
        .filter((path) => before.files[path] !== after[path])
        .sort();
      expect(listed).toEqual(changed);
      expect(after['events/models.ts']).toContain('note?: string');

      const again = await runCli(['generate', '--check'], dir);
      expect(again.code, again.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Inputs that once crashed the generator or made it report the wrong thing (found while writing these
 * tests): each now gets one located diagnostic and leaves generated/ alone.
 */
describe('inputs that once crashed the generator', () => {
  it('a `%` that is not a percent-escape in a $ref path is a diagnostic, not an URIError', async () => {
    const fixture = 'bug-ref-percent-in-path';
    const { dir, before } = await projectWithGoodOutput(expect);
    try {
      await breakProject(dir, fixture);
      const result = await runCli(['generate'], dir);
      expect(await outputState(dir)).toEqual(before);
      expectNoCrash(expect, result.stdout + result.stderr);
      expect(result.stderr).toContain(`${asyncapi}:30:13  error  ref-invalid`);
      expect(result.stderr).not.toContain('asyncapi/invalid-ref');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('too many YAML alias expansions is a diagnostic, not a ReferenceError', async () => {
    const fixture = 'bug-yaml-alias-bomb';
    const { dir, before } = await projectWithGoodOutput(expect);
    try {
      await breakProject(dir, fixture);
      const result = await runCli(['generate'], dir);
      expect(await outputState(dir)).toEqual(before);
      expectNoCrash(expect, result.stdout + result.stderr);
      expect(result.stderr).toMatch(/^specs\/orders\.asyncapi\.yaml:\d+:\d+ {2}error {2}\S+ {2}.*alias/im);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable AsyncAPI document does not make valid x-emits entries "unknown"', async () => {
    const fixture = 'bug-emits-after-broken-asyncapi';
    const { dir, before } = await projectWithGoodOutput(expect);
    try {
      await breakProject(dir, fixture);
      const result = await runCli(['generate'], dir);
      expect(await outputState(dir)).toEqual(before);
      expect(result.code).toBe(1);
      expect(parseDiagnostics(result.stderr).map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual(
        [`${asyncapi}:28:1 yaml-syntax`],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
