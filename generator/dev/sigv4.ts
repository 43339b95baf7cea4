/**
 * Verifying an AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 …`) the way AWS does: by
 * recomputing the signature from the request with the caller's secret key. The canonical request is
 * rebuilt from what the client declared it signed (its `SignedHeaders` list, in its order), not
 * from what a particular signer library would sign, so requests from any SDK or tool verify.
 * node:crypto only: a signer library recomputes from its own header choices and could not verify
 * a request whose signed header list differs from its defaults.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as received: raw path and query, headers with every value of repeated ones. */
export interface SignedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  readonly rawQueryString: string;
  /** Lower-case name → values in the order received. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: Buffer;
}

/** What the signature's credential scope must name. */
export interface SigV4Expectation {
  readonly region: string;
  /** `execute-api` for API Gateway. */
  readonly service: string;
  /** Access key id → secret access key. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  readonly nowMs: number;
  /** AWS refuses signatures older or newer than 5 minutes. */
  readonly maxSkewMs?: number;
}

/** The verified signer, or why the signature is refused. */
export type SigV4Outcome =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: string };

const authorizationPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([a-z0-9\-;!#$%&'*+.^_`|~]+)\s*,\s*Signature=([0-9a-f]{64})$/;

/** Checks the SigV4 `Authorization` header of `request`. */
export function verifySigV4(request: SignedRequest, expected: SigV4Expectation): SigV4Outcome {
  const header = request.headers.get('authorization');
  const [value, ...more] = header ?? [];
  if (!value || more.length > 0) return { ok: false, reason: 'missing authorization' };
  const parsed = authorizationPattern.exec(value.trim());
  if (!parsed) return { ok: false, reason: 'not a SigV4 authorization header' };
  const [, accessKeyId = '', date = '', region = '', service = '', signedList = '', signature = ''] = parsed;
  if (region !== expected.region || service !== expected.service)
    return { ok: false, reason: `credential scope is not ${expected.region}/${expected.service}` };
  const secret = expected.secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown access key' };
  const amzDate = request.headers.get('x-amz-date')?.[0] ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(date)) return { ok: false, reason: 'bad x-amz-date' };
  if (Math.abs(expected.nowMs - signedAt) > (expected.maxSkewMs ?? 5 * 60_000))
    return { ok: false, reason: 'signature expired' };
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host') || signedHeaders.some((h) => !request.headers.has(h)))
    return { ok: false, reason: 'signed headers missing from the request' };
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256Hex(canonicalRequest(request, signedHeaders)),
  ].join('\n');
  const key = [date, region, service, 'aws4_request'].reduce<Buffer>(
    (k, part) => hmac(k, part),
    Buffer.from(`AWS4${secret}`, 'utf8'),
  );
  const expectedSignature = hmac(key, stringToSign);
  return timingSafeEqual(expectedSignature, Buffer.from(signature, 'hex'))
    ? { ok: true, accessKeyId }
    : { ok: false, reason: 'signature does not match' };
}

/** The canonical request of SigV4 (the body is hashed as received, whatever the client claims). */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[]): string {
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.rawQueryString),
    ...signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers.get(name) ?? [])}`),
    '',
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

/**
 * The path normalized (empty and `.` segments dropped, `..` resolved) and encoded once more, as
 * every AWS service but S3 signs it (the sent path is already encoded once).
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** Parameters decoded, re-encoded strictly (RFC 3986), sorted by name then value. */
function canonicalQuery(raw: string): string {
  if (raw === '') return '';
  return raw
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? '' : pair.slice(at + 1);
      return [uriEncode(percentDecode(name)), uriEncode(percentDecode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

/** RFC 3986 encoding: everything but unreserved characters, `!'()*` included. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const time = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : time;
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
