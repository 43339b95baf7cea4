import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareStrings } from '../diagnostics.js';

/** Folders under specs/ that hold data evtgen reads another way (the registry store). */
const skippedFolders = new Set(['registry', 'node_modules']);

/**
 * Every YAML/JSON file under the specs folder, sorted so that the order documents are read in — and
 * hence every diagnostic and name claim — is the same on every machine.
 */
export async function listSpecFiles(specsDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) await walk(path);
      } else if (/\.(ya?ml|json)$/i.test(entry.name)) found.push(path);
    }
  };
  await walk(specsDir);
  return found.sort(compareStrings);
}
