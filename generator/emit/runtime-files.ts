import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContractModel } from '../model/contract.js';
import { packageRoot } from '../package-root.js';
import { type GeneratedFile, header } from './generated-file.js';

/**
 * The handler runtime (`generator/runtime/*.ts`), copied into `generated/runtime/` with the
 * do-not-edit header. It is the same for every contract, so it lives as real, type-checked
 * TypeScript in evtgen rather than as strings in an emitter; copying (instead of importing it from
 * the evtgen package) keeps the deployed app free of any dependency on evtgen itself.
 */
export const runtimeModules = [
  'consumer',
  'dead-letter',
  'http',
  'http-input',
  'observability',
  'outbox',
  'outbox-relay',
  'publisher',
  'retry',
  'validation',
] as const;

export async function emitRuntime(model: ContractModel): Promise<GeneratedFile[]> {
  const dir = join(packageRoot(), 'generator', 'runtime');
  return Promise.all(
    runtimeModules.map(async (name) => ({
      path: `runtime/${name}.ts`,
      content: `${header(model)}\n${await readFile(join(dir, `${name}.ts`), 'utf8')}`,
    })),
  );
}
