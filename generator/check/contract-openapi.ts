import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { Mode, Place } from './findings.js';
import { type At, at, childAt, deref, type FindingSink, schemaContext } from './snapshot.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface CompareOptions {
  /** `--mode`: overrides every default and every `x-compatibility`. */
  readonly mode?: Mode;
  /** Today as YYYY-MM-DD, for sunset dates. */
  readonly today: string;
}

interface Operation {
  readonly key: string;
  readonly label: string;
  readonly node: At;
  readonly pathItem: At;
}

/** `/orders/{id}` and `/orders/{orderId}` are the same route. */
function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;
}

function operations(file: SourceFile): Map<string, Operation> {
  const out = new Map<string, Operation>();
  const paths = isObject(file.value) && isObject(file.value.paths) ? file.value.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of methods) {
      if (!isObject(item[method])) continue;
      out.set(routeKey(method, path), {
        key: routeKey(method, path),
        label: `${method.toUpperCase()} ${path}`,
        node: at(file, joinPointer('/paths', path, method)),
        pathItem: at(file, joinPointer('/paths', path)),
      });
    }
  }
  return out;
}

/** Compares every OpenAPI document of the baseline with the document at the same path now. */
export function compareOpenApi(sink: FindingSink, options: CompareOptions): void {
  const oldDocs = sink.oldSnap.model.documents.filter((d) => d.kind === 'openapi');
  const newDocs = sink.newSnap.model.documents.filter((d) => d.kind === 'openapi');
  for (const newDoc of newDocs) {
    const newFile = sink.newSnap.workspace.fileByDisplayPath(newDoc.file);
    const oldDoc = oldDocs.find((d) => d.file === newDoc.file);
    const oldFile = oldDoc && sink.oldSnap.workspace.fileByDisplayPath(oldDoc.file);
    if (!newFile) continue;
    compareDocument(sink, options, oldFile, newFile);
  }
  for (const oldDoc of oldDocs) {
    if (newDocs.some((d) => d.file === oldDoc.file)) continue;
    const oldFile = sink.oldSnap.workspace.fileByDisplayPath(oldDoc.file);
    if (oldFile) compareDocument(sink, options, oldFile, undefined);
  }
}

function ctxOf(sink: FindingSink, file: SourceFile, side: 'old' | 'new') {
  const version = isObject(file.value) ? String(file.value.openapi) : '3.1.0';
  const openapi30 = version.startsWith('3.0');
  const ws = side === 'old' ? sink.oldSnap.workspace : sink.newSnap.workspace;
  return schemaContext(ws, openapi30 ? 'draft-07' : '2020-12', openapi30);
}

function compareDocument(
  sink: FindingSink,
  options: CompareOptions,
  oldFile: SourceFile | undefined,
  newFile: SourceFile | undefined,
): void {
  const oldOps = oldFile ? operations(oldFile) : new Map<string, Operation>();
  const newOps = newFile ? operations(newFile) : new Map<string, Operation>();
  const reportFile = newFile ?? oldFile;
  if (!reportFile) return;
  for (const [key, oldOp] of oldOps) {
    const newOp = newOps.get(key);
    if (!newOp) {
      removed(sink, options, oldOp, newFile);
      continue;
    }
    if (oldFile && newFile) compareOperation(sink, options, oldFile, newFile, oldOp, newOp);
  }
  for (const [key, newOp] of newOps) {
    if (oldOps.has(key) || !newFile) continue;
    sink.add({
      ruleId: 'operation-added',
      subject: newOp.label,
      where: 'operation',
      file: newFile.displayPath,
      position: newFile.locate(newOp.node.pointer),
      pointer: newOp.node.pointer,
      place: 'contract',
      mode: options.mode ?? 'full',
      identity: key,
    });
  }
}

function sunsetOf(op: Record<string, unknown>): string | undefined {
  return typeof op['x-sunset'] === 'string' ? op['x-sunset'] : undefined;
}

function removed(
  sink: FindingSink,
  options: CompareOptions,
  oldOp: Operation,
  newFile: SourceFile | undefined,
): void {
  const op = oldOp.node.value as Record<string, unknown>;
  const sunset = sunsetOf(op);
  const deprecated = op.deprecated === true;
  const ruleId = !deprecated
    ? 'operation-removed'
    : sunset !== undefined && sunset <= options.today
      ? 'operation-removed-after-sunset'
      : 'operation-removed-before-sunset';
  const file = newFile ?? oldOp.node.file;
  sink.add({
    ruleId,
    subject: oldOp.label,
    where: 'operation',
    file: file.displayPath,
    position: file.locate(oldOp.node.pointer),
    pointer: oldOp.node.pointer,
    oldFile: oldOp.node.file.displayPath,
    oldPointer: oldOp.node.pointer,
    ...(deprecated ? { old: sunset ?? 'no x-sunset date' } : {}),
    place: 'contract',
    mode: options.mode ?? 'full',
    identity: oldOp.key,
  });
}

interface Param {
  readonly name: string;
  readonly location: string;
  readonly required: boolean;
  readonly node: At;
  readonly schema?: At;
}

function parameters(sink: FindingSink, side: 'old' | 'new', op: Operation): Map<string, Param> {
  const ws = side === 'old' ? sink.oldSnap.workspace : sink.newSnap.workspace;
  const out = new Map<string, Param>();
  for (const owner of [op.pathItem, op.node]) {
    const list = isObject(owner.value) && Array.isArray(owner.value.parameters) ? owner.value.parameters : [];
    list.forEach((_, i) => {
      const p = deref(ws, childAt(owner, 'parameters', i));
      if (!isObject(p.value) || typeof p.value.name !== 'string' || typeof p.value.in !== 'string') return;
      const name = p.value.in === 'header' ? p.value.name.toLowerCase() : p.value.name;
      const content = isObject(p.value.content) ? Object.keys(p.value.content)[0] : undefined;
      const schema =
        p.value.schema !== undefined
          ? childAt(p, 'schema')
          : content !== undefined
            ? childAt(p, 'content', content, 'schema')
            : undefined;
      out.set(`${p.value.in}:${name}`, {
        name,
        location: p.value.in,
        required: p.value.required === true || p.value.in === 'path',
        node: p,
        ...(schema ? { schema } : {}),
      });
    });
  }
  return out;
}

function securityOf(file: SourceFile, op: Operation): string[][] {
  const o = op.node.value as Record<string, unknown>;
  const doc = file.value as Record<string, unknown>;
  const list = Array.isArray(o.security) ? o.security : Array.isArray(doc.security) ? doc.security : [];
  if (list.length === 0) return [[]];
  return list.filter(isObject).map((req) => Object.keys(req).sort());
}

function compareOperation(
  sink: FindingSink,
  options: CompareOptions,
  oldFile: SourceFile,
  newFile: SourceFile,
  oldOp: Operation,
  newOp: Operation,
): void {
  const subject = newOp.label;
  const checker = sink.checker(
    `openapi|${oldFile.path}|${newFile.path}`,
    ctxOf(sink, oldFile, 'old'),
    ctxOf(sink, newFile, 'new'),
  );
  const modeFor = (place: Place): Mode => options.mode ?? (place === 'request' ? 'backward' : 'forward');
  const contractMode = options.mode ?? 'full';
  const o = oldOp.node.value as Record<string, unknown>;
  const n = newOp.node.value as Record<string, unknown>;
  const locate = (pointer: string) => newFile.locate(pointer);
  const base = { subject, file: newFile.displayPath, oldFile: oldFile.displayPath };

  if (o.deprecated !== true && n.deprecated === true) {
    const pointer = joinPointer(newOp.node.pointer, 'deprecated');
    sink.add({
      ...base,
      ruleId: 'operation-deprecated',
      where: 'operation',
      position: locate(pointer),
      pointer,
      new: sunsetOf(n) ?? 'not set',
      place: 'contract',
      mode: contractMode,
      identity: newOp.key,
    });
  }

  // Security: every way an old client authenticates must still be enough.
  const oldSec = securityOf(oldFile, oldOp);
  const newSec = securityOf(newFile, newOp);
  const show = (s: string[][]) => s.map((alt) => (alt.length === 0 ? '(none)' : alt.join('+'))).join(' | ');
  if (show(oldSec) !== show(newSec)) {
    const stricter = oldSec.some((alt) => !newSec.some((req) => req.every((scheme) => alt.includes(scheme))));
    const pointer = joinPointer(newOp.node.pointer, 'security');
    sink.add({
      ...base,
      ruleId: stricter ? 'security-requirement-added' : 'security-requirement-removed',
      where: 'security',
      position: locate(pointer),
      pointer,
      old: show(oldSec),
      new: show(newSec),
      place: 'request',
      mode: modeFor('request'),
      identity: newOp.key,
    });
  }

  // Parameters.
  const oldParams = parameters(sink, 'old', oldOp);
  const newParams = parameters(sink, 'new', newOp);
  for (const [key, np] of newParams) {
    const op = oldParams.get(key);
    const label = `${np.location} parameter ${np.name}`;
    if (!op) {
      if (np.required)
        sink.add({
          ...base,
          ruleId: 'request-parameter-required-added',
          where: 'parameters',
          detail: label,
          position: locate(np.node.pointer),
          pointer: np.node.pointer,
          place: 'request',
          mode: modeFor('request'),
          identity: key,
        });
      else if (np.schema) {
        // The parameters are an open object: old clients may already send this name, unchecked.
        sink.add({
          ...base,
          ruleId: 'property-added-open-object',
          where: 'parameters',
          detail: label,
          bwd: 'unknown',
          fwd: 'ok',
          position: locate(np.node.pointer),
          pointer: np.node.pointer,
          place: 'request',
          mode: modeFor('request'),
          identity: key,
        });
      }
      continue;
    }
    if (np.required && !op.required)
      sink.add({
        ...base,
        ruleId: 'request-parameter-became-required',
        where: 'parameters',
        detail: label,
        position: locate(np.node.pointer),
        pointer: np.node.pointer,
        place: 'request',
        mode: modeFor('request'),
        identity: key,
      });
    if (op.schema && np.schema)
      sink.compareSchema(checker, op.schema, np.schema, {
        subject,
        where: label,
        place: 'request',
        mode: modeFor('request'),
      });
  }
  for (const [key, op] of oldParams) {
    if (newParams.has(key)) continue;
    const label = `${op.location} parameter ${op.name}`;
    const pointer = joinPointer(newOp.node.pointer, 'parameters');
    sink.add({
      ...base,
      ruleId: 'request-parameter-removed',
      where: 'parameters',
      detail: label,
      position: locate(pointer),
      pointer,
      oldPointer: op.node.pointer,
      place: 'request',
      mode: modeFor('request'),
      identity: key,
    });
  }

  // Request body.
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

  // Responses.
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
    } else if (/^2/.test(status)) {
      const pointer = joinPointer(newOp.node.pointer, 'responses');
      sink.add({
        ...base,
        ruleId: 'response-success-status-removed',
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
    sink.compareSchema(checker, os, ns, {
      subject: c.subject,
      where: `${c.where} ${media}`,
      place: c.place,
      mode: c.mode,
    });
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
      if (!h.required) continue;
      const pointer = joinPointer(newResponse.pointer, 'headers');
      sink.add({
        ruleId: 'response-header-removed',
        subject: c.subject,
        where,
        detail: name,
        file: newResponse.file.displayPath,
        position: newResponse.file.locate(pointer),
        pointer,
        place: 'response',
        mode: c.mode,
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
