import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { pullFromAws, pushToAws } from '../../generator/registry/aws.js';
import { registryFindings } from '../../generator/registry/check-registry.js';
import { openProject, RegistryCommandError } from '../../generator/registry/project.js';
import { writePulled } from '../../generator/registry/pulled.js';
import { loadCurrent } from '../../generator/registry/registry.js';
import { repoRoot, runCli, tempProject } from '../helpers/project.js';
import { type SpecShape, setSpec, thingProject } from './fixture.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * A STAND-IN FOR AWS: a loopback HTTP server speaking the EventBridge Schema Registry REST API
 * (restJson1) the SDK calls — CreateSchema (POST), UpdateSchema (PUT), DescribeSchema (GET, with
 * ?schemaVersion=), ListSchemas, ListSchemaVersions — with AWS's status codes and error shapes
 * (`x-amzn-errortype` header, `{Code, Message}` body). It refuses unsigned requests (SigV4 for
 * service `schemas`), so the real SDK client and its real signing are exercised.
 */
interface Version {
  version: string;
  content: string;
  type: string;
  created: string;
}
class SchemaRegistryStandIn {
  readonly registries = new Map<string, Map<string, Version[]>>();
  readonly calls: string[] = [];
  /** Next responses to fail, as [status, AWS error type] (consumed in order). */
  failures: [number, string][] = [];
  url = '';
  private server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': code });
    res.end(JSON.stringify({ Code: code, Message: message }));
  }
  private ok(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const url = new URL(req.url ?? '/', this.url);
    const auth = String(req.headers.authorization ?? '');
    if (
      !/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/[a-z0-9-]+\/schemas\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/.test(
        auth,
      )
    )
      return this.error(res, 403, 'ForbiddenException', 'Missing or malformed SigV4 signature');
    const m = /^\/v1\/registries\/name\/([^/]+)\/schemas(?:\/name\/([^/]+)(\/versions)?)?$/.exec(
      url.pathname,
    );
    const op = `${req.method} ${m?.[3] ? 'versions' : m?.[2] ? 'schema' : 'schemas'}`;
    this.calls.push(`${op}${m?.[2] ? ` ${decodeURIComponent(m[2])}` : ''}`);
    const failure = this.failures.shift();
    if (failure) return this.error(res, failure[0], failure[1], `${failure[1]} from the stand-in`);
    if (!m) return this.error(res, 404, 'NotFoundException', 'Unknown path');
    const registry = this.registries.get(decodeURIComponent(m[1] as string));
    if (!registry) return this.error(res, 404, 'NotFoundException', 'Registry not found');
    const name = m[2] ? decodeURIComponent(m[2]) : undefined;
    const versions = name ? registry.get(name) : undefined;
    const arn = `arn:aws:schemas:us-east-1:123456789012:schema/${m[1]}/${name}`;
    const describe = (v: Version) => ({
      Content: v.content,
      SchemaArn: arn,
      SchemaName: name,
      SchemaVersion: v.version,
      Type: v.type,
      VersionCreatedDate: v.created,
      LastModified: v.created,
    });
    if (op === 'GET schemas')
      return this.ok(res, 200, {
        Schemas: [...registry.entries()].map(([n, vs]) => ({ SchemaName: n, VersionCount: vs.length })),
      });
    if (!name) return this.error(res, 404, 'NotFoundException', 'Unknown path');
    if (req.method === 'POST') {
      if (versions) return this.error(res, 409, 'ConflictException', 'Schema already exists');
      const v = { version: '1', content: body.Content, type: body.Type, created: new Date().toISOString() };
      registry.set(name, [v]);
      return this.ok(res, 201, describe(v));
    }
    if (!versions) return this.error(res, 404, 'NotFoundException', `Schema ${name} not found`);
    if (op === 'GET versions')
      return this.ok(res, 200, {
        SchemaVersions: versions.map((v) => ({ SchemaName: name, SchemaVersion: v.version })),
      });
    if (req.method === 'PUT') {
      const v = {
        version: String(versions.length + 1),
        content: body.Content,
        type: body.Type,
        created: new Date().toISOString(),
      };
      versions.push(v);
      return this.ok(res, 200, describe(v));
    }
    const wanted = url.searchParams.get('schemaVersion');
    const v = wanted ? versions.find((x) => x.version === wanted) : versions.at(-1);
    if (!v) return this.error(res, 404, 'NotFoundException', 'Version not found');
    return this.ok(res, 200, describe(v));
  }
}

const aws = new SchemaRegistryStandIn();
const client = () =>
  new SchemasClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 4,
  });
const base: SpecShape = { properties: { id: '{type: string}' }, required: ['id'], mode: 'backward' };

beforeAll(() => aws.start());
afterAll(() => aws.stop());

describe('AWS sync (against a stand-in for AWS)', () => {
  it('push creates, a second push sends no update, a change updates; pull reads every version', async () => {
    aws.registries.set('things', new Map());
    const dir = await thingProject(base);
    const model = (await loadCurrent(await openProject(dir))).model;
    expect(await pushToAws(model, 'things', { client: client() })).toMatchObject([
      { schemaName: 'test.things@ThingHappened', action: 'created', version: '1' },
    ]);
    aws.calls.length = 0;
    expect(await pushToAws(model, 'things', { client: client() })).toMatchObject([
      { action: 'unchanged', version: '1' },
    ]);
    expect(aws.calls).toEqual(['GET schema test.things@ThingHappened']);
    const stored = aws.registries.get('things')?.get('test.things@ThingHappened')?.[0];
    expect(stored?.type).toBe('JSONSchemaDraft4');
    expect(JSON.parse(stored?.content ?? '{}')['x-amazon-events-detail-type']).toBe('ThingHappened');

    await setSpec(dir, { ...base, properties: { id: '{type: string}', note: '{type: string}' } });
    const changed = (await loadCurrent(await openProject(dir))).model;
    expect(await pushToAws(changed, 'things', { client: client() })).toMatchObject([
      { action: 'updated', version: '2' },
    ]);

    const pulled = await pullFromAws('things', { client: client() });
    expect(pulled).toMatchObject([
      { subject: 'test.things@ThingHappened', versions: [{ version: 1 }, { version: 2 }] },
    ]);
    // check --against registry:aws: the deployed truth. A new required property breaks backward.
    const { config } = await loadConfig(dir);
    if (!config) throw new Error('no config');
    await writePulled(config, pulled);
    await setSpec(dir, {
      ...base,
      properties: { id: '{type: string}', note: '{type: string}' },
      required: ['id', 'note'],
    });
    const snap = await loadCurrent(await openProject(dir));
    const result = await registryFindings(config, snap, 'aws', undefined, 'things');
    expect(result.findings.filter((f) => f.level === 'error').map((f) => f.ruleId)).toContain(
      'property-became-required',
    );
  });

  it('retries throttled calls with backoff; reports not found, access denied and persistent throttling clearly', async () => {
    aws.registries.set('things', new Map());
    const dir = await thingProject(base);
    const model = (await loadCurrent(await openProject(dir))).model;
    aws.failures = [
      [429, 'TooManyRequestsException'],
      [429, 'TooManyRequestsException'],
    ];
    expect(await pushToAws(model, 'things', { client: client() })).toMatchObject([{ action: 'created' }]);
    const failing = async (failures: [number, string][], registry = 'things') => {
      aws.failures = failures;
      const error = await pushToAws(model, registry, { client: client() }).catch((e: unknown) => e);
      aws.failures = [];
      expect(error).toBeInstanceOf(RegistryCommandError);
      return (error as Error).message;
    };
    expect(await failing([], 'missing')).toMatch(/NotFoundException \(HTTP 404\).*does not exist/);
    expect(await failing([[403, 'ForbiddenException']])).toMatch(
      /ForbiddenException \(HTTP 403\).*access denied/,
    );
    expect(
      await failing(Array.from({ length: 4 }, () => [429, 'TooManyRequestsException'] as [number, string])),
    ).toMatch(/TooManyRequestsException \(HTTP 429\).*throttled/);
  }, 30_000);

  it("a consumer pins another service's event from the AWS registry it pulled, and generates from it", async () => {
    aws.registries.set('orders', new Map());
    // The producer (the orders service) pushes its events; the consumer (shipping) pulls them.
    const orders = await tempProject();
    await cp(join(repoRoot, 'specs'), join(orders, 'specs'), { recursive: true });
    const model = (await loadCurrent(await openProject(orders))).model;
    const pushed = await pushToAws(model, 'orders', { client: client() });
    expect(pushed.map((p) => p.schemaName)).toContain('com.example.orders@OrderPlaced');
    const shipping = await tempProject();
    for (const part of ['specs', 'evtgen.config.json'])
      await cp(join(repoRoot, 'examples', 'shipping', part), join(shipping, part), { recursive: true });
    await rm(join(shipping, 'specs', 'external'), { recursive: true });
    const configPath = join(shipping, 'evtgen.config.json');
    await writeFile(
      configPath,
      JSON.stringify({ dependencies: { 'com.example.orders@OrderPlaced': { aws: 'orders' } } }, null, 2),
    );
    const { config } = await loadConfig(shipping);
    if (!config) throw new Error('no config');
    await writePulled(config, await pullFromAws('orders', { client: client() }));

    const updated = await runCli(['deps', 'update'], shipping);
    expect(updated.stderr).toBe('');
    expect(updated.stdout).toContain('com.example.orders@OrderPlaced  pinned v1 (first pin; range latest)');
    const pin = JSON.parse(
      await readFile(join(shipping, 'specs/external/com.example.orders@OrderPlaced.json'), 'utf8'),
    ) as { 'x-evtgen-pin': { from: string; version: number }; definitions: Record<string, unknown> };
    expect(pin['x-evtgen-pin']).toMatchObject({ from: 'aws:orders', version: 1 });
    // Read as draft-07 (AWS keeps draft 4): the pinned payload keeps the producer's required fields.
    expect(JSON.stringify(pin.definitions)).toContain('"notes"');
    const generated = await runCli(['generate'], shipping);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(await readFile(join(shipping, 'generated', 'events', 'models.ts'), 'utf8')).toContain(
      'export interface OrderPlacedPayload',
    );
  }, 60_000);
});
