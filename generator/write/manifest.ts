import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the manifest inside the output folder. */
export const manifestFileName = '.evtgen-manifest.json';

/**
 * What evtgen wrote last time: every file it owns (so files it no longer generates can be deleted,
 * and nothing else ever is) with a hash of each (so a re-run can tell nobody edited them).
 */
export interface Manifest {
  readonly generator: 'evtgen';
  readonly files: Readonly<Record<string, string>>;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function renderManifest(manifest: Manifest): string {
  const files = Object.fromEntries(
    Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `${JSON.stringify({ generator: manifest.generator, files }, null, 2)}\n`;
}

/** The previous manifest, or undefined when there is none (or it is not evtgen's). */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, manifestFileName), 'utf8')) as Partial<Manifest>;
    if (parsed.generator !== 'evtgen' || typeof parsed.files !== 'object' || parsed.files === null)
      return undefined;
    return { generator: 'evtgen', files: parsed.files };
  } catch {
    return undefined;
  }
}
