/**
 * API Gateway's JWT authorizer (HTTP APIs), locally. AWS documents the checks ("Authorizing API
 * requests with a JWT authorizer"): a token in the identity source (`Authorization`, `Bearer `
 * prefix optional), a `kid` of the issuer's JWKS, a valid signature, `iss` equal to the
 * authorizer's issuer, `aud` (or `client_id` when there is no `aud`) one of its audiences, `exp`
 * after now, `nbf` and `iat` before now, and, when the route has authorization scopes, at least one
 * of them in the token's `scope` (or `scp`) claim. Failing any check but the scopes is a 401
 * `{"message":"Unauthorized"}` with a `www-authenticate` header saying why; missing scopes are a 403
 * `{"message":"Forbidden"}`. The claims reach the function as strings (see renderClaims).
 */
import type { GatewayAuthorizer } from './api-event.js';
import { type SigningKey, verifyJwtSignature } from './jwt.js';
import type { DevRouteAuthorization } from './plan.js';

/** The authorization of a JWT route. */
export type JwtAuthorization = Extract<DevRouteAuthorization, { readonly type: 'JWT' }>;

/** The outcome of an authorizer: the event's `authorizer`, or the gateway's refusal. */
export type AuthorizerOutcome =
  | { readonly ok: true; readonly authorizer?: GatewayAuthorizer }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly message: 'Unauthorized' | 'Forbidden';
      readonly headers: readonly (readonly [string, string])[];
    };

/**
 * Checks the `Authorization` header of a request against a JWT route. `nowSeconds` is the clock.
 * An authorizer without an issuer or audiences (a plan whose template value could not be resolved)
 * skips that check rather than refusing every token.
 */
export function authorizeJwt(
  authorization: JwtAuthorization,
  header: string | undefined,
  key: SigningKey,
  nowSeconds: number,
): AuthorizerOutcome {
  const token = header?.replace(/^Bearer /i, '').trim();
  if (!token) return { ok: false, status: 401, message: 'Unauthorized', headers: [] };
  const checked = verifyJwtSignature(key, token);
  if (!checked.ok) return unauthorized(checked.reason);
  const claims = checked.payload;
  const problem = claimProblem(authorization, claims, nowSeconds);
  if (problem) return unauthorized(problem);
  const granted = tokenScopes(claims);
  if (authorization.scopes.length > 0 && !authorization.scopes.some((s) => granted.includes(s))) {
    const wanted = authorization.scopes.join(' ');
    return {
      ok: false,
      status: 403,
      message: 'Forbidden',
      headers: [
        [
          'www-authenticate',
          `Bearer scope="${wanted}" error="insufficient_scope" error_description="the token needs one of the scopes ${wanted}"`,
        ],
      ],
    };
  }
  return {
    ok: true,
    authorizer: {
      jwt: { claims: renderClaims(claims), scopes: authorization.scopes.length > 0 ? granted : null },
    },
  };
}

function claimProblem(
  authorization: JwtAuthorization,
  claims: Readonly<Record<string, unknown>>,
  now: number,
): string | undefined {
  if (typeof claims.exp !== 'number') return 'the token has no expiration';
  if (claims.exp <= now) return 'the token has expired';
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now))
    return 'the token is not valid yet';
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > now))
    return 'the token was issued in the future';
  if (authorization.issuer !== undefined && claims.iss !== authorization.issuer)
    return 'the token does not have a valid issuer';
  if (authorization.audience.length > 0) {
    // `client_id` counts only when there is no `aud` (Cognito access tokens carry client_id).
    const audiences = claims.aud !== undefined ? claims.aud : claims.client_id;
    const listed = Array.isArray(audiences) ? audiences : [audiences];
    if (!listed.some((a) => typeof a === 'string' && authorization.audience.includes(a)))
      return 'the token does not have a valid audience';
  }
  return undefined;
}

function unauthorized(description: string): AuthorizerOutcome {
  return {
    ok: false,
    status: 401,
    message: 'Unauthorized',
    headers: [
      ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`],
    ],
  };
}

/** The token's scopes: `scope` (space-separated), else `scp` (a list or space-separated). */
export function tokenScopes(claims: Readonly<Record<string, unknown>>): string[] {
  const raw = claims.scope ?? claims.scp;
  const list = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : [];
  return list.filter((s): s is string => typeof s === 'string' && s !== '');
}

/**
 * Claims as API Gateway delivers them in `requestContext.authorizer.jwt.claims`, as captured from
 * deployed APIs: every value a string (`"exp": "1787996002"`, `"email_verified": "true"`), a list
 * as its items space-separated in brackets (`"cognito:groups": "[admin poweruser]"`), an object as
 * its JSON text, and null-valued claims left out.
 */
export function renderClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const rendered = new Map<string, string>();
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    rendered.set(name, renderValue(value));
  }
  return Object.fromEntries(rendered);
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(renderValue).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
