// Temporary projects and timed child processes for the benchmarks.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = join(repoRoot, 'bin', 'run.js');

const scratch = [];
const running = new Set();

/** A new empty folder under the OS temp dir; removed by `removeScratch()`. */
export async function scratchDir(label) {
  const dir = await mkdtemp(join(tmpdir(), `evtgen-bench-${label}-`));
  scratch.push(dir);
  return dir;
}

/** A fresh project holding a copy of `specsDir` as `specs/` and nothing else (no generated/, no cache). */
export async function freshProject(specsDir, label) {
  const dir = await scratchDir(label);
  await cp(specsDir, join(dir, 'specs'), { recursive: true });
  return dir;
}

export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
  const i = scratch.indexOf(dir);
  if (i !== -1) scratch.splice(i, 1);
}

export async function removeScratch() {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux unless getconf says otherwise). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU times (ms) from `/proc/<pid>/stat` (Linux; undefined elsewhere or once the process is gone):
 * `own`, user + system of all its threads (proc(5) fields 14 and 15), and `endedChildren`, the same
 * for the children it has waited for (fields 16 and 17: what `time` reports for a command; a child's
 * own children count once it has waited for them, as esbuild's process started by evtgen).
 */
export function cpuTimes(pid = 'self') {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `fields[0]` is field 3: the name (field 2) may hold spaces, so split after its ')'.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ms = (ticks) => (ticks * 1000) / ticksPerSecond;
    return { own: ms(fields[11] + fields[12]), endedChildren: ms(fields[13] + fields[14]) };
  } catch {
    return undefined;
  }
}

/**
 * Runs `node <args>` and measures its wall time from spawn to exit, process start included.
 * Resolves with the exit code, captured output and the CPU time it used (`cpuMs`: user + system of
 * every thread, and of the processes it waited for; undefined off Linux). Never rejects on a
 * non-zero exit. One at a time: the CPU time is that of all children ended meanwhile.
 */
export function timedNode(args, { env = {}, cwd = repoRoot, passStderr = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = cpuTimes()?.endedChildren;
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', passStderr ? 'inherit' : 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr?.on('data', (chunk) => err.push(chunk));
    running.add(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const cpuAfter = cpuTimes()?.endedChildren;
      running.delete(child);
      resolve({
        ms,
        cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Stops the child processes still running (on Ctrl-C or SIGTERM of the benchmark). */
export function stopChildren() {
  for (const child of running) child.kill('SIGTERM');
}

/** `evtgen <args>` through the installed bin (as users run it). */
export function runEvtgen(args) {
  return timedNode([cliPath, ...args]);
}

/** Diagnostics printed by the CLI (`file:line:col  severity  code  message`), counted by severity and code. */
export function parseDiagnostics(stderr) {
  const found = { error: 0, warning: 0, info: 0, codes: new Map() };
  for (const line of stderr.split('\n')) {
    const match = /^\S+:\d+:\d+\s+(error|warning|info)\s+(\S+)/.exec(line);
    if (!match) continue;
    found[match[1]]++;
    const key = `${match[1]} ${match[2]}`;
    found.codes.set(key, (found.codes.get(key) ?? 0) + 1);
  }
  return found;
}

export function describeDiagnostics(d) {
  const codes = [...d.codes].map(([code, n]) => `${code} ×${n}`).join(', ');
  return `${d.error} errors, ${d.warning} warnings, ${d.info} infos${codes ? ` (${codes})` : ''}`;
}

/** Throws with the CLI's output when a run failed: a benchmark of a failing run measures nothing. */
export function assertOk(result, what) {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited with ${result.code}\n--- stdout\n${result.stdout.slice(0, 4000)}\n--- stderr\n${result.stderr.slice(0, 8000)}`,
    );
  }
  return result;
}

/**
 * Runs a worker script (bench/*-worker.js) with a JSON job in its own process (so one tool's memory
 * and JIT state never affect another's); its progress goes straight to stderr. Returns its JSON
 * answer (the last stdout line).
 */
export async function runWorker(script, job, env = {}) {
  const args = ['--expose-gc', join(repoRoot, 'bench', script), JSON.stringify(job)];
  const result = await timedNode(args, { env, passStderr: true });
  if (result.code !== 0) throw new Error(`${script} failed (exit ${result.code}); see its output above.`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last);
}
