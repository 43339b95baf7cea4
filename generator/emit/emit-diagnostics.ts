import { type Diagnostic, dedupeDiagnostics } from '../diagnostics.js';
import type { Locate } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import type { TypedDocuments } from '../openapi-worker.js';
import { cdkDiagnostics } from './cdk.js';
import { httpTypesDiagnostics } from './http-types.js';
import { needsRuntime } from './publishers.js';
import { validatorDiagnostics } from './validator-diagnostics.js';
import { validatorWarnings } from './validators.js';

/**
 * What `emitAll` reports for this model, without making the output: `evtgen lint` shows these and
 * writes nothing. Three emitters can find a problem — openapi-typescript refusing a document, ajv
 * warning about or refusing a schema, the CDK contract (an authorizer the HTTP API cannot enforce, a
 * schema the Schema Registry's draft 4 cannot express) — and each is asked here the same question,
 * in the same order. The rest (bundling the validators, the event models, handlers, runtime and
 * templates) says nothing: on GitHub's REST API description it is most of a generate's CPU time
 * besides the typing and the validators' compile (esbuild, the split, prettier's worker).
 *
 * test/lint/emission-diagnostics.test.ts checks that both give the same diagnostics.
 */
export async function emitDiagnostics(
  model: ContractModel,
  projectRoot: string,
  locate?: Locate,
  typed?: TypedDocuments,
): Promise<Diagnostic[]> {
  const [http, warnings] = await Promise.all([
    httpTypesDiagnostics(model, projectRoot, typed),
    validatorWarnings(model),
  ]);
  return dedupeDiagnostics([
    ...http,
    ...validatorDiagnostics(model, warnings, locate),
    ...(needsRuntime(model) ? cdkDiagnostics(model) : []),
  ]);
}
