import { relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { isObject, splitPointer } from './json-pointer.js';
import { bundledLikeRedocly, bundleRule } from './redocly-bundle.js';
import { problemStart } from './redocly-positions.js';
import { evtgenResolver } from './redocly-resolver.js';

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

/** Their names: `evtgen lint` drops the copies its Redocly ruleset would report of these findings. */
export const structuralRules = Object.keys(rules);

type Core = typeof import('@redocly/openapi-core');
let core: Promise<{ module: Core; config: Awaited<ReturnType<Core['createConfig']>> }> | undefined;

/** @redocly/openapi-core is loaded only when an OpenAPI document is validated. */
function load() {
  core ??= import('@redocly/openapi-core').then(async (module) => ({
    module,
    config: await module.createConfig({
      extends: [],
      // `bundle` reports nothing: it only records (redocly-bundle.ts).
      rules: { ...rules, 'evtgen/bundle': 'warn' },
      plugins: [{ id: 'evtgen', rules: { oas3: { bundle: bundleRule } } }],
    } as never),
  }));
  return core;
}

export interface ValidatedOpenApi {
  readonly diagnostics: Diagnostic[];
  /**
   * The document as Redocly's bundling would give it, when evtgen could make it without Redocly
   * (`bundleRule`); undefined otherwise, or when the validation found an error.
   */
  readonly bundled?: unknown;
}

/**
 * Validates the OpenAPI document at `path` (following its multi-file `$ref`s) and locates every
 * problem. It runs in the OpenAPI worker (openapi-worker.ts `validateOpenApi`), which keeps the
 * document for openapi-typescript.
 */
export async function validateOpenApiDocument(path: string, projectRoot: string): Promise<ValidatedOpenApi> {
  const { module, config } = await load();
  let document: unknown;
  const problems = await module.lint({
    ref: path,
    config,
    externalRefResolver: evtgenResolver(module, { offline: false }),
    collectSpecData: (parsed: unknown) => {
      document = parsed;
    },
  });
  const version = isObject(document) ? String(document.openapi) : '';
  const specUrl = `https://spec.openapis.org/oas/v${/^3\.0/.test(version) ? '3.0.3' : '3.1.0'}`;
  const diagnostics = problems.flatMap((problem): Diagnostic[] => {
    const location = problem.location[0];
    const position = location ? problemStart(module, location) : { line: 1, col: 1 };
    const source = location?.source.absoluteRef ?? path;
    const pointer = (location?.pointer ?? '#').replace(/^#/, '');
    const diagnostic: Diagnostic = {
      severity: problem.severity === 'error' ? 'error' : 'warning',
      code: `openapi/${problem.ruleId}`,
      message: problem.message.endsWith('.') ? problem.message : `${problem.message}.`,
      file: relative(projectRoot, source).split(sep).join('/'),
      position: { line: position.line, column: position.col },
      pointer,
      hint:
        problem.suggest.length > 0
          ? `Did you mean: ${problem.suggest.join(', ')}?`
          : `See the OpenAPI specification for this object (${specUrl}).`,
    };
    if (problem.ruleId !== 'struct') return [diagnostic];
    return correctStruct(diagnostic, version);
  });
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const bundled = bundledLikeRedocly(document);
  return bundled === undefined ? { diagnostics } : { diagnostics, bundled };
}

/**
 * Redocly's `struct` rule is wrong in a few places evtgen's users hit; schemas themselves are checked
 * against their JSON Schema meta-schema later (model/schema-check.ts), so nothing goes unchecked:
 * - it refuses boolean (sub)schemas, which OpenAPI 3.1 (JSON Schema 2020-12) allows;
 * - it looks property names up on a plain object, so a property called `constructor` (or any other
 *   Object.prototype member) is checked against a JavaScript function and reported;
 * - it calls `nullable` without `type` an error. OpenAPI 3.0.3 says such a `nullable` has no effect,
 *   but `{nullable: true, allOf: [{$ref}]}` is the usual way to write "this schema or null" and
 *   openapi-typescript reads it so; evtgen does too (for types and validators alike) and says so in a
 *   warning rather than refusing the document.
 */
function correctStruct(diagnostic: Diagnostic, version: string): Diagnostic[] {
  if (
    version.startsWith('3.1') &&
    diagnostic.message.startsWith('Expected type `Schema` (object) but got `boolean`')
  )
    return [];
  const segments = splitPointer(diagnostic.pointer);
  if (
    segments.some((segment, i) => i > 0 && segments[i - 1] === 'properties' && prototypeMembers.has(segment))
  )
    return [];
  if (diagnostic.message.startsWith('The `type` field must be defined when the `nullable` field is used')) {
    return [
      {
        ...diagnostic,
        severity: 'warning',
        code: 'openapi/nullable-without-type',
        message:
          '`nullable: true` without `type`: evtgen reads it as "this schema or null" (as openapi-typescript does), though OpenAPI 3.0.3 says it has no effect without `type`.',
        hint: 'Keep it if "this schema or null" is what you mean; OpenAPI 3.1 says it without ambiguity: `anyOf: [{$ref: …}, {type: "null"}]`.',
      },
    ];
  }
  return [diagnostic];
}

const prototypeMembers = new Set(Object.getOwnPropertyNames(Object.prototype));
