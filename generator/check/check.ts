import { loadConfig, type ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { SpecWorkspace } from '../load/workspace.js';
import { loadContract } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import { BaselineError, materialize, parseAgainst } from './baseline.js';
import { compareAsyncApi } from './contract-asyncapi.js';
import { compareOpenApi } from './contract-openapi.js';
import { atLeast, type Finding, isTransitive, type Mode, sortFindings } from './findings.js';
import { applyIgnores } from './ignores.js';
import { readingPolicy } from './reading-policy.js';
import type { Level } from './rules/index.js';
import { FindingSink, type Snapshot } from './snapshot.js';

export interface CheckOptions {
  readonly project: string;
  /** `--against` as typed (undefined: the merge base with the default branch). */
  readonly against?: string;
  readonly mode?: Mode;
  readonly failOn: Level;
  /** YYYY-MM-DD; default today (UTC). */
  readonly today?: string;
  readonly cwd?: string;
}

export interface CheckResult {
  readonly ok: boolean;
  /** `usage`/`config` → exit 2; `spec` (a spec that does not load) → exit 1. */
  readonly failure?: 'usage' | 'config' | 'spec' | 'breaking';
  readonly message?: string;
  readonly diagnostics: Diagnostic[];
  readonly findings: Finding[];
  readonly baseline: string;
  readonly policy: string;
  readonly failOn: Level;
  readonly mode: string;
  readonly counts: {
    readonly error: number;
    readonly warn: number;
    readonly info: number;
    readonly ignored: number;
  };
}

const emptyModel: ContractModel = {
  service: { name: '', title: '', version: '' },
  documents: [],
  schemas: [],
  events: [],
  eventOperations: [],
  consumers: [],
  httpOperations: [],
};

/** `evtgen check`: loads the specs now and at the baseline, compares them, applies ignores. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const blank = {
    findings: [],
    baseline: '',
    policy: readingPolicy,
    failOn: options.failOn,
    mode: options.mode ?? 'per-kind defaults',
    counts: { error: 0, warn: 0, info: 0, ignored: 0 },
  };
  const { config, diagnostics: configProblems } = await loadConfig(options.project);
  if (!config) return { ...blank, ok: false, failure: 'config', diagnostics: configProblems };
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const current = await loadContract(config.projectRoot, config.specsDir, {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
    convertOnce: true,
  });
  if (!current.model || !current.workspace)
    return {
      ...blank,
      ok: false,
      failure: 'spec',
      message: 'The specs do not load: fix the errors above.',
      diagnostics: current.diagnostics,
    };
  const newSnap: Snapshot = { label: 'working tree', model: current.model, workspace: current.workspace };

  let baseline: Awaited<ReturnType<typeof materialize>>;
  try {
    const against = await parseAgainst(options.against, options.cwd ?? process.cwd());
    if (against?.kind === 'registry') {
      const { registryFindings } = await import('../registry/check-registry.js');
      const fromRegistry = await registryFindings(
        config,
        newSnap,
        against.source,
        options.mode,
        against.registryName,
      );
      return finish(
        config,
        newSnap,
        options,
        blank,
        today,
        fromRegistry.findings,
        [],
        fromRegistry.description,
      );
    }
    baseline = await materialize(against, config, options.mode !== undefined && isTransitive(options.mode));
  } catch (error) {
    if (error instanceof BaselineError)
      return { ...blank, ok: false, failure: 'usage', message: error.message, diagnostics: [] };
    const { RegistryCommandError } = await import('../registry/project.js');
    if (error instanceof RegistryCommandError)
      return {
        ...blank,
        ok: false,
        failure: error.failure === 'usage' ? 'usage' : error.failure === 'store' ? 'spec' : 'config',
        message: error.message,
        diagnostics: error.diagnostics,
      };
    throw error;
  }
  const diagnostics: Diagnostic[] = [];
  const all: Finding[] = [];
  try {
    const seen = new Set<string>();
    for (const version of baseline.versions) {
      const loaded = await loadContract(version.projectRoot, version.specsDir, {
        validate: false,
        requireSecurity: false,
        checkDeployability: false,
        convertOnce: true,
      });
      let oldSnap: Snapshot;
      if (loaded.model && loaded.workspace)
        oldSnap = { label: version.label, model: loaded.model, workspace: loaded.workspace };
      else if (loaded.diagnostics.every((d) => d.code === 'specs-missing'))
        oldSnap = {
          label: version.label,
          model: emptyModel,
          workspace: new SpecWorkspace(version.projectRoot),
        };
      else {
        diagnostics.push(
          ...loaded.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => ({ ...d, message: `[baseline ${version.label}] ${d.message}` })),
        );
        continue;
      }
      const sink = new FindingSink(oldSnap, newSnap);
      const compareOptions = { ...(options.mode ? { mode: options.mode } : {}), today };
      compareOpenApi(sink, compareOptions);
      compareAsyncApi(sink, compareOptions);
      for (const f of sink.findings) {
        if (seen.has(f.fingerprint)) continue;
        seen.add(f.fingerprint);
        all.push(baseline.versions.length > 1 ? { ...f, against: version.label } : f);
      }
    }
  } finally {
    await baseline.dispose();
  }
  if (diagnostics.length > 0 && baseline.versions.length === 1) {
    return {
      ...blank,
      baseline: baseline.description,
      ok: false,
      failure: 'spec',
      message: 'The baseline specs do not load.',
      diagnostics,
    };
  }
  // Transitive: an old version that does not load is skipped, with its problems as warnings.
  for (const [i, d] of diagnostics.entries()) diagnostics[i] = { ...d, severity: 'warning' };
  return finish(config, newSnap, options, blank, today, all, diagnostics, baseline.description);
}

/**
 * The known consumers' reads records (specs/registry/readers/) against the current schemas: a
 * change that breaks one is an error naming it, whatever the baseline.
 */
async function consumerFindings(
  config: ProjectConfig,
  snap: Snapshot,
): Promise<{ findings: Finding[]; diagnostics: Diagnostic[] }> {
  const [{ readReaders, readerFindings }, { currentSubjects }, { storeDir }] = await Promise.all([
    import('../deps/readers.js'),
    import('../registry/subjects.js'),
    import('../registry/store.js'),
  ]);
  const { readers, diagnostics } = await readReaders(config.projectRoot, storeDir(config.specsDir));
  if (readers.length === 0) return { findings: [], diagnostics };
  return {
    findings: readerFindings(currentSubjects(snap.model), readers).map((r) => r.finding),
    diagnostics,
  };
}

/** Ignores, sorting, counts and the verdict: the same for every kind of baseline. */
async function finish(
  config: ProjectConfig,
  newSnap: Snapshot,
  options: CheckOptions,
  blank: Omit<CheckResult, 'ok' | 'diagnostics'>,
  today: string,
  all: Finding[],
  diagnostics: Diagnostic[],
  description: string,
): Promise<CheckResult> {
  const projectRoot = config.projectRoot;
  const consumers = await consumerFindings(config, newSnap);
  const withConsumers = [...all, ...consumers.findings];
  const { findings, diagnostics: ignoreProblems } = await applyIgnores(
    projectRoot,
    withConsumers,
    newSnap,
    today,
  );
  if (ignoreProblems.some((d) => d.severity === 'error'))
    return { ...blank, ok: false, failure: 'config', diagnostics: ignoreProblems };
  const sorted = sortFindings(findings);
  const active = sorted.filter((f) => !f.ignored);
  const counts = {
    error: active.filter((f) => f.level === 'error').length,
    warn: active.filter((f) => f.level === 'warn').length,
    info: active.filter((f) => f.level === 'info').length,
    ignored: sorted.length - active.length,
  };
  const breaking = active.some((f) => atLeast(f.level, options.failOn));
  return {
    ...blank,
    ok: !breaking,
    ...(breaking ? { failure: 'breaking' as const } : {}),
    diagnostics: [...diagnostics, ...consumers.diagnostics, ...ignoreProblems],
    findings: sorted,
    baseline: description,
    counts,
  };
}
