import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../generator/check/check.js';
import { compareSchemas } from '../../generator/check/schema-compat/compare.js';
import { memorySchema } from '../../generator/check/schema-compat/memory.js';
import { SubsetChecker } from '../../generator/check/schema-compat/subset.js';
import { repoRoot, tempProject } from '../helpers/project.js';
import { oasdiffBaselines, oasdiffCases, petStore } from './fixtures/corpora/oasdiff-cases.js';

/**
 * Agreement with breaking-change corpora labelled by other tools (sources in
 * fixtures/corpora/README.md). Every disagreement must be listed below with the reading-policy
 * reason; an unlisted one fails, and so does a listed one that no longer disagrees (the list stays
 * exact).
 */

const fixtures = join(repoRoot, 'test', 'check', 'fixtures', 'corpora');

/** Confluent label "compatible" (BACKWARD) vs ours: every change readable by the new schema. */
const jsonSchemaDisagreements: Record<string, string> = {
  'Detect changes to validation criteria in composed schema type':
    'schema-exact compares languages, not spellings: oneOf [string] and allOf [string] accept the same instances.',
  'Detect required array to be changed':
    'schema-exact: ajv enforces `required` for a property the schema does not declare, so requiring `bar` rejects old data without it.',
};

/** oasdiff label "breaking" (error or warn) vs ours: a finding at error or warn under the default modes. */
const openApiDisagreements: Record<string, string> = {
  'deleting a parameter without deprecation is breaking':
    'schema-exact: the generated validators accept parameters they do not declare, so old clients that still send it pass (request-parameter-removed is info).',
  'removing an existing optional response header is breaking as warn':
    'An optional header was never promised: old clients cannot rely on it (only a required header removed is response-header-removed).',
  'deleting a deprecated operation without sunset date is not breaking':
    'Deprecation policy: an operation is removable after its x-sunset date; deprecated without one it is operation-removed-before-sunset.',
  'new optional header param is not breaking':
    'Open content model (as Confluent reads JSON Schema): old clients may already send that header with any value; the new schema constrains it, so it may break (warn).',
  'adding a new optional request property (info)':
    'Open content model: the request object accepts unknown properties, so old clients may already send `nickname` with another type (warn, as Confluent labels it).',
  'adding an enum value to a response property (info)':
    'schema-exact: the old clients\u2019 generated validators reject the new value in responses (enum-value-added, forward).',
};

describe('labelled corpus: Confluent schema-registry JSON Schema diff examples', () => {
  it('agrees on every pair except the listed, explained ones', async () => {
    const doc = JSON.parse(await readFile(join(fixtures, 'confluent-json-schema-diff.json'), 'utf8')) as {
      cases: { description: string; original_schema: unknown; update_schema: unknown; compatible: boolean }[];
    };
    const disagreeing: string[] = [];
    for (const c of doc.cases) {
      const o = memorySchema(c.original_schema, { name: 'old.json', dialect: 'draft-07' });
      const n = memorySchema(c.update_schema, { name: 'new.json', dialect: 'draft-07' });
      const changes = compareSchemas(new SubsetChecker(o.ctx, n.ctx), o.node, n.node);
      const compatible = changes.every((ch) => ch.bwd === 'ok');
      if (compatible !== c.compatible) disagreeing.push(c.description);
    }
    expect(disagreeing.sort()).toEqual(Object.keys(jsonSchemaDisagreements).sort());
    const agreement = (doc.cases.length - disagreeing.length) / doc.cases.length;
    expect(doc.cases.length).toBeGreaterThanOrEqual(60);
    expect(agreement).toBeGreaterThanOrEqual(0.95);
    console.log(
      `JSON Schema (Confluent): ${doc.cases.length - disagreeing.length}/${doc.cases.length} agree`,
    );
  });
});

describe('labelled corpus: oasdiff breaking-change examples', () => {
  it('agrees on every pair except the listed, explained ones', async () => {
    const disagreeing: string[] = [];
    for (const [description, breaking, mutate] of oasdiffCases) {
      const before = petStore();
      oasdiffBaselines[description]?.(before);
      const after = structuredClone(before);
      mutate(after);
      // A mutation that changes nothing would make a "not breaking" label agree for free.
      expect(JSON.stringify(after), description).not.toBe(JSON.stringify(before));
      const dir = await tempProject({
        'specs/pets.openapi.json': JSON.stringify(after, null, 2),
        'old/pets.openapi.json': JSON.stringify(before, null, 2),
      });
      const result = await check({
        project: dir,
        against: join(dir, 'old'),
        failOn: 'info',
        today: '2026-06-01',
      });
      expect(
        result.diagnostics.filter((d) => d.severity === 'error'),
        description,
      ).toEqual([]);
      const ours = result.findings.some((f) => f.level === 'error' || f.level === 'warn');
      if (ours !== breaking) disagreeing.push(description);
    }
    expect(disagreeing.sort()).toEqual(Object.keys(openApiDisagreements).sort());
    const agreed = oasdiffCases.length - disagreeing.length;
    console.log(`OpenAPI (oasdiff): ${agreed}/${oasdiffCases.length} agree`);
  });
});
