/**
 * `evtgen dev` as a user runs it: the built CLI as a child process in a copy of the example project
 * (under test/.artifacts, so the app's imports resolve to the repository's packages). Ready when
 * it prints its HTTP address; its state file gives the URLs and the development token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './project.js';

export interface DevState {
  readonly pid: number;
  readonly endpoint: string;
  readonly region: string;
  readonly http: string;
  readonly status: string;
  readonly eventBusName: string;
  readonly token: string;
}

export interface DevProcess {
  readonly dir: string;
  readonly state: DevState;
  readonly child: ChildProcess;
  /** Every line printed so far (JSON lines with --json). */
  readonly lines: string[];
  /** SIGINT, then the exit code. */
  stop(): Promise<number | null>;
}

/** A copy of the example project: specs, handlers, CDK app; node_modules linked. */
export async function exampleAppProject(prefix = 'dev-'): Promise<string> {
  await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
  const dir = await mkdtemp(join(repoRoot, 'test', '.artifacts', prefix));
  for (const entry of ['specs', 'app', 'generated', 'cdk.json', 'evtgen.config.json'])
    await cp(join(repoRoot, entry), join(dir, entry), { recursive: true });
  // The CDK app's command runs node_modules/.bin/esbuild from the project folder.
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Starts `evtgen dev --json --port 0 …` in `dir` and waits until it serves. */
export async function startDevProcess(dir: string, args: readonly string[] = []): Promise<DevProcess> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'run.js'), 'dev', '--json', '--port', '0', ...args],
    {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => {
      lines.push(line);
      if (line.includes('HTTP API')) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`evtgen dev exited (${code}) before serving:\n${stderr}\n${lines.join('\n')}`)),
    );
  });
  await ready;
  const state = JSON.parse(await readFile(join(dir, '.evtgen', 'dev', 'state.json'), 'utf8')) as DevState;
  return {
    dir,
    state,
    child,
    lines,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/**
 * Replaces the faults the running evtgen dev injects (`PUT /_evtgen/faults`), or with `undefined`
 * returns to those of its `--inject-failure` flags (`DELETE`).
 */
export async function setDevFaults(dev: DevProcess, faults: unknown): Promise<void> {
  const url = new URL('/_evtgen/faults', dev.state.status).href;
  const response = await fetch(
    url,
    faults === undefined
      ? { method: 'DELETE' }
      : { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) },
  );
  if (!response.ok)
    throw new Error(`evtgen dev answered ${response.status} to the faults: ${await response.text()}`);
}
