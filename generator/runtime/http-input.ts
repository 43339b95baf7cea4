/**
 * Reading raw client input of an API Gateway (HTTP API, payload 2.0) request, defensively: nothing a
 * client sends may crash the handler (a 500) or reach the operation unchecked. Only what the
 * operation declares is read; what cannot be read is an Issue (a 400), never an exception.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Issue } from './validation.js';

export type InputLocation = 'path' | 'query' | 'header' | 'cookie';

/** Declared values read from one location, and the issues of those that could not be read. */
export interface RawValues {
  readonly values: Readonly<Record<string, string>>;
  readonly issues: readonly Issue[];
}

/** The body as text, or why it cannot be read. */
export type BodyText = { readonly text: string } | { readonly issue: Issue };

/** A JSON pointer token (RFC 6901): `~` and `/` escaped. */
export function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The declared values of `names` in one location. Only own properties are read, so a declared
 * parameter named `constructor` or `__proto__` that is absent is absent, not `Object.prototype`'s.
 * Cookies are parsed only here, only for declared names: an undecodable cookie the operation does
 * not declare is none of its business (browsers send every cookie of the domain).
 */
export function readDeclared(
  event: APIGatewayProxyEventV2,
  location: InputLocation,
  names: readonly string[],
): RawValues {
  if (location === 'cookie') return readCookies(event.cookies ?? [], names);
  const source =
    location === 'path'
      ? event.pathParameters
      : location === 'query'
        ? event.queryStringParameters
        : event.headers;
  const entries: [string, string][] = [];
  for (const name of names) {
    const value = ownString(source, name);
    if (value !== undefined) entries.push([name, value]);
  }
  // fromEntries defines own properties: a `__proto__` name stays a plain key, not a prototype.
  return { values: Object.fromEntries(entries), issues: [] };
}

function ownString(source: Readonly<Record<string, string | undefined>> | undefined, name: string) {
  if (!source || !Object.hasOwn(source, name)) return undefined;
  const value = source[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Cookies (`event.cookies`: one `name=value` string per cookie). Values are percent-decoded, as
 * browsers' `document.cookie` users encode them; one that does not decode is an issue at
 * `#/cookie/<name>`. The first of repeated names wins (RFC 6265: the most specific path comes first).
 */
function readCookies(cookies: readonly string[], names: readonly string[]): RawValues {
  const entries = new Map<string, string>();
  const issues: Issue[] = [];
  for (const cookie of cookies) {
    const at = cookie.indexOf('=');
    if (at <= 0) continue;
    const name = cookie.slice(0, at).trim();
    if (!names.includes(name) || entries.has(name)) continue;
    let raw = cookie.slice(at + 1).trim();
    if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) raw = raw.slice(1, -1);
    try {
      entries.set(name, decodeURIComponent(raw));
    } catch {
      entries.set(name, raw);
      issues.push({ pointer: `#/cookie/${pointerToken(name)}`, message: 'must be percent-encoded text' });
    }
  }
  return { values: Object.fromEntries(entries), issues };
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as text. A base64 body (`isBase64Encoded`) must be strict base64 of UTF-8 (Node's
 * decoder skips bad characters, which would turn garbage into a misleading JSON error); a leading
 * byte order mark is dropped (RFC 8259 lets parsers ignore it, and clients do send one).
 */
export function bodyText(body: string, isBase64Encoded: boolean | undefined): BodyText {
  if (!isBase64Encoded) return { text: body.replace(/^\uFEFF/, '') };
  const compact = body.replace(/\s+/g, '');
  if (!base64Pattern.test(compact)) return { issue: { pointer: '', message: 'must be base64 encoded' } };
  try {
    // The decoder drops a leading BOM itself (ignoreBOM: false).
    return { text: utf8.decode(Buffer.from(compact, 'base64')) };
  } catch {
    return { issue: { pointer: '', message: 'must be UTF-8 text' } };
  }
}

/**
 * JSON.parse, refusing `__proto__` keys: JSON.parse itself makes them plain own properties, but
 * the first `Object.assign` or merge in user code would turn one into a prototype. No contract
 * needs such a key, so it is an issue at its pointer.
 */
export function parseJson(
  text: string,
): { readonly value: unknown } | { readonly issue: Issue; readonly detail: string } {
  let hasProto = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key: string, child: unknown) => {
      if (key === '__proto__') hasProto = true;
      return child;
    });
  } catch (error) {
    return {
      issue: { pointer: '', message: (error as Error).message },
      detail: 'The request body is not valid JSON.',
    };
  }
  if (hasProto)
    return {
      issue: { pointer: protoPointer(value) ?? '', message: 'must not have a `__proto__` property' },
      detail: 'The request body has a `__proto__` key, which no contract allows.',
    };
  return { value };
}

/** The pointer of the first `__proto__` key (depth first), to name it in the problem. */
function protoPointer(value: unknown, at = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = `${at}/${pointerToken(key)}`;
    if (key === '__proto__') return here;
    const found = protoPointer(child, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Pointers of numbers that are not finite. Validators coerce parameter text to numbers, and
 * `?limit=1e400` coerces to Infinity without a type error; no contract means that.
 */
export function nonFiniteNumbers(value: unknown, at = ''): Issue[] {
  if (typeof value === 'number')
    return Number.isFinite(value) ? [] : [{ pointer: at, message: 'must be a finite number' }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    nonFiniteNumbers(child, `${at}/${pointerToken(key)}`),
  );
}
