/**
 * A new service from zero, as a team adopting evtgen does it: `npm pack` → install the tarball
 * into an empty folder → `evtgen init` → `npm install` → `evtgen generate` → `tsc --noEmit` → the
 * new service's own tests → `cdk synth` (cdk-nag included). Every step is a real process; nothing
 * is linked from this repository. Installs come from the npm cache (`--offline`); when the cache
 * lacks registry metadata a package needs (a machine that only ever ran `npm ci`), the step is
 * repeated with `--prefer-offline` and the fallback is reported. Each step's time is printed and
 * kept in test/.artifacts/e2e/new-service.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runProcess, StepRunner } from '../helpers/e2e-steps.js';
import { repoRoot } from '../helpers/project.js';

const runner = new StepRunner();
const steps = runner.steps;
const step = runner.step.bind(runner);
let work: string | undefined;

/** `npm install ARGS` from the cache only; see helpers/e2e-steps.ts for the one fallback. */
function npmInstall(name: string, args: readonly string[], cwd: string): Promise<void> {
  return runner.npm(name, ['install', ...args], cwd);
}

afterAll(async () => {
  const table = steps.map(
    (s) => `  ${s.step.padEnd(34)} ${s.seconds.toFixed(1).padStart(7)} s${s.note ? `  (${s.note})` : ''}`,
  );
  const total = steps.reduce((sum, s) => sum + s.seconds, 0);
  console.log(
    `New service from zero:\n${table.join('\n')}\n  ${'total'.padEnd(34)} ${total.toFixed(1).padStart(7)} s`,
  );
  const artifacts = join(repoRoot, 'test', '.artifacts', 'e2e');
  await mkdir(artifacts, { recursive: true });
  await writeFile(join(artifacts, 'new-service.json'), `${JSON.stringify({ steps, total }, null, 2)}\n`);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a new service from zero', () => {
  it('packs, installs, scaffolds, generates, type-checks, passes its own tests, synthesizes and passes its CI workflow checks', async () => {
    work = await mkdtemp(join(tmpdir(), 'evtgen-e2e-'));
    const tarball = await runner.packEvtgen(work);

    const service = join(work, 'inventory');
    await mkdir(service);
    await npmInstall('npm install -D <tarball>', ['--save-dev', tarball], service);
    await step(
      'npx evtgen init',
      'npx',
      ['--no-install', 'evtgen', 'init', '--yes', '--source', 'com.acme.inventory'],
      service,
    );
    await npmInstall('npm install', [], service);
    const generated = await step(
      'npx evtgen generate',
      'npx',
      ['--no-install', 'evtgen', 'generate'],
      service,
    );
    expect(generated).toContain('generated/ is up to date');
    await step('npx tsc --noEmit', 'npx', ['--no-install', 'tsc', '--noEmit'], service);
    const tested = await step('npm test', 'npm', ['test'], service);
    expect(tested).toMatch(/Tests\s+5 passed/);
    await step('npx cdk synth', 'npx', ['--no-install', 'cdk', 'synth', '--quiet'], service);

    // The CI workflow init wrote: its evtgen steps pass on the new service, in a git repository
    // whose base is the first commit (the workflow compares with the target branch the same way).
    const workflow = parse(
      await readFile(join(service, '.github', 'workflows', 'contracts.yml'), 'utf8'),
    ) as {
      jobs: { contracts: { steps: { run?: string }[] } };
    };
    const evtgenSteps = workflow.jobs.contracts.steps
      .map((s) => s.run)
      .filter((run): run is string => run?.startsWith('npx evtgen') ?? false);
    expect(evtgenSteps).toHaveLength(2);
    const git = (...args: string[]) =>
      step(
        `git ${args[0]}`,
        'git',
        ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.org', ...args],
        service,
      );
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('commit', '--quiet', '--message', 'New service');
    for (const run of evtgenSteps) {
      // The base branch of a pull request, here the only branch.
      const [, ...args] = run.replace(/"origin\/\$\{GITHUB_BASE_REF:-main\}"/, 'main').split(/\s+/);
      const output = await step(
        `workflow: ${args.slice(0, 3).join(' ')}`,
        'npx',
        ['--no-install', ...args],
        service,
      );
      expect(output).not.toMatch(/^::error/m);
    }
    // A breaking edit (a request property narrowed) is what the check step is there to stop.
    const openapi = join(service, 'specs', 'inventory.openapi.yaml');
    const original = await readFile(openapi, 'utf8');
    await writeFile(openapi, original.replace('          maxLength: 200\n', '          maxLength: 100\n'));
    const started = performance.now();
    const breaking = await runProcess(
      'npx',
      ['--no-install', 'evtgen', 'check', '--against', 'main', '--format', 'github'],
      service,
    );
    steps.push({ step: 'workflow: check (breaking)', seconds: (performance.now() - started) / 1000 });
    expect(breaking.code).toBe(1);
    expect(breaking.output).toMatch(/^::error file=specs\/inventory\.openapi\.yaml,line=\d+/m);
    await writeFile(openapi, original);

    // The synthesized app is the starter's: one route, one consumer rule and queue, one schema.
    const template = JSON.parse(
      await readFile(join(service, 'cdk.out', 'Inventory.template.json'), 'utf8'),
    ) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
    expect(ofType('AWS::ApiGatewayV2::Route').map((r) => r.Properties?.RouteKey)).toEqual(['POST /items']);
    expect(ofType('AWS::Events::Rule')).toHaveLength(1);
    expect(ofType('AWS::Events::Rule')[0]?.Properties?.EventPattern).toEqual({
      source: ['com.acme.inventory'],
      'detail-type': ['ItemCreated'],
    });
    expect(ofType('AWS::EventSchemas::Schema').map((r) => r.Properties?.SchemaName)).toEqual([
      'com.acme.inventory@ItemCreated',
    ]);
    // The service depends at run time on exactly what its handlers import; the tooling is dev-only.
    const manifest = JSON.parse(await readFile(join(service, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(
      Object.keys(manifest.dependencies).every((name) => /^@aws-(lambda-powertools|sdk)\//.test(name)),
    ).toBe(true);
    expect(manifest.devDependencies.evtgen).toMatch(/^file:.*evtgen-.*\.tgz$/);
  }, 1_200_000);
});
