import { loadConfig } from './config.js';
import { type Diagnostic, hasErrors } from './diagnostics.js';
import { emitAll } from './emit/emit-all.js';
import { loadContract } from './model/build-model.js';

export interface LintResult {
  readonly ok: boolean;
  readonly failure?: 'config' | 'spec';
  readonly diagnostics: Diagnostic[];
}

/**
 * `evtgen lint`: every diagnostic of loading and modelling the specs (AsyncAPI parser, evtgen's
 * extension schemas, naming), plus what compiling the validators reports, without writing anything.
 */
export async function lint(projectRoot: string): Promise<LintResult> {
  const { config, diagnostics: configProblems } = await loadConfig(projectRoot);
  if (!config) return { ok: false, failure: 'config', diagnostics: configProblems };
  const loaded = await loadContract(config.projectRoot, config.specsDir);
  if (!loaded.model) return { ok: false, failure: 'spec', diagnostics: loaded.diagnostics };
  const emitted = await emitAll(loaded.model, config.projectRoot, loaded.locate);
  const diagnostics = [...loaded.diagnostics, ...emitted.diagnostics];
  return {
    ok: !hasErrors(diagnostics),
    ...(hasErrors(diagnostics) ? { failure: 'spec' as const } : {}),
    diagnostics,
  };
}
