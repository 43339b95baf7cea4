import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { loadConfig, type ProjectConfig } from './config.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
import { emitAppScaffold } from './emit/cdk-app.js';
import { emitSkeletons } from './emit/skeletons.js';
import { listSpecFiles } from './load/discover.js';
import type { ContractModel } from './model/contract.js';
import { loadAndEmit } from './pipeline.js';
import { storeDir } from './registry/store.js';
import { fingerprint, outputIntact, readInputCache, writeInputCache } from './write/input-cache.js';
import { applyWrite, type PlannedFile, pendingChanges, planWrite } from './write/writer.js';

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
  const { loaded, emitted } = await loadAndEmit(config, options.onStage);
  if (!loaded.model || !emitted)
    return {
      ok: false,
      failure: 'spec',
      mode,
      diagnostics: loaded.diagnostics,
      files: [],
      upToDate: false,
      skeletons: [],
    };
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...emitted.diagnostics]);
  if (hasErrors(diagnostics))
    return { ok: false, failure: 'spec', mode, diagnostics, files: [], upToDate: false, skeletons: [] };

  options.onStage?.(`emit: ${emitted.files.length} file(s)`);
  const plan = await planWrite(config.outDir, emitted.files);
  const skeletons = await planSkeletons(config, loaded.model);
  const missing = skeletons.filter((s) => !s.exists);
  const changes = [...pendingChanges(plan), ...missing];
  if (mode === 'write') {
    options.onStage?.(`write: ${changes.length} changed`);
    await applyWrite(plan);
    await createSkeletons(missing);
    const inputs = [
      ...new Set([
        ...loaded.inputs,
        ...(await listSpecFiles(config.specsDir)),
        ...(await storeFiles(config)),
      ]),
    ].sort();
    await writeInputCache(config.projectRoot, config.outDir, {
      fingerprint: await fingerprint(inputs, config.raw),
      inputs,
      skeletons: skeletons.map((s) => s.target),
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
    skeletons: skeletons.map((s) => ({
      path: toPosix(relative(config.projectRoot, s.target)),
      change: s.exists ? 'kept' : 'created',
    })),
  };
}

/** A user-owned file: a handler skeleton or a file of the CDK app scaffold. */
interface PlannedSkeleton {
  /** Absolute path. */
  readonly target: string;
  readonly content: string;
  readonly exists: boolean;
}

async function planSkeletons(config: ProjectConfig, model: ContractModel): Promise<PlannedSkeleton[]> {
  const handlers = await emitSkeletons(model, toPosix(relative(config.handlersDir, config.outDir)));
  const app = await emitAppScaffold(model, {
    handlersDir: toPosix(relative(config.projectRoot, config.handlersDir)),
    outDir: toPosix(relative(config.projectRoot, config.outDir)),
  });
  const files = [
    ...handlers.map((f) => ({ target: join(config.handlersDir, f.path), content: f.content })),
    ...app.map((f) => ({ target: join(config.projectRoot, f.path), content: f.content })),
  ];
  return Promise.all(files.map(async (file) => ({ ...file, exists: await exists(file.target) })));
}

/**
 * Writes the skeletons that do not exist yet. `wx` refuses to replace a file, so even one created
 * between the check and the write (an editor, a second run) is never overwritten.
 */
async function createSkeletons(skeletons: readonly PlannedSkeleton[]): Promise<void> {
  for (const skeleton of skeletons) {
    const target = skeleton.target;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, skeleton.content, { encoding: 'utf8', flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
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
async function storeFiles(config: ProjectConfig): Promise<string[]> {
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
