import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ProjectConfig } from '../config.js';

/** A usage problem with `--against` (exit code 2). */
export class BaselineError extends Error {}

/** Where the old specs come from. */
export type Against =
  | { kind: 'git'; ref: string }
  | { kind: 'dir'; dir: string }
  | { kind: 'registry'; source: 'store' | 'aws'; registryName?: string };

/** One old version of the specs, materialized as a project folder the loader reads. */
export interface BaselineVersion {
  readonly label: string;
  readonly projectRoot: string;
  readonly specsDir: string;
}

export interface Baseline {
  readonly description: string;
  /** Oldest last; the first is the latest (what non-transitive modes compare against). */
  readonly versions: readonly BaselineVersion[];
  dispose(): Promise<void>;
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout, stderr) => {
        if (error)
          fail(new BaselineError(`git ${args.join(' ')} failed: ${String(stderr).trim() || error.message}`));
        else done(stdout.toString('utf8'));
      },
    );
  });
}

/**
 * The top folder of the git repository holding `cwd`, or a BaselineError that says why a git
 * baseline is impossible (no git, or not a repository) and what to pass instead.
 */
async function repositoryTop(cwd: string, against: Against | undefined): Promise<string> {
  const instead = 'pass --against <dir> (a folder holding the older spec files) or --against registry';
  const what = against?.kind === 'git' ? `--against ${against.ref} is not a folder, and ` : '';
  return git(cwd, ['rev-parse', '--show-toplevel']).catch((error: Error) => {
    if (/ENOENT|spawn git/.test(error.message))
      throw new BaselineError(
        `${what}git is not installed (or not on PATH), so evtgen cannot read a git baseline: install git, or ${instead}.`,
      );
    throw new BaselineError(
      `${what}${cwd} is not inside a git repository, so there is no git baseline to compare against: run evtgen check in a git repository, or ${instead}.`,
    );
  });
}

function gitBytes(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((done, fail) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout, stderr) => {
        if (error) fail(new BaselineError(`git ${args.join(' ')} failed: ${String(stderr).trim()}`));
        else done(stdout);
      },
    );
  });
}

/**
 * Parses `--against`: `registry` (the store), `registry:aws[:<name>]` (versions pulled from AWS), an
 * existing folder, else a git revision.
 */
export async function parseAgainst(value: string | undefined, cwd: string): Promise<Against | undefined> {
  if (value === undefined) return undefined;
  if (value === 'registry') return { kind: 'registry', source: 'store' };
  if (value === 'registry:aws') return { kind: 'registry', source: 'aws' };
  if (value.startsWith('registry:aws:'))
    return { kind: 'registry', source: 'aws', registryName: value.slice('registry:aws:'.length) };
  const asDir = resolve(cwd, value);
  const isDir = await stat(asDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir ? { kind: 'dir', dir: asDir } : { kind: 'git', ref: value };
}

/**
 * The default baseline: the merge base of HEAD with the default branch (`origin/HEAD`, else
 * `main`, else `master`).
 */
export async function defaultGitRef(cwd: string): Promise<{ ref: string; description: string }> {
  const candidates: string[] = [];
  const originHead = await git(cwd, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']).catch(() => '');
  if (originHead.trim()) candidates.push(originHead.trim().replace(/^refs\/remotes\//, ''));
  candidates.push('main', 'master');
  for (const branch of candidates) {
    const exists = await git(cwd, ['rev-parse', '--verify', '--quiet', `${branch}^{commit}`]).catch(() => '');
    if (!exists.trim()) continue;
    const base = (
      await git(cwd, ['merge-base', 'HEAD', branch]).catch(() => {
        throw new BaselineError(
          `HEAD and ${branch} have no commit in common (or HEAD has no commit yet), so there is no merge base to compare against: commit first, or pass --against <git-ref> or --against <dir>.`,
        );
      })
    ).trim();
    return { ref: base, description: `merge base of HEAD and ${branch} (${base.slice(0, 12)})` };
  }
  throw new BaselineError(
    'No default branch found (origin/HEAD, main or master) to compare against: pass --against <git-ref> or --against <dir>.',
  );
}

/**
 * Materializes the baseline: for git, the files under the specs folder at the revision (and, for
 * transitive modes, at every earlier revision that changed them, newest first); for a folder, a
 * copy laid out like specs/. Each version lands in its own temporary project folder so the
 * generator's loader reads it exactly as it reads the working tree.
 */
export async function materialize(
  against: Against | undefined,
  config: ProjectConfig,
  transitive: boolean,
  maxVersions = 50,
): Promise<Baseline> {
  if (against?.kind === 'registry') {
    throw new BaselineError(
      'A registry baseline is compared by generator/registry/check-registry.ts, not materialized.',
    );
  }
  const temp = await mkdtemp(join(tmpdir(), 'evtgen-check-'));
  const dispose = () => rm(temp, { recursive: true, force: true });
  const specsRel = relative(config.projectRoot, config.specsDir);
  try {
    if (against?.kind === 'dir') {
      const root = join(temp, 'v0');
      const specsDir = join(root, specsRel);
      await mkdir(dirname(specsDir), { recursive: true });
      await cp(against.dir, specsDir, { recursive: true });
      return {
        description: `folder ${against.dir}`,
        versions: [{ label: relative(process.cwd(), against.dir) || '.', projectRoot: root, specsDir }],
        dispose,
      };
    }
    const cwd = config.projectRoot;
    const top = (await repositoryTop(cwd, against)).trim();
    let ref: string;
    let description: string;
    if (against?.kind === 'git') {
      ref = against.ref;
      description = `git ${against.ref}`;
    } else ({ ref, description } = await defaultGitRef(cwd));
    const commit = (
      await git(cwd, ['rev-parse', '--verify', `${ref}^{commit}`]).catch(() => {
        throw new BaselineError(`--against ${ref}: not a folder, and git knows no revision of that name.`);
      })
    ).trim();
    const specsInRepo = relative(top, config.specsDir).split(sep).join('/');
    const projectInRepo = relative(top, config.projectRoot).split(sep).join('/');
    let commits = [commit];
    if (transitive) {
      const listed = (await git(top, ['rev-list', `--max-count=${maxVersions}`, commit, '--', specsInRepo]))
        .split('\n')
        .filter(Boolean);
      commits = [commit, ...listed.filter((c) => c !== commit)];
    }
    const versions: BaselineVersion[] = [];
    const seenTrees = new Set<string>();
    for (const [i, c] of commits.entries()) {
      const tree = (await git(top, ['rev-parse', `${c}:${specsInRepo}`]).catch(() => '')).trim();
      if (tree && seenTrees.has(tree)) continue;
      if (tree) seenTrees.add(tree);
      const root = join(temp, `v${i}`);
      const files = tree
        ? (await git(top, ['ls-tree', '-r', '--name-only', c, '--', specsInRepo])).split('\n').filter(Boolean)
        : [];
      await mkdir(join(root, specsRel), { recursive: true });
      for (const path of files) {
        const content = await gitBytes(top, ['show', `${c}:${path}`]);
        const target = join(root, relative(projectInRepo, path));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      versions.push({
        label:
          i === 0 && !transitive ? (against?.kind === 'git' ? against.ref : c.slice(0, 12)) : c.slice(0, 12),
        projectRoot: root,
        specsDir: join(root, specsRel),
      });
    }
    return { description, versions, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
