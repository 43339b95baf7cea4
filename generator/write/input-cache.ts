import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-root.js';
import { readManifest, sha256 } from './manifest.js';

/**
 * The fast path of a re-run with nothing to do. After a successful generate, evtgen records a
 * fingerprint of everything the output depends on — every input file, the configuration and evtgen's
 * own code — in `node_modules/.cache/evtgen/` (never committed). When the fingerprint is unchanged and
 * every generated file still has the hash the manifest recorded, the output is known to be current
 * without loading a single spec. `--check` never takes this path: CI always regenerates in full.
 */
export interface InputCache {
  readonly fingerprint: string;
  readonly inputs: readonly string[];
  /** Handler skeletons (absolute paths): a deleted one must be re-created, so the fast path checks them. */
  readonly skeletons?: readonly string[];
}

function cachePath(projectRoot: string, outDir: string): string {
  return join(projectRoot, 'node_modules', '.cache', 'evtgen', `${sha256(outDir).slice(0, 16)}.json`);
}

let generatorFingerprint: Promise<string> | undefined;

/**
 * Hash of evtgen's own code (the folder this module runs from) and extension schemas: each file's
 * path, size and modification time. Any build or install rewrites the files it changes, which moves
 * their time; reading and hashing all ~300 files instead cost a no-op re-run ~70 ms of its ~100.
 */
function ownFingerprint(): Promise<string> {
  generatorFingerprint ??= (async () => {
    // The compiled generator, plus what it copies or renders at run time (runtime, templates).
    const pkg = packageRoot();
    const roots = [
      dirname(dirname(fileURLToPath(import.meta.url))),
      join(pkg, 'generator', 'runtime'),
      join(pkg, 'templates'),
    ];
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(js|ts|json|hbs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
      }
    };
    for (const root of roots) await walk(root);
    files.sort();
    const hashes = await Promise.all(
      files.map(async (f) => {
        const { size, mtimeMs } = await stat(f);
        return `${f.slice(pkg.length)}:${size}:${mtimeMs}`;
      }),
    );
    return sha256(hashes.join('\n'));
  })();
  return generatorFingerprint;
}

/** Fingerprint of the given input files (absolute paths) plus evtgen itself and the config text. */
export async function fingerprint(inputs: readonly string[], config: string): Promise<string> {
  const parts = await Promise.all(
    [...inputs]
      .sort()
      .map(async (path) => `${path}:${sha256(await readFile(path).catch(() => Buffer.from('missing')))}`),
  );
  return sha256([await ownFingerprint(), config, ...parts].join('\n'));
}

export async function readInputCache(projectRoot: string, outDir: string): Promise<InputCache | undefined> {
  try {
    return JSON.parse(await readFile(cachePath(projectRoot, outDir), 'utf8')) as InputCache;
  } catch {
    return undefined;
  }
}

/** Best effort: without a node_modules folder there is simply no fast path. */
export async function writeInputCache(projectRoot: string, outDir: string, cache: InputCache): Promise<void> {
  const path = cachePath(projectRoot, outDir);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(cache), 'utf8');
  } catch {
    // The cache is an optimisation only.
  }
}

/** True when every file the manifest lists is on disk with the recorded hash. */
export async function outputIntact(outDir: string): Promise<boolean> {
  const manifest = await readManifest(outDir);
  if (!manifest) return false;
  for (const [path, hash] of Object.entries(manifest.files)) {
    const content = await readFile(join(outDir, path)).catch(() => undefined);
    if (!content || sha256(content.toString('utf8')) !== hash) return false;
  }
  return true;
}
