// The consumer of a receive operation in an AsyncAPI document: its `x-consumer` settings (with
// their defaults), `x-slo` and SQS bindings, as the contract model's Consumer.

import type { Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { Consumer, EventOperation } from './contract.js';
import { toKebabName } from './naming.js';
import { sloFields } from './slo.js';

/**
 * The producer's event id (the same across producer retries and outbox relays), else EventBridge's
 * `id` for events of producers that do not stamp one.
 */
export const defaultIdempotencyKey = 'detail.eventId || id';

/** The consumer of a receive operation, its settings checked against the `x-consumer`/`x-slo` schemas. */
export function buildConsumer(
  file: SourceFile,
  diagnostics: Diagnostic[],
  operation: EventOperation,
  op: Record<string, unknown>,
): Consumer {
  const pointer = joinPointer('/operations', operation.operationId);
  for (const [key, kind] of [
    ['x-consumer', 'consumer'],
    ['x-slo', 'slo'],
  ] as const) {
    if (op[key] !== undefined)
      diagnostics.push(...checkExtension(kind, key, op[key], file, joinPointer(pointer, key)));
  }
  const raw = op['x-consumer'];
  const slo = sloFields(op['x-slo']);
  const settings = isObject(raw) ? raw : {};
  const num = (key: string, fallback: number): number =>
    typeof settings[key] === 'number' ? settings[key] : fallback;
  const bindings = isObject(op.bindings) ? op.bindings : {};
  const sqs = isObject(bindings.sqs) ? bindings.sqs : {};
  const queues = Array.isArray(sqs.queues) ? sqs.queues.filter(isObject) : [];
  return {
    name: typeof settings.name === 'string' ? settings.name : toKebabName(operation.operationId),
    operationId: operation.operationId,
    events: operation.events,
    delivery: settings.delivery === 'direct' ? 'direct' : 'queue',
    ...(isObject(settings.filter) ? { filter: settings.filter } : {}),
    batchSize: num('batchSize', 10),
    maxBatchingWindowSeconds: num('maxBatchingWindowSeconds', 0),
    ...(typeof settings.maxConcurrency === 'number' ? { maxConcurrency: settings.maxConcurrency } : {}),
    retryAttempts: num('retryAttempts', 185),
    maxEventAgeSeconds: num('maxEventAgeSeconds', 86400),
    timeoutSeconds: num('timeoutSeconds', 30),
    idempotencyKey:
      typeof settings.idempotencyKey === 'string' ? settings.idempotencyKey : defaultIdempotencyKey,
    sqsQueues: queues,
    ...(Object.keys(slo).length > 0 ? { slo } : {}),
    ...(operation.channel.bus ? { bus: operation.channel.bus } : {}),
    origin: operation.origin,
  };
}
