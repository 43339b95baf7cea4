/**
 * The local HTTP API over real HTTP (loopback, `fetch`): routing, authorizers, events, responses
 * and the gateway's own errors. Most tests invoke a fake function that echoes its event back, a
 * stand-in for the worker thread `evtgen dev` runs handlers in; one runs the example's real
 * generated health handler in-process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { handler as getHealth } from '../../app/handlers/http/get-health.js';
import type { LocalApiEvent } from '../../generator/dev/api-event.js';
import {
  type HttpServerOptions,
  type Invoke,
  type RequestRecord,
  type RunningHttpServer,
  startHttpServer,
} from '../../generator/dev/http-server.js';
import { createLocalAuth, type LocalAuth } from '../../generator/dev/local-auth.js';
import type { DevRoute, DevRouteAuthorization } from '../../generator/dev/plan.js';
import { captureLogs, lambdaContext } from '../helpers/lambda.js';
import { signedHeaders } from './sigv4-signer.js';

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LOCAL';
const jwt = (scopes: string[] = []): DevRouteAuthorization => ({
  type: 'JWT',
  issuer,
  audience: ['app-client'],
  scopes,
});
const none: DevRouteAuthorization = { type: 'NONE' };
const route = (routeKey: string, fn: string, authorization: DevRouteAuthorization = none): DevRoute => {
  const [method = '', path = ''] = routeKey.split(' ');
  return { routeKey, method, path, function: fn, authorization };
};
const routes: DevRoute[] = [
  route('POST /orders', 'CreateOrderFn', jwt(['orders/write'])),
  route('GET /orders/{orderId}', 'GetOrderFn', jwt()),
  route('GET /health', 'GetHealthFn'),
  route('ANY /echo/{proxy+}', 'EchoFn'),
  route('POST /internal/reports', 'ReportFn', { type: 'AWS_IAM' }),
];

/** Echoes the event as JSON: what the function received, for the test to read back. */
const echo: Invoke = async (_fn, event) => ({
  ok: true,
  result: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) },
});

let running: RunningHttpServer | undefined;
const auth: LocalAuth = createLocalAuth({ routes });
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer> {
  running = await startHttpServer({ port: 0, routes, auth, invoke: echo, ...options });
  return running;
}
async function eventOf(response: Response): Promise<LocalApiEvent> {
  expect(response.status).toBe(200);
  return (await response.json()) as LocalApiEvent;
}

describe('the local HTTP API', () => {
  it('serves GET /health with the real generated handler', async () => {
    const server = await start({
      invoke: async (_fn, event) => ({
        ok: true,
        result: await getHealth(event, lambdaContext('get-health')),
      }),
    });
    const { result: response } = await captureLogs(() => fetch(`${server.url}/health`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('answers an unknown route 404 {"message":"Not Found"} without invoking anything', async () => {
    const invoked: string[] = [];
    const server = await start({
      invoke: async (fn, event) => {
        invoked.push(fn);
        return echo(fn, event);
      },
    });
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(response.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(invoked).toEqual([]);
  });

  it('hands the function the payload 2.0 event of the request it selected', async () => {
    const server = await start();
    const event = await eventOf(
      await fetch(`${server.url}/echo/a%20b/c?x=1&x=2`, {
        method: 'PUT',
        headers: { cookie: 'session=abc; theme=dark', 'x-custom': 'yes', 'content-type': 'text/plain' },
        body: 'hello',
      }),
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /echo/{proxy+}',
      rawPath: '/echo/a b/c',
      rawQueryString: 'x=1&x=2',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { x: '1,2' },
      pathParameters: { proxy: 'a b/c' },
      body: 'hello',
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        stage: '$default',
        http: { method: 'PUT', sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['x-custom']).toBe('yes');
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('round-trips a binary body: base64 into the event, raw bytes out of the response', async () => {
    const server = await start({
      invoke: async (_fn, event) => ({
        ok: true,
        result: {
          statusCode: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: event.body,
          isBase64Encoded: event.isBase64Encoded,
        },
      }),
    });
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const response = await fetch(`${server.url}/echo/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('sends cookies of the result as separate Set-Cookie headers', async () => {
    const server = await start({
      invoke: async () => ({
        ok: true,
        result: { statusCode: 204, cookies: ['a=1; Path=/', 'b=2; HttpOnly'] },
      }),
    });
    const response = await fetch(`${server.url}/echo/x`);
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('answers a failed invocation 500 {"message":"Internal Server Error"} and reports the error', async () => {
    const records: RequestRecord[] = [];
    const server = await start({
      onRequest: (r) => records.push(r),
      invoke: async () => ({ ok: false, errorType: 'TypeError', errorMessage: 'boom' }),
    });
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(records).toEqual([
      expect.objectContaining({
        routeKey: 'GET /health',
        function: 'GetHealthFn',
        status: 500,
        error: { errorType: 'TypeError', errorMessage: 'boom' },
      }),
    ]);
  });

  it('answers 500 when invoking throws instead of reporting a failure', async () => {
    const server = await start({ invoke: () => Promise.reject(new Error('worker died')) });
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 503 {"message":"Service Unavailable"} past the integration timeout', async () => {
    const server = await start({ integrationTimeoutMs: 50, invoke: () => new Promise(() => undefined) });
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 413 to a body over the payload limit and serves one at the limit', async () => {
    const server = await start({ maxBodyBytes: 1000 });
    const post = (size: number) =>
      fetch(`${server.url}/echo/big`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(size, 1),
      });
    const over = await post(1001);
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ message: 'Request Entity Too Large' });
    expect((await post(1000)).status).toBe(200);
  });

  it('refuses over 10 MB by default', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/echo/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });

  it('reports every request: route key, status, duration and function', async () => {
    const records: RequestRecord[] = [];
    const server = await start({ onRequest: (r) => records.push(r) });
    await (await fetch(`${server.url}/health`)).text();
    await (await fetch(`${server.url}/missing`)).text();
    expect(records).toEqual([
      expect.objectContaining({
        routeKey: 'GET /health',
        function: 'GetHealthFn',
        status: 200,
        method: 'GET',
      }),
      expect.objectContaining({ path: '/missing', status: 404 }),
    ]);
    expect(records[1]).not.toHaveProperty('routeKey');
    for (const r of records) expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('serves /_evtgen/ endpoints before routes and refuses extra routes elsewhere', async () => {
    const server = await start({
      extraRoutes: {
        '/_evtgen/status': async (_req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end('{"up":true}');
        },
      },
    });
    expect(await (await fetch(`${server.url}/_evtgen/status`)).json()).toEqual({ up: true });
    await expect(
      startHttpServer({
        port: 0,
        routes,
        auth,
        invoke: echo,
        extraRoutes: { '/status': async () => undefined },
      }),
    ).rejects.toThrow(/under \/_evtgen\//);
  });

  it('closes open connections on close(), a request still in flight included', async () => {
    const server = await start({ invoke: () => new Promise(() => undefined) });
    const pending = fetch(`${server.url}/health`).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 2000)),
    ]);
    running = undefined;
    expect(closed).toBe('closed');
    expect(await pending).toBe('cut off');
  });
});

describe('JWT routes over HTTP', () => {
  const get = (server: RunningHttpServer, token?: string) =>
    fetch(`${server.url}/orders/o-1`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('pass a valid token through with its claims in the event', async () => {
    const server = await start();
    const event = await eventOf(await get(server, auth.createDevToken({ sub: 'user-7' })));
    expect(event.requestContext.authorizer).toEqual({
      jwt: {
        claims: expect.objectContaining({ sub: 'user-7', iss: issuer, aud: 'app-client' }),
        scopes: null,
      },
    });
    expect(event.pathParameters).toEqual({ orderId: 'o-1' });
  });

  it.each([
    ['no token', undefined],
    ['an expired token', () => auth.createDevToken({ expiresInSeconds: -5 })],
    ['a token of another issuer', () => auth.createDevToken({ issuer: 'https://other.example.org' })],
    ['a token for another audience', () => auth.createDevToken({ audience: 'other-client' })],
    ['a token with a bad signature', () => `${auth.createDevToken().slice(0, -4)}AAAA`],
  ])('answer %s with 401 {"message":"Unauthorized"}', async (_name, token) => {
    const server = await start();
    const response = await get(server, token?.());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answer a token without the route scope with 403 {"message":"Forbidden"}', async () => {
    const server = await start();
    const post = (scopes: string[]) =>
      fetch(`${server.url}/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${auth.createDevToken({ scopes })}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
    const refused = await post(['orders/read']);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: 'Forbidden' });
    const event = await eventOf(await post(['orders/write']));
    expect(event.requestContext.authorizer).toMatchObject({ jwt: { scopes: ['orders/write'] } });
  });

  it('accept the printed dev token on every JWT route', async () => {
    const server = await start();
    const [printed] = auth.devTokens();
    expect((await get(server, printed?.token)).status).toBe(200);
  });
});

describe('AWS_IAM routes over HTTP', () => {
  const body = '{"month":"2026-11"}';

  it('accept a request signed by the SDK signer, with the caller in the event', async () => {
    const server = await start();
    const url = `${server.url}/internal/reports?format=csv`;
    const headers = await signedHeaders({
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json' },
    });
    const event = await eventOf(await fetch(url, { method: 'POST', headers, body }));
    expect(event.requestContext.authorizer).toMatchObject({
      iam: { accessKey: 'test', accountId: '123456789012' },
    });
  });

  it('refuse it tampered (another body) or unsigned with 403 {"message":"Forbidden"}', async () => {
    const server = await start();
    const url = `${server.url}/internal/reports`;
    const headers = await signedHeaders({
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json' },
    });
    const tampered = await fetch(url, { method: 'POST', headers, body: '{"month":"2026-12"}' });
    expect(tampered.status).toBe(403);
    expect(await tampered.json()).toEqual({ message: 'Forbidden' });
    expect((await fetch(url, { method: 'POST', body })).status).toBe(403);
  });
});
