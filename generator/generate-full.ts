import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { collectGarbage } from './collect-garbage.js';
import type { ProjectConfig } from './config.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import { emitAppScaffold } from './emit/cdk-app.js';
import { emitSkeletons } from './emit/skeletons.js';
import type { GenerateMode, GenerateResult } from './generate-result.js';
import { listSpecFiles } from './load/discover.js';
import type { ContractModel } from './model/contract.js';
import { loadAndEmit } from './pipeline.js';
import { storeFiles } from './registry/store-dir.js';
import { fingerprint, writeInputCache } from './write/input-cache.js';
import { applyWrite, pendingChanges, planWrite } from './write/writer.js';

/** `evtgen generate` past the no-op check (generate.ts): load → model → emit → write. */
export async function generateFull(
  config: ProjectConfig,
  mode: GenerateMode,
  onStage?: (stage: string) => void,
): Promise<GenerateResult> {
  const { loaded, emitted } = await loadAndEmit(config, onStage);
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

  onStage?.(`emit: ${emitted.files.length} file(s)`);
  // What emission left behind (the bundler's output, the split modules' pieces) goes before the
  // files are hashed and compared with the disk (collect-garbage.ts).
  collectGarbage();
  const plan = await planWrite(config.outDir, emitted.files);
  const skeletons = await planSkeletons(config, loaded.model);
  const missing = skeletons.filter((s) => !s.exists);
  const changes = [...pendingChanges(plan), ...missing];
  if (mode === 'write') {
    onStage?.(`write: ${changes.length} changed`);
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

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
