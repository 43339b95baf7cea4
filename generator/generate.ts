import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type ProjectConfig } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import { listSpecFiles } from './load/discover.js';
import { storeDir } from './registry/store-dir.js';
import { fingerprint, outputIntact, readInputCache } from './write/input-cache.js';
import type { PlannedFile } from './write/writer.js';

export type GenerateMode = 'write' | 'check' | 'dry-run';

export interface GenerateOptions {
  /** `write` (default) updates the output; `check` and `dry-run` only report what would change. */
  readonly mode?: GenerateMode;
  /** Skip the unchanged-inputs fast path. */
  readonly force?: boolean;
  /** Called as each stage starts, with its name and counts (load, model, validate, emit, write): for progress. */
  readonly onStage?: (stage: string) => void;
}

export interface GenerateResult {
  /** False on any error diagnostic, or in `check` mode when the output is out of date. */
  readonly ok: boolean;
  /** 'config' when the configuration itself is unusable (exit 2). */
  readonly failure?: 'config' | 'spec' | 'drift';
  readonly mode: GenerateMode;
  readonly diagnostics: Diagnostic[];
  /** Every output file with what happened (or would happen) to it. */
  readonly files: PlannedFile[];
  /** True when the run stopped early because neither inputs nor outputs changed since the last run. */
  readonly upToDate: boolean;
  /** Handler skeletons (user-owned, project-relative paths): created when absent, else kept untouched. */
  readonly skeletons: SkeletonStatus[];
}

export interface SkeletonStatus {
  readonly path: string;
  readonly change: 'created' | 'kept';
}

/**
 * `evtgen generate`: load → model → emit → write. Each stage returns data; only the last one touches
 * the disk, and only after everything before it succeeded.
 */
export async function generate(projectRoot: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const mode = options.mode ?? 'write';
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

  if (mode === 'write' && !options.force && (await isUpToDate(config))) {
    return { ok: true, mode, diagnostics: [], files: [], upToDate: true, skeletons: [] };
  }
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

/** The registry store's subject files: inputs too (they decide the stamped versions). */
export async function storeFiles(config: ProjectConfig): Promise<string[]> {
  const dir = storeDir(config.specsDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.json')).map((n) => join(dir, n));
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
