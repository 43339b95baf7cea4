/**
 * IAM (SigV4) routes under load: the traffic marks them for signing when a signer is available and
 * refuses them (naming `--profile`) when not; the signer — the AWS SDK's, with fixed or profile
 * credentials — produces signatures that `evtgen dev`'s independent verifier accepts, for the body
 * and query actually sent, and leaves other requests alone.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../generator/dev/sigv4.js';
import type { LoadRequest } from '../../generator/loadtest/load-request.js';
import { regionOfApiUrl, sigV4Signer } from '../../generator/loadtest/sigv4-signer.js';
import { buildTraffic, type PlannedRequest } from '../../generator/loadtest/traffic.js';
import { loadContract } from '../../generator/model/build-model.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'loadtest', 'iam');
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

async function model() {
  const loaded = await loadContract(fixture, join(fixture, 'specs'), {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model || !loaded.workspace) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return { model: loaded.model, workspace: loaded.workspace };
}

/** Verifies `request` as API Gateway (and evtgen dev) would, from what went on the wire. */
function verify(request: LoadRequest, secret = credentials.secretAccessKey) {
  const url = new URL(request.path, 'http://127.0.0.1:3000');
  const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), [v]]));
  return verifySigV4(
    {
      method: request.method,
      path: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      body: Buffer.from(request.body ?? ''),
    },
    {
      region: 'eu-west-1',
      service: 'execute-api',
      nowMs: Date.now(),
      secretOf: (id) => (id === credentials.accessKeyId ? secret : undefined),
    },
  );
}

describe('IAM routes in the traffic', () => {
  it('are refused, naming --profile, when nothing can sign them', async () => {
    const { model: m, workspace } = await model();
    await expect(buildTraffic(m, workspace, { auth: {} })).rejects.toThrow(
      /POST \/reindex .*--profile NAME/s,
    );
  });

  it('are marked for signing (and carry no Authorization of their own) when a signer is there', async () => {
    const { model: m, workspace } = await model();
    const traffic = await buildTraffic(m, workspace, { auth: { sigV4: true, bearerToken: 'not-for-iam' } });
    const requests = Array.from({ length: 4 }, (_, i) => traffic.next(i));
    const reindex = requests.filter((r) => r.routeKey === 'POST /reindex');
    const ping = requests.filter((r) => r.routeKey === 'GET /ping');
    expect(reindex.length).toBe(2);
    for (const r of reindex) {
      expect(r.sign).toBe(true);
      expect(Object.keys(r.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    }
    for (const r of ping) expect(r.sign).toBeUndefined();
  });
});

describe('the SigV4 signer', () => {
  const sign = sigV4Signer({ url: 'http://127.0.0.1:3000', region: 'eu-west-1', credentials });
  const request: PlannedRequest = {
    method: 'POST',
    path: '/reindex?dry=true&tag=a&tag=b',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'c-1' },
    body: '{"scope":"orders"}',
    routeKey: 'POST /reindex',
    correlationId: 'c-1',
    sign: true,
  };

  it("signs what is sent, and evtgen dev's verifier accepts it", async () => {
    const signed = await sign(request);
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request/,
    );
    expect(verify(signed)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('fails verification for another body, another query or another secret', async () => {
    const signed = await sign(request);
    expect(verify({ ...signed, body: '{"scope":"customers"}' }).ok).toBe(false);
    expect(verify({ ...signed, path: '/reindex?dry=false&tag=a&tag=b' }).ok).toBe(false);
    expect(verify(signed, 'another-secret').ok).toBe(false);
  });

  it('leaves requests not marked for signing as they are', async () => {
    const plain: PlannedRequest = { ...request, routeKey: 'GET /ping', method: 'GET', path: '/ping' };
    const { sign: _mark, ...unmarked } = plain;
    expect(await sign(unmarked)).toBe(unmarked);
  });

  it('reads the region of an API Gateway URL', () => {
    expect(regionOfApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/prod')).toBe('eu-west-1');
    expect(regionOfApiUrl('https://api.example.com')).toBeUndefined();
  });
});
