// OpenAPI parameters in the checker: path, query, header and cookie parameters of an operation
// pair, matched by location and name (headers case-insensitively), their serialization
// (./serialization.ts) and schemas compared.

import { isObject, joinPointer } from '../../load/json-pointer.js';
import { type At, childAt, deref, type FindingSink } from '../snapshot.js';
import type { Operation, OperationPair } from './operations.js';
import { serializationChanges } from './serialization.js';

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
      // Path parameters are positional: renaming `{petId}` to `{id}` is the same parameter.
      const slot = p.value.in === 'path' ? pathSlot(op.label, name) : name;
      out.set(`${p.value.in}:${slot}`, {
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

/** The position of `{name}` among the templated segments of the operation's path (label `GET /a/{b}`). */
function pathSlot(label: string, name: string): string {
  const path = label.slice(label.indexOf(' ') + 1);
  const names = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const index = names.indexOf(name);
  return index < 0 ? name : `#${index}`;
}

/** Parameters added, removed, made required, or with a changed schema. */
export function compareParameters(pair: OperationPair): void {
  const { sink, checker, oldOp, newOp, subject, base, modeFor, locate } = pair;
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
    for (const change of serializationChanges(op.node, np.node, label))
      sink.add({
        ...base,
        ...change,
        where: 'parameters',
        position: locate(change.pointer),
        place: 'request',
        mode: modeFor('request'),
        identity: `${key} ${change.detail ?? ''}`,
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
}
