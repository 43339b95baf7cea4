// How a parameter is written on the wire (OpenAPI `style`, `explode`, `allowReserved`,
// `allowEmptyValue`), compared with the defaults the specification gives each location: old
// clients keep serializing the baseline's way, so a changed effective value breaks them (bwd).

import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { FindingInput } from '../findings.js';
import type { At } from '../snapshot.js';

type J = Record<string, unknown>;

/** `style` defaults: form for query and cookie, simple for path and header. */
function effective(p: J): {
  style: string;
  explode: boolean;
  allowReserved: boolean;
  allowEmptyValue: boolean;
} {
  const style =
    typeof p.style === 'string' ? p.style : p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple';
  return {
    style,
    explode: typeof p.explode === 'boolean' ? p.explode : style === 'form',
    allowReserved: p.allowReserved === true,
    allowEmptyValue: p.allowEmptyValue === true,
  };
}

/** The serialization findings of a parameter kept under the same location and name. */
export function serializationChanges(
  oldParam: At,
  newParam: At,
  label: string,
): Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new' | 'pointer' | 'oldPointer'>[] {
  if (!isObject(oldParam.value) || !isObject(newParam.value)) return [];
  const o = effective(oldParam.value);
  const n = effective(newParam.value);
  const out: Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new' | 'pointer' | 'oldPointer'>[] = [];
  for (const keyword of ['style', 'explode', 'allowReserved'] as const) {
    if (o[keyword] === n[keyword]) continue;
    out.push({
      ruleId: 'request-parameter-serialization-changed',
      detail: `${label} ${keyword}`,
      old: o[keyword],
      new: n[keyword],
      pointer: joinPointer(newParam.pointer, keyword),
      oldPointer: joinPointer(oldParam.pointer, keyword),
    });
  }
  if (o.allowEmptyValue !== n.allowEmptyValue)
    out.push({
      ruleId: n.allowEmptyValue
        ? 'request-parameter-empty-value-allowed'
        : 'request-parameter-empty-value-disallowed',
      detail: label,
      pointer: joinPointer(newParam.pointer, 'allowEmptyValue'),
      oldPointer: joinPointer(oldParam.pointer, 'allowEmptyValue'),
    });
  return out;
}

/**
 * The serialization findings of a response header kept under the same name: a header is always
 * written `simple` and, unless `explode` says otherwise, not exploded (old clients keep parsing
 * lists and objects in it the baseline's way: forward).
 */
export function headerSerializationChanges(
  oldHeader: At,
  newHeader: At,
  name: string,
): Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new' | 'pointer' | 'oldPointer'>[] {
  if (!isObject(oldHeader.value) || !isObject(newHeader.value)) return [];
  const o = oldHeader.value;
  const n = newHeader.value;
  const out: Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new' | 'pointer' | 'oldPointer'>[] = [];
  const effective = {
    style: (h: J) => (typeof h.style === 'string' ? h.style : 'simple'),
    explode: (h: J) => (typeof h.explode === 'boolean' ? h.explode : false),
  };
  for (const keyword of ['style', 'explode'] as const) {
    const was = effective[keyword](o);
    const now = effective[keyword](n);
    if (was === now) continue;
    out.push({
      ruleId: 'response-header-serialization-changed',
      detail: `${name} ${keyword}`,
      old: was,
      new: now,
      pointer: joinPointer(newHeader.pointer, keyword),
      oldPointer: joinPointer(oldHeader.pointer, keyword),
    });
  }
  return out;
}
