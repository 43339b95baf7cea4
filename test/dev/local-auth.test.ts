/**
 * The local authorizers: API Gateway's JWT authorizer checks on tokens `evtgen dev` signs, and
 * SigV4 verification on requests signed by the AWS SDK's own signer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, type SigningKey, signJwt } from '../../generator/dev/jwt.js';
import { renderClaims } from '../../generator/dev/jwt-authorizer.js';
import {
  type AuthRequest,
  createLocalAuth,
  describeDevTokens,
  type LocalAuth,
} from '../../generator/dev/local-auth.js';
import type { DevRoute, DevRouteAuthorization } from '../../generator/dev/plan.js';
import { verifySigV4 } from '../../generator/dev/sigv4.js';
import { signedHeaders } from './sigv4-signer.js';

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LOCAL';
const jwt = (scopes: string[] = []): DevRouteAuthorization => ({
  type: 'JWT',
  issuer,
  audience: ['app-client'],
  scopes,
});
const routes: DevRoute[] = [
  {
    routeKey: 'POST /orders',
    method: 'POST',
    path: '/orders',
    function: 'C',
    authorization: jwt(['orders/write']),
  },
  { routeKey: 'GET /orders/{id}', method: 'GET', path: '/orders/{id}', function: 'G', authorization: jwt() },
  { routeKey: 'GET /health', method: 'GET', path: '/health', function: 'H', authorization: { type: 'NONE' } },
];

let key: SigningKey;
let auth: LocalAuth;
beforeAll(() => {
  key = createSigningKey();
  auth = createLocalAuth({ routes, signingKey: key });
});

const bearer = (token: string, scheme = 'Bearer '): AuthRequest => ({
  method: 'GET',
  path: '/orders/1',
  rawQueryString: '',
  headers: new Map([['authorization', [`${scheme}${token}`]]]),
  body: Buffer.alloc(0),
});
const refusal = (outcome: ReturnType<LocalAuth['authorize']>) =>
  outcome.ok ? 'allowed' : `${outcome.status} ${outcome.message} ${outcome.headers.map(([, v]) => v).join()}`;

describe('JWT routes', () => {
  it('accept a valid token and hand the claims and scopes to the event', () => {
    const token = auth.createDevToken({ sub: 'user-1', scopes: ['orders/write', 'orders/read'] });
    const outcome = auth.authorize(jwt(['orders/write']), bearer(token));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok || !outcome.authorizer || !('jwt' in outcome.authorizer)) throw new Error('no jwt');
    expect(outcome.authorizer.jwt.claims).toMatchObject({
      sub: 'user-1',
      iss: issuer,
      aud: 'app-client',
      scope: 'orders/write orders/read',
      token_use: 'access',
    });
    expect(outcome.authorizer.jwt.claims.exp).toMatch(/^\d+$/);
    expect(outcome.authorizer.jwt.scopes).toEqual(['orders/write', 'orders/read']);
  });

  it('report null scopes on a route that requires none, as API Gateway does', () => {
    const outcome = auth.authorize(jwt(), bearer(auth.createDevToken({ scopes: ['x'] })));
    expect(
      outcome.ok && outcome.authorizer && 'jwt' in outcome.authorizer && outcome.authorizer.jwt.scopes,
    ).toBe(null);
  });

  it('accept the token without the Bearer prefix (API Gateway strips it when present)', () => {
    expect(auth.authorize(jwt(), bearer(auth.createDevToken(), '')).ok).toBe(true);
  });

  it('refuse a request without a token: 401 Unauthorized', () => {
    const outcome = auth.authorize(jwt(), { ...bearer(''), headers: new Map() });
    expect(refusal(outcome)).toBe('401 Unauthorized ');
  });

  it('refuse an expired token: 401', () => {
    expect(refusal(auth.authorize(jwt(), bearer(auth.createDevToken({ expiresInSeconds: -1 }))))).toMatch(
      /^401 Unauthorized .*the token has expired/,
    );
  });

  it('refuse a token not valid yet (nbf in the future): 401', () => {
    expect(refusal(auth.authorize(jwt(), bearer(auth.createDevToken({ notBeforeInSeconds: 60 }))))).toMatch(
      /^401 .*not valid yet/,
    );
  });

  it('refuse a token of another issuer: 401', () => {
    const token = auth.createDevToken({ issuer: 'https://elsewhere.example.org' });
    expect(refusal(auth.authorize(jwt(), bearer(token)))).toMatch(/^401 .*valid issuer/);
  });

  it('refuse a token for another audience: 401', () => {
    const token = auth.createDevToken({ audience: 'another-client' });
    expect(refusal(auth.authorize(jwt(), bearer(token)))).toMatch(/^401 .*valid audience/);
  });

  it('read client_id as the audience only when the token has no aud (Cognito access tokens)', () => {
    const noAud = auth.createDevToken({ audience: [], claims: { client_id: 'app-client' } });
    expect(auth.authorize(jwt(), bearer(noAud)).ok).toBe(true);
    const wrongAud = auth.createDevToken({ audience: 'another', claims: { client_id: 'app-client' } });
    expect(refusal(auth.authorize(jwt(), bearer(wrongAud)))).toMatch(/^401 .*valid audience/);
  });

  it('refuse a token whose payload was altered after signing (bad signature): 401', () => {
    const [header, , signature] = auth.createDevToken({ scopes: [] }).split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: issuer, aud: 'app-client', exp: 9e9, scope: 'orders/write' }),
    );
    const token = `${header}.${forged.toString('base64url')}.${signature}`;
    expect(refusal(auth.authorize(jwt(['orders/write']), bearer(token)))).toMatch(
      /^401 .*signature is invalid/,
    );
  });

  it('refuse a token signed by another key under the same key id: 401', () => {
    const other = createSigningKey();
    const token = signJwt({ ...other, kid: key.kid }, { iss: issuer, aud: 'app-client', exp: 9e9 });
    expect(refusal(auth.authorize(jwt(), bearer(token)))).toMatch(/^401 .*signature is invalid/);
  });

  it('refuse an unsigned token (alg none) and a key id the JWKS lacks: 401', () => {
    const none = (payload: object) =>
      `${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    expect(refusal(auth.authorize(jwt(), bearer(none({ iss: issuer, exp: 9e9 }))))).toMatch(/^401 /);
    const foreign = signJwt(createSigningKey(), { iss: issuer, aud: 'app-client', exp: 9e9 });
    expect(refusal(auth.authorize(jwt(), bearer(foreign)))).toMatch(/^401 .*no key id/);
  });

  it('refuse a token without any of the route scopes: 403 Forbidden', () => {
    const token = auth.createDevToken({ scopes: ['orders/read'] });
    expect(refusal(auth.authorize(jwt(['orders/write', 'orders/admin']), bearer(token)))).toMatch(
      /^403 Forbidden .*insufficient_scope/,
    );
  });

  it('accept a token with one of the route scopes, from scope or from scp', () => {
    const route = jwt(['orders/write', 'orders/admin']);
    expect(auth.authorize(route, bearer(auth.createDevToken({ scopes: ['orders/admin'] }))).ok).toBe(true);
    expect(auth.authorize(route, bearer(auth.createDevToken({ claims: { scp: ['orders/write'] } }))).ok).toBe(
      true,
    );
  });

  it('render claims as API Gateway does: strings, lists in brackets, objects as JSON, nulls left out', () => {
    expect(
      renderClaims({
        sub: 'u',
        exp: 1787996002,
        email_verified: true,
        'cognito:groups': ['admin', 'poweruser'],
        address: { country: 'FR' },
        nothing: null,
      }),
    ).toEqual({
      sub: 'u',
      exp: '1787996002',
      email_verified: 'true',
      'cognito:groups': '[admin poweruser]',
      address: '{"country":"FR"}',
    });
  });

  it('print one long-lived token per issuer that opens every JWT route', () => {
    const tokens = auth.devTokens();
    expect(tokens).toHaveLength(1);
    const [printed] = tokens;
    if (!printed) throw new Error('no token');
    expect(printed).toMatchObject({
      issuer,
      audience: ['app-client'],
      scopes: ['orders/write'],
      routeKeys: ['POST /orders', 'GET /orders/{id}'],
    });
    expect(printed.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    for (const route of routes)
      expect(auth.authorize(route.authorization, bearer(printed.token)).ok).toBe(true);
    expect(describeDevTokens(tokens)).toContain(`Authorization: Bearer ${printed.token}`);
  });
});

describe('AWS_IAM routes', () => {
  const iam: DevRouteAuthorization = { type: 'AWS_IAM' };
  const at = new Date(Date.UTC(2026, 10, 27, 12, 0, 0));
  const iamAuth = () => createLocalAuth({ signingKey: key, now: () => at.getTime() });

  /** The request as received, from what was sent. */
  const received = (url: string, headers: Record<string, string>, body = '', method = 'GET'): AuthRequest => {
    const parsed = new URL(url);
    return {
      method,
      path: parsed.pathname,
      rawQueryString: parsed.search.slice(1),
      headers: new Map(Object.entries(headers).map(([k, v]) => [k, [v]])),
      body: Buffer.from(body),
    };
  };

  it('accept a request signed by the SDK signer with the local credentials', async () => {
    const url = 'http://127.0.0.1:3000/orders/a%20b?limit=10&tag=x&tag=y';
    const headers = await signedHeaders({ method: 'GET', url, signingDate: at });
    const outcome = iamAuth().authorize(iam, received(url, headers));
    expect(outcome).toEqual({
      ok: true,
      authorizer: {
        iam: {
          accessKey: 'test',
          accountId: '123456789012',
          callerId: '123456789012',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: 'arn:aws:iam::123456789012:root',
          userId: '123456789012',
        },
      },
    });
  });

  it('accept a signed POST body and refuse it once tampered: 403', async () => {
    const url = 'http://127.0.0.1:3000/orders';
    const body = '{"sku":"A-1"}';
    const headers = await signedHeaders({
      method: 'POST',
      url,
      body,
      headers: { 'content-type': 'application/json' },
      signingDate: at,
    });
    expect(iamAuth().authorize(iam, received(url, headers, body, 'POST')).ok).toBe(true);
    expect(refusal(iamAuth().authorize(iam, received(url, headers, '{"sku":"B-2"}', 'POST')))).toBe(
      '403 Forbidden ',
    );
  });

  it('refuse a signature replayed on another path or query: 403', async () => {
    const url = 'http://127.0.0.1:3000/orders/1?x=1';
    const headers = await signedHeaders({ method: 'GET', url, signingDate: at });
    expect(iamAuth().authorize(iam, received('http://127.0.0.1:3000/orders/2?x=1', headers)).ok).toBe(false);
    expect(iamAuth().authorize(iam, received('http://127.0.0.1:3000/orders/1?x=2', headers)).ok).toBe(false);
  });

  it('refuse an unsigned request, an unknown key, a wrong secret and another region: 403', async () => {
    const url = 'http://127.0.0.1:3000/orders';
    const sign = (options: object) => signedHeaders({ method: 'GET', url, signingDate: at, ...options });
    expect(refusal(iamAuth().authorize(iam, received(url, { host: '127.0.0.1:3000' })))).toBe(
      '403 Forbidden ',
    );
    for (const headers of [
      await sign({ accessKeyId: 'AKIDUNKNOWN' }),
      await sign({ secretAccessKey: 'not-test' }),
      await sign({ region: 'eu-west-1' }),
    ])
      expect(refusal(iamAuth().authorize(iam, received(url, headers)))).toBe('403 Forbidden ');
  });

  it('refuse a signature made more than five minutes away from now: 403', async () => {
    const url = 'http://127.0.0.1:3000/orders';
    const stale = await signedHeaders({
      method: 'GET',
      url,
      signingDate: new Date(at.getTime() - 6 * 60_000),
    });
    expect(iamAuth().authorize(iam, received(url, stale)).ok).toBe(false);
    const recent = await signedHeaders({
      method: 'GET',
      url,
      signingDate: new Date(at.getTime() - 4 * 60_000),
    });
    expect(iamAuth().authorize(iam, received(url, recent)).ok).toBe(true);
  });

  it("verify AWS's published example signature (IAM ListUsers, 2015-08-30)", () => {
    const outcome = verifySigV4(
      {
        method: 'GET',
        path: '/',
        rawQueryString: 'Action=ListUsers&Version=2010-05-08',
        headers: new Map([
          ['content-type', ['application/x-www-form-urlencoded; charset=utf-8']],
          ['host', ['iam.amazonaws.com']],
          ['x-amz-date', ['20150830T123600Z']],
          [
            'authorization',
            [
              'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
            ],
          ],
        ]),
        body: Buffer.alloc(0),
      },
      {
        region: 'us-east-1',
        service: 'iam',
        nowMs: Date.UTC(2015, 7, 30, 12, 36),
        secretOf: (id) => (id === 'AKIDEXAMPLE' ? 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' : undefined),
      },
    );
    expect(outcome).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });
});
