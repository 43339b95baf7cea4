/**
 * The authorizers of the local HTTP API. Routes keep the authorization their template declares, so
 * a request that would be refused when deployed is refused locally: JWT routes accept tokens that
 * `evtgen dev` signs with a key pair made at start (no identity provider needed, and no token of
 * a real provider is ever accepted), AWS_IAM routes accept requests signed with SigV4 by the local
 * credentials (`test`/`test` by default, moto's).
 */
import { randomUUID } from 'node:crypto';
import type { GatewayAuthorizer } from './api-event.js';
import { createSigningKey, jwksOf, type SigningKey, signJwt } from './jwt.js';
import { type AuthorizerOutcome, authorizeJwt } from './jwt-authorizer.js';
import type { DevRoute, DevRouteAuthorization } from './plan.js';
import { type SignedRequest, verifySigV4 } from './sigv4.js';

/** An access key SigV4-signed requests may use, and the identity it stands for. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Defaults to the account's root user (`arn:aws:iam::<account>:root`). */
  readonly userArn?: string;
  readonly userId?: string;
}

export interface LocalAuthOptions {
  /** The plan's routes: they give dev tokens their issuer, audiences and scopes. */
  readonly routes?: readonly DevRoute[];
  /** Keys accepted on AWS_IAM routes; defaults to `test`/`test`. */
  readonly credentials?: readonly LocalCredentials[];
  /** Defaults to `123456789012`, moto's account. */
  readonly accountId?: string;
  /** The region SigV4 signatures must be scoped to; defaults to `us-east-1`. */
  readonly region?: string;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
  /** Reuse a key (tests); by default a new one is made. */
  readonly signingKey?: SigningKey;
}

/** The request as an authorizer sees it. */
export type AuthRequest = SignedRequest;

/** Claims and lifetime of a token made by `createDevToken`. */
export interface DevTokenOptions {
  /** Defaults to `local-developer`. */
  readonly sub?: string;
  /** Written as the space-separated `scope` claim. */
  readonly scopes?: readonly string[];
  /** Defaults to the issuer of the JWT routes (when they share one). */
  readonly issuer?: string;
  /** Defaults to every audience of the JWT routes. */
  readonly audience?: string | readonly string[];
  /** Seconds from now; negative makes an expired token. Defaults to one hour. */
  readonly expiresInSeconds?: number;
  /** Seconds from now of `nbf` (absent by default). */
  readonly notBeforeInSeconds?: number;
  /** Further claims (they override the ones above). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** A token `evtgen dev` prints: one per issuer of the JWT routes, with every scope they require. */
export interface DevTokenInfo {
  readonly issuer: string | undefined;
  readonly audience: readonly string[];
  readonly scopes: readonly string[];
  /** The route keys it opens. */
  readonly routeKeys: readonly string[];
  readonly token: string;
  readonly expiresAt: Date;
}

/** The authorizers of one `evtgen dev` run. */
export interface LocalAuth {
  readonly accountId: string;
  readonly region: string;
  /** The public key of dev tokens, for tools that verify them. */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
  /** Runs the route's authorizer on a request. */
  authorize(authorization: DevRouteAuthorization, request: AuthRequest): AuthorizerOutcome;
  /** Signs a token the JWT routes accept (or, with the wrong claims, refuse). */
  createDevToken(options?: DevTokenOptions): string;
  /** Long-lived tokens (30 days, the run's key) with all the scopes routes require, to print. */
  devTokens(): DevTokenInfo[];
}

const devTokenLifetimeSeconds = 30 * 24 * 3600;

/** Makes the authorizers (and a fresh signing key) of one run. */
export function createLocalAuth(options: LocalAuthOptions = {}): LocalAuth {
  const key = options.signingKey ?? createSigningKey();
  const accountId = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const now = options.now ?? Date.now;
  const credentials = options.credentials ?? [{ accessKeyId: 'test', secretAccessKey: 'test' }];
  const jwtRoutes = (options.routes ?? []).flatMap((route) =>
    route.authorization.type === 'JWT' ? [{ route, authorization: route.authorization }] : [],
  );
  const issuers = [...new Set(jwtRoutes.map((r) => r.authorization.issuer))];

  const createDevToken = (token: DevTokenOptions = {}): string => {
    const issuedAt = Math.floor(now() / 1000);
    const audience =
      typeof token.audience === 'string'
        ? [token.audience]
        : (token.audience ?? unique(jwtRoutes.flatMap((r) => r.authorization.audience)));
    const issuer = token.issuer ?? (issuers.length === 1 ? issuers[0] : undefined) ?? 'evtgen-dev';
    return signJwt(key, {
      sub: token.sub ?? 'local-developer',
      iss: issuer,
      // A single audience is a string, as providers write it; several are a list.
      ...(audience.length > 0 ? { aud: audience.length === 1 ? audience[0] : audience } : {}),
      ...(token.scopes && token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {}),
      token_use: 'access',
      iat: issuedAt,
      ...(token.notBeforeInSeconds !== undefined ? { nbf: issuedAt + token.notBeforeInSeconds } : {}),
      exp: issuedAt + (token.expiresInSeconds ?? 3600),
      jti: randomUUID(),
      ...token.claims,
    });
  };

  return {
    accountId,
    region,
    jwks: jwksOf(key),
    createDevToken,
    authorize(authorization, request) {
      if (authorization.type === 'NONE') return { ok: true };
      if (authorization.type === 'JWT')
        return authorizeJwt(authorization, request.headers.get('authorization')?.[0], key, now() / 1000);
      return authorizeIam(request, { accountId, region, credentials, nowMs: now() });
    },
    devTokens() {
      return issuers.map((issuer) => {
        const routes = jwtRoutes.filter((r) => r.authorization.issuer === issuer);
        const audience = unique(routes.flatMap((r) => r.authorization.audience));
        const scopes = unique(routes.flatMap((r) => r.authorization.scopes));
        return {
          issuer,
          audience,
          scopes,
          routeKeys: routes.map((r) => r.route.routeKey),
          token: createDevToken({
            scopes,
            audience,
            expiresInSeconds: devTokenLifetimeSeconds,
            ...(issuer !== undefined ? { issuer } : {}),
          }),
          expiresAt: new Date((Math.floor(now() / 1000) + devTokenLifetimeSeconds) * 1000),
        };
      });
    },
  };
}

/** The lines `evtgen dev` prints for its tokens (nothing when no route uses a JWT authorizer). */
export function describeDevTokens(tokens: readonly DevTokenInfo[]): string {
  return tokens
    .map((t) =>
      [
        `JWT for ${t.routeKeys.join(', ')} (scopes: ${t.scopes.join(' ') || 'none'}; expires ${t.expiresAt.toISOString()}):`,
        `  Authorization: Bearer ${t.token}`,
      ].join('\n'),
    )
    .join('\n');
}

function authorizeIam(
  request: AuthRequest,
  context: {
    readonly accountId: string;
    readonly region: string;
    readonly credentials: readonly LocalCredentials[];
    readonly nowMs: number;
  },
): AuthorizerOutcome {
  const verified = verifySigV4(request, {
    region: context.region,
    service: 'execute-api',
    nowMs: context.nowMs,
    secretOf: (id) => context.credentials.find((c) => c.accessKeyId === id)?.secretAccessKey,
  });
  // One 403 `{"message":"Forbidden"}` whatever the reason (unsigned, unknown key, bad or stale
  // signature): AWS words some of these refusals differently, but the status is what clients act on.
  if (!verified.ok) return { ok: false, status: 403, message: 'Forbidden', headers: [] };
  const signer = context.credentials.find((c) => c.accessKeyId === verified.accessKeyId);
  const userId = signer?.userId ?? context.accountId;
  const authorizer: GatewayAuthorizer = {
    iam: {
      accessKey: verified.accessKeyId,
      accountId: context.accountId,
      callerId: userId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: signer?.userArn ?? `arn:aws:iam::${context.accountId}:root`,
      userId,
    },
  };
  return { ok: true, authorizer };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export type { AuthorizerOutcome };
