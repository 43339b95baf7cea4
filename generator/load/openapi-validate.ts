import { relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { SourceFile } from './source-file.js';

/**
 * The Redocly rules evtgen needs for an OpenAPI document to be usable: structural validity against
 * the OpenAPI 3.0/3.1 specification and resolvable `$ref`s, plus the few cross-checks code
 * generation depends on. Style rules are left to `evtgen lint`'s Redocly ruleset.
 */
const rules = {
  struct: 'error',
  'no-unresolved-refs': 'error',
  'operation-operationId-unique': 'error',
  'operation-parameters-unique': 'error',
  'path-parameters-defined': 'error',
  'no-identical-paths': 'error',
} as const;

type Core = typeof import('@redocly/openapi-core');
let core: Promise<{ module: Core; config: Awaited<ReturnType<Core['createConfig']>> }> | undefined;

/** @redocly/openapi-core is loaded only when an OpenAPI document is validated. */
function load() {
  core ??= import('@redocly/openapi-core').then(async (module) => ({
    module,
    config: await module.createConfig({ extends: [], rules } as never),
  }));
  return core;
}

/** Validates an OpenAPI document (following its multi-file `$ref`s) and locates every problem. */
export async function validateOpenApi(file: SourceFile, projectRoot: string): Promise<Diagnostic[]> {
  const { module, config } = await load();
  const problems = await module.lint({ ref: file.path, config });
  return problems.map((problem) => {
    const location = problem.location[0];
    const position = location ? module.getLineColLocation(location).start : { line: 1, col: 1 };
    const source = location?.source.absoluteRef ?? file.path;
    return {
      severity: problem.severity === 'error' ? 'error' : 'warning',
      code: `openapi/${problem.ruleId}`,
      message: problem.message.endsWith('.') ? problem.message : `${problem.message}.`,
      file: relative(projectRoot, source).split(sep).join('/'),
      position: { line: position.line, column: position.col },
      pointer: (location?.pointer ?? '#').replace(/^#/, ''),
      hint:
        problem.suggest.length > 0
          ? `Did you mean: ${problem.suggest.join(', ')}?`
          : 'See the OpenAPI specification for this object (https://spec.openapis.org/oas/v3.1.0).',
    };
  });
}
