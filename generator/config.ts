import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostics.js';

/** File name of the optional configuration, at the project root. */
export const configFileName = 'evtgen.config.json';

/** Resolved settings: every path absolute, every default applied. */
export interface ProjectConfig {
  readonly projectRoot: string;
  readonly specsDir: string;
  readonly outDir: string;
  readonly handlersDir: string;
  /** The config file's text ('' without one): part of the input fingerprint. */
  readonly raw: string;
}

export interface ConfigResult {
  readonly config?: ProjectConfig;
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads `evtgen.config.json` when present and validates it against generator/extensions/config.schema.json.
 * No file is fine: the standard layout (specs/, generated/, app/handlers/) applies.
 */
export async function loadConfig(projectRoot: string): Promise<ConfigResult> {
  const root = resolve(projectRoot);
  const path = join(root, configFileName);
  const raw = await readFile(path, 'utf8').catch(() => undefined);
  const settings: Record<string, unknown> = {};
  if (raw !== undefined) {
    // Loaded only when there is a file to read: the YAML parser and ajv cost a no-op re-run ~100 ms.
    const [{ parseSource }, { checkExtension }] = await Promise.all([
      import('./load/source-file.js'),
      import('./load/extensions.js'),
    ]);
    const { file, diagnostics } = parseSource(raw, path, configFileName);
    if (diagnostics.length > 0) return { diagnostics };
    const problems = checkExtension('config', configFileName, file.value, file, '');
    if (problems.length > 0) return { diagnostics: problems };
    Object.assign(settings, file.value);
  }
  const dir = (key: string, fallback: string) =>
    resolve(root, typeof settings[key] === 'string' ? settings[key] : fallback);
  return {
    config: {
      projectRoot: root,
      specsDir: dir('specs', 'specs'),
      outDir: dir('output', 'generated'),
      handlersDir: dir('handlers', 'app/handlers'),
      raw: raw ?? '',
    },
    diagnostics: [],
  };
}
