import { type Diagnostic, dedupeDiagnostics } from '../diagnostics.js';
import type { Locate } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import type { TypedDocuments } from '../openapi-worker.js';
import { emitCatalog } from './catalog.js';
import { type CdkEmitResult, emitCdk } from './cdk.js';
import type { CompileDiagnostic } from './compile-validators.js';
import { emitConsumers } from './consumers.js';
import { emitEventEnvelopes } from './event-envelopes.js';
import { emitEventModels } from './event-models.js';
import type { GeneratedFile } from './generated-file.js';
import { emitHttpHandlers } from './http-handlers.js';
import { emitHttpTypes } from './http-types.js';
import { emitOutboxRelay, emitPublishers, emitService } from './publishers.js';
import { emitRuntime } from './runtime-files.js';
import { emitValidatorRuntime } from './validator-runtime.js';
import { emitValidators } from './validators.js';

export interface EmitResult {
  readonly files: GeneratedFile[];
  readonly diagnostics: Diagnostic[];
}

/**
 * model → files: runs every emitter and returns the whole output in memory, sorted by path. Nothing
 * is written here, so a failing emitter leaves the disk untouched.
 */
export async function emitAll(
  model: ContractModel,
  projectRoot: string,
  locate?: Locate,
  /** openapi-typescript's output, when the pipeline started typing early (openapi-worker.ts). */
  typed?: TypedDocuments,
): Promise<EmitResult> {
  const hasEvents = model.events.length > 0;
  // The rest of the output: made on the main thread while a worker bundles the validators
  // (validators.ts), rather than before ajv's compile, which the main thread then waited on.
  let rest: { files: GeneratedFile[]; cdk: CdkEmitResult | undefined } | undefined;
  const emitRest = async () => {
    const handlers = [...emitHttpHandlers(model), ...emitConsumers(model)];
    const publishers = emitPublishers(model);
    const needsRuntime = handlers.length > 0 || publishers !== undefined;
    const [runtime, cdk] = await Promise.all([
      needsRuntime ? emitRuntime(model) : [],
      needsRuntime ? emitCdk(model) : undefined,
    ]);
    const files: GeneratedFile[] = [
      ...(hasEvents ? [emitEventEnvelopes(model)] : []),
      emitValidatorRuntime(model),
      ...emitCatalog(model),
      ...handlers,
      ...(publishers ? [publishers] : []),
      ...(needsRuntime ? [emitOutboxRelay(model)].flatMap((f) => (f ? [f] : [])) : []),
      ...(needsRuntime ? [emitService(model), ...runtime] : []),
      ...(cdk?.files ?? []),
    ];
    rest = { files, cdk };
  };
  // Located while the worker bundles too: locating builds an index of a large document (~0.1 s).
  let warnings: Diagnostic[] = [];
  const [models, http, validators] = await Promise.all([
    hasEvents ? emitEventModels(model) : undefined,
    emitHttpTypes(model, projectRoot, typed),
    emitValidators(model, async (compileWarnings) => {
      await emitRest();
      warnings = validatorDiagnostics(model, compileWarnings, locate);
    }),
  ]);
  if (!rest) throw new Error('evtgen: the validators were emitted without the rest of the output');
  const { cdk } = rest;
  const files: GeneratedFile[] = [
    ...(models ? [models] : []),
    ...http.files,
    ...validators.files,
    ...rest.files,
  ];
  // One unknown format reached from several validators is reported once.
  const diagnostics = dedupeDiagnostics([...http.diagnostics, ...warnings, ...(cdk?.diagnostics ?? [])]);
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), diagnostics };
}

/**
 * The schema a validator's definition stands for: a response or a named schema that is only a
 * `$ref` (`{$ref: '#/definitions/Repo'}`) is compiled as a call to its target, so what ajv says
 * while compiling it is about the target.
 */
function refTarget(model: ContractModel, name: string): string {
  const seen = new Set<string>();
  let current = name;
  while (!seen.has(current)) {
    seen.add(current);
    const schema =
      model.schemas.find((s) => s.name === current)?.schema ??
      model.httpOperations.flatMap((op) => op.responses).find((r) => r.name === current)?.schema;
    const ref =
      typeof schema === 'object' && schema !== null && Object.keys(schema).length === 1
        ? /^#\/definitions\/([^/]+)$/.exec(String((schema as { $ref?: unknown }).$ref))?.[1]
        : undefined;
    if (ref === undefined) return current;
    current = ref;
  }
  return current;
}

/** ajv's warnings and refusals as diagnostics, at the schema each is about. */
function validatorDiagnostics(
  model: ContractModel,
  warnings: readonly CompileDiagnostic[],
  locate: Locate | undefined,
): Diagnostic[] {
  return warnings.map((w) => {
    // ajv names the schema path it complains about, from the root of the schema it was compiling:
    // "…at path \"#/definitions/Order/properties/email\"", or "#/properties/email" inside a `$ref`
    // target compiled as its own function; that target is where the keyword is written.
    const path = /in schema at path "#((?:\/[^"]*)?)"/.exec(w.message)?.[1] ?? '';
    const inBundle = /^\/definitions\/([^/]+)(.*)$/.exec(path);
    const schemaName = refTarget(model, inBundle?.[1] ?? w.schema);
    const origin = model.schemas.find((s) => s.name === schemaName)?.origin;
    // Only a bundle path is known to lead into the schema as written: a request body's origin is
    // the Request Body Object, whose schema sits further down.
    const pointer = origin ? origin.pointer + (inBundle?.[2] ?? '') : '';
    return {
      severity: w.severity,
      code: w.severity === 'error' ? 'validator-compile' : 'validator-warning',
      message: `ajv: ${w.message.replace(/ in schema at path "[^"]*"/, '')} (schema ${schemaName}).`,
      file: origin?.file ?? '.',
      position: (origin && locate?.(origin.file, pointer)) ?? origin?.position ?? { line: 1, column: 1 },
      pointer,
      hint:
        w.severity === 'error'
          ? 'Fix the schema so that it is valid JSON Schema; ajv could not compile it.'
          : 'Unknown formats and keywords are not checked at run time; use a format ajv-formats knows.',
    };
  });
}
