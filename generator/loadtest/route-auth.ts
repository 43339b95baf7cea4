/**
 * Credentials of `evtgen load`: which routes need them (their effective OpenAPI security
 * requirement is not empty), and a refusal before the run when a secured route would only collect
 * 401s because nothing was given to send.
 */
import type { ContractModel, HttpOperation, SecurityScheme } from '../model/contract.js';

/** True when calling the operation needs credentials. */
export function isSecured(op: HttpOperation): boolean {
  return !op.isPublic && op.security.length > 0;
}

/** True when every security requirement of the operation is IAM (a SigV4 signature per request). */
export function isSigV4(model: ContractModel, op: HttpOperation): boolean {
  if (!isSecured(op)) return false;
  const schemes = new Map((model.securitySchemes ?? []).map((s) => [s.name, s]));
  return op.security.every((name) => schemes.get(name)?.awsAuthType?.toLowerCase() === 'awssigv4');
}

/** Refuses secured routes no credential was given for, all of them in one message. */
export function refuseMissingCredentials(
  model: ContractModel,
  ops: readonly HttpOperation[],
  auth: {
    readonly bearerToken?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly sigV4?: boolean;
  },
): void {
  const userHeaders = Object.keys(auth.headers ?? {}).map((h) => h.toLowerCase());
  const hasAuthorization = auth.bearerToken !== undefined || userHeaders.includes('authorization');
  const schemes = new Map((model.securitySchemes ?? []).map((s) => [s.name, s]));
  const refused: string[] = [];
  for (const op of ops.filter(isSecured)) {
    const own = op.security.map((name) => schemes.get(name));
    const satisfied = own.some(
      (scheme) =>
        scheme === undefined || satisfiedBy(scheme, hasAuthorization, userHeaders, auth.sigV4 === true),
    );
    if (!satisfied)
      refused.push(
        `${op.method.toUpperCase()} ${op.path} (${op.operationId}; security: ${op.security.join(', ')})`,
      );
  }
  if (refused.length === 0) return;
  throw new Error(
    `No credentials for the secured route(s) ${refused.join(', ')}. Pass --header 'Authorization: Bearer …' ` +
      '(or "headers" in evtgen.load.json; against `evtgen dev` its session token is used), --profile NAME for ' +
      'IAM (SigV4) routes, or give the route weight 0.',
  );
}

function satisfiedBy(
  scheme: SecurityScheme,
  hasAuthorization: boolean,
  userHeaders: readonly string[],
  sigV4: boolean,
): boolean {
  // IAM (SigV4) signs each request: not something a header can carry, but a signer can.
  if (scheme.awsAuthType?.toLowerCase() === 'awssigv4') return sigV4;
  // An API key's header name is not in the model: any header the user passes may be it.
  if (scheme.type === 'apiKey') return userHeaders.length > 0;
  return hasAuthorization;
}
