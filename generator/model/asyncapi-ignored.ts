// What an AsyncAPI document may say that evtgen's EventBridge mapping does not use: servers, channel
// parameters and bindings other than the official `sqs` ones (Kafka, MQTT, WebSocket documents).
// One warning per document lists them, so none is dropped silently.

import type { Diagnostic } from '../diagnostics.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';

/** Bindings evtgen reads (the official `sqs` operation binding). */
const usedBindings = new Set(['sqs']);

/** The warning for what `file` declares and evtgen ignores, or undefined when there is nothing. */
export function ignoredByEventBridge(file: SourceFile): Diagnostic | undefined {
  const doc = isObject(file.value) ? file.value : {};
  const found: { what: string; pointer: string }[] = [];
  const entries = (value: unknown) => Object.entries(isObject(value) ? value : {});
  const bindings = (owner: string, value: unknown, pointer: string) => {
    if (!isObject(value) || !isObject(value.bindings)) return;
    for (const protocol of Object.keys(value.bindings).sort()) {
      if (!usedBindings.has(protocol))
        found.push({
          what: `${protocol} bindings (${owner})`,
          pointer: joinPointer(pointer, 'bindings', protocol),
        });
    }
  };
  for (const [name, server] of entries(doc.servers)) {
    const protocol = isObject(server) && typeof server.protocol === 'string' ? ` (${server.protocol})` : '';
    found.push({ what: `server ${name}${protocol}`, pointer: joinPointer('/servers', name) });
    bindings(`server ${name}`, server, joinPointer('/servers', name));
  }
  for (const [name, channel] of entries(doc.channels)) {
    const at = joinPointer('/channels', name);
    if (isObject(channel) && isObject(channel.parameters) && Object.keys(channel.parameters).length > 0)
      found.push({
        what: `channel ${name} parameters (${Object.keys(channel.parameters).join(', ')})`,
        pointer: joinPointer(at, 'parameters'),
      });
    bindings(`channel ${name}`, channel, at);
    for (const [message, value] of entries(isObject(channel) ? channel.messages : undefined))
      bindings(`message ${message}`, value, joinPointer(at, 'messages', message));
  }
  for (const [name, op] of entries(doc.operations))
    bindings(`operation ${name}`, op, joinPointer('/operations', name));
  const components = isObject(doc.components) ? doc.components : {};
  for (const [name, message] of entries(components.messages))
    bindings(`message ${name}`, message, joinPointer('/components/messages', name));
  const [first] = found;
  if (!first) return undefined;
  return {
    severity: 'warning',
    code: 'asyncapi-ignored',
    message: `evtgen maps this document to EventBridge (a bus, rules, SQS queues) and ignores its servers, channel parameters and non-EventBridge bindings: ${found.map((f) => f.what).join(', ')}.`,
    file: file.displayPath,
    position: file.locate(first.pointer),
    pointer: first.pointer,
    hint: 'Nothing to change if EventBridge is where these events go; remove them to silence this warning. A broker evtgen does not deploy (Kafka, MQTT, WebSocket) gets no generated wiring.',
  };
}
