import { loadConfig, type ProjectConfig } from './config.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { listSpecFiles } from './load/discover.js';
import { loadAndEmit } from './pipeline.js';
import { fingerprint, outputIntact, readInputCache, writeInputCache } from './write/input-cache.js';
import { applyWrite, type PlannedFile, pendingChanges, planWrite } from './write/writer.js';

export type GenerateMode = 'write' | 'check' | 'dry-run';

export interface GenerateOptions {
  /** `write` (default) updates the output; `check` and `dry-run` only report what would change. */
  readonly mode?: GenerateMode;
  /** Skip the unchanged-inputs fast path. */
  readonly force?: boolean;
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
}

/**
 * `evtgen generate`: load → model → emit → write. Each stage returns data; only the last one touches
 * the disk, and only after everything before it succeeded.
 */
export async function generate(projectRoot: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const mode = options.mode ?? 'write';
  const { config, diagnostics: configProblems } = await loadConfig(projectRoot);
  if (!config)
    return { ok: false, failure: 'config', mode, diagnostics: configProblems, files: [], upToDate: false };

  if (mode === 'write' && !options.force && (await isUpToDate(config))) {
    return { ok: true, mode, diagnostics: [], files: [], upToDate: true };
  }
  const { loaded, emitted } = await loadAndEmit(config);
  if (!loaded.model || !emitted)
    return { ok: false, failure: 'spec', mode, diagnostics: loaded.diagnostics, files: [], upToDate: false };
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...emitted.diagnostics]);
  if (hasErrors(diagnostics))
    return { ok: false, failure: 'spec', mode, diagnostics, files: [], upToDate: false };

  const plan = await planWrite(config.outDir, emitted.files);
  const changes = pendingChanges(plan);
  if (mode === 'write') {
    await applyWrite(plan);
    const inputs = [...new Set([...loaded.inputs, ...(await listSpecFiles(config.specsDir))])].sort();
    await writeInputCache(config.projectRoot, config.outDir, {
      fingerprint: await fingerprint(inputs, config.raw),
      inputs,
    });
  }
  const drift = mode === 'check' && changes.length > 0;
  return {
    ok: !drift,
    ...(drift ? { failure: 'drift' as const } : {}),
    mode,
    diagnostics,
    files: [...plan.files],
    upToDate: changes.length === 0,
  };
}

/** The fast path: same input files with the same content, same evtgen, output untouched. */
async function isUpToDate(config: ProjectConfig): Promise<boolean> {
  const cache = await readInputCache(config.projectRoot, config.outDir);
  if (!cache) return false;
  const specFiles = await listSpecFiles(config.specsDir).catch(() => []);
  const known = new Set(cache.inputs);
  if (specFiles.some((f) => !known.has(f))) return false;
  if ((await fingerprint(cache.inputs, config.raw)) !== cache.fingerprint) return false;
  return outputIntact(config.outDir);
}
