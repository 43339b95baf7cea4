import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { packagePath } from '../package-root.js';
import { structuralRules } from './openapi-validate.js';
import { problemStart } from './redocly-positions.js';
import { evtgenResolver } from './redocly-resolver.js';

/** Where a project keeps its own ruleset; Redocly CLI reads the same file. */
export const projectRulesetName = 'redocly.yaml';

/** How diagnostics name the shipped ruleset: the same on every machine. */
export const defaultRulesetName = "evtgen's default ruleset (generator/rulesets/redocly.yaml)";

/** The ruleset evtgen ships, used when the project has no redocly.yaml. */
export function defaultRulesetPath(): string {
  return packagePath('generator', 'rulesets', 'redocly.yaml');
}

export interface RedoclyDocument {
  /** Absolute path. */
  readonly path: string;
  readonly kind: 'asyncapi' | 'openapi';
}

export interface RedoclyLintResult {
  readonly diagnostics: Diagnostic[];
  /** The ruleset that applied: `redocly.yaml` (the project's) or `defaultRulesetName`. */
  readonly ruleset: string;
  /** True when the ruleset itself could not be loaded: a configuration error. */
  readonly configFailed: boolean;
}

/**
 * Rules whose findings evtgen already reports from its own loaders, so their Redocly copies are
 * dropped: evtgen's version is located the same way, and sometimes corrected (openapi-validate.ts
 * explains where Redocly's `struct` is wrong). `struct` on AsyncAPI is left to the official parser,
 * which validates against the AsyncAPI JSON Schema itself.
 */
const reportedByEvtgen: Record<RedoclyDocument['kind'], ReadonlySet<string>> = {
  openapi: new Set(['struct', 'spec', 'no-unresolved-refs', 'operation-operationId', ...structuralRules]),
  asyncapi: new Set(['struct', 'spec', 'no-unresolved-refs']),
};

type Core = typeof import('@redocly/openapi-core');

/**
 * Redocly lint (the @redocly/openapi-core library, in process) over every document, with the
 * project's redocly.yaml or evtgen's shipped ruleset. Remote `$ref`s are not fetched: evtgen runs
 * offline and reports them itself (`ref-remote`).
 */
export async function redoclyLint(
  projectRoot: string,
  documents: readonly RedoclyDocument[],
): Promise<RedoclyLintResult> {
  const core = await import('@redocly/openapi-core');
  const own = `${projectRoot}${sep}${projectRulesetName}`;
  const rulesetPath = existsSync(own) ? own : defaultRulesetPath();
  const ruleset = rulesetPath === own ? projectRulesetName : defaultRulesetName;
  let config: Awaited<ReturnType<Core['loadConfig']>>;
  try {
    config = await core.loadConfig({ configPath: rulesetPath });
  } catch (error) {
    // Redocly names the file by its absolute path and puts a YAML error's position in the text.
    const reason = firstLine(String((error as Error).message)).replaceAll(`${projectRoot}${sep}`, '');
    const at = /\((\d+):(\d+)\)$/.exec(reason);
    return {
      ruleset,
      configFailed: true,
      diagnostics: [
        {
          severity: 'error',
          code: 'redocly-config-invalid',
          message: `The Redocly ruleset ${ruleset} cannot be loaded: ${reason.replace(/\.?$/, '.')}`,
          file: ruleset,
          position: { line: Number(at?.[1] ?? 1), column: Number(at?.[2] ?? 1) },
          pointer: '',
          hint: 'Fix the file (see https://redocly.com/docs/cli/configuration), or delete it to use evtgen’s default ruleset.',
        },
      ],
    };
  }
  const resolver = evtgenResolver(core, { offline: true });
  const found = await Promise.all(
    documents.map(async (document) => {
      const problems = await core.lint({ ref: document.path, config, externalRefResolver: resolver });
      return problems
        .filter((p) => !p.ignored && !reportedByEvtgen[document.kind].has(p.ruleId))
        .map((problem) => toDiagnostic(core, problem, projectRoot, ruleset, document.path));
    }),
  );
  return { ruleset, configFailed: false, diagnostics: found.flat() };
}

function toDiagnostic(
  core: Core,
  problem: Awaited<ReturnType<Core['lint']>>[number],
  projectRoot: string,
  ruleset: string,
  documentPath: string,
): Diagnostic {
  const location = problem.location[0];
  const start = location ? problemStart(core, location) : { line: 1, col: 1 };
  const source = location?.source.absoluteRef ?? documentPath;
  const message = problem.message.trim();
  return {
    severity: problem.severity === 'error' ? 'error' : 'warning',
    code: `redocly/${problem.ruleId}`,
    message: /[.?!]$/.test(message) ? message : `${message}.`,
    file: relative(projectRoot, source).split(sep).join('/'),
    position: { line: start.line, column: start.col },
    pointer: (location?.pointer ?? '#').replace(/^#/, ''),
    hint:
      problem.suggest.length > 0
        ? `Did you mean: ${problem.suggest.join(', ')}?`
        : ruleset === projectRulesetName
          ? `Fix the document, or change the severity of the Redocly rule "${problem.ruleId}" in redocly.yaml (https://redocly.com/docs/cli/rules).`
          : `Fix the document; to tune the Redocly rule "${problem.ruleId}" instead, copy ${defaultRulesetName} to redocly.yaml in the project and change it there (https://redocly.com/docs/cli/rules).`,
  };
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? text).trim();
}
