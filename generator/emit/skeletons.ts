import { posix } from 'node:path';
import type { ContractModel } from '../model/contract.js';
import { toKebabName, toValueName } from '../model/naming.js';
import { consumerNames } from './consumers.js';
import { httpHandlerNames } from './http-handlers.js';
import { loadTemplate } from './templates.js';

/** A file the user owns: written once when absent, never overwritten, never deleted. */
export interface SkeletonFile {
  /** Relative to the handlers folder (`app/handlers`). */
  readonly path: string;
  readonly content: string;
}

/**
 * One handler skeleton per HTTP operation and per consumer, from the Handlebars templates in
 * `templates/handlers/`. `outDirFromHandlers` is the output folder as seen from the handlers folder
 * (`../../generated`). Templates hold layout only; every decision is made here.
 */
export async function emitSkeletons(
  model: ContractModel,
  outDirFromHandlers: string,
): Promise<SkeletonFile[]> {
  // Skeletons sit one folder down (`http/`, `consumers/`).
  const importBase = posix.join('..', outDirFromHandlers);
  const [httpTemplate, consumerTemplate] = await Promise.all(
    ['http-operation.ts.hbs', 'consumer.ts.hbs'].map((name) => loadTemplate('handlers', name)),
  );
  const files: SkeletonFile[] = [];
  for (const op of model.httpOperations) {
    const names = httpHandlerNames(op);
    const success = op.responses.find((r) => /^2\d\d$/.test(r.status));
    files.push({
      path: `http/${toKebabName(op.operationId)}.ts`,
      content:
        httpTemplate?.({
          operationId: op.operationId,
          method: op.method,
          path: op.path,
          summary: op.summary ?? false,
          factory: names.factory,
          implementationType: names.implementation,
          valueName: toValueName(op.operationId),
          importBase,
          file: toKebabName(op.operationId),
          success: success ? { status: success.status } : false,
        }) ?? '',
    });
  }
  for (const consumer of model.consumers) {
    const operation = model.eventOperations.find((op) => op.operationId === consumer.operationId);
    files.push({
      path: `consumers/${toKebabName(consumer.name)}.ts`,
      content:
        consumerTemplate?.({
          name: consumer.name,
          operationId: consumer.operationId,
          summary: operation?.summary ?? false,
          factory: consumerNames(consumer).factory,
          importBase,
          file: toKebabName(consumer.name),
          events: consumer.events,
        }) ?? '',
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
