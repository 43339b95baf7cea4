import { posix } from 'node:path';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';

/**
 * The addresses Redocly's pages give operations, channels and messages, so the index can link
 * straight to them. Redoc (as bundled by @redocly/cli 2.77) routes with the URL hash:
 *
 * - HTTP operation:  `#/<tag slug>/<operationId>` (its first tag; untagged operations sit under `other`)
 * - AsyncAPI:        `#/[<channel tag slug>/]channels/<channel key>`, its operations under
 *                    `…/operations/<operationId>` and a message at `…#channels/<key>/messages&m=<message key>`
 *
 * Ids are lower-cased; tag names go through Redoc's slugify. These rules are read off Redoc's bundle
 * and checked in a real browser by test/docs/browser.test.ts; if a later Redoc changes them, that
 * test fails and a link at worst opens the right page at its top.
 */

/** Redoc's tag slug: `slugify` (transliterating) then lower-case, e.g. `Order Management & Co` → `order-management-and-co`. */
export function redocSlug(text: string): string {
  const words: Record<string, string> = {
    $: 'dollar',
    '%': 'percent',
    '&': 'and',
    '<': 'less',
    '>': 'greater',
    '|': 'or',
  };
  const transliterated = [...text.normalize()]
    .map((ch) => words[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, ''))
    .map((ch) => (ch === '-' ? ' ' : ch))
    .join('')
    // slugify's default: keep word characters, spaces and a few punctuation marks.
    .replace(/[^\w\s$*_+~.()'"!\-:@]+/g, '');
  return transliterated.trim().replace(/\s+/g, '-').toLowerCase();
}

/** A route segment as Redoc writes it: lower-cased, with characters a URL fragment cannot hold escaped. */
function segment(id: string): string {
  return encodeURI(id.toLowerCase()).replaceAll('#', '%23');
}

/** `#/orders/createorder` for the OpenAPI operation at `operationPointer` of `document`. */
export function httpOperationAnchor(
  document: unknown,
  operationPointer: string,
  operationId: string,
): string {
  const operation = getAtPointer(document, operationPointer);
  const tags = isObject(operation) && Array.isArray(operation.tags) ? operation.tags : [];
  const tag = typeof tags[0] === 'string' ? redocSlug(tags[0]) : '';
  return `#/${segment(tag || 'other')}/${segment(operationId)}`;
}

/** `#/channels/orderevents`: the page of the channel `channelKey`. */
export function channelAnchor(document: unknown, channelKey: string): string {
  const channel = getAtPointer(document, joinPointer('/channels', channelKey));
  const tags = isObject(channel) && Array.isArray(channel.tags) ? channel.tags : [];
  const tag = isObject(tags[0]) && typeof tags[0].name === 'string' ? redocSlug(tags[0].name) : '';
  const prefix = tag ? `${segment(tag)}/` : '';
  return `#/${prefix}${channelCollection(document, channel)}/${segment(channelKey)}`;
}

/** Redoc names channels after the protocol of the document's (first) server. */
function channelCollection(document: unknown, channel: unknown): string {
  const servers = isObject(document) && isObject(document.servers) ? Object.values(document.servers) : [];
  const first = servers[0];
  const protocol = isObject(first) && typeof first.protocol === 'string' ? first.protocol.toLowerCase() : '';
  if (protocol === 'kafka') return 'topics';
  if (protocol === 'amqp') {
    const amqp = isObject(channel) && isObject(channel.bindings) ? channel.bindings.amqp : undefined;
    return isObject(amqp) && amqp.is === 'routingKey' ? 'exchs' : 'queues';
  }
  return 'channels';
}

export function asyncOperationAnchor(document: unknown, channelKey: string, operationId: string): string {
  return `${channelAnchor(document, channelKey)}/operations/${segment(operationId)}`;
}

/**
 * The anchor of the message defined at `messageFile#messagePointer` (where the model found it) in
 * the AsyncAPI document `documentFile`: the first channel whose messages hold it or a `$ref` to it.
 * Undefined when no channel of the document lists it (Redoc shows messages only under channels).
 */
export function messageAnchor(
  document: unknown,
  documentFile: string,
  messageFile: string,
  messagePointer: string,
): string | undefined {
  const channels = isObject(document) && isObject(document.channels) ? document.channels : {};
  const wanted = `${messageFile}#${messagePointer}`;
  for (const [channelKey, channel] of Object.entries(channels)) {
    const messages = isObject(channel) && isObject(channel.messages) ? channel.messages : {};
    for (const [messageKey, message] of Object.entries(messages)) {
      const here = `${documentFile}#${joinPointer('/channels', channelKey, 'messages', messageKey)}`;
      const target =
        isObject(message) && typeof message.$ref === 'string' ? refTarget(documentFile, message.$ref) : here;
      if (target !== wanted && here !== wanted) continue;
      const channelRoute = channelAnchor(document, channelKey);
      return `${channelRoute}#${channelRoute.slice(2)}/messages&m=${segment(messageKey)}`;
    }
  }
  return undefined;
}

/** `file#pointer` a `$ref` written in `fromFile` names (project-relative POSIX paths). */
function refTarget(fromFile: string, ref: string): string {
  const [filePart = '', fragment = ''] = ref.split('#');
  const file = filePart === '' ? fromFile : posix.normalize(posix.join(posix.dirname(fromFile), filePart));
  return `${file}#${safeDecode(fragment)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
