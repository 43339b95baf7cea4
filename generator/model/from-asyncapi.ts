import { pinOf } from '../deps/pin.js';
import type { Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { getAtPointer, isObject, joinPointer, splitPointer } from '../load/json-pointer.js';
import { remoteRefs } from '../load/remote-refs.js';
import type { SourceFile } from '../load/source-file.js';
import { isDiagnostic, type SpecWorkspace } from '../load/workspace.js';
import { buildConsumer } from './asyncapi-consumer.js';
import { channelBus, sentExternal } from './asyncapi-external.js';
import { ignoredByEventBridge } from './asyncapi-ignored.js';
import type { Consumer, EventOperation, EventType, MessageExample, SpecDocument } from './contract.js';
import { type NameRegistry, toKebabName, toTypeName, toValueName } from './naming.js';
import type { SchemaCollector, SchemaContext } from './schema-collector.js';

/** Schema formats whose payloads are JSON Schema (AsyncAPI's own format is a draft-07 superset). */
const jsonSchemaFormats =
  /^application\/(vnd\.aai\.asyncapi(\+json|\+yaml)?|schema(\+json|\+yaml)?)(;version=.*)?$/;

export interface AsyncApiModel {
  readonly document: SpecDocument;
  readonly events: EventType[];
  readonly operations: EventOperation[];
  readonly consumers: Consumer[];
  readonly eventBusName: string;
  readonly diagnostics: Diagnostic[];
}

interface Ctx {
  readonly file: SourceFile;
  readonly workspace: SpecWorkspace;
  readonly schemas: SchemaCollector;
  readonly names: NameRegistry;
  readonly diagnostics: Diagnostic[];
  readonly defaultSource: string;
  /** Event type name by the resolved message's `file#pointer`. */
  readonly eventsByKey: Map<string, EventType>;
}

/** Builds the event side of the contract model from one AsyncAPI 3.0 document. */
export function buildFromAsyncApi(
  file: SourceFile,
  workspace: SpecWorkspace,
  schemas: SchemaCollector,
  names: NameRegistry,
): AsyncApiModel {
  const doc = file.value as Record<string, unknown>;
  const info = isObject(doc.info) ? doc.info : {};
  const diagnostics: Diagnostic[] = [];
  const defaults = isObject(info['x-eventbridge']) ? info['x-eventbridge'] : {};
  if (info['x-eventbridge'] !== undefined) {
    diagnostics.push(
      ...checkExtension(
        'eventbridge-defaults',
        'x-eventbridge',
        info['x-eventbridge'],
        file,
        '/info/x-eventbridge',
      ),
    );
  }
  const title = typeof info.title === 'string' ? info.title : file.displayPath;
  const defaultSource = typeof defaults.source === 'string' ? defaults.source : toKebabName(title);
  const eventBusName =
    typeof defaults.eventBusName === 'string'
      ? defaults.eventBusName
      : `${defaultSource.replace(/[./]/g, '-')}-bus`;
  const ctx: Ctx = { file, workspace, schemas, names, diagnostics, defaultSource, eventsByKey: new Map() };
  const ignored = ignoredByEventBridge(file);
  if (ignored) diagnostics.push(ignored);

  // Messages: every components.messages entry, then any inline channel message.
  const components = isObject(doc.components) ? doc.components : {};
  for (const key of Object.keys(isObject(components.messages) ? components.messages : {})) {
    messageAt(ctx, file, joinPointer('/components/messages', key));
  }
  const channels = isObject(doc.channels) ? doc.channels : {};
  for (const [channelKey, channel] of Object.entries(channels)) {
    if (!isObject(channel) || !isObject(channel.messages)) continue;
    for (const messageKey of Object.keys(channel.messages)) {
      messageAt(ctx, file, joinPointer('/channels', channelKey, 'messages', messageKey));
    }
  }
  for (const key of Object.keys(isObject(components.schemas) ? components.schemas : {})) {
    schemas.nameSchema(file, joinPointer('/components/schemas', key), schemaContext);
  }

  const operations: EventOperation[] = [];
  const consumers: Consumer[] = [];
  const ops = isObject(doc.operations) ? doc.operations : {};
  for (const [operationId, op] of Object.entries(ops)) {
    if (!isObject(op)) continue;
    const operation = buildOperation(ctx, operationId, op, channels);
    if (!operation) continue;
    operations.push(operation);
    if (operation.action === 'receive')
      consumers.push(buildConsumer(ctx.file, ctx.diagnostics, operation, op));
  }

  const events = [...ctx.eventsByKey.values()].sort((a, b) => compare(a.names.payload, b.names.payload));
  return {
    document: {
      kind: 'asyncapi',
      file: file.displayPath,
      specVersion: String(doc.asyncapi),
      title,
      version: typeof info.version === 'string' ? info.version : '',
    },
    events,
    operations: operations.sort((a, b) => compare(a.operationId, b.operationId)),
    consumers: consumers.sort((a, b) => compare(a.name, b.name)),
    eventBusName,
    diagnostics,
  };
}

const schemaContext: SchemaContext = { dialect: 'draft-07', openapi30: false, usedBy: 'asyncapi' };

/** Resolves the message at `pointer` (following a `$ref`) and models it once per resolved location. */
function messageAt(ctx: Ctx, file: SourceFile, pointer: string): EventType | undefined {
  let target = { file, pointer, value: getAtPointer(file.value, pointer) };
  const seen = new Set<string>();
  while (isObject(target.value) && typeof target.value.$ref === 'string') {
    const key = `${target.file.displayPath}#${target.pointer}`;
    if (seen.has(key)) break;
    seen.add(key);
    const next = ctx.workspace.resolveRef(target.file, target.value.$ref, target.pointer);
    if (isDiagnostic(next)) {
      ctx.diagnostics.push(next);
      return undefined;
    }
    target = next;
  }
  const key = `${target.file.displayPath}#${target.pointer}`;
  const known = ctx.eventsByKey.get(key);
  if (known) return known;
  if (!isObject(target.value)) return undefined;
  const event = buildEvent(ctx, target.file, target.pointer, target.value);
  if (event) ctx.eventsByKey.set(key, event);
  return event;
}

function buildEvent(ctx: Ctx, file: SourceFile, pointer: string, message: Record<string, unknown>) {
  const key = splitPointer(pointer).pop() ?? '';
  const messageName = typeof message.name === 'string' ? message.name : key;
  const origin = ctx.schemas.origin(file, pointer);
  const name = toTypeName(messageName);
  // The payload name itself is claimed by the schema that becomes the payload.
  const claimed = ['Detail', 'Event'].every((suffix) =>
    ctx.names.claim(`${name}${suffix}`, origin, `message ${suffix.toLowerCase()} type`, messageName),
  );
  if (!claimed) return undefined;

  const eventbridge = isObject(message['x-eventbridge']) ? message['x-eventbridge'] : {};
  if (message['x-eventbridge'] !== undefined) {
    ctx.diagnostics.push(
      ...checkExtension(
        'eventbridge-message',
        'x-eventbridge',
        message['x-eventbridge'],
        file,
        joinPointer(pointer, 'x-eventbridge'),
      ),
    );
  }
  for (const [key, kind] of [
    ['x-compatibility', 'compatibility'],
    ['x-sunset', 'sunset'],
  ] as const) {
    if (message[key] !== undefined)
      ctx.diagnostics.push(...checkExtension(kind, key, message[key], file, joinPointer(pointer, key)));
  }
  const payloadName = payloadSchema(ctx, file, pointer, message, name);
  if (payloadName === undefined) return undefined;
  const metadata =
    message.headers === undefined
      ? undefined
      : namedSchema(ctx, file, joinPointer(pointer, 'headers'), `${messageName}Metadata`);

  const pin = pinOf(file);
  const event: EventType = {
    messageName,
    names: {
      payload: payloadName,
      ...(metadata ? { metadata } : {}),
      detail: `${name}Detail`,
      event: `${name}Event`,
      value: toValueName(messageName),
    },
    ...optionalText(message, ['title', 'summary', 'description']),
    source: typeof eventbridge.source === 'string' ? eventbridge.source : ctx.defaultSource,
    detailType: typeof eventbridge.detailType === 'string' ? eventbridge.detailType : messageName,
    contentType: typeof message.contentType === 'string' ? message.contentType : 'application/json',
    dialect: 'draft-07',
    ...correlationIdPath(ctx, file, pointer, message),
    examples: examplesOf(message),
    origin,
    ...(pin
      ? {
          external: { subject: pin.subject, version: pin.version, from: pin.from },
          registryVersion: pin.version,
        }
      : {}),
  };
  return event;
}

/**
 * Names the payload after the message. When the payload is a bare `$ref` to a schema of the same
 * name the schema itself is the payload type; a differently named target gets an alias.
 */
function payloadSchema(
  ctx: Ctx,
  file: SourceFile,
  pointer: string,
  message: Record<string, unknown>,
  name: string,
) {
  let at = joinPointer(pointer, 'payload');
  const payload = message.payload;
  if (isObject(payload) && typeof payload.schemaFormat === 'string' && 'schema' in payload) {
    if (!jsonSchemaFormats.test(payload.schemaFormat)) {
      // A remote $ref inside it is refused as any other (evtgen runs offline), before the format.
      for (const ref of remoteRefs(payload.schema, joinPointer(at, 'schema'))) {
        const problem = ctx.workspace.resolveRef(file, ref.ref, ref.pointer);
        if (isDiagnostic(problem)) ctx.diagnostics.push(problem);
      }
      ctx.diagnostics.push({
        severity: 'error',
        code: 'schema-format-unsupported',
        message: `Payload schemaFormat "${payload.schemaFormat}" is not supported; evtgen reads JSON Schema and AsyncAPI Schema payloads.`,
        file: file.displayPath,
        position: file.locate(joinPointer(at, 'schemaFormat')),
        pointer: joinPointer(at, 'schemaFormat'),
        hint: 'Express the payload as JSON Schema (schemaFormat application/schema+json;version=draft-07).',
      });
      return undefined;
    }
    at = joinPointer(at, 'schema');
  }
  if (payload === undefined) {
    // A message without a payload still gets its type: any JSON value.
    return ctx.schemas.defineSchema(name, ctx.schemas.origin(file, pointer), {}, schemaContext);
  }
  const target = ctx.schemas.refTargetName(file, at, schemaContext);
  if (target === name) return name;
  return ctx.schemas.nameSchema(file, at, schemaContext, name);
}

function namedSchema(ctx: Ctx, file: SourceFile, at: string, fallbackName: string): string | undefined {
  return (
    ctx.schemas.refTargetName(file, at, schemaContext) ??
    ctx.schemas.nameSchema(file, at, schemaContext, fallbackName)
  );
}

/** `$message.header#/correlationId` → ['metadata', 'correlationId'] inside the EventBridge detail. */
function correlationIdPath(ctx: Ctx, file: SourceFile, pointer: string, message: Record<string, unknown>) {
  if (message.correlationId === undefined) return {};
  let correlation: unknown = message.correlationId;
  let at = joinPointer(pointer, 'correlationId');
  let where = file;
  if (isObject(correlation) && typeof correlation.$ref === 'string') {
    const target = ctx.workspace.resolveRef(file, correlation.$ref, at);
    if (isDiagnostic(target)) {
      ctx.diagnostics.push(target);
      return {};
    }
    correlation = target.value;
    at = target.pointer;
    where = target.file;
  }
  const location = isObject(correlation) ? correlation.location : undefined;
  const match = typeof location === 'string' ? /^\$message\.(header|payload)#(\/.*)?$/.exec(location) : null;
  if (!match) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'correlation-id-invalid',
      message: `correlationId.location must be a runtime expression like "$message.header#/correlationId", found ${JSON.stringify(location)}.`,
      file: where.displayPath,
      position: where.locate(joinPointer(at, 'location')),
      pointer: joinPointer(at, 'location'),
      hint: 'Point it at the header (event metadata) field that carries the correlation id.',
    });
    return {};
  }
  const root = match[1] === 'header' ? 'metadata' : 'data';
  return { correlationIdPath: [root, ...splitPointer(match[2] ?? '')] };
}

function buildOperation(
  ctx: Ctx,
  operationId: string,
  op: Record<string, unknown>,
  channels: Record<string, unknown>,
): EventOperation | undefined {
  const pointer = joinPointer('/operations', operationId);
  const origin = ctx.schemas.origin(ctx.file, pointer);
  const action = op.action;
  if (action !== 'send' && action !== 'receive') return undefined;
  const channelRef =
    isObject(op.channel) && typeof op.channel.$ref === 'string' ? op.channel.$ref : undefined;
  // AsyncAPI 3.0 requires both to be references into `channels`; the parser's structure check relies on
  // it too (load/asyncapi-validate.ts validates the targets where they are defined, not here).
  if (isObject(op.channel) && channelRef === undefined) {
    ctx.diagnostics.push(
      mustBeReference(ctx, joinPointer(pointer, 'channel'), 'channel', '#/channels/orders'),
    );
  }
  if (Array.isArray(op.messages)) {
    op.messages.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.$ref !== 'string') {
        ctx.diagnostics.push(
          mustBeReference(
            ctx,
            joinPointer(pointer, 'messages', i),
            'message',
            '#/channels/orders/messages/OrderPlaced',
          ),
        );
      }
    });
  }
  const channelKey = channelRef?.startsWith('#/channels/') ? splitPointer(channelRef.slice(1))[1] : undefined;
  const channel =
    channelKey !== undefined && isObject(channels[channelKey]) ? channels[channelKey] : undefined;
  if (!channel || channelKey === undefined) return undefined;
  const events = new Set<string>();
  const refs = Array.isArray(op.messages)
    ? op.messages.map((_, i) => joinPointer(pointer, 'messages', i))
    : undefined;
  const messagePointers =
    refs ??
    Object.keys(isObject(channel.messages) ? channel.messages : {}).map((k) =>
      joinPointer('/channels', channelKey, 'messages', k),
    );
  for (const [i, messagePointer] of messagePointers.entries()) {
    const event = messageAt(ctx, ctx.file, messagePointer);
    if (!event) continue;
    events.add(event.names.payload);
    if (action === 'send' && event.external)
      ctx.diagnostics.push(sentExternal(ctx.file, refs ? (refs[i] as string) : pointer, event));
  }
  const bus = channelBus(ctx.file, ctx.diagnostics, channelKey, channel);
  return {
    operationId,
    action,
    channel: {
      name: channelKey,
      address: typeof channel.address === 'string' ? channel.address : null,
      ...(bus ? { bus } : {}),
    },
    events: [...events].sort(compare),
    ...optionalText(op, ['summary', 'description']),
    origin,
  };
}

function mustBeReference(ctx: Ctx, at: string, what: 'channel' | 'message', example: string): Diagnostic {
  return {
    severity: 'error',
    code: 'asyncapi-operation-reference',
    message: `An operation's ${what} must be a $ref to a ${what === 'channel' ? 'channel under channels' : "message of the operation's channel"}, not an inline object (AsyncAPI 3.0).`,
    file: ctx.file.displayPath,
    position: ctx.file.locate(at),
    pointer: at,
    hint: `Define the ${what} ${what === 'channel' ? 'under channels' : "in the channel's messages"} and refer to it, e.g. {$ref: '${example}'}.`,
  };
}

function examplesOf(message: Record<string, unknown>): MessageExample[] {
  if (!Array.isArray(message.examples)) return [];
  return message.examples.filter(isObject).map((example) => ({
    ...(typeof example.name === 'string' ? { name: example.name } : {}),
    ...('payload' in example ? { payload: example.payload } : {}),
    ...('headers' in example ? { headers: example.headers } : {}),
  }));
}

function optionalText<K extends string>(
  source: Record<string, unknown>,
  keys: K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) if (typeof source[key] === 'string') out[key] = source[key] as string;
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
