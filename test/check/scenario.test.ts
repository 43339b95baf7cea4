import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, repoRoot, runCli } from '../helpers/project.js';

/**
 * End to end through the built CLI on a temporary git repository holding the example specs: a
 * scripted series of spec edits, each checked against HEAD in every output format.
 */

const addFormats = addFormatsModule as unknown as (ajv: unknown) => void;
const sarifSchema = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'check', 'fixtures', 'sarif-2.1.0.subset.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

let dir = '';
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    },
  });
const edit = (file: string, from: string, to: string) => {
  const path = join(dir, 'specs', file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
};

interface JsonFinding {
  ruleId: string;
  level: string;
  subject: string;
  file: string;
  position: { line: number; column: number };
  fingerprint: string;
  why: string;
}

/** Runs `check --against HEAD` in every format; returns the JSON findings after checking the rest. */
async function checkAllFormats(expectedExit: number, extra: string[] = []): Promise<JsonFinding[]> {
  const json = await runCli(['check', '--against', 'HEAD', '--format', 'json', ...extra], dir);
  expect(json.code, json.stderr).toBe(expectedExit);
  const parsed = JSON.parse(json.stdout) as { findings: JsonFinding[]; readingPolicy: string };
  expect(parsed.readingPolicy).toMatch(/^schema-exact/);
  const findings = parsed.findings;

  const text = await runCli(['check', '--against', 'HEAD', ...extra], dir);
  expect(text.code).toBe(expectedExit);
  expect(text.stdout).toContain('reading policy: schema-exact');
  for (const f of findings) {
    expect(text.stdout).toContain(
      `${f.file}:${f.position.line}:${f.position.column}  ${f.level}  ${f.ruleId}`,
    );
    if (f.why) expect(text.stdout).toContain(`why: ${f.why}`);
  }
  expect(text.stdout).not.toContain('\u001b[');

  const sarif = await runCli(['check', '--against', 'HEAD', '--format', 'sarif', ...extra], dir);
  expect(sarif.code).toBe(expectedExit);
  const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
  expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  expect(log.runs[0]?.results.map((r) => r.ruleId).sort()).toEqual(findings.map((f) => f.ruleId).sort());

  const github = await runCli(['check', '--against', 'HEAD', '--format', 'github', ...extra], dir);
  expect(github.code).toBe(expectedExit);
  const annotations = github.stdout.split('\n').filter(Boolean);
  expect(annotations).toHaveLength(findings.length);
  for (const f of findings) {
    const kind = { error: 'error', warn: 'warning', info: 'notice' }[f.level];
    expect(github.stdout).toContain(
      `::${kind} file=${f.file},line=${f.position.line},col=${f.position.column},title=${f.ruleId}`,
    );
  }

  const markdown = await runCli(['check', '--against', 'HEAD', '--format', 'markdown', ...extra], dir);
  expect(markdown.code).toBe(expectedExit);
  for (const f of findings) expect(markdown.stdout).toContain(`\`${f.ruleId}\``);

  const junit = await runCli(['check', '--against', 'HEAD', '--format', 'junit', ...extra], dir);
  expect(junit.code).toBe(expectedExit);
  const failOn = extra.includes('info') ? ['error', 'warn', 'info'] : ['error'];
  const failures = findings.filter((f) => failOn.includes(f.level)).length;
  expect(junit.stdout).toContain(
    `<testsuites name="evtgen check" tests="${Math.max(findings.length, 1)}" failures="${failures}">`,
  );
  return findings;
}

const summary = (findings: JsonFinding[]) =>
  [...new Set(findings.map((f) => `${f.ruleId} ${f.level} ${f.subject}`))].sort();

describe('evtgen check on a temporary git repository', () => {
  beforeAll(async () => {
    dir = await exampleProject();
    git('init', '-q', '-b', 'main');
    // PaymentFailed is received here but published by another service: received-only.
    edit(
      'orders.asyncapi.yaml',
      `  publishPaymentFailed:
    action: send
    title: Publish PaymentFailed
    summary: Published when the payment of an order could not be captured.
    channel:
      $ref: '#/channels/orderEvents'
    messages:
      - $ref: '#/channels/orderEvents/messages/PaymentFailed'
`,
      '',
    );
    git('add', '.');
    git('commit', '-qm', 'v1');
  });

  const reset = () => git('checkout', '--', '.');
  afterEach(() => {
    reset();
  });

  it('reports nothing against HEAD when nothing changed (exit 0)', async () => {
    expect(await checkAllFormats(0)).toEqual([]);
  });

  it('the default baseline is the merge base with main', async () => {
    const r = await runCli(['check'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('merge base of HEAD and main');
  });

  it('remove a required response property → error for each operation returning it (exit 1)', async () => {
    edit(
      'orders.openapi.yaml',
      '        - notes\n        - total\n        - createdAt',
      '        - total\n        - createdAt',
    );
    const findings = await checkAllFormats(1);
    expect(summary(findings)).toEqual([
      'property-became-optional error GET /orders/{orderId}',
      'property-became-optional error POST /orders',
    ]);
    reset();
  });

  it('add a required request field → error (exit 1)', async () => {
    edit(
      'orders.openapi.yaml',
      `      required:
        - customer
        - lines
        - shippingAddress
      properties:`,
      `      required:
        - customer
        - lines
        - shippingAddress
        - giftWrap
      properties:
        giftWrap:
          type: boolean`,
    );
    const findings = await checkAllFormats(1);
    expect(summary(findings)).toEqual([
      'property-added info POST /orders',
      'required-property-added error POST /orders',
    ]);
    reset();
  });

  it('add an enum value to a sent event → error under forward (exit 1); info under its declared backward', async () => {
    edit('schemas/common.yaml', '    - royal-mail\n', '    - royal-mail\n    - gls\n');
    // OrderShipped declares x-compatibility mode backward (consumers upgraded first).
    // (The HTTP responses that show the carrier still break old clients: exit 1 either way.)
    expect(summary(await checkAllFormats(1))).toContain('enum-value-added info event OrderShipped');
    const findings = await checkAllFormats(1, ['--mode', 'forward']);
    expect(summary(findings)).toContain('enum-value-added error event OrderShipped');
    expect(findings.every((f) => f.ruleId === 'enum-value-added')).toBe(true);
    reset();
  });

  it('add an optional field to a received event → info only (exit 0; exit 1 with --fail-on info)', async () => {
    edit(
      'orders.asyncapi.yaml',
      `        - failedAt
      properties:
        orderId:`,
      `        - failedAt
      properties:
        provider:
          type: string
        orderId:`,
    );
    const findings = await checkAllFormats(0);
    expect(summary(findings)).toEqual(['property-added info event PaymentFailed']);
    await checkAllFormats(1, ['--fail-on', 'info']);
    reset();
  });

  it('rename a detail-type → error (exit 1)', async () => {
    edit('orders.asyncapi.yaml', '        detailType: OrderShipped', '        detailType: OrderDispatched');
    const findings = await checkAllFormats(1);
    expect(summary(findings)).toEqual(['event-detail-type-changed error event OrderShipped']);
    reset();
  });

  it('deprecate, then remove an operation: error before its sunset, info after it', async () => {
    edit(
      'orders.openapi.yaml',
      '      security: []\n',
      "      security: []\n      deprecated: true\n      x-sunset: '2020-01-01'\n",
    );
    expect(summary(await checkAllFormats(0))).toEqual(['operation-deprecated info GET /health']);
    git('commit', '-qam', 'deprecate /health');
    const openapi = join(dir, 'specs', 'orders.openapi.yaml');
    const text = readFileSync(openapi, 'utf8');
    const start = text.indexOf('  /health:');
    const end = text.indexOf('\ncomponents:');
    writeFileSync(openapi, text.slice(0, start) + text.slice(end + 1));
    expect(summary(await checkAllFormats(0))).toEqual(['operation-removed-after-sunset info GET /health']);
    // The same removal before the sunset date is an error.
    const early = await runCli(
      ['check', '--against', 'HEAD', '--today', '2019-12-31', '--format', 'json'],
      dir,
    );
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout).findings.map((f: JsonFinding) => f.ruleId)).toEqual([
      'operation-removed-before-sunset',
    ]);
    git('checkout', '-q', 'HEAD~1', '--', 'specs');
    git('commit', '-qam', 'undeprecate');
  });

  it('an ignore with a reason silences a finding by rule id; an expired one stops applying', async () => {
    edit('orders.asyncapi.yaml', '        detailType: OrderShipped', '        detailType: OrderDispatched');
    const base = await runCli(['check', '--against', 'HEAD', '--format', 'json'], dir);
    const [finding] = JSON.parse(base.stdout).findings as JsonFinding[];
    writeFileSync(
      join(dir, 'evtgen.ignore.yaml'),
      `ignore:\n  - rule: event-detail-type-changed\n    fingerprint: ${finding?.fingerprint}\n    reason: every rule was migrated first (OPS-42)\n    expires: '2999-01-01'\n`,
    );
    const ignored = await runCli(['check', '--against', 'HEAD'], dir);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain(
      'ignored (evtgen.ignore.yaml:2): every rule was migrated first (OPS-42)',
    );
    writeFileSync(
      join(dir, 'evtgen.ignore.yaml'),
      `ignore:\n  - rule: event-detail-type-changed\n    reason: every rule was migrated first\n    expires: '2020-01-01'\n`,
    );
    const expired = await runCli(['check', '--against', 'HEAD'], dir);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain('check-ignore-expired');
    writeFileSync(join(dir, 'evtgen.ignore.yaml'), 'ignore:\n  - rule: event-detail-type-changed\n');
    const invalid = await runCli(['check', '--against', 'HEAD'], dir);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('extension-invalid');
    execFileSync('rm', [join(dir, 'evtgen.ignore.yaml')]);
    reset();
  });

  it('usage errors exit 2: --against registry:aws with nothing pulled, an unknown revision', async () => {
    const registry = await runCli(['check', '--against', 'registry:aws'], dir);
    expect(registry.code).toBe(2);
    expect(registry.stderr).toContain('registry pull');
    const unknown = await runCli(['check', '--against', 'no-such-ref'], dir);
    expect(unknown.code).toBe(2);
  });

  it('a spec that does not load: located diagnostics, exit 1', async () => {
    edit(
      'orders.asyncapi.yaml',
      "        $ref: '#/components/messages/OrderPlaced'",
      "        $ref: '#/components/messages/Nope'",
    );
    const r = await runCli(['check', '--against', 'HEAD'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/specs\/orders\.asyncapi\.yaml:\d+:\d+ {2}error {2}ref-unresolved/);
    reset();
  });

  it('transitive mode checks every earlier version', async () => {
    const r = await runCli(
      ['check', '--against', 'HEAD', '--mode', 'full-transitive', '--format', 'json'],
      dir,
    );
    expect(r.code).toBe(0);
  });
});

describe('evtgen check in this repository', () => {
  it('the example specs against HEAD: nothing, exit 0', async () => {
    const r = await runCli(['check', '--against', 'HEAD', '--format', 'json'], repoRoot);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });
});
