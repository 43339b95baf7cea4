// Objects and properties in the subset engine: required properties, declared and pattern
// properties, additional (and, in 2020-12, unevaluated) properties, property counts and
// dependencies (./dependencies.ts).

import { isObject } from '../../../load/json-pointer.js';
import { anythingAt, child, type SchemaContext, type SchemaNode, type SchemaView, viewOf } from '../node.js';
import { matches } from '../values.js';
import { lengthBounds } from './bounds.js';
import { dependencies } from './dependencies.js';
import type { Pass, Reason, Schema } from './pass.js';

/** Additional properties as ajv applies them: `unevaluatedProperties` counts in 2020-12 only. */
function additional(
  s: Schema,
  ctx: SchemaContext,
): 'additionalProperties' | 'unevaluatedProperties' | undefined {
  if (s.additionalProperties !== undefined) return 'additionalProperties';
  if (ctx.dialect === '2020-12' && s.unevaluatedProperties !== undefined) return 'unevaluatedProperties';
  return undefined;
}

/** a's objects must meet b's property counts, required properties and property schemas. */
export function objects(p: Pass, A: SchemaView, B: SchemaView, sa: Schema, sb: Schema): Reason[] {
  const out = lengthBounds(p, A, B, sa, sb, ['minProperties', 'maxProperties']);
  const aProps = isObject(sa.properties) ? sa.properties : {};
  const bProps = isObject(sb.properties) ? sb.properties : {};
  const aPatterns = isObject(sa.patternProperties) ? Object.keys(sa.patternProperties) : [];
  const bPatterns = isObject(sb.patternProperties) ? Object.keys(sb.patternProperties) : [];
  const aReq = new Set(Array.isArray(sa.required) ? sa.required.map(String) : []);
  const bReq = new Set(Array.isArray(sb.required) ? sb.required.map(String) : []);
  const aAdd = additional(sa, p.ca);
  const bAdd = additional(sb, p.cb);
  const any = (at: SchemaNode) => anythingAt(A, at);
  const aMayHave = (name: string) =>
    Object.hasOwn(aProps, name)
      ? viewOf(child(A.loc, 'properties', name), p.ca).schema !== false
      : aPatterns.some((pat) => matches(pat, name)) || aAdd === undefined || sa[aAdd] !== false;
  out.push(...dependencies(p, A, B, sa, sb, aReq, aMayHave));

  for (const r of bReq) {
    if (aReq.has(r)) continue;
    const declared = Object.hasOwn(aProps, r);
    const rule =
      p.role === 'bwd'
        ? declared
          ? 'property-became-required'
          : 'required-property-added'
        : declared
          ? 'property-became-optional'
          : 'required-property-removed';
    out.push(p.reason(rule, A.loc, B.loc, { keyword: 'required', detail: r }));
  }
  // Properties b declares: whatever a allows there must fit.
  for (const name of Object.keys(bProps)) {
    const bNode = child(B.loc, 'properties', name);
    if (Object.hasOwn(aProps, name)) {
      out.push(...p.sub(child(A.loc, 'properties', name), bNode));
      continue;
    }
    const aPattern = aPatterns.find((pat) => matches(pat, name));
    if (aPattern !== undefined) {
      out.push(...p.sub(child(A.loc, 'patternProperties', aPattern), bNode));
      continue;
    }
    if (aAdd !== undefined) {
      out.push(...p.sub(child(A.loc, aAdd), bNode));
      continue;
    }
    if (p.sub(any(child(A.loc, 'properties')), bNode).length === 0) continue;
    if (bReq.has(name) && !aReq.has(name)) continue;
    out.push(
      p.reason({ bwd: 'property-added-open-object', fwd: 'property-removed-open-object' }, A.loc, B.loc, {
        certain: false,
        keyword: 'properties',
        detail: name,
      }),
    );
  }
  // Properties only a declares: b reads them through its patterns or additional properties.
  for (const name of Object.keys(aProps)) {
    if (Object.hasOwn(bProps, name)) continue;
    const aNode = child(A.loc, 'properties', name);
    const covering = bPatterns.filter((pat) => matches(pat, name));
    for (const pat of covering) out.push(...p.sub(aNode, child(B.loc, 'patternProperties', pat)));
    if (covering.length > 0 || bAdd === undefined) continue;
    if (sb[bAdd] === false) {
      if (viewOf(aNode, p.ca).schema === false) continue;
      out.push(
        p.reason({ bwd: 'property-removed', fwd: 'property-added' }, A.loc, B.loc, {
          keyword: 'properties',
          detail: name,
        }),
      );
    } else out.push(...p.sub(aNode, child(B.loc, bAdd)));
  }
  // a's pattern properties.
  for (const pat of aPatterns) {
    const aNode = child(A.loc, 'patternProperties', pat);
    if (bPatterns.includes(pat)) {
      out.push(...p.sub(aNode, child(B.loc, 'patternProperties', pat)));
      continue;
    }
    for (const q of Object.keys(bProps)) {
      if (matches(pat, q) && !Object.hasOwn(aProps, q))
        out.push(...p.sub(aNode, child(B.loc, 'properties', q)));
    }
    if (bPatterns.length > 0) out.push(p.undecided(A, B, 'patternProperties'));
    else if (bAdd !== undefined) out.push(...p.sub(aNode, child(B.loc, bAdd)));
  }
  // a's other (unknown) properties.
  const aOpen = aAdd === undefined ? any(child(A.loc, 'additionalProperties')) : child(A.loc, aAdd);
  if (aAdd !== undefined && sa[aAdd] === false) return out;
  for (const pat of bPatterns) {
    if (aPatterns.includes(pat)) continue;
    if (p.sub(aOpen, child(B.loc, 'patternProperties', pat)).length === 0) continue;
    out.push(
      p.reason({ bwd: 'property-added-open-object', fwd: 'property-removed-open-object' }, A.loc, B.loc, {
        certain: false,
        keyword: 'patternProperties',
        detail: pat,
      }),
    );
  }
  if (bAdd !== undefined) {
    if (sb[bAdd] === false) {
      out.push(
        p.reason({ bwd: 'object-closed', fwd: 'object-opened' }, A.loc, B.loc, {
          keyword: bAdd,
          aValue: sa[bAdd],
          bValue: false,
        }),
      );
    } else out.push(...p.sub(aOpen, child(B.loc, bAdd)));
  }
  return out;
}
