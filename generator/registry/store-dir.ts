import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The registry store: one JSON file per subject under `specs/registry/` (the loader skips that
 * folder), each holding the subject's mode and its immutable, numbered versions. Committed with the
 * specs, so every new version is reviewed in a pull request.
 *
 * Its own module so that `generate`'s no-op check can name the folder without loading the store.
 */
export const storeFolder = 'registry';

export function storeDir(specsDir: string): string {
  return join(specsDir, storeFolder);
}

/**
 * The store's subject files and its consumers' reads records (`readers/<consumer>/*.json`): inputs
 * of `generate` too (they decide the stamped versions, and the forwarding rules to other accounts).
 */
export async function storeFiles(config: { readonly specsDir: string }): Promise<string[]> {
  const dir = storeDir(config.specsDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => n.endsWith('.json')).map((n) => join(dir, n));
  if (!names.includes('readers')) return files;
  for (const consumer of (await readdir(join(dir, 'readers')).catch(() => [] as string[])).sort()) {
    const records = await readdir(join(dir, 'readers', consumer)).catch(() => [] as string[]);
    files.push(...records.filter((n) => n.endsWith('.json')).map((n) => join(dir, 'readers', consumer, n)));
  }
  return files;
}
