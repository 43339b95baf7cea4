// OpenAPI request bodies and responses in the checker: media types, body schemas, response statuses
// and response headers of an operation pair.

import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { SourceFile } from '../../load/source-file.js';
import type { Mode, Place } from '../findings.js';
import { type At, childAt, deref, type FindingSink } from '../snapshot.js';
import { compareAnnotations } from './annotations.js';
import type { OperationPair } from './operations.js';
import { headerSerializationChanges } from './serialization.js';

/** The request body: required or not, its media types and their schemas. */
export function compareRequestBody(pair: OperationPair): void {
  const { sink, checker, newFile, oldOp, newOp, subject, base, modeFor } = pair;
  const o = oldOp.node.value as Record<string, unknown>;
  const n = newOp.node.value as Record<string, unknown>;
  const ob =
    o.requestBody === undefined
      ? undefined
      : deref(sink.oldSnap.workspace, childAt(oldOp.node, 'requestBody'));
  const nb =
    n.requestBody === undefined
      ? undefined
      : deref(sink.newSnap.workspace, childAt(newOp.node, 'requestBody'));
  const required = (b: At | undefined) => b !== undefined && isObject(b.value) && b.value.required === true;
  if (nb && required(nb) && !required(ob)) {
    const pointer = joinPointer(nb.pointer, 'required');
    sink.add({
      ...base,
      file: nb.file.displayPath,
      ruleId: 'request-body-became-required',
      where: 'request body',
      position: nb.file.locate(pointer),
      pointer,
      place: 'request',
      mode: modeFor('request'),
      identity: newOp.key,
    });
  }
  compareContent(sink, checker, ob, nb, {
    subject,
    where: 'request body',
    place: 'request',
    mode: modeFor('request'),
    removedRule: 'request-media-type-removed',
    addedRule: 'request-media-type-added',
    key: newOp.key,
    newFile,
  });
}

/** The responses: statuses added or (successful ones) removed, and each kept response. */
export function compareResponses(pair: OperationPair): void {
  const { sink, checker, newFile, oldOp, newOp, subject, base, modeFor, locate } = pair;
  const o = oldOp.node.value as Record<string, unknown>;
  const n = newOp.node.value as Record<string, unknown>;
  const oldResponses = isObject(o.responses) ? o.responses : {};
  const newResponses = isObject(n.responses) ? n.responses : {};
  for (const status of Object.keys(oldResponses)) {
    if (Object.hasOwn(newResponses, status)) {
      const or = deref(sink.oldSnap.workspace, childAt(oldOp.node, 'responses', status));
      const nr = deref(sink.newSnap.workspace, childAt(newOp.node, 'responses', status));
      compareResponse(sink, checker, or, nr, {
        subject,
        status,
        mode: modeFor('response'),
        key: newOp.key,
        newFile,
      });
    } else {
      const pointer = joinPointer(newOp.node.pointer, 'responses');
      sink.add({
        ...base,
        // Old clients handle an unknown error status by its class; a lost success is a break.
        ruleId: /^2/.test(status) ? 'response-success-status-removed' : 'response-status-removed',
        where: 'responses',
        detail: status,
        position: locate(pointer),
        pointer,
        place: 'response',
        mode: modeFor('response'),
        identity: `${newOp.key} ${status}`,
      });
    }
  }
  for (const status of Object.keys(newResponses)) {
    if (Object.hasOwn(oldResponses, status)) continue;
    const pointer = joinPointer(newOp.node.pointer, 'responses', status);
    sink.add({
      ...base,
      ruleId: 'response-status-added',
      where: 'responses',
      detail: status,
      position: locate(pointer),
      pointer,
      place: 'response',
      mode: modeFor('response'),
      identity: `${newOp.key} ${status}`,
    });
  }
}

/** The media types of a request body or response, and the schema of each one kept. */
function compareContent(
  sink: FindingSink,
  checker: ReturnType<FindingSink['checker']>,
  oldBody: At | undefined,
  newBody: At | undefined,
  c: {
    subject: string;
    where: string;
    place: Place;
    mode: Mode;
    removedRule: string;
    addedRule: string;
    key: string;
    newFile: SourceFile;
  },
): void {
  const content = (b: At | undefined) =>
    b && isObject(b.value) && isObject(b.value.content) ? b.value.content : undefined;
  const oc = content(oldBody) ?? {};
  const nc = content(newBody) ?? {};
  for (const media of Object.keys(oc)) {
    if (!Object.hasOwn(nc, media)) {
      const where = newBody ?? { file: c.newFile, pointer: '' };
      const pointer = newBody ? joinPointer(newBody.pointer, 'content') : '';
      if (c.place === 'response' && Object.keys(nc).length === 0)
        sink.add({
          ruleId: 'response-body-removed',
          subject: c.subject,
          where: c.where,
          detail: c.where,
          file: where.file.displayPath,
          position: where.file.locate(pointer),
          pointer,
          place: c.place,
          mode: c.mode,
          identity: `${c.key} ${c.where}`,
        });
      else
        sink.add({
          ruleId: c.removedRule,
          subject: c.subject,
          where: c.where,
          detail: media,
          file: where.file.displayPath,
          position: where.file.locate(pointer),
          pointer,
          place: c.place,
          mode: c.mode,
          identity: `${c.key} ${c.where} ${media}`,
        });
      continue;
    }
    if (!oldBody || !newBody) continue;
    const os = childAt(oldBody, 'content', media, 'schema');
    const ns = childAt(newBody, 'content', media, 'schema');
    if (os.value === undefined || ns.value === undefined) continue;
    const context = { subject: c.subject, where: `${c.where} ${media}`, place: c.place, mode: c.mode };
    sink.compareSchema(checker, os, ns, context);
    compareAnnotations(sink, os, ns, context, checker);
  }
  if (!newBody) return;
  for (const media of Object.keys(nc)) {
    if (Object.hasOwn(oc, media)) continue;
    const pointer = joinPointer(newBody.pointer, 'content', media);
    sink.add({
      ruleId: c.addedRule,
      subject: c.subject,
      where: c.where,
      detail: media,
      file: newBody.file.displayPath,
      position: newBody.file.locate(pointer),
      pointer,
      place: c.place,
      mode: c.mode,
      identity: `${c.key} ${c.where} ${media}`,
    });
  }
}

/** One response kept: its headers, then its content. */
function compareResponse(
  sink: FindingSink,
  checker: ReturnType<FindingSink['checker']>,
  oldResponse: At,
  newResponse: At,
  c: { subject: string; status: string; mode: Mode; key: string; newFile: SourceFile },
): void {
  const where = `response ${c.status}`;
  const headers = (r: At, side: 'old' | 'new') => {
    const ws = side === 'old' ? sink.oldSnap.workspace : sink.newSnap.workspace;
    const out = new Map<string, { node: At; required: boolean }>();
    if (!isObject(r.value) || !isObject(r.value.headers)) return out;
    for (const name of Object.keys(r.value.headers)) {
      const h = deref(ws, childAt(r, 'headers', name));
      out.set(name.toLowerCase(), { node: h, required: isObject(h.value) && h.value.required === true });
    }
    return out;
  };
  const oh = headers(oldResponse, 'old');
  const nh = headers(newResponse, 'new');
  for (const [name, h] of oh) {
    const now = nh.get(name);
    if (!now) {
      const pointer = joinPointer(newResponse.pointer, 'headers');
      sink.add({
        // An optional header was never promised: old clients cannot rely on it.
        ruleId: h.required ? 'response-header-removed' : 'response-optional-header-removed',
        subject: c.subject,
        where,
        detail: name,
        file: newResponse.file.displayPath,
        position: newResponse.file.locate(pointer),
        pointer,
        place: 'response',
        mode: c.mode,
        oldPointer: h.node.pointer,
        identity: `${c.key} ${c.status} ${name}`,
      });
      continue;
    }
    if (h.required && !now.required)
      sink.add({
        ruleId: 'response-header-became-optional',
        subject: c.subject,
        where,
        detail: name,
        file: now.node.file.displayPath,
        position: now.node.file.locate(now.node.pointer),
        pointer: now.node.pointer,
        place: 'response',
        mode: c.mode,
        identity: `${c.key} ${c.status} ${name}`,
      });
    for (const change of headerSerializationChanges(h.node, now.node, name))
      sink.add({
        ...change,
        subject: c.subject,
        where,
        file: now.node.file.displayPath,
        position: now.node.file.locate(change.pointer),
        place: 'response',
        mode: c.mode,
        identity: `${c.key} ${c.status} ${change.detail}`,
      });
    const os = childAt(h.node, 'schema');
    const ns = childAt(now.node, 'schema');
    if (os.value !== undefined && ns.value !== undefined)
      sink.compareSchema(checker, os, ns, {
        subject: c.subject,
        where: `${where} header ${name}`,
        place: 'response',
        mode: c.mode,
      });
  }
  for (const [name, h] of nh) {
    if (oh.has(name)) continue;
    sink.add({
      ruleId: 'response-header-added',
      subject: c.subject,
      where,
      detail: name,
      file: h.node.file.displayPath,
      position: h.node.file.locate(h.node.pointer),
      pointer: h.node.pointer,
      place: 'response',
      mode: c.mode,
      identity: `${c.key} ${c.status} ${name}`,
    });
  }
  compareContent(sink, checker, oldResponse, newResponse, {
    subject: c.subject,
    where,
    place: 'response',
    mode: c.mode,
    removedRule: 'response-media-type-removed',
    addedRule: 'response-media-type-added',
    key: c.key,
    newFile: c.newFile,
  });
}
