import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The evtgen repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the shared test corpora live when present (CI has them; a user's clone may not). */
export const corporaRoot = join(repoRoot, '..', 'shared', 'corpora');

/** Creates a temporary project holding `files` (path → content), e.g. {'specs/a.yaml': '...'}. */
export async function tempProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'evtgen-test-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content, 'utf8');
  }
  return dir;
}

/** A temporary copy of the repository's example specs (and nothing else). */
export async function exampleProject(): Promise<string> {
  const dir = await tempProject();
  await cp(join(repoRoot, 'specs'), join(dir, 'specs'), { recursive: true });
  return dir;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (`bin/run.js`, as users do) in `cwd`. Colour is off: output is not a TTY. */
export function runCli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every file under `dir` with its content, keyed by relative path: for byte-for-byte comparisons. */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(dir, path)] = await readFile(path, 'utf8');
    }
  };
  await walk(dir);
  return out;
}

/** Result of one strict tsc run; `errors` are the `path(line,col): error TSxxxx: …` lines, paths absolute. */
export interface TscResult {
  readonly code: number;
  readonly output: string;
  readonly errors: string[];
}

/**
 * Runs the repository's tsc, strict and without emitting, over `include` (globs relative to
 * `configDir`, where a tsconfig.json is written): how generated code is type-checked in tests.
 */
export async function typeCheck(configDir: string, include: readonly string[]): Promise<TscResult> {
  const tsconfig = {
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include,
  };
  await writeFile(join(configDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await linkDependencies(configDir);
  return new Promise((done) => {
    execFile(
      join(repoRoot, 'node_modules', '.bin', 'tsc'),
      ['-p', join(configDir, 'tsconfig.json'), '--pretty', 'false'],
      { cwd: configDir, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const output = `${stdout}${stderr}`;
        // tsc names files relative to the tsconfig folder.
        const errors = output
          .split('\n')
          .filter((line) => /: error TS\d+/.test(line))
          .map(
            (line) =>
              `${resolve(configDir, line.slice(0, line.indexOf('(')))}${line.slice(line.indexOf('('))}`,
          );
        done({ code, output, errors });
      },
    );
  });
}

/**
 * Generated handlers import Powertools and the AWS SDK: like a real project, a temporary one gets
 * the dependencies installed (the repository's, linked as its node_modules).
 */
export async function linkDependencies(dir: string): Promise<void> {
  const linked = await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir').then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      return false;
    },
  );
  if (linked) return;
  // `evtgen generate` already made node_modules/ (for its cache): link each package into it.
  for (const name of await readdir(join(repoRoot, 'node_modules'))) {
    await symlink(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name), 'dir').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
}

/** Type-checks the TypeScript under `dir/generated/`; returns the error lines. */
export async function typeCheckGenerated(dir: string): Promise<string[]> {
  return (await typeCheck(dir, ['generated/**/*.ts'])).errors;
}
