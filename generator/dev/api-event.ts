/**
 * The event API Gateway (HTTP API, payload format 2.0) hands a function, built from a real HTTP
 * request. Handlers run locally must read exactly what they read when deployed: lower-cased
 * headers with repeats joined by commas, cookies split out of the `cookie` header, comma-joined
 * repeated query parameters, decoded path parameters, and a body that is text only for the content
 * types AWS treats as text (everything else arrives base64-encoded).
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';
import { parseRequestTarget } from './request-target.js';
import type { RouteMatch } from './routes.js';

/** `requestContext.authorizer.iam` of a request signed with SigV4 (AWS_IAM routes). */
export interface IamAuthorizerIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly cognitoIdentity: null;
  readonly principalOrgId: null;
  readonly userArn: string;
  readonly userId: string;
}

/** What API Gateway puts under `requestContext.authorizer` after a JWT or IAM authorizer passed. */
export type GatewayAuthorizer =
  | {
      readonly jwt: {
        /** Every claim as a string, as API Gateway renders them. */
        readonly claims: Readonly<Record<string, string>>;
        /** The token's scopes when the route requires scopes, else null. */
        readonly scopes: string[] | null;
      };
    }
  | { readonly iam: IamAuthorizerIdentity };

/** An API Gateway payload 2.0 event; `authorizer` is present on JWT and AWS_IAM routes. */
export type LocalApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: GatewayAuthorizer }
>;

/** The parts of Node's `IncomingMessage` the event is built from (an IncomingMessage fits). */
export interface RequestHead {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Name/value pairs in the order received: repeated headers are joined as API Gateway joins them. */
  readonly rawHeaders: readonly string[];
  readonly httpVersion: string;
  readonly socket: { readonly remoteAddress?: string | undefined; readonly localPort?: number | undefined };
}

/** What the gateway knows besides the request itself. */
export interface EventContext {
  readonly accountId: string;
  /** `local` unless told otherwise. */
  readonly apiId?: string;
  readonly requestId?: string;
  readonly now?: Date;
  readonly authorizer?: GatewayAuthorizer;
}

/**
 * Builds the event of `request` (whose body is `body`) for the route it matched. Optional fields are
 * absent where a deployed event lacks them (validators such as Powertools' reject null there): no
 * `body` without one, no `queryStringParameters`, `pathParameters` or `cookies` when there are none.
 * `domainName` is the Host header and `domainPrefix` its first label, as API Gateway derives them
 * from its own domain.
 */
export function toApiEvent(
  request: RequestHead,
  body: Buffer,
  match: RouteMatch,
  context: EventContext,
): LocalApiEvent {
  const method = (request.method ?? 'GET').toUpperCase();
  const target = parseRequestTarget(request.url ?? '/');
  const read = readHeaders(request.rawHeaders);
  const sourceIp = clientAddress(request.socket.remoteAddress);
  addGatewayHeaders(read.headers, sourceIp, request.socket.localPort);
  const headers: Record<string, string> = Object.fromEntries(read.headers);
  const cookies = read.cookies;
  const query = queryParameters(target.rawQueryString);
  const now = context.now ?? new Date();
  const host = read.headers.get('host') ?? 'localhost';
  const routeKey = match.route.routeKey;
  const encoded = body.length > 0 ? encodeBody(body, read.headers.get('content-type')) : undefined;
  return {
    version: '2.0',
    routeKey,
    rawPath: target.path,
    rawQueryString: target.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId ?? 'local',
      ...(context.authorizer ? { authorizer: context.authorizer } : {}),
      domainName: host,
      domainPrefix: host.split(/[.:]/)[0] ?? host,
      http: {
        method,
        path: target.path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: read.headers.get('user-agent') ?? '',
      },
      requestId: context.requestId ?? newRequestId(),
      routeKey,
      stage: '$default',
      time: accessLogTime(now),
      timeEpoch: now.getTime(),
    },
    ...(encoded ? { body: encoded.body } : {}),
    ...(match.pathParameters ? { pathParameters: { ...match.pathParameters } } : {}),
    isBase64Encoded: encoded?.isBase64Encoded ?? false,
  };
}

/** Every value of every header, by lower-case name, in the order received (what SigV4 signs). */
export function headerLists(rawHeaders: readonly string[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    lists.set(name, [...(lists.get(name) ?? []), rawHeaders[i + 1] ?? '']);
  }
  return lists;
}

/** A request id shaped like API Gateway's (`JKJaXmPLvHcESHA=`). */
export function newRequestId(): string {
  return randomBytes(11).toString('base64');
}

/**
 * Whether API Gateway passes a body of this content type as text. Measured against AWS (the docs
 * do not list them): only `text/*`, `application/json`, `application/xml` and
 * `application/javascript`; everything else, a missing content type and
 * `application/x-www-form-urlencoded` included, is base64-encoded.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript'
  );
}

function encodeBody(body: Buffer, contentType: string | undefined) {
  return isTextContentType(contentType)
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}

/**
 * Lower-cased headers, repeats joined by `,` (not Node's `, `); `cookie` becomes the cookies list.
 * A Map, then own properties: a header named `__proto__` stays a header.
 */
function readHeaders(raw: readonly string[]): { headers: Map<string, string>; cookies: string[] } {
  const headers = new Map<string, string>();
  const cookies: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
      continue;
    }
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return { headers, cookies };
}

/** The forwarding headers API Gateway adds in front of the function (client address appended). */
function addGatewayHeaders(headers: Map<string, string>, sourceIp: string, port: number | undefined) {
  const forwarded = headers.get('x-forwarded-for');
  headers.set('x-forwarded-for', forwarded ? `${forwarded}, ${sourceIp}` : sourceIp);
  headers.set('x-forwarded-port', String(port ?? 80));
  headers.set('x-forwarded-proto', 'http');
  if (!headers.has('x-amzn-trace-id'))
    headers.set(
      'x-amzn-trace-id',
      `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
    );
}

/**
 * Decoded query parameters, repeated names joined by `,`, or undefined when there are none. A `+`
 * decodes to a space and a malformed escape stays as sent (URLSearchParams' rules: clients encode
 * query strings as forms do).
 */
function queryParameters(raw: string): Record<string, string> | undefined {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(raw)) {
    const previous = parameters.get(name);
    parameters.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return parameters.size > 0 ? Object.fromEntries(parameters) : undefined;
}

function clientAddress(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function accessLogTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(
    date.getUTCHours(),
  )}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
