// OpenAPI security in the checker: the security schemes of a document (type, where the credential
// goes, bearer format, OAuth flows' URLs and scopes) and each operation's requirements, scheme by
// scheme and scope by scope. Old clients authenticate as the baseline says: anything they can no
// longer satisfy breaks them (bwd).

import { isObject, joinPointer } from '../../load/json-pointer.js';
import type { SourceFile } from '../../load/source-file.js';
import type { FindingInput, Mode } from '../findings.js';
import { at, childAt, deref, type FindingSink } from '../snapshot.js';
import type { OperationPair } from './operations.js';

type J = Record<string, unknown>;
/** What a security finding adds to its rule and place. */
type Extra = Partial<Pick<FindingInput, 'detail' | 'old' | 'new' | 'oldPointer'>>;

/** Fields whose change makes an old client send its credential the wrong way. */
const identityFields = ['type', 'in', 'name', 'scheme', 'openIdConnectUrl'] as const;
const flowUrls = ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const;

/** The security schemes of two documents, compared by name. */
export function compareSecuritySchemes(
  sink: FindingSink,
  mode: Mode,
  oldFile: SourceFile,
  newFile: SourceFile,
): void {
  const schemesOf = (file: SourceFile, side: 'old' | 'new') => {
    const ws = side === 'old' ? sink.oldSnap.workspace : sink.newSnap.workspace;
    const list = at(file, '/components/securitySchemes');
    const out = new Map<string, { pointer: string; value: J }>();
    if (!isObject(list.value)) return out;
    for (const name of Object.keys(list.value)) {
      const s = deref(ws, childAt(list, name));
      if (isObject(s.value)) out.set(name, { pointer: s.pointer, value: s.value });
    }
    return out;
  };
  const oldSchemes = schemesOf(oldFile, 'old');
  const newSchemes = schemesOf(newFile, 'new');
  const report = (ruleId: string, name: string, pointer: string, extra: Extra = {}) =>
    sink.add({
      ruleId,
      subject: `security scheme ${name}`,
      where: 'security scheme',
      file: newFile.displayPath,
      position: newFile.locate(pointer),
      pointer,
      oldFile: oldFile.displayPath,
      place: 'request',
      mode,
      identity: `${name} ${String(extra.detail ?? '')}`,
      ...extra,
    });
  for (const [name, o] of oldSchemes) {
    const n = newSchemes.get(name);
    if (!n) {
      report('security-scheme-removed', name, '/components/securitySchemes', { oldPointer: o.pointer });
      continue;
    }
    for (const field of identityFields) {
      const ov = normalized(field, o.value[field]);
      const nv = normalized(field, n.value[field]);
      if (ov !== nv)
        report('security-scheme-changed', name, joinPointer(n.pointer, field), {
          detail: field,
          old: ov,
          new: nv,
        });
    }
    if (o.value.bearerFormat !== n.value.bearerFormat)
      report('security-scheme-bearer-format-changed', name, joinPointer(n.pointer, 'bearerFormat'), {
        old: o.value.bearerFormat,
        new: n.value.bearerFormat,
      });
    compareFlows(report, name, o, n);
  }
  for (const [name, n] of newSchemes)
    if (!oldSchemes.has(name)) report('security-scheme-added', name, n.pointer);
}

/** `scheme` names are case-insensitive (RFC 7235); other fields compare as written. */
function normalized(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return field === 'scheme' ? value.toLowerCase() : value;
}

function compareFlows(
  report: (ruleId: string, name: string, pointer: string, extra?: Extra) => void,
  name: string,
  o: { pointer: string; value: J },
  n: { pointer: string; value: J },
): void {
  const oFlows = isObject(o.value.flows) ? o.value.flows : {};
  const nFlows = isObject(n.value.flows) ? n.value.flows : {};
  for (const [flow, of] of Object.entries(oFlows)) {
    const nf = nFlows[flow];
    if (!isObject(of)) continue;
    if (!isObject(nf)) {
      report('security-scheme-changed', name, joinPointer(n.pointer, 'flows'), {
        detail: `flow ${flow}`,
        old: flow,
      });
      continue;
    }
    const flowPointer = joinPointer(n.pointer, 'flows', flow);
    for (const url of flowUrls)
      if (of[url] !== nf[url])
        report('security-oauth-url-changed', name, joinPointer(flowPointer, url), {
          detail: `${flow} ${url}`,
          old: of[url],
          new: nf[url],
        });
    const oScopes = isObject(of.scopes) ? Object.keys(of.scopes) : [];
    const nScopes = isObject(nf.scopes) ? Object.keys(nf.scopes) : [];
    for (const s of oScopes)
      if (!nScopes.includes(s))
        report('security-scope-removed', name, joinPointer(flowPointer, 'scopes'), {
          detail: `${flow} scope ${s}`,
        });
    for (const s of nScopes)
      if (!oScopes.includes(s))
        report('security-scope-added', name, joinPointer(flowPointer, 'scopes', s), {
          detail: `${flow} scope ${s}`,
        });
  }
}

/** The security alternatives of an operation (its own, or the document's): scheme → scopes. */
function requirementsOf(file: SourceFile, node: J): Map<string, string[]>[] {
  const doc = file.value as J;
  const list = Array.isArray(node.security) ? node.security : Array.isArray(doc.security) ? doc.security : [];
  if (list.length === 0) return [new Map()];
  return list
    .filter(isObject)
    .map((req) => new Map(Object.entries(req).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []])));
}

/** An alternative by its schemes (`oauth+key`): what pairs old and new alternatives, in any order. */
const schemesOf = (alt: Map<string, string[]>) =>
  alt.size === 0 ? '(none)' : [...alt.keys()].sort().join('+');

const showAlternatives = (alts: Map<string, string[]>[]) => alts.map(schemesOf).join(' | ');

/** Can a client meeting `old` also meet `req` (the schemes and, per scheme, the scopes)? */
function satisfies(old: Map<string, string[]>, req: Map<string, string[]>, scopes: boolean): boolean {
  return [...req].every(
    ([scheme, needed]) => old.has(scheme) && (!scopes || needed.every((s) => old.get(scheme)?.includes(s))),
  );
}

/** Every way an old client authenticates must still be enough: schemes first, then scopes. */
export function compareOperationSecurity(pair: OperationPair): void {
  const { sink, oldFile, newFile, oldOp, newOp, base, modeFor, locate } = pair;
  const oldAlts = requirementsOf(oldFile, oldOp.node.value as J);
  const newAlts = requirementsOf(newFile, newOp.node.value as J);
  const pointer = joinPointer(newOp.node.pointer, 'security');
  const add = (ruleId: string, extra: Extra) =>
    sink.add({
      ...base,
      ruleId,
      where: 'security',
      position: locate(pointer),
      pointer,
      place: 'request',
      mode: modeFor('request'),
      identity: `${newOp.key} ${String(extra.detail ?? '')}`,
      ...extra,
    });
  const oldShown = showAlternatives(oldAlts);
  const newShown = showAlternatives(newAlts);
  // The alternatives are a set: reordering them changes nothing.
  const sameSchemes = oldAlts.map(schemesOf).sort().join(' | ') === newAlts.map(schemesOf).sort().join(' | ');
  if (!sameSchemes) {
    const stricter = oldAlts.some((alt) => !newAlts.some((req) => satisfies(alt, req, false)));
    add(stricter ? 'security-requirement-added' : 'security-requirement-removed', {
      old: oldShown,
      new: newShown,
    });
    return;
  }
  // Same schemes: compare the scopes each alternative asks for, pairing alternatives by their
  // schemes (not by position), and scopes by name.
  const unpaired = [...newAlts];
  for (const alt of oldAlts) {
    const at = unpaired.findIndex((req) => schemesOf(req) === schemesOf(alt));
    const req =
      at === -1 ? new Map<string, string[]>() : (unpaired.splice(at, 1)[0] as Map<string, string[]>);
    for (const [scheme, needed] of req) {
      const had = alt.get(scheme) ?? [];
      const added = needed.filter((s) => !had.includes(s));
      const removed = had.filter((s) => !needed.includes(s));
      if (added.length > 0)
        add('security-requirement-scopes-added', {
          detail: scheme,
          old: scopeList(had),
          new: scopeList(needed),
        });
      else if (removed.length > 0)
        add('security-requirement-scopes-removed', {
          detail: scheme,
          old: scopeList(had),
          new: scopeList(needed),
        });
    }
  }
}

const scopeList = (scopes: string[]) => (scopes.length === 0 ? 'no scopes' : scopes.join(' '));
