/**
 * A team with specs of its own adopts evtgen, the way the README tells it to: `npm init -y` (npm 11
 * writes "type": "commonjs"), `npm install -D <packed tarball>` from outside the folder, `evtgen
 * init` (which adopts the documents in contracts/, vendors the tarball and prints a checklist),
 * `npm install`, a commit. Then the service's own CI workflow runs in a fresh clone elsewhere:
 * `npm ci` installs evtgen from what init wrote (the vendored tarball: the packed original is
 * deleted first, and nothing points outside the clone), and every `run` step of contracts.yml
 * passes. Installs come from the npm cache (`--offline`, or `--prefer-offline` when the cache lacks
 * registry metadata; the fallback is reported). Every step is a real process.
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StepRunner } from '../helpers/e2e-steps.js';
import { repoRoot } from '../helpers/project.js';

const runner = new StepRunner();
const folders: string[] = [];
const step = runner.step.bind(runner);
const npm = runner.npm.bind(runner);

afterAll(async () => {
  const notes = runner.steps.filter((s) => s.note && s.note !== 'offline');
  if (notes.length > 0) console.log(notes.map((s) => `${s.step}: ${s.note}`).join('\n'));
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('adopting evtgen in a service that already has specs', () => {
  it('init adopts them, and the service’s CI installs evtgen from what init wrote, in a clean clone', async () => {
    const work = await mkdtemp(join(tmpdir(), 'evtgen-adopt-'));
    const elsewhere = await mkdtemp(join(tmpdir(), 'evtgen-ci-'));
    folders.push(work, elsewhere);
    const tarball = await runner.packEvtgen(work);

    // The team's repository: its contracts in contracts/, a package.json from `npm init -y`.
    const service = join(work, 'payments');
    await mkdir(service);
    await cp(join(repoRoot, 'test', 'bad-input', 'fixtures', 'valid', 'specs'), join(service, 'contracts'), {
      recursive: true,
    });
    await step('npm init -y', 'npm', ['init', '-y'], service);
    expect(JSON.parse(await readFile(join(service, 'package.json'), 'utf8')).type).toBe('commonjs');
    await npm('npm install -D <tarball>', ['install', '--save-dev', tarball], service);

    const init = await step('evtgen init', 'npx', ['--no-install', 'evtgen', 'init', '--yes'], service);
    expect(init).toContain("contracts/ is the project's specs folder");
    expect(init).toMatch(/\[x\] contracts\/orders\.openapi\.yaml: every operation has an operationId/);
    expect(init).toContain('"type": "commonjs" → "module"');
    expect(init).toContain('copied it to vendor/');
    await npm('npm install', ['install'], service);
    const git = (cwd: string, ...args: string[]) =>
      step(`git ${args[0]}`, 'git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.org', ...args], cwd);
    await git(service, 'init', '--quiet', '--initial-branch=main');
    await git(service, 'add', '--all');
    await git(service, 'commit', '--quiet', '--message', 'Adopt evtgen');

    // CI: a fresh clone somewhere else; the tarball the team installed from is gone.
    await rm(tarball);
    const clone = join(elsewhere, 'payments');
    await git(elsewhere, 'clone', '--quiet', service, clone);
    const lock = JSON.parse(await readFile(join(clone, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/evtgen'].resolved).toBe(`file:vendor/${tarball.split('/').pop()}`);
    expect(JSON.stringify(lock)).not.toContain('../');

    const workflow = parse(await readFile(join(clone, '.github', 'workflows', 'contracts.yml'), 'utf8')) as {
      jobs: { contracts: { steps: { run?: string }[] } };
    };
    const runs = workflow.jobs.contracts.steps.map((s) => s.run).filter((r): r is string => r !== undefined);
    expect(runs[0]).toBe('npm ci');
    await npm('npm ci (CI)', ['ci'], clone);
    for (const line of runs.slice(1)) {
      const [command = '', ...args] = line
        .replace(/"origin\/\$\{GITHUB_BASE_REF:-main\}"/, 'main')
        .split(/\s+/);
      const output = await step(
        `CI: ${line}`,
        command,
        command === 'npx' ? ['--no-install', ...args] : args,
        clone,
      );
      expect(output).not.toMatch(/^::error/m);
    }
    // And from a subfolder, as a developer works: the project is found above.
    await step(
      'generate --check from app/handlers/http',
      'npx',
      ['--no-install', 'evtgen', 'generate', '--check'],
      join(clone, 'app', 'handlers', 'http'),
    );
  }, 1_500_000);
});
