/**
 * Route selection of the local HTTP API, against API Gateway's documented priority (full match,
 * then greedy `{proxy+}`, then `$default`) and AWS's own routing example.
 */
import { describe, expect, it } from 'vitest';
import type { DevRoute } from '../../generator/dev/plan.js';
import { decodeGatewayPath, parseRequestTarget } from '../../generator/dev/request-target.js';
import { compileRoutes, matchRoute } from '../../generator/dev/routes.js';

const route = (routeKey: string): DevRoute => {
  const [method = '', path = ''] = routeKey === '$default' ? ['', ''] : routeKey.split(' ');
  return { routeKey, method, path, function: `Fn ${routeKey}`, authorization: { type: 'NONE' } };
};
const table = (...keys: string[]) => compileRoutes(keys.map(route));
const selected = (keys: string[], method: string, path: string) =>
  matchRoute(table(...keys), method, path)?.route.routeKey;

describe('matchRoute', () => {
  // The example of AWS's "Routing API requests" (HTTP APIs) documentation.
  const aws = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'];

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
  ])('selects as AWS documents: %s %s → %s', (method, path, expected) => {
    expect(selected(aws, method, path)).toBe(expected);
  });

  it('prefers a literal segment over a parameter whatever the order of the routes', () => {
    expect(selected(['GET /orders/{orderId}', 'GET /orders/latest'], 'GET', '/orders/latest')).toBe(
      'GET /orders/latest',
    );
    expect(selected(['GET /orders/latest', 'GET /orders/{orderId}'], 'GET', '/orders/latest')).toBe(
      'GET /orders/latest',
    );
  });

  it('prefers a full match over a greedy one with more literal segments', () => {
    expect(selected(['GET /a/b/{proxy+}', 'GET /{x}/{y}/{z}'], 'GET', '/a/b/c')).toBe('GET /{x}/{y}/{z}');
  });

  it('prefers an explicit method over ANY on the same path', () => {
    expect(selected(['ANY /orders', 'POST /orders'], 'POST', '/orders')).toBe('POST /orders');
    expect(selected(['ANY /orders', 'POST /orders'], 'DELETE', '/orders')).toBe('ANY /orders');
  });

  it('falls back to $default, and answers nothing (a 404) without one', () => {
    expect(selected(['GET /health', '$default'], 'GET', '/nope')).toBe('$default');
    expect(selected(['GET /health'], 'GET', '/nope')).toBeUndefined();
    expect(selected(['GET /health'], 'POST', '/health')).toBeUndefined();
  });

  it('binds decoded path parameters, and none when the route has no variables', () => {
    const t = table('GET /orders/{orderId}', 'GET /files/{proxy+}', 'GET /health');
    expect(matchRoute(t, 'GET', '/orders/a b%25')?.pathParameters).toEqual({ orderId: 'a b%' });
    expect(matchRoute(t, 'GET', '/files/x/y/z.txt')?.pathParameters).toEqual({ proxy: 'x/y/z.txt' });
    expect(matchRoute(t, 'GET', '/health')).toEqual({ route: t.routes[2]?.route });
  });

  it('treats a trailing slash as significant and never binds an empty parameter', () => {
    const t = ['GET /orders', 'GET /orders/{orderId}', 'ANY /{proxy+}'];
    expect(selected(t.slice(0, 2), 'GET', '/orders/')).toBeUndefined();
    expect(selected(t, 'GET', '/')).toBeUndefined();
    expect(selected(['GET /'], 'GET', '/')).toBe('GET /');
  });

  it('refuses route keys API Gateway refuses', () => {
    expect(() => table('GET /{proxy+}/more')).toThrow(/must come last/);
    expect(() => table('get orders')).toThrow(/METHOD \/path/);
    expect(() => table('GET /a', 'GET /a')).toThrow(/Duplicate/);
  });
});

describe('request targets', () => {
  it('decodes the path except %25, as HTTP APIs build rawPath', () => {
    expect(decodeGatewayPath('/a%20b/%C3%A9/%252E')).toBe('/a b/é/%252E');
  });

  it('splits path and query, collapses leading slashes and reads absolute-form targets', () => {
    expect(parseRequestTarget('//orders/a%20b?x=1&y')).toEqual({
      sentPath: '/orders/a%20b',
      path: '/orders/a b',
      rawQueryString: 'x=1&y',
    });
    expect(parseRequestTarget('http://127.0.0.1:3000/health?z')).toEqual({
      sentPath: '/health',
      path: '/health',
      rawQueryString: 'z',
    });
  });
});
