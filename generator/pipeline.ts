import type { ProjectConfig } from './config.js';
import { type EmitResult, emitAll } from './emit/emit-all.js';
import { type LoadResult, loadContract } from './model/build-model.js';

/**
 * load → model → emit, with emission starting from the draft model while the spec tools still
 * validate (the AsyncAPI parser works in its own thread), so the two overlap. The draft's output is
 * used only if validation then finds no error.
 */
export async function loadAndEmit(
  config: ProjectConfig,
): Promise<{ loaded: LoadResult; emitted?: EmitResult }> {
  let speculative: Promise<EmitResult | undefined> | undefined;
  const loaded = await loadContract(config.projectRoot, config.specsDir, {
    onDraft: (draft, locate) => {
      // A failure here is left to the second attempt below, which reports it.
      speculative = emitAll(draft, config.projectRoot, locate).catch(() => undefined);
    },
  });
  if (!loaded.model) {
    await speculative;
    return { loaded };
  }
  const emitted = (await speculative) ?? (await emitAll(loaded.model, config.projectRoot, loaded.locate));
  return { loaded, emitted };
}
