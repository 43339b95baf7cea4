/**
 * SigV4 for the IAM routes of a load (API Gateway's `AWS_IAM` authorization, service
 * `execute-api`): each request marked `sign` is signed just before it leaves, with the AWS SDK's own
 * signer (`@smithy/signature-v4`) and credentials from the SDK's provider chain (a `--profile`, or
 * the environment). Against `evtgen dev` the emulator's credentials are used; its local authorizer
 * verifies the signature as API Gateway would.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LoadRequest } from './load-request.js';
import type { PlannedRequest } from './traffic.js';

export interface SignerSettings {
  /** The target's origin, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com`. */
  readonly url: string;
  readonly region: string;
  /** Fixed credentials (the emulator's), else the provider chain with this profile. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly profile?: string;
}

/** Signs the requests marked `sign`; passes the others through. */
export function sigV4Signer(settings: SignerSettings): (request: LoadRequest) => Promise<LoadRequest> {
  const origin = new URL(settings.url);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: settings.region,
    credentials:
      settings.credentials ?? defaultProvider(settings.profile ? { profile: settings.profile } : {}),
    sha256: Sha256,
  });
  return async (request) => {
    if (!(request as PlannedRequest).sign) return request;
    const target = new URL(request.path, origin);
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of target.searchParams) {
      const existing = query[key];
      query[key] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const signed = await signer.sign({
      method: request.method,
      protocol: origin.protocol,
      hostname: origin.hostname,
      ...(origin.port ? { port: Number(origin.port) } : {}),
      path: target.pathname,
      query,
      headers: { ...request.headers, host: origin.host },
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    return { ...request, headers: signed.headers as Record<string, string> };
  };
}

/** The region of an API Gateway URL (`…execute-api.<region>.amazonaws.com`), if it is one. */
export function regionOfApiUrl(url: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
}
