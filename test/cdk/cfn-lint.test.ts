/**
 * AWS's CloudFormation linter (cfn-lint, Python) over the synthesized templates: the example in both
 * layouts (single, nested: every nested template too) and the FIFO + IAM variant project. No error
 * (`E…`) may be found; warnings and informational findings are allowed and listed in the output.
 *
 * Ignored: W3005 ("DependsOn is redundant, already enforced by a GetAtt/Ref"). CDK adds an explicit
 * DependsOn from every function to its role and the role's default policy; the one on the role is
 * redundant and harmless (the one on the policy is needed), and removing it would need an override
 * on every function. Listing a dozen identical notes would hide a new warning.
 *
 * Without cfn-lint on the PATH the linting is skipped with a message; in CI (`CI` set) a missing
 * cfn-lint fails the run instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceStack } from '../../app/cdk/stack.js';
import { cdkJsonContext } from './synth.js';
import { variantProject } from './variant-project.js';

/** A finding of `cfn-lint --format json`. */
interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Message: string;
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Location?: { readonly Path?: readonly (string | number)[] };
}

const ignoredChecks = ['W3005'];
const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = version.status === 0;
const missing = 'cfn-lint is not on the PATH (install it: pip install cfn-lint==1.51.0)';

/** Runs cfn-lint on the templates; its exit code says only which levels were found: parse the JSON. */
function cfnLint(files: readonly string[]): Finding[] {
  const run = spawnSync(
    'cfn-lint',
    ['--format', 'json', '--ignore-checks', ...ignoredChecks, '--', ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error) throw run.error;
  if (run.stdout.trim() === '')
    throw new Error(`cfn-lint printed nothing (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Finding[];
}

const shown = (f: Finding) =>
  `${f.Rule.Id} ${f.Filename.replace(/^.*\//, '')} ${(f.Location?.Path ?? []).join('/')}: ${f.Message}`;

/** Every template (`*.template.json`, nested ones included) an app wrote to `outdir`. */
async function templates(outdir: string): Promise<string[]> {
  return (await readdir(outdir)).filter((f) => f.endsWith('.template.json')).map((f) => join(outdir, f));
}

/** Synthesizes `build(app)` into a new folder (bundling off: the templates do not depend on it). */
async function synthesize(context: Record<string, unknown>, build: (app: App) => void): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'evtgen-cfn-lint-'));
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  build(app);
  app.synth();
  return outdir;
}

const made: string[] = [];

describe.runIf(!available && process.env.CI)('cfn-lint in CI', () => {
  it('is installed', () => {
    expect.fail(`${missing}: CI must lint the templates.`);
  });
});

describe.skipIf(!available)(`cfn-lint ${available ? version.stdout.trim() : '(absent: skipped)'}`, () => {
  let example: string;
  let variant: string;

  beforeAll(async () => {
    const context = await cdkJsonContext();
    example = await synthesize(context, (app) => {
      new ServiceStack(app, 'OrdersService');
      new ServiceStack(app, 'OrdersServiceNested', { layout: 'nested' });
    });
    made.push(example);
    const project = await variantProject('cdk-cfn-lint-');
    made.push(project.dir);
    const { ServiceStack: VariantStack } = (await import(
      join(project.dir, 'app', 'cdk', 'stack.ts')
    )) as typeof import('../../app/cdk/stack.js');
    const cwd = process.cwd();
    // The scaffolded stack names its handlers relative to the project folder.
    process.chdir(project.dir);
    try {
      variant = await synthesize(await cdkJsonContext(project.dir), (app) => {
        new VariantStack(app, 'OrdersService');
      });
      made.push(variant);
    } finally {
      process.chdir(cwd);
    }
  });

  it('finds no error in the example (single and nested layouts)', async () => {
    const files = await templates(example);
    // The parent stacks and one nested stack per operation, consumer and schema group.
    expect(files.length).toBeGreaterThan(8);
    const findings = cfnLint(files);
    if (findings.length > 0) console.info(`cfn-lint on the example:\n${findings.map(shown).join('\n')}`);
    expect(findings.filter((f) => f.Level === 'Error').map(shown)).toEqual([]);
  });

  it('finds no error in the FIFO + IAM variant', async () => {
    const files = await templates(variant);
    expect(files).toHaveLength(1);
    const findings = cfnLint(files);
    if (findings.length > 0) console.info(`cfn-lint on the variant:\n${findings.map(shown).join('\n')}`);
    expect(findings.filter((f) => f.Level === 'Error').map(shown)).toEqual([]);
  });

  it('reports an error as an error (negative control: a queue with a text visibility timeout)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evtgen-cfn-lint-'));
    made.push(dir);
    const file = join(dir, 'Broken.template.json');
    await writeFile(
      file,
      JSON.stringify({
        Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } },
      }),
      'utf8',
    );
    const errors = cfnLint([file]).filter((f) => f.Level === 'Error');
    expect(errors.map((f) => f.Location?.Path?.join('/'))).toContain(
      'Resources/Queue/Properties/VisibilityTimeout',
    );
  });
});

if (!available && !process.env.CI) console.warn(`${missing}: the template linting is skipped.`);

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});
