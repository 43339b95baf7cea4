import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The evtgen package's root folder, found by walking up from this file; works both from the
 * TypeScript sources (generator/) and from the build (dist/generator/).
 */
let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'generator', 'extensions'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('evtgen: cannot find its own package root');
    dir = parent;
  }
  root = dir;
  return dir;
}

export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/**
 * A compiled module of evtgen, for a worker thread to load: worker threads cannot load the
 * TypeScript sources the tests run, so they always run the build (dist/generator/), which `npm test`
 * makes first and the package ships.
 */
export function compiledModulePath(...segments: string[]): string {
  return packagePath('dist', 'generator', ...segments);
}
