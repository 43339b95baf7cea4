/**
 * The end-to-end tests' steps: each a real process, timed and recorded, failing with its output's
 * tail. Installs come from the npm cache (`--offline`); when the cache lacks registry metadata a
 * package needs (a machine that only ever ran `npm ci`), the step is repeated with
 * `--prefer-offline` and that is recorded as the step's note.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './project.js';

export interface Step {
  readonly step: string;
  readonly seconds: number;
  readonly note?: string;
}

export interface Outcome {
  readonly code: number;
  readonly output: string;
}

/** The environment without what `npm test` adds for scripts (npm_config_*), which would steer child npm runs. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

export function runProcess(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...cleanEnv(), NO_COLOR: '1' },
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

export class StepRunner {
  readonly steps: Step[] = [];

  /** Runs one step, times it, and fails with the step's output when it fails. */
  async step(
    name: string,
    command: string,
    args: readonly string[],
    cwd: string,
    note?: string,
  ): Promise<string> {
    const started = performance.now();
    const { code, output } = await runProcess(command, args, cwd);
    this.steps.push({ step: name, seconds: (performance.now() - started) / 1000, ...(note ? { note } : {}) });
    if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${output.slice(-6000)}`);
    return output;
  }

  /** An npm install/ci (`args` start with the subcommand) from the cache only, else --prefer-offline. */
  async npm(name: string, args: readonly string[], cwd: string): Promise<void> {
    const common = [...args, '--no-audit', '--no-fund', '--loglevel=error'];
    const started = performance.now();
    const offline = await runProcess('npm', [...common, '--offline'], cwd);
    if (offline.code === 0) {
      this.steps.push({ step: name, seconds: (performance.now() - started) / 1000, note: 'offline' });
      return;
    }
    if (!/ENOTCACHED/.test(offline.output))
      throw new Error(`${name} failed:\n${offline.output.slice(-6000)}`);
    await this.step(
      name,
      'npm',
      [...common, '--prefer-offline'],
      cwd,
      'registry metadata missing from the cache: --prefer-offline',
    );
  }

  /** `npm pack` of this repository into `folder`; returns the tarball's path. */
  async packEvtgen(folder: string): Promise<string> {
    const packed = await this.step(
      'npm pack',
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', folder],
      repoRoot,
    );
    const [first] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[];
    if (!first) throw new Error(`npm pack reported no file:\n${packed}`);
    return join(folder, first.filename);
  }
}
