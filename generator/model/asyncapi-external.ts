// What a service's AsyncAPI document says about other services: channels on their buses (the
// channel's `x-eventbridge`) and their events, pinned in specs/external/, which it may only receive.

import type { Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { ChannelBus, EventType } from './contract.js';

/** A send operation of another service's event: only its owner publishes it. */
export function sentExternal(file: SourceFile, at: string, event: EventType): Diagnostic {
  return {
    severity: 'error',
    code: 'external-event-sent',
    message: `${event.messageName} belongs to another service (${event.external?.subject}, pinned v${event.external?.version}): this service can receive it, not send it.`,
    file: file.displayPath,
    position: file.locate(at),
    pointer: at,
    hint: 'Make it a receive operation, or define an event of your own under components.messages and publish that.',
  };
}

/**
 * The channel's `x-eventbridge` bus, validated (problems reported once per channel, however many
 * operations use it); absent: the service's own bus.
 */
export function channelBus(
  file: SourceFile,
  diagnostics: Diagnostic[],
  channelKey: string,
  channel: Record<string, unknown>,
): ChannelBus | undefined {
  const value = channel['x-eventbridge'];
  if (value === undefined) return undefined;
  const at = joinPointer('/channels', channelKey, 'x-eventbridge');
  const problems = checkExtension('eventbridge-channel', 'x-eventbridge', value, file, at);
  if (problems.length > 0 || !isObject(value)) {
    if (!diagnostics.some((d) => d.file === file.displayPath && d.pointer.startsWith(at)))
      diagnostics.push(...problems);
    return undefined;
  }
  if (typeof value.eventBusArn === 'string') {
    const arn = value.eventBusArn;
    return { name: arn.slice(arn.indexOf(':event-bus/') + ':event-bus/'.length), arn };
  }
  return typeof value.eventBusName === 'string' ? { name: value.eventBusName } : undefined;
}
