/**
 * Signed JWTs (JWS compact serialization, RS256) with node:crypto alone: `evtgen dev` signs its
 * own tokens with a key pair made at start and checks them like API Gateway's JWT authorizer
 * checks a provider's. A JWT library would add a dependency for ~60 lines of standard code.
 */
import { generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';

/** The signing key of one `evtgen dev` run. */
export interface SigningKey {
  /** The `kid` header of every token; the verifier refuses others, as API Gateway refuses a kid its JWKS lacks. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Makes a fresh RSA key pair (2048 bits: what identity providers use for RS256). */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: `evtgen-dev-${randomUUID()}`, privateKey, publicKey };
}

/** The public key as a JWKS document (what `/.well-known/jwks.json` of a provider serves). */
export function jwksOf(key: SigningKey): { readonly keys: readonly Record<string, unknown>[] } {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: key.kid, alg: 'RS256', use: 'sig' }] };
}

/** Signs `payload` as an RS256 JWT. */
export function signJwt(key: SigningKey, payload: Readonly<Record<string, unknown>>): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

/** Why a token was refused (the text goes into `www-authenticate`, as API Gateway's does). */
export type JwtFailure = { readonly ok: false; readonly reason: string };

/**
 * The payload of `token` when it is a well-formed JWT signed by `key` with RS256, else why not.
 * Only the signature and header are checked here; claims are the authorizer's business.
 */
export function verifyJwtSignature(
  key: SigningKey,
  token: string,
): { readonly ok: true; readonly payload: Record<string, unknown> } | JwtFailure {
  const parts = token.split('.');
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  if (parts.length !== 3 || !encodedHeader || !encodedPayload || !encodedSignature)
    return { ok: false, reason: 'the token is not a valid JWT' };
  const header = decodeJson(encodedHeader);
  const payload = decodeJson(encodedPayload);
  if (!header || !payload) return { ok: false, reason: 'the token is not a valid JWT' };
  // The algorithm is fixed by the key, never taken from the token (no `none`, no HS256 confusion).
  if (header.alg !== 'RS256') return { ok: false, reason: 'the token is not signed with RS256' };
  if (header.kid !== key.kid) return { ok: false, reason: 'the token has no key id in the JWKS' };
  const valid = verify(
    'sha256',
    Buffer.from(`${encodedHeader}.${encodedPayload}`),
    key.publicKey,
    Buffer.from(encodedSignature, 'base64url'),
  );
  return valid ? { ok: true, payload } : { ok: false, reason: 'the token signature is invalid' };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
