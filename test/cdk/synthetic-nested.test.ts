/**
 * The 500-event synthetic spec (bench/synthetic.js: 500 event types, 200 operations, 26
 * consumers; ~2,960 resources, far beyond CloudFormation's 500 per stack) in a fresh project whose
 * scaffolded app/cdk/stack.ts is switched to `layout: 'nested'`: it synthesizes with CDK's resource
 * limit in force and cdk-nag AwsSolutions on, and every stack — the parent and each nested one —
 * has at most 500 resources and 200 parameters. Bundling off (see synth.ts); takes a minute or two.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { repoRoot } from '../helpers/project.js';
import { cdkJsonContext, newApp, stackTemplates } from './synth.js';

type WriteSyntheticProject = (dir: string, size: { events: number; operations: number }) => Promise<unknown>;

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("layout: 'nested' on the 500-event synthetic spec", () => {
  it('synthesizes within CloudFormation limits: ≤ 500 resources and ≤ 200 parameters per stack', async () => {
    // Inside the repository, so the project resolves aws-cdk-lib and finds the lock file.
    await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
    dir = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'cdk-synthetic-'));
    const { writeSyntheticProject } = (await import(join(repoRoot, 'bench', 'synthetic.js'))) as {
      writeSyntheticProject: WriteSyntheticProject;
    };
    await writeSyntheticProject(dir, { events: 500, operations: 200 });
    const result = await generate(dir, { mode: 'write', force: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const stackFile = join(dir, 'app', 'cdk', 'stack.ts');
    const scaffold = await readFile(stackFile, 'utf8');
    expect(scaffold).toContain("layout: 'single',");
    await writeFile(stackFile, scaffold.replace("layout: 'single',", "layout: 'nested',"), 'utf8');

    const { ServiceStack } = (await import(stackFile)) as typeof import('../../app/cdk/stack.js');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const app = newApp(await cdkJsonContext(dir));
      expect(app.node.tryGetContext('@aws-cdk/core:stackResourceLimit')).toBeUndefined();
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const stack = new ServiceStack(app, 'SyntheticService');
      const functions = Object.keys(stack.service.functions).length;
      expect(functions).toBe(226);
      expect(() => app.synth()).not.toThrow();
      const templates = stackTemplates(stack);
      // The parent, one nested stack per function, the outbox relay's and the (at most 16) schema groups.
      expect(templates.length).toBeGreaterThan(1 + functions + 1);
      expect(templates.length).toBeLessThanOrEqual(1 + functions + 1 + 16);
      let total = 0;
      let schemas = 0;
      for (const { path, template } of templates) {
        const resources = Object.values(template.Resources);
        total += resources.filter((r) => r.Type !== 'AWS::CloudFormation::Stack').length;
        schemas += resources.filter((r) => r.Type === 'AWS::EventSchemas::Schema').length;
        expect(resources.length, path).toBeLessThanOrEqual(500);
        expect(Object.keys(template.Parameters ?? {}).length, path).toBeLessThanOrEqual(200);
      }
      expect(schemas).toBe(500);
      expect(total).toBeGreaterThan(2500);
      expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
