import type { Diagnostic } from '../diagnostics.js';
import type { ContractModel } from '../model/contract.js';
import { emitCatalog } from './catalog.js';
import { emitEventEnvelopes } from './event-envelopes.js';
import { emitEventModels } from './event-models.js';
import type { GeneratedFile } from './generated-file.js';
import { emitHttpTypes } from './http-types.js';
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
export async function emitAll(model: ContractModel, projectRoot: string): Promise<EmitResult> {
  const hasEvents = model.events.length > 0;
  const [models, http, validators] = await Promise.all([
    hasEvents ? emitEventModels(model) : undefined,
    emitHttpTypes(model, projectRoot),
    emitValidators(model),
  ]);
  const files: GeneratedFile[] = [
    ...(models ? [models, emitEventEnvelopes(model)] : []),
    ...http.files,
    emitValidatorRuntime(model),
    ...validators.files,
    ...emitCatalog(model),
  ];
  const warnings: Diagnostic[] = validators.warnings.map((w) => {
    const origin = model.schemas.find((s) => s.name === w.schema)?.origin;
    return {
      severity: 'warning',
      code: 'validator-warning',
      message: `ajv, compiling ${w.schema}: ${w.message}`,
      file: origin?.file ?? '.',
      position: origin?.position ?? { line: 1, column: 1 },
      pointer: origin?.pointer ?? '',
      hint: 'Unknown formats and keywords are not checked at run time; use a format ajv-formats knows.',
    };
  });
  const diagnostics = [...http.diagnostics, ...warnings];
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), diagnostics };
}
