/**
 * synthesizeForDev with stand-in CDK apps (a Node script that writes a cloud assembly): the context
 * it passes (cdk.json's and cdk.context.json's, bundling off), which stack it picks, how nested
 * templates are found without the CLI's asset metadata, and the error when the app fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { synthesizeForDev } from '../../generator/dev/synth.js';
import { tempProject } from '../helpers/project.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const hash = 'a'.repeat(64);
const evtgenFunction = {
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.handler' },
  Metadata: { 'evtgen:function': { name: 'worker', entry: 'src/worker.ts' } },
};

/** A stand-in app: writes the assembly `files` (name → JSON) into CDK_OUTDIR, context in `Other`'s Description. */
const app = (files: Record<string, unknown>) => `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const files = ${JSON.stringify(files)};
files['Other.template.json'] = { Description: process.env.CDK_CONTEXT_JSON, Resources: {} };
for (const [name, content] of Object.entries(files)) writeFileSync(join(process.env.CDK_OUTDIR, name), JSON.stringify(content));
`;

const assembly = {
  'manifest.json': {
    artifacts: {
      'Service.assets': { type: 'cdk:asset-manifest', properties: { file: 'Service.assets.json' } },
      Service: {
        type: 'aws:cloudformation:stack',
        properties: { templateFile: 'Service.template.json', stackName: 'service-prod' },
      },
      Other: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Other.template.json' } },
    },
  },
  'Service.assets.json': {
    files: { [hash]: { source: { path: 'ServiceInner1234.nested.template.json', packaging: 'file' } } },
  },
  'Service.template.json': {
    Resources: {
      Inner: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: {
          TemplateURL: { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, `/bucket/${hash}.json`]] },
        },
      },
    },
  },
  'ServiceInner1234.nested.template.json': { Resources: { Fn: evtgenFunction } },
};

async function project(files: Record<string, string>): Promise<{ root: string; out: string }> {
  const root = await tempProject(files);
  const out = await mkdtemp(join(tmpdir(), 'evtgen-dev-synth-'));
  dirs.push(root, out);
  return { root, out };
}

describe('synthesizeForDev', () => {
  it('passes the context with bundling off, picks the stack with evtgen functions and flattens its nested stacks', async () => {
    const { root, out } = await project({
      'cdk.json': JSON.stringify({ app: 'node app.mjs', context: { mine: 1, shared: 'cdk.json' } }),
      'cdk.context.json': JSON.stringify({ cached: true, shared: 'cdk.context.json' }),
      'app.mjs': app(assembly),
    });
    const synthesized = await synthesizeForDev(root, out);
    expect(synthesized.stackName).toBe('service-prod');
    expect(synthesized.templatePath).toBe(join(out, 'Service.template.json'));
    expect(synthesized.nestedTemplatePaths).toEqual([join(out, 'ServiceInner1234.nested.template.json')]);
    expect(synthesized.template.Resources).toEqual({ 'Inner/Fn': evtgenFunction });

    const other = await synthesizeForDev(root, out, { stackName: 'Other' });
    expect(JSON.parse(String(other.template.Description ?? ''))).toEqual({
      cached: true,
      mine: 1,
      shared: 'cdk.json',
      'aws:cdk:bundling-stacks': [],
    });
    await expect(synthesizeForDev(root, out, { stackName: 'Nope' })).rejects.toThrow(
      'The CDK app has no stack Nope (it has: Service, Other)',
    );
  });

  it('asks which stack when several hold evtgen functions', async () => {
    const twice = {
      ...assembly,
      'manifest.json': {
        artifacts: {
          A: { type: 'aws:cloudformation:stack', properties: { templateFile: 'A.template.json' } },
          B: { type: 'aws:cloudformation:stack', properties: { templateFile: 'B.template.json' } },
        },
      },
      'A.template.json': { Resources: { Fn: evtgenFunction } },
      'B.template.json': { Resources: { Fn: evtgenFunction } },
    };
    const { root, out } = await project({
      'cdk.json': JSON.stringify({ app: 'node app.mjs' }),
      'app.mjs': app(twice),
    });
    await expect(synthesizeForDev(root, out)).rejects.toThrow(
      'The CDK app has several stacks with evtgen functions (A, B): choose one by its name',
    );
    expect((await synthesizeForDev(root, out, { stackName: 'B' })).templatePath).toBe(
      join(out, 'B.template.json'),
    );
  });

  it('names a nested template it cannot find', async () => {
    const missing = { ...assembly, 'Service.assets.json': { files: {} } };
    const { root, out } = await project({
      'cdk.json': JSON.stringify({ app: 'node app.mjs' }),
      'app.mjs': app(missing),
    });
    await expect(synthesizeForDev(root, out)).rejects.toThrow(
      /Inner \(AWS::CloudFormation::Stack\) of Service: its template is not in the cloud assembly/,
    );
  });

  it('reports a failing app with its command and output', async () => {
    const { root, out } = await project({
      'cdk.json': JSON.stringify({ app: 'echo compiling; echo "Error: no such construct" >&2; exit 3' }),
    });
    const error = await synthesizeForDev(root, out).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('The CDK app failed (exit code 3).');
    expect(error?.message).toContain(`Command (in ${root}): echo compiling;`);
    expect(error?.message).toContain('Error: no such construct');
    await writeFile(join(root, 'cdk.json'), '{}', 'utf8');
    await expect(synthesizeForDev(root, out)).rejects.toThrow(/cdk\.json has no "app" command/);
  });
});
