// Cross-account delivery through the registry. A consumer in another account than its producer
// cannot put its rule on the producer's bus; its reads record says where to forward instead
// (`forwardTo`: the consumer's own bus ARN), and the producer's generate turns every such record
// into a forwarding rule on its bus (the CDK constructs in cdk-accounts.ts build both sides).

import type { ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ContractModel, EventForward } from '../model/contract.js';
import { readReaders } from './readers.js';

const busArn = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/([A-Za-z0-9._-]+)$/;

/**
 * Where the producer of each subject must forward it for this consumer: the consumer's own bus, in
 * the consumer's account (`account` of evtgen.config.json) and the producer's region, for every
 * receive channel whose `x-eventbridge.eventBusArn` is in another account. Empty without `account`.
 */
export function forwardTargets(config: ProjectConfig, model: ContractModel): Map<string, string> {
  const out = new Map<string, string>();
  if (!config.account) return out;
  const ownBus = model.eventBusName ?? `${model.service.name}-bus`;
  for (const consumer of model.consumers) {
    const match = consumer.bus?.arn ? busArn.exec(consumer.bus.arn) : undefined;
    if (!match || match[2] === config.account) continue;
    for (const name of consumer.events) {
      const subject = model.events.find((e) => e.names.payload === name)?.external?.subject;
      if (subject) out.set(subject, `arn:aws:events:${match[1]}:${config.account}:event-bus/${ownBus}`);
    }
  }
  return out;
}

/**
 * The forwarding rules of a producer: every reads record in its store with a `forwardTo` bus, for a
 * subject this service publishes. A `forwardTo` that is not an event bus ARN is an error at its file.
 */
export async function forwardsOf(
  config: ProjectConfig,
  storeDir: string,
  model: ContractModel,
): Promise<{ forwards: EventForward[]; diagnostics: Diagnostic[] }> {
  const { readers } = await readReaders(config.projectRoot, storeDir);
  const forwards: EventForward[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const reader of readers) {
    if (reader.forwardTo === undefined) continue;
    const event = model.events.find((e) => !e.external && `${e.source}@${e.detailType}` === reader.subject);
    if (!event) continue;
    if (typeof reader.forwardTo !== 'string' || !busArn.test(reader.forwardTo)) {
      diagnostics.push({
        severity: 'error',
        code: 'reader-forward-invalid',
        message: `forwardTo of ${reader.consumer}'s reads record is not an EventBridge bus ARN: ${JSON.stringify(reader.forwardTo)}.`,
        file: reader.file.displayPath,
        position: reader.file.locate('/forwardTo'),
        pointer: '/forwardTo',
        hint: 'Expected arn:aws:events:<region>:<12-digit account>:event-bus/<name>; the consumer writes it with evtgen deps publish-reads (its evtgen.config.json `account`).',
      });
      continue;
    }
    forwards.push({
      consumer: reader.consumer,
      subject: reader.subject,
      source: event.source,
      detailType: event.detailType,
      eventBusArn: reader.forwardTo,
    });
  }
  return { forwards, diagnostics };
}
