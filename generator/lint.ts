import { loadConfig } from './config.js';
import { type Diagnostic, hasErrors } from './diagnostics.js';
import { loadAndEmit } from './pipeline.js';

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
  const { loaded, emitted } = await loadAndEmit(config);
  if (!loaded.model || !emitted) return { ok: false, failure: 'spec', diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics, ...emitted.diagnostics];
  return {
    ok: !hasErrors(diagnostics),
    ...(hasErrors(diagnostics) ? { failure: 'spec' as const } : {}),
    diagnostics,
  };
}
