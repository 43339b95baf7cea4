// Property dependencies in the subset engine: draft-07 `dependencies` (both forms) and 2020-12
// `dependentRequired` / `dependentSchemas`, read as ajv reads them (ajv applies `dependencies` in
// every dialect). A dependent schema that only lists `required` is a required dependency.

import { isObject } from '../../../load/json-pointer.js';
import { child, hasNoRef, jsonEqual, type SchemaNode, type SchemaView } from '../node.js';
import type { Pass, Reason, Schema } from './pass.js';

interface Dependencies {
  /** property → the properties it requires when present. */
  readonly required: Map<string, Set<string>>;
  /** property → the schema the whole object must meet when it is present. */
  readonly schemas: Map<string, SchemaNode>;
}

function dependenciesOf(view: SchemaView, s: Schema, dialect: string): Dependencies {
  const required = new Map<string, Set<string>>();
  const schemas = new Map<string, SchemaNode>();
  const addRequired = (prop: string, names: unknown[]) => {
    const set = required.get(prop) ?? new Set<string>();
    for (const n of names) set.add(String(n));
    required.set(prop, set);
  };
  const addSchema = (prop: string, node: SchemaNode) => {
    const v = node.value;
    // `{required: [...]}` alone says the same as a required dependency, and compares like one.
    if (isObject(v) && Object.keys(v).length === 1 && Array.isArray(v.required))
      addRequired(prop, v.required);
    else schemas.set(prop, node);
  };
  const read = (keyword: string, form: 'both' | 'required' | 'schemas') => {
    const deps = s[keyword];
    if (!isObject(deps)) return;
    for (const [prop, dep] of Object.entries(deps)) {
      if (Array.isArray(dep) && form !== 'schemas') addRequired(prop, dep);
      else if (!Array.isArray(dep) && form !== 'required') addSchema(prop, child(view.loc, keyword, prop));
    }
  };
  read('dependencies', 'both');
  if (dialect === '2020-12') {
    read('dependentRequired', 'required');
    read('dependentSchemas', 'schemas');
  }
  return { required, schemas };
}

/** Everything a's objects carry when `prop` is present: its required set closed under a's dependencies. */
function presentWith(prop: string, aRequired: Set<string>, deps: Dependencies): Set<string> {
  const out = new Set([...aRequired, prop]);
  const queue = [...out];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const q of deps.required.get(name) ?? []) {
      if (out.has(q)) continue;
      out.add(q);
      queue.push(q);
    }
  }
  return out;
}

/** Every dependency b states must hold for a's objects. */
export function dependencies(
  p: Pass,
  A: SchemaView,
  B: SchemaView,
  sa: Schema,
  sb: Schema,
  aRequired: Set<string>,
  aMayHave: (name: string) => boolean,
): Reason[] {
  const b = dependenciesOf(B, sb, p.cb.dialect);
  if (b.required.size === 0 && b.schemas.size === 0) return [];
  const a = dependenciesOf(A, sa, p.ca.dialect);
  const out: Reason[] = [];
  for (const [prop, needed] of b.required) {
    if (!aMayHave(prop)) continue;
    const carried = presentWith(prop, aRequired, a);
    for (const q of needed) {
      if (carried.has(q)) continue;
      // A dependent schema of a's may still require q: then the engine cannot be sure it breaks.
      out.push(
        p.reason({ bwd: 'dependent-required-added', fwd: 'dependent-required-removed' }, A.loc, B.loc, {
          certain: a.schemas.size === 0,
          keyword: 'dependentRequired',
          detail: `${prop} requires ${q}`,
        }),
      );
    }
  }
  for (const [prop, bNode] of b.schemas) {
    if (!aMayHave(prop)) continue;
    const aNode = a.schemas.get(prop);
    if (aNode && hasNoRef(aNode.value) && hasNoRef(bNode.value) && jsonEqual(aNode.value, bNode.value))
      continue;
    // Sufficient: a's dependent schema for prop (or a itself) already meets b's.
    if (aNode && p.sub(aNode, bNode).length === 0) continue;
    if (p.sub(A.loc, bNode).length === 0) continue;
    out.push(
      p.reason({ bwd: 'dependent-schema-added', fwd: 'dependent-schema-removed' }, A.loc, B.loc, {
        certain: false,
        keyword: 'dependentSchemas',
        detail: prop,
      }),
    );
  }
  return out;
}
