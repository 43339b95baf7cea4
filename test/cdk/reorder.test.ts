/**
 * Construct ids come from contract names, never positions: a copy of the example project whose
 * specs list every path, operation, channel message, message, schema and operation message in
 * reverse order, regenerated, synthesizes the very same template (same logical ids, same
 * properties; only asset hashes are left out of the comparison), in the single layout and in the
 * nested one (the same nested stacks, each with the same template).
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { generate } from '../../generator/generate.js';
import { repoRoot } from '../helpers/project.js';
import { cdkJsonContext, newApp, stackTemplates } from './synth.js';

const reverseKeys = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).reverse())
    : value;

/** Reverses the order of one collection (object keys or array items) at `path`, in place. */
function reverseAt(doc: Record<string, unknown>, path: readonly string[]): void {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
  const key = path[path.length - 1] as string;
  if (typeof parent !== 'object' || parent === null) return;
  const target = (parent as Record<string, unknown>)[key];
  (parent as Record<string, unknown>)[key] = Array.isArray(target)
    ? [...target].reverse()
    : reverseKeys(target);
}

/**
 * Reverses what a spec author may list in any order: paths and their operations, channels and
 * their messages, operations and their messages, components. Schema bodies are left alone (their
 * keyword order is content, carried into the registry copy).
 */
function reorder(doc: Record<string, unknown>): Record<string, unknown> {
  const keys = (path: readonly string[]) =>
    Object.keys(
      (path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc) ?? {}) as object,
    );
  for (const path of keys(['paths'])) reverseAt(doc, ['paths', path]);
  reverseAt(doc, ['paths']);
  for (const channel of keys(['channels'])) reverseAt(doc, ['channels', channel, 'messages']);
  reverseAt(doc, ['channels']);
  for (const operation of keys(['operations'])) reverseAt(doc, ['operations', operation, 'messages']);
  reverseAt(doc, ['operations']);
  for (const section of keys(['components'])) reverseAt(doc, ['components', section]);
  return doc.openapi || doc.asyncapi ? doc : (reverseKeys(doc) as Record<string, unknown>);
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/**
 * Every template of the app's stack as one JSON text: the stack's own and, in the nested layout,
 * each nested stack's by construct path.
 */
async function templateOf(projectRoot: string, layout: 'single' | 'nested'): Promise<string> {
  const { ServiceStack } = (await import(
    join(projectRoot, 'app', 'cdk', 'stack.ts')
  )) as typeof import('../../app/cdk/stack.js');
  const cwd = process.cwd();
  process.chdir(projectRoot);
  try {
    const app = newApp(await cdkJsonContext(projectRoot));
    const templates = stackTemplates(new ServiceStack(app, 'OrdersService', { layout }));
    const all = Object.fromEntries(templates.map(({ path, template }) => [path, template]));
    return JSON.stringify(all, null, 1).replace(/[0-9a-f]{64}/g, '<asset hash>');
  } finally {
    process.chdir(cwd);
  }
}

describe('logical ids do not depend on spec order', () => {
  it('a reordered copy of the specs synthesizes the same template', async () => {
    // Inside the repository, so the copy resolves aws-cdk-lib from its node_modules.
    await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
    const dir = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'cdk-reorder-'));
    scratch.push(dir);
    await cp(join(repoRoot, 'specs'), join(dir, 'specs'), { recursive: true });
    await cp(join(repoRoot, 'app'), join(dir, 'app'), { recursive: true });
    await cp(join(repoRoot, 'cdk.json'), join(dir, 'cdk.json'));
    for (const file of ['orders.asyncapi.yaml', 'orders.openapi.yaml', 'schemas/common.yaml']) {
      const path = join(dir, 'specs', file);
      const original = parseDocument(await readFile(path, 'utf8')).toJS() as Record<string, unknown>;
      const before = stringify(original, { lineWidth: 0 });
      const text = stringify(reorder(original), { lineWidth: 0 });
      expect(text).not.toBe(before);
      await writeFile(path, text, 'utf8');
    }
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await readFile(join(dir, 'generated', 'cdk', 'contract.ts'), 'utf8')).toBe(
      await readFile(join(repoRoot, 'generated', 'cdk', 'contract.ts'), 'utf8'),
    );

    // The single layout (what is deployed) and the nested one (every nested stack's template too).
    for (const layout of ['single', 'nested'] as const) {
      const [original, reordered] = [await templateOf(repoRoot, layout), await templateOf(dir, layout)];
      const ids = (t: string) =>
        Object.entries(JSON.parse(t) as Record<string, { Resources: object }>).flatMap(([path, template]) =>
          Object.keys(template.Resources).map((id) => `${path}#${id}`),
        );
      expect(ids(reordered).sort(), layout).toEqual(ids(original).sort());
      // The parent, six functions and the schema groups.
      if (layout === 'nested') expect(Object.keys(JSON.parse(original) as object).length).toBeGreaterThan(7);
      expect(reordered, layout).toBe(original);
    }
  });
});
