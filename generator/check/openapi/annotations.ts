// The OpenAPI keywords the validators read as annotations but clients act on: `readOnly` and
// `writeOnly` (which side of the exchange carries a property) and `discriminator` (how a client
// picks the branch of a polymorphic body). The schema engine ignores them by the reading policy;
// they are compared here, walking old and new body schemas in step.

import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { FindingInput, Mode, Place } from '../findings.js';
import type { SameSchema } from '../schema-compat/same.js';
import type { SubsetChecker } from '../schema-compat/subset.js';
import { type At, childAt, deref, type FindingSink } from '../snapshot.js';

type J = Record<string, unknown>;

interface Context {
  readonly sink: FindingSink;
  readonly subject: string;
  readonly where: string;
  readonly place: Place;
  readonly mode: Mode;
  readonly seen: Set<string>;
  /** Whether two schemas are the same, annotations read here included (nothing to report below). */
  readonly same: SameSchema;
}

/** Compares the annotations of two body schemas (request or response), recursively. */
export function compareAnnotations(
  sink: FindingSink,
  oldSchema: At,
  newSchema: At,
  c: { subject: string; where: string; place: Place; mode: Mode },
  checker: SubsetChecker,
): void {
  walk({ ...c, sink, seen: new Set(), same: checker.sameAnnotated }, oldSchema, newSchema, '');
}

function walk(c: Context, oldAt: At, newAt: At, path: string): void {
  const o = deref(c.sink.oldSnap.workspace, oldAt);
  const n = deref(c.sink.newSnap.workspace, newAt);
  const key = `${o.file.path}#${o.pointer}|${n.file.path}#${n.pointer}`;
  if (c.seen.has(key) || !isObject(o.value) || !isObject(n.value)) return;
  c.seen.add(key);
  if (c.same.nodes(o, n)) return;
  const ov = o.value;
  const nv = n.value;
  const add = (input: Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new'>, keyword: string) => {
    const pointer = joinPointer(n.pointer, keyword);
    c.sink.add({
      ...input,
      subject: c.subject,
      where: c.where,
      file: n.file.displayPath,
      position: n.file.locate(pointer),
      pointer,
      oldFile: o.file.displayPath,
      oldPointer: joinPointer(o.pointer, keyword),
      place: c.place,
      mode: c.mode,
      identity: `${c.where} ${path} ${input.ruleId}`,
    });
  };
  const label = path === '' ? 'the body' : `property ${path}`;
  if (c.place === 'request' && ov.readOnly !== true && nv.readOnly === true)
    add({ ruleId: 'request-property-became-read-only', detail: label }, 'readOnly');
  if (c.place === 'response' && ov.writeOnly !== true && nv.writeOnly === true)
    add({ ruleId: 'response-property-became-write-only', detail: label }, 'writeOnly');
  compareDiscriminators(ov, nv, label, add);

  const oProps = isObject(ov.properties) ? ov.properties : {};
  const nProps = isObject(nv.properties) ? nv.properties : {};
  for (const name of Object.keys(oProps))
    if (Object.hasOwn(nProps, name))
      walk(
        c,
        childAt(o, 'properties', name),
        childAt(n, 'properties', name),
        path ? `${path}.${name}` : name,
      );
  if (isObject(ov.items) && isObject(nv.items))
    walk(c, childAt(o, 'items'), childAt(n, 'items'), `${path}[]`);
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const oList = ov[k];
    const nList = nv[k];
    if (!Array.isArray(oList) || !Array.isArray(nList)) continue;
    for (let i = 0; i < Math.min(oList.length, nList.length); i++)
      walk(c, childAt(o, k, i), childAt(n, k, i), path);
  }
}

function compareDiscriminators(
  ov: J,
  nv: J,
  label: string,
  add: (input: Pick<FindingInput, 'ruleId' | 'detail' | 'old' | 'new'>, keyword: string) => void,
): void {
  const od = isObject(ov.discriminator) ? ov.discriminator : undefined;
  const nd = isObject(nv.discriminator) ? nv.discriminator : undefined;
  if (!od && !nd) return;
  if (!od || !nd || od.propertyName !== nd.propertyName) {
    add(
      {
        ruleId: 'discriminator-property-changed',
        detail: label,
        old: od?.propertyName,
        new: nd?.propertyName,
      },
      'discriminator',
    );
    return;
  }
  const om = isObject(od.mapping) ? od.mapping : {};
  const nm = isObject(nd.mapping) ? nd.mapping : {};
  for (const [value, target] of Object.entries(om)) {
    if (nm[value] === target) continue;
    add(
      {
        ruleId: 'discriminator-mapping-changed',
        detail: `${label} value ${value}`,
        old: target,
        new: nm[value],
      },
      'discriminator',
    );
  }
  for (const [value, target] of Object.entries(nm))
    if (!Object.hasOwn(om, value))
      add(
        { ruleId: 'discriminator-mapping-added', detail: `${label} value ${value}`, new: target },
        'discriminator',
      );
}
