import type { ProjectConfig } from './config.js';
import { forwardsOf } from './deps/forwards.js';
import { pinProblems } from './deps/verify.js';
import type { Diagnostic } from './diagnostics.js';
import { type EmitResult, emitAll } from './emit/emit-all.js';
import { emitDiagnostics } from './emit/emit-diagnostics.js';
import { startModelsWorker } from './emit/event-models-worker.js';
import { type LoadResult, loadContract } from './model/build-model.js';
import type { ContractModel } from './model/contract.js';
import { startTyping, type TypedDocuments } from './openapi-worker.js';
import { RegistryStoreError, readStore, type StoredSubject, storeDir } from './registry/store.js';
import { publishedVersions } from './registry/subjects.js';

/** How the output is made from the model: all of it (`emitAll`), or only what making it reports. */
type Emit = (
  model: ContractModel,
  projectRoot: string,
  locate: LoadResult['locate'],
  typed: TypedDocuments | undefined,
) => Promise<EmitResult>;

/**
 * load → model → emit, with emission starting from the draft model while the spec tools still
 * validate (the AsyncAPI parser works in its own thread), so the two overlap. The draft's output is
 * used only if validation then finds no error.
 */
export function loadAndEmit(
  config: ProjectConfig,
  onStage?: (stage: string) => void,
): Promise<{ loaded: LoadResult; emitted?: EmitResult }> {
  return load(config, { emit: emitAll, eventModels: true }, onStage);
}

/**
 * `loadAndEmit` for `evtgen lint`: the same diagnostics, from the same model, with emission only
 * asked what it would report (emit-diagnostics.ts); `emitted.files` is empty. The event models'
 * worker is not started.
 */
export function loadAndCheckEmission(
  config: ProjectConfig,
  onStage?: (stage: string) => void,
): Promise<{ loaded: LoadResult; emitted?: EmitResult }> {
  const emit: Emit = async (model, projectRoot, locate, typed) => ({
    files: [],
    diagnostics: await emitDiagnostics(model, projectRoot, locate, typed),
  });
  return load(config, { emit, eventModels: false }, onStage);
}

async function load(
  config: ProjectConfig,
  /** `eventModels`: whether the output has the event models (their worker then starts early). */
  { emit, eventModels }: { readonly emit: Emit; readonly eventModels: boolean },
  onStage?: (stage: string) => void,
): Promise<{ loaded: LoadResult; emitted?: EmitResult }> {
  let speculative: Promise<EmitResult | undefined> | undefined;
  // The registry store says which version each event's current schema is (stamped into the code).
  let store: StoredSubject[] = [];
  let storeProblems: Diagnostic[] = [];
  try {
    store = await readStore(config.projectRoot, storeDir(config.specsDir));
  } catch (error) {
    if (!(error instanceof RegistryStoreError)) throw error;
    storeProblems = error.diagnostics;
  }
  // Pinned external events (specs/external/): a hand-edited pin is an error, an unpinned dependency a warning.
  const pinning = pinProblems(config);
  const versioned = (model: ContractModel): ContractModel => {
    const versions = publishedVersions(model, store);
    if (versions.size === 0) return model;
    return {
      ...model,
      events: model.events.map((e) =>
        versions.has(e.messageName) ? { ...e, registryVersion: versions.get(e.messageName) as number } : e,
      ),
    };
  };
  let typed: TypedDocuments | undefined;
  const loaded = await loadContract(config.projectRoot, config.specsDir, {
    ...(onStage ? { onStage } : {}),
    // openapi-typescript types the documents, and json-schema-to-typescript loads, in their workers
    // while the main thread does the rest.
    onDocuments: (documents) => {
      const openapi = documents.filter((d) => d.kind === 'openapi').map((d) => d.path);
      if (openapi.length > 0) typed = startTyping(openapi);
      if (eventModels && documents.some((d) => d.kind === 'asyncapi')) startModelsWorker();
    },
    onDraft: (draft, locate) => {
      // A failure here is left to the second attempt below, which reports it.
      speculative = emit(versioned(draft), config.projectRoot, locate, typed).catch(() => undefined);
    },
  });
  if (!loaded.model) {
    await speculative;
    return { loaded };
  }
  // Consumers in other accounts (reads records with `forwardTo`) get forwarding rules on the bus.
  const forwarding = await forwardsOf(config, storeDir(config.specsDir), loaded.model);
  const emitted =
    forwarding.forwards.length > 0
      ? await emit(
          { ...versioned(loaded.model), forwards: forwarding.forwards },
          config.projectRoot,
          loaded.locate,
          typed,
        )
      : ((await speculative) ??
        (await emit(versioned(loaded.model), config.projectRoot, loaded.locate, typed)));
  const problems = [...storeProblems, ...(await pinning), ...forwarding.diagnostics];
  return {
    loaded,
    emitted: problems.length ? { ...emitted, diagnostics: [...emitted.diagnostics, ...problems] } : emitted,
  };
}
