/**
 * A function's result turned into the HTTP response API Gateway sends (HTTP API, payload format
 * 2.0), and the gateway's own error responses. The documented 2.0 rules: a result with
 * `statusCode` is taken as a response (headers, `cookies` as Set-Cookie headers, a base64 body
 * when `isBase64Encoded`; `multiValueHeaders` does not exist in 2.0 and is ignored); any other
 * valid JSON result is a 200 `application/json` whose body is that JSON, and a string result is
 * sent as the body itself. A result the gateway cannot read is its 500.
 */

/** An HTTP response ready to write. Headers are name/value pairs so Set-Cookie can repeat. */
export interface GatewayResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** API Gateway's own JSON error: `{"message":"Not Found"}` and the like. */
export function gatewayError(
  status: number,
  message: string,
  headers: readonly (readonly [string, string])[] = [],
): GatewayResponse {
  return {
    status,
    headers: [['content-type', 'application/json'], ...headers],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/** The 500 API Gateway answers when the function failed or returned something unreadable. */
export const internalServerError = (): GatewayResponse => gatewayError(500, 'Internal Server Error');

// Framing headers are the server's to write; a function's copy would contradict the actual body.
const framing = new Set(['content-length', 'transfer-encoding', 'connection']);

/** The response API Gateway makes of a successful invocation's `result`. */
export function toGatewayResponse(result: unknown): GatewayResponse {
  if (typeof result === 'string') return json(200, result);
  if (!isRecord(result) || !Object.hasOwn(result, 'statusCode')) {
    // The function's return value reached the gateway as JSON: undefined travels as null.
    return json(200, JSON.stringify(result ?? null));
  }
  return structured(result) ?? internalServerError();
}

function json(status: number, text: string): GatewayResponse {
  return { status, headers: [['content-type', 'application/json']], body: Buffer.from(text) };
}

function structured(result: Record<string, unknown>): GatewayResponse | undefined {
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return undefined;
  if (!isRecord(headers) || !Array.isArray(cookies) || typeof isBase64Encoded !== 'boolean') return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const pairs: [string, string][] = [];
  for (const cookie of cookies) {
    if (typeof cookie !== 'string') return undefined;
    pairs.push(['set-cookie', cookie]);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return undefined;
    if (!framing.has(name.toLowerCase())) pairs.push([name.toLowerCase(), String(value)]);
  }
  const text = body ?? '';
  return {
    status: statusCode,
    headers: pairs,
    body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
