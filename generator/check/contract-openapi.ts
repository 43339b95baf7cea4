// The OpenAPI half of `evtgen check`: pairs the operations of each document in the baseline and
// now, and reports operations added, removed (before or after their sunset) and deprecated;
// security, parameters, request bodies and responses are compared in ./openapi/.

import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { Mode, Place } from './findings.js';
import { compareRequestBody, compareResponses } from './openapi/bodies.js';
import { type Operation, type OperationPair, operations, sunsetOf } from './openapi/operations.js';
import { compareParameters } from './openapi/parameters.js';
import { compareOperationSecurity, compareSecuritySchemes } from './openapi/security.js';
import { type FindingSink, schemaContext } from './snapshot.js';

/** How `evtgen check` compares: the `--mode` override and today's date. */
export interface CompareOptions {
  /** `--mode`: overrides every default and every `x-compatibility`. */
  readonly mode?: Mode;
  /** Today as YYYY-MM-DD, for sunset dates. */
  readonly today: string;
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
  if (oldFile && newFile) compareSecuritySchemes(sink, options.mode ?? 'backward', oldFile, newFile);
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

  const pair: OperationPair = {
    sink,
    checker,
    oldFile,
    newFile,
    oldOp,
    newOp,
    subject,
    base,
    modeFor,
    locate,
  };
  compareOperationSecurity(pair);
  compareParameters(pair);
  compareRequestBody(pair);
  compareResponses(pair);
}
