import { type Diagnostic, dedupeDiagnostics } from '../diagnostics.js';
import type { Locate } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import type { TypedDocuments } from '../openapi-worker.js';
import { emitCatalog } from './catalog.js';
import { type CdkEmitResult, emitCdk } from './cdk.js';
import { emitConsumers } from './consumers.js';
import { emitEventEnvelopes } from './event-envelopes.js';
import { emitEventModels } from './event-models.js';
import type { GeneratedFile } from './generated-file.js';
import { emitHttpHandlers } from './http-handlers.js';
import { emitHttpTypes } from './http-types.js';
import { emitOutboxRelay, emitPublishers, emitService, needsRuntime } from './publishers.js';
import { emitRuntime } from './runtime-files.js';
import { validatorDiagnostics } from './validator-diagnostics.js';
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
    const runtimeNeeded = needsRuntime(model);
    const [runtime, cdk] = await Promise.all([
      runtimeNeeded ? emitRuntime(model) : [],
      runtimeNeeded ? emitCdk(model) : undefined,
    ]);
    const files: GeneratedFile[] = [
      ...(hasEvents ? [emitEventEnvelopes(model)] : []),
      emitValidatorRuntime(model),
      ...emitCatalog(model),
      ...handlers,
      ...(publishers ? [publishers] : []),
      ...(runtimeNeeded ? [emitOutboxRelay(model)].flatMap((f) => (f ? [f] : [])) : []),
      ...(runtimeNeeded ? [emitService(model), ...runtime] : []),
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
