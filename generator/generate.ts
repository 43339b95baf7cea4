import { access } from 'node:fs/promises';
import { loadConfig, type ProjectConfig, unvalidatedConfig } from './config.js';
import type { GenerateOptions, GenerateResult } from './generate-result.js';
import { listSpecFiles } from './load/discover.js';
import { storeFiles } from './registry/store-dir.js';
import { fingerprint, outputIntact, readInputCache } from './write/input-cache.js';

export type { GenerateMode, GenerateOptions, GenerateResult, SkeletonStatus } from './generate-result.js';

/**
 * `evtgen generate`: load → model → emit → write. Each stage returns data; only the last one touches
 * the disk, and only after everything before it succeeded.
 */
export async function generate(projectRoot: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const mode = options.mode ?? 'write';
  // The no-op check first, on the configuration text alone: a re-run with nothing to do loads
  // neither the YAML parser nor ajv to validate a configuration the last run already accepted.
  const noOpCheck = mode === 'write' && !options.force;
  const known = noOpCheck ? await unvalidatedConfig(projectRoot) : undefined;
  if (known && (await isUpToDate(known)))
    return { ok: true, mode, diagnostics: [], files: [], upToDate: true, skeletons: [] };
  // Past the no-op check, the AsyncAPI parser's worker starts first: its loading (~0.5 s) then
  // overlaps the configuration's validation and the loading of the pipeline's modules, not only
  // the reading of the specs (build-model.ts starts it there for the other callers).
  const guessed = noOpCheck ? known : await unvalidatedConfig(projectRoot);
  if (guessed) {
    const { startAsyncApiParserFor } = await import('./load/asyncapi-validate.js');
    await startAsyncApiParserFor(await listSpecFiles(guessed.specsDir).catch(() => []));
  }
  const { config, diagnostics: configProblems } = await loadConfig(projectRoot);
  if (!config)
    return {
      ok: false,
      failure: 'config',
      mode,
      diagnostics: configProblems,
      files: [],
      upToDate: false,
      skeletons: [],
    };

  // Everything past the no-op check loads on demand: a re-run with nothing to do never pays for
  // the spec tools, ajv, the emitters and their templates (most of the start-up time).
  const { generateFull } = await import('./generate-full.js');
  return generateFull(config, mode, options.onStage);
}

/** The fast path: same input files with the same content, same evtgen, output untouched. */
async function isUpToDate(config: ProjectConfig): Promise<boolean> {
  const cache = await readInputCache(config.projectRoot, config.outDir);
  if (!cache) return false;
  const specFiles = [
    ...(await listSpecFiles(config.specsDir).catch(() => [])),
    ...(await storeFiles(config)),
  ];
  const known = new Set(cache.inputs);
  if (specFiles.some((f) => !known.has(f))) return false;
  if ((await fingerprint(cache.inputs, config.raw)) !== cache.fingerprint) return false;
  for (const skeleton of cache.skeletons ?? []) if (!(await exists(skeleton))) return false;
  return outputIntact(config.outDir);
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
