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
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/project.js';

interface Outcome {
  readonly code: number;
  readonly output: string;
}

const notes: string[] = [];
const folders: string[] = [];

function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // Without what `npm test` adds for scripts (npm_config_*), which would steer child npm runs.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    const child = spawn(command, args, {
      cwd,
      env: { ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function step(name: string, command: string, args: readonly string[], cwd: string): Promise<string> {
  const { code, output } = await run(command, args, cwd);
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${output.slice(-6000)}`);
  return output;
}

/** An npm install/ci from the cache only, or with --prefer-offline when metadata is missing. */
async function npm(name: string, args: readonly string[], cwd: string): Promise<void> {
  const common = [...args, '--no-audit', '--no-fund', '--loglevel=error'];
  const offline = await run('npm', [...common, '--offline'], cwd);
  if (offline.code === 0) return;
  if (!/ENOTCACHED/.test(offline.output)) throw new Error(`${name} failed:\n${offline.output.slice(-6000)}`);
  notes.push(`${name}: registry metadata missing from the cache, repeated with --prefer-offline`);
  await step(name, 'npm', [...common, '--prefer-offline'], cwd);
}

afterAll(async () => {
  if (notes.length > 0) console.log(notes.join('\n'));
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('adopting evtgen in a service that already has specs', () => {
  it('init adopts them, and the service’s CI installs evtgen from what init wrote, in a clean clone', async () => {
    const work = await mkdtemp(join(tmpdir(), 'evtgen-adopt-'));
    const elsewhere = await mkdtemp(join(tmpdir(), 'evtgen-ci-'));
    folders.push(work, elsewhere);
    const packed = await step(
      'npm pack',
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
      repoRoot,
    );
    const tarball = join(
      work,
      (JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[])[0]?.filename ?? '',
    );

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
