/**
 * Whether a dead-lettered event would pass the consumer's checks under the *current* contract:
 * an event type the consumer receives, with a `detail` its validators accept. A replay of one that
 * would not is refused without `--force` — it would only fail again, now as a poison event.
 * Validation uses the generated validators' ajv setup (loadtest/contract-schemas.ts), so an event
 * passes here exactly when the deployed consumer would accept it.
 */
import { eventDetailSchema } from '../emit/event-detail.js';
import { type CheckValue, contractSchemas } from '../loadtest/contract-schemas.js';
import type { ContractModel } from '../model/contract.js';
import type { DeadLetter } from './decode.js';

/** The problems of `letter` for `consumer`, one line each; none when it can be replayed. */
export type ReplayCheck = (consumer: string, letter: DeadLetter) => string[];

export async function contractCheck(model: ContractModel): Promise<ReplayCheck> {
  const schemas = await contractSchemas(model);
  const validators = new Map<string, CheckValue>();
  return (consumerName, letter) => {
    if (!letter.event) return ['not an EventBridge event (the message body is not one)'];
    const event = model.events.find((e) => e.detailType === letter.eventType && e.source === letter.source);
    if (!event)
      return [
        `${letter.eventType ?? '(no detail-type)'} from ${letter.source ?? '(no source)'} is not an event type of the contract`,
      ];
    const consumer = model.consumers.find((c) => c.name === consumerName);
    if (consumer && !consumer.events.includes(event.messageName))
      return [`${consumerName} does not receive ${event.messageName}`];
    let validate = validators.get(event.messageName);
    if (!validate) {
      validate = schemas.compile(eventDetailSchema(event) as never, event.dialect);
      validators.set(event.messageName, validate);
    }
    return validate(letter.event.detail).map((issue) => `detail${issue.pointer || ''}: ${issue.message}`);
  };
}
