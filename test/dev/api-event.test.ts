/**
 * The payload 2.0 event built from a request, and the response made of a function's result: field
 * by field as API Gateway (HTTP API) builds and reads them.
 */
import { describe, expect, it } from 'vitest';
import { isTextContentType, type RequestHead, toApiEvent } from '../../generator/dev/api-event.js';
import { toGatewayResponse } from '../../generator/dev/api-response.js';
import type { DevRoute } from '../../generator/dev/plan.js';

const route: DevRoute = {
  routeKey: 'GET /orders/{orderId}',
  method: 'GET',
  path: '/orders/{orderId}',
  function: 'GetOrderFn',
  authorization: { type: 'NONE' },
};

const head = (url: string, rawHeaders: string[], method = 'GET'): RequestHead => ({
  method,
  url,
  rawHeaders: ['Host', '127.0.0.1:3000', ...rawHeaders],
  httpVersion: '1.1',
  socket: { remoteAddress: '::ffff:127.0.0.1', localPort: 3000 },
});
const context = {
  accountId: '123456789012',
  requestId: 'req-1',
  now: new Date(Date.UTC(2026, 2, 12, 19, 3, 58)),
};
const match = { route, pathParameters: { orderId: 'o 1' } };

describe('toApiEvent', () => {
  it('fills every payload 2.0 field the way API Gateway does', () => {
    const event = toApiEvent(
      head('/orders/o%201?expand=items', ['User-Agent', 'curl/8', 'X-Amzn-Trace-Id', 'Root=1-a-b']),
      Buffer.alloc(0),
      match,
      context,
    );
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /orders/{orderId}',
      rawPath: '/orders/o 1',
      rawQueryString: 'expand=items',
      headers: {
        host: '127.0.0.1:3000',
        'user-agent': 'curl/8',
        'x-amzn-trace-id': 'Root=1-a-b',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': '3000',
        'x-forwarded-proto': 'http',
      },
      queryStringParameters: { expand: 'items' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'local',
        domainName: '127.0.0.1:3000',
        domainPrefix: '127',
        http: {
          method: 'GET',
          path: '/orders/o 1',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: 'req-1',
        routeKey: 'GET /orders/{orderId}',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: Date.UTC(2026, 2, 12, 19, 3, 58),
      },
      pathParameters: { orderId: 'o 1' },
      isBase64Encoded: false,
    });
  });

  it('lower-cases headers and joins repeated ones with a bare comma', () => {
    const event = toApiEvent(
      head('/orders/1', ['Accept', 'text/html', 'ACCEPT', 'application/json', 'X-Forwarded-For', '10.0.0.1']),
      Buffer.alloc(0),
      match,
      context,
    );
    expect(event.headers.accept).toBe('text/html,application/json');
    expect(event.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
  });

  it('moves cookies out of the cookie header into the cookies list', () => {
    const event = toApiEvent(
      head('/orders/1', ['Cookie', 'a=1; b=2', 'Cookie', 'c=3']),
      Buffer.alloc(0),
      match,
      context,
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(toApiEvent(head('/orders/1', []), Buffer.alloc(0), match, context)).not.toHaveProperty('cookies');
  });

  it('decodes query parameters and joins repeated ones with a comma, keeping rawQueryString as sent', () => {
    const event = toApiEvent(
      head('/orders/1?tag=a&tag=b%20c&q=x+y&empty', []),
      Buffer.alloc(0),
      match,
      context,
    );
    expect(event.queryStringParameters).toEqual({ tag: 'a,b c', q: 'x y', empty: '' });
    expect(event.rawQueryString).toBe('tag=a&tag=b%20c&q=x+y&empty');
  });

  it('leaves out body, queryStringParameters and pathParameters when there are none', () => {
    const event = toApiEvent(head('/health', []), Buffer.alloc(0), { route }, context);
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a JSON body as text and a binary one base64-encoded', () => {
    const json = toApiEvent(
      head('/orders/1', ['Content-Type', 'application/json; charset=utf-8'], 'POST'),
      Buffer.from('{"a":"é"}'),
      match,
      context,
    );
    expect(json).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });
    const bytes = Buffer.from([0, 255, 1, 254]);
    const binary = toApiEvent(
      head('/orders/1', ['Content-Type', 'application/octet-stream'], 'POST'),
      bytes,
      match,
      context,
    );
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it.each([
    ['text/plain', true],
    ['text/csv; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', false],
    ['application/problem+json', false],
    ['application/octet-stream', false],
    [undefined, false],
  ])('treats %s as text: %s (the content types AWS passes as text)', (type, text) => {
    expect(isTextContentType(type)).toBe(text);
  });

  it('puts the authorizer context under requestContext.authorizer', () => {
    const authorizer = { jwt: { claims: { sub: 'u1' }, scopes: null } };
    const event = toApiEvent(head('/orders/1', []), Buffer.alloc(0), match, { ...context, authorizer });
    expect(event.requestContext.authorizer).toEqual(authorizer);
  });

  it('gives each request its own id when none is passed', () => {
    const ids = new Set(
      Array.from(
        { length: 50 },
        () =>
          toApiEvent(head('/h', []), Buffer.alloc(0), { route }, { accountId: '1' }).requestContext.requestId,
      ),
    );
    expect(ids.size).toBe(50);
  });
});

describe('toGatewayResponse', () => {
  const headersOf = (r: ReturnType<typeof toGatewayResponse>) => r.headers.map(([n, v]) => `${n}: ${v}`);

  it('takes a result with statusCode as the response, cookies as Set-Cookie headers', () => {
    const response = toGatewayResponse({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Count': 2, 'X-Flag': true },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '{"id":"o1"}',
      multiValueHeaders: { 'x-ignored': ['1', '2'] },
    });
    expect(response.status).toBe(201);
    expect(headersOf(response)).toEqual([
      'set-cookie: a=1; Path=/',
      'set-cookie: b=2',
      'content-type: application/json',
      'x-count: 2',
      'x-flag: true',
    ]);
    expect(response.body.toString()).toBe('{"id":"o1"}');
  });

  it('decodes a base64 body when isBase64Encoded', () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const response = toGatewayResponse({
      statusCode: 200,
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.body.equals(bytes)).toBe(true);
  });

  it('answers a result without statusCode with 200 application/json of that value', () => {
    const response = toGatewayResponse({ status: 'ok' });
    expect(response.status).toBe(200);
    expect(headersOf(response)).toEqual(['content-type: application/json']);
    expect(response.body.toString()).toBe('{"status":"ok"}');
    expect(toGatewayResponse(undefined).body.toString()).toBe('null');
    expect(toGatewayResponse([1, 2]).body.toString()).toBe('[1,2]');
  });

  it('sends a string result as the body itself, 200 application/json', () => {
    const response = toGatewayResponse('Hello from Lambda!');
    expect(response.status).toBe(200);
    expect(headersOf(response)).toEqual(['content-type: application/json']);
    expect(response.body.toString()).toBe('Hello from Lambda!');
  });

  it.each([
    ['a statusCode that is not a status', { statusCode: '200' }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['a header value that is an object', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])('answers 500 Internal Server Error for a malformed result: %s', (_name, result) => {
    const response = toGatewayResponse(result);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body.toString())).toEqual({ message: 'Internal Server Error' });
  });

  it("drops the function's framing headers (the server frames the body it sends)", () => {
    const response = toGatewayResponse({ statusCode: 200, headers: { 'Content-Length': '999' }, body: 'x' });
    expect(headersOf(response)).toEqual([]);
  });
});
