/**
 * `x-cors`, the CORS of the HTTP API declared on the OpenAPI document: the contract model applies
 * the defaults (from the operations of every OpenAPI document), several declarations must agree,
 * and the synthesized `AWS::ApiGatewayV2::Api` carries exactly that `CorsConfiguration`, the app's
 * `cors` prop instead when given, and none without either. Invalid values are bad-input cases
 * (test/bad-input, fixture cors-invalid).
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { emitCdk } from '../../generator/emit/cdk.js';
import { type LoadResult, loadContract } from '../../generator/model/build-model.js';
import type { ServiceContract } from '../../generator/runtime/cdk-contract-types.js';
import { EvtgenService } from '../../generator/runtime/cdk-service.js';
import { exampleProject, repoRoot } from '../helpers/project.js';
import { type CfnResource, cdkJsonContext, newApp, ofType, synthesized } from './synth.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * The example specs with `cors` as the OpenAPI document's x-cors (`undefined`: none), plus `files`
 * (path under the project → content), loaded without the spec tools (x-cors is evtgen's own).
 */
async function load(cors: unknown, files: Record<string, string> = {}): Promise<LoadResult> {
  const dir = await exampleProject();
  dirs.push(dir);
  const path = join(dir, 'specs', 'orders.openapi.yaml');
  const doc = parseDocument(await readFile(path, 'utf8'));
  if (cors === undefined) doc.delete('x-cors');
  else doc.set('x-cors', cors);
  await writeFile(path, doc.toString(), 'utf8');
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content, 'utf8');
  return loadContract(dir, join(dir, 'specs'), { validate: false });
}

const errorsOf = (loaded: LoadResult) => loaded.diagnostics.filter((d) => d.severity === 'error');

/** A second OpenAPI document: a PUT with a header parameter and a response header. */
const adminDocument = (cors: string) =>
  [
    'openapi: 3.1.0',
    'info:',
    '  title: Orders admin',
    '  version: 1.0.0',
    cors,
    'paths:',
    '  /orders/{orderId}/status:',
    '    put:',
    '      operationId: setOrderStatus',
    '      security: []',
    '      parameters:',
    '        - name: orderId',
    '          in: path',
    '          required: true',
    '          schema: {type: string}',
    '        - name: If-Match',
    '          in: header',
    '          schema: {type: string}',
    '      responses:',
    "        '204':",
    '          description: Changed.',
    '          headers:',
    '            ETag:',
    '              schema: {type: string}',
    '',
  ].join('\n');

describe('x-cors in the contract model', () => {
  it('fills what is not declared from the operations: methods, header parameters, response headers', async () => {
    const loaded = await load({ allowOrigins: ['https://shop.example.org'] });
    expect(errorsOf(loaded)).toEqual([]);
    expect(loaded.model?.cors).toEqual({
      allowOrigins: ['https://shop.example.org'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      exposeHeaders: ['location', 'x-correlation-id'],
      maxAgeSeconds: 600,
      allowCredentials: false,
    });
  });

  it('takes declared fields as they are: sorted, header names in lower case', async () => {
    const loaded = await load({
      allowOrigins: ['https://shop.example.org', 'http://localhost:3000'],
      allowMethods: ['PUT', 'GET'],
      allowHeaders: ['X-Api-Key', 'Content-Type'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: 0,
      allowCredentials: true,
    });
    expect(errorsOf(loaded)).toEqual([]);
    expect(loaded.model?.cors).toEqual({
      allowOrigins: ['http://localhost:3000', 'https://shop.example.org'],
      allowMethods: ['GET', 'PUT'],
      allowHeaders: ['content-type', 'x-api-key'],
      exposeHeaders: ['etag'],
      maxAgeSeconds: 0,
      allowCredentials: true,
    });
  });

  it('names a bad header name as such, at its line', async () => {
    const loaded = await load({ allowOrigins: ['*'], exposeHeaders: ['x-correlation-id', 'X Request Id'] });
    const at = loaded.locate('specs/orders.openapi.yaml', '/x-cors/exposeHeaders/1');
    expect(errorsOf(loaded).map((d) => [d.code, d.message, d.position, d.pointer])).toEqual([
      [
        'extension-invalid',
        'Invalid x-cors.exposeHeaders[1] "X Request Id": not a header name.',
        at,
        '/x-cors/exposeHeaders/1',
      ],
    ]);
    expect(errorsOf(loaded)[0]?.hint).toMatch(/one token/);
  });

  it('has no CORS without x-cors', async () => {
    const loaded = await load(undefined);
    expect(errorsOf(loaded)).toEqual([]);
    expect(loaded.model).toBeDefined();
    expect(loaded.model?.cors).toBeUndefined();
  });

  it('takes the defaults from the operations of every OpenAPI document; equal declarations agree', async () => {
    const cors = 'x-cors:\n  allowOrigins: [https://shop.example.org]\n  maxAgeSeconds: 600';
    for (const other of [cors, '']) {
      const loaded = await load(
        { allowOrigins: ['https://shop.example.org'] },
        { 'specs/shop-admin.openapi.yaml': adminDocument(other) },
      );
      expect(errorsOf(loaded)).toEqual([]);
      expect(loaded.model?.cors).toMatchObject({
        allowMethods: ['GET', 'POST', 'PUT'],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'],
        exposeHeaders: ['etag', 'location', 'x-correlation-id'],
      });
    }
  });

  it('refuses declarations that differ, at the later one, naming the first', async () => {
    const loaded = await load(
      { allowOrigins: ['https://shop.example.org'] },
      {
        'specs/shop-admin.openapi.yaml': adminDocument(
          'x-cors:\n  allowOrigins: [https://admin.example.org]\n  maxAgeSeconds: 60',
        ),
      },
    );
    expect(loaded.model).toBeUndefined();
    const first = loaded.locate('specs/orders.openapi.yaml', '/x-cors');
    expect(errorsOf(loaded)).toEqual([
      {
        severity: 'error',
        code: 'cors-conflict',
        message:
          `This x-cors differs from the one at specs/orders.openapi.yaml:${first?.line}:${first?.column} in ` +
          'allowOrigins, maxAgeSeconds: every OpenAPI operation is a route of the same HTTP API, which has one CORS configuration.',
        file: 'specs/shop-admin.openapi.yaml',
        position: { line: 5, column: 1 },
        pointer: '/x-cors',
        hint: 'Declare x-cors in one OpenAPI document only, or make the declarations the same.',
      },
    ]);
  });
});

/** The CorsConfiguration of the example service's HTTP API, built from `loaded`'s contract. */
async function corsConfiguration(loaded: LoadResult, cors?: CorsPreflightOptions): Promise<unknown> {
  if (!loaded.model) throw new Error(`the specs do not load: ${JSON.stringify(errorsOf(loaded))}`);
  const data = (await emitCdk(loaded.model)).files.find((f) => f.path === 'cdk/contract.ts')?.content ?? '';
  const contract = JSON.parse(data.slice(data.indexOf('= {') + 2, data.lastIndexOf(';'))) as ServiceContract;
  const app = newApp(await cdkJsonContext());
  const stack = new Stack(app, 'Cors');
  new EvtgenService(stack, 'Service', contract, {
    handlersDir: join(repoRoot, 'app', 'handlers'),
    ...(cors ? { cors } : {}),
  });
  const apis = ofType(synthesized(app, stack).resources, 'AWS::ApiGatewayV2::Api');
  expect(apis).toHaveLength(1);
  const [[, api]] = apis as [[string, CfnResource]];
  return api.Properties?.CorsConfiguration;
}

describe('x-cors on the HTTP API', () => {
  const declared = {
    allowOrigins: ['https://shop.example.org', 'http://localhost:3000'],
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Api-Key'],
    exposeHeaders: ['Location'],
    maxAgeSeconds: 3600,
    allowCredentials: true,
  };

  it('is exactly the declared CorsConfiguration', async () => {
    expect(await corsConfiguration(await load(declared))).toEqual({
      AllowOrigins: ['http://localhost:3000', 'https://shop.example.org'],
      AllowMethods: ['DELETE', 'GET', 'POST'],
      AllowHeaders: ['authorization', 'content-type', 'x-api-key'],
      ExposeHeaders: ['location'],
      MaxAge: 3600,
      AllowCredentials: true,
    });
  });

  it('has the defaults where fields are omitted', async () => {
    expect(await corsConfiguration(await load({ allowOrigins: ['*'] }))).toEqual({
      AllowOrigins: ['*'],
      AllowMethods: ['GET', 'POST'],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      ExposeHeaders: ['location', 'x-correlation-id'],
      MaxAge: 600,
      AllowCredentials: false,
    });
  });

  it("is the app's cors prop instead when given: nothing of the spec's is merged in", async () => {
    const prop: CorsPreflightOptions = { allowOrigins: ['https://admin.example.org'] };
    expect(await corsConfiguration(await load(declared), prop)).toEqual({
      AllowOrigins: ['https://admin.example.org'],
    });
  });

  it('is absent without x-cors (and without the prop)', async () => {
    expect(await corsConfiguration(await load(undefined))).toBeUndefined();
  });
});
