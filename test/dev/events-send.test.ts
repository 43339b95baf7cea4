/**
 * `evtgen events send` end to end: the built CLI as a child process publishes to moto's server (a
 * real EventBridge API), a rule routes the event into an SQS queue, and the test reads what arrived:
 * the envelope the generated publisher makes, the example's data, the printed ids. Bad input is
 * checked the same way: a non-zero exit, the position of the bad value, and an empty queue.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publishedEventDefinitions } from '../../generated/publishers.js';
import { type MotoServer, motoInstallHint, startMotoServer } from '../../generator/dev/moto-server.js';
import {
  type Clients,
  clients,
  createQueuePair,
  type QueuePair,
  receiveAll,
  routeToQueue,
} from '../helpers/flow.js';
import { motoAvailable } from '../helpers/moto.js';
import { type CliResult, repoRoot, runCli, tempProject } from '../helpers/project.js';

const haveMoto = motoAvailable;

interface Example {
  readonly name: string;
  readonly headers: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

/** Envelope of an EventBridge event delivered to SQS, as far as these tests read it. */
interface Delivered {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: {
    readonly data: unknown;
    readonly metadata: Record<string, unknown>;
    readonly eventId: string;
    readonly schemaVersion?: number;
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let moto: MotoServer;
let aws: Clients;
/** bus name → the queue its catch-all rule delivers to. */
const queues: Record<string, QueuePair> = {};
let examples: Record<string, readonly Example[]>;
let files: string;

describe.skipIf(!haveMoto)(`evtgen events send${haveMoto ? '' : ` (skipped: ${motoInstallHint})`}`, () => {
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    moto = await startMotoServer();
    aws = clients(moto.endpoint);
    for (const bus of ['orders-bus', 'other-bus', 'dev-bus', 'shipping-bus']) {
      queues[bus] = await createQueuePair(aws.sqs, `${bus}-events`);
      const source = bus === 'shipping-bus' ? 'com.example.shipping' : 'com.example.orders';
      await routeToQueue(aws.events, bus, `${bus}-all`, { source: [source] }, queues[bus]);
    }
    const spec = parse(await readFile(join(repoRoot, 'specs/orders.asyncapi.yaml'), 'utf8')) as {
      components: { messages: Record<string, { examples: Example[] }> };
    };
    examples = Object.fromEntries(
      Object.entries(spec.components.messages).map(([name, message]) => [name, message.examples]),
    );
    files = await tempProject();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  const send = (args: readonly string[], cwd = repoRoot): Promise<CliResult> =>
    runCli(['events', 'send', ...args], cwd);

  it('publishes the first example through the generated publisher', async () => {
    const result = await send(['OrderPlaced', '--endpoint', moto.endpoint]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = /^sent OrderPlaced (\S+) to orders-bus \((\S+)\)\n$/.exec(result.stdout);
    expect(printed?.[2]).toBe(moto.endpoint);
    const [event] = await deliveries('orders-bus', 1);
    const example = exampleOf('OrderPlaced', 0);
    expect(event?.source).toBe('com.example.orders');
    expect(event?.['detail-type']).toBe('OrderPlaced');
    expect(event?.detail.data).toEqual(example.payload);
    expect(event?.detail.metadata).toEqual(example.headers);
    expect(event?.detail.eventId).toBe(printed?.[1]);
    expect(event?.detail.eventId).toMatch(uuid);
    const definition = publishedEventDefinitions.find((d) => d.typeName === 'OrderPlaced');
    expect(event?.detail.schemaVersion).toBe(definition?.schemaVersion);
  });

  it('reads {data, metadata} from --file, generates the missing correlation id, and prints --json', async () => {
    const example = exampleOf('PaymentFailed', 0);
    const { correlationId: _, ...metadata } = example.headers;
    const data = { ...example.payload, attempt: 3 };
    const file = join(files, 'payment-failed.json');
    await writeFile(file, JSON.stringify({ data, metadata }, null, 2));
    const result = await send(['paymentfailed', '--file', file, '--endpoint', moto.endpoint, '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(out).toMatchObject({ ok: true, messageName: 'PaymentFailed', bus: 'orders-bus' });
    const [event] = await deliveries('orders-bus', 1);
    expect(event?.detail.data).toEqual(data);
    expect(event?.detail.eventId).toBe(out.eventId);
    expect(event?.id).toBe(out.entryId);
    expect(out.correlationId).toMatch(uuid);
    expect(out.correlationId).not.toBe(example.headers.correlationId);
    expect(event?.detail.metadata).toEqual({ ...metadata, correlationId: out.correlationId });
  });

  it('takes a bare payload file, the named example, --set and --bus', async () => {
    const example = exampleOf('OrderPlaced', 1);
    const file = join(files, 'order.json');
    await writeFile(file, JSON.stringify(example.payload));
    const result = await send([
      'OrderPlaced',
      '--file',
      file,
      '--example',
      'phoneOrderWithoutEmail',
      '--set',
      'data.notes=Ring twice',
      '--set',
      'data.lines.0.quantity=4',
      '--bus',
      'other-bus',
      '--endpoint',
      moto.endpoint,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sent OrderPlaced \S+ to other-bus /);
    const [event] = await deliveries('other-bus', 1);
    const lines = (example.payload.lines as Record<string, unknown>[]).map((line, i) =>
      i === 0 ? { ...line, quantity: 4 } : line,
    );
    expect(event?.detail.data).toEqual({ ...example.payload, notes: 'Ring twice', lines });
    expect(event?.detail.metadata).toEqual(example.headers);
  });

  it('refuses an invalid event with the pointer and its position, and sends nothing', async () => {
    const example = exampleOf('OrderPlaced', 0);
    const data = structuredClone(example.payload) as { lines: { quantity: number }[] };
    const line = data.lines[0];
    if (line) line.quantity = 0;
    const file = join(files, 'invalid.json');
    const text = JSON.stringify({ data }, null, 2);
    await writeFile(file, text);
    const result = await send(['OrderPlaced', '--file', file, '--endpoint', moto.endpoint]);
    expect(result.code).toBe(1);
    const row = text.split('\n').findIndex((l) => l.includes('"quantity": 0')) + 1;
    expect(result.stderr).toContain(
      `${file}:${row}:9  error  event-invalid  OrderPlaced /data/lines/0/quantity must be >= 1.`,
    );
    expect(result.stderr).toContain('nothing was sent');
    expect(await deliveries('orders-bus', 0)).toEqual([]);
  });

  it('reports malformed JSON at its line and column', async () => {
    const file = join(files, 'broken.json');
    await writeFile(file, '{\n  "data": {\n    "orderId": "x"\n    "status": "placed"\n  }\n}\n');
    const result = await send(['OrderPlaced', '--file', file, '--endpoint', moto.endpoint]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${file}:4:5  error  yaml-syntax  `));
    expect(await deliveries('orders-bus', 0)).toEqual([]);
  });

  it('answers an unknown message with exit 2, the closest name and the known ones', async () => {
    const result = await send(['OrderPlacd', '--endpoint', moto.endpoint]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown message "OrderPlacd".');
    expect(result.stderr).toContain('Did you mean OrderPlaced?');
    expect(result.stderr).toContain(
      'Known messages: OrderPlaced, OrderShipped, PaymentFailed, ShipmentDispatched.',
    );
  });

  it('answers an unknown example with exit 2 and the examples there are', async () => {
    const result = await send(['OrderPlaced', '--example', '3', '--endpoint', moto.endpoint]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Examples of OrderPlaced: 1 twoLinesWithNotes, 2 phoneOrderWithoutEmail.',
    );
  });

  describe('without --endpoint or --profile', () => {
    let project: string;
    let stateFile: string;

    beforeAll(async () => {
      project = await copyProject(['specs', 'generated']);
      stateFile = join(project, '.evtgen/dev/state.json');
    });

    it('stops with exit 2 and says what to do when evtgen dev is not running', async () => {
      const result = await send(['OrderPlaced'], project);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('evtgen dev is not running here (no .evtgen/dev/state.json)');
      expect(result.stderr).toContain('--endpoint URL');
    });

    it('finds the running evtgen dev through its state file and sends to its bus', async () => {
      await mkdir(join(project, '.evtgen/dev'), { recursive: true });
      // This test's own process stands in for evtgen dev: it is alive while the command runs.
      const state = {
        endpoint: moto.endpoint,
        region: 'us-east-1',
        eventBusName: 'dev-bus',
        pid: process.pid,
      };
      await writeFile(stateFile, JSON.stringify(state));
      const result = await send(['OrderShipped'], project);
      expect(result.code).toBe(0);
      const printed = /^sent OrderShipped (\S+) to dev-bus \((\S+)\)\n$/.exec(result.stdout);
      expect(printed?.[2]).toBe(moto.endpoint);
      const [event] = await deliveries('dev-bus', 1);
      expect(event?.detail.eventId).toBe(printed?.[1]);
      expect(event?.detail.data).toEqual(exampleOf('OrderShipped', 0).payload);
    });

    it('does not use the state file of an evtgen dev that has exited', async () => {
      const exited = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
      await writeFile(
        stateFile,
        JSON.stringify({
          endpoint: moto.endpoint,
          region: 'us-east-1',
          eventBusName: 'dev-bus',
          pid: exited,
        }),
      );
      const result = await send(['OrderShipped'], project);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`names process ${exited}, which has exited`);
      expect(await deliveries('dev-bus', 0)).toEqual([]);
    });
  });

  it('sends an event the service only receives with the generated runtime and the catalog', async () => {
    const project = await copyProject(['specs']);
    const specFile = join(project, 'specs/orders.asyncapi.yaml');
    const spec = await readFile(specFile, 'utf8');
    const from = spec.indexOf('  publishOrderShipped:');
    await writeFile(specFile, spec.slice(0, from) + spec.slice(spec.indexOf('  publishPaymentFailed:')));
    const generated = await runCli(['generate', '--quiet'], project);
    expect(generated.code, generated.stderr).toBe(0);
    expect(await readFile(join(project, 'generated/publishers.ts'), 'utf8')).not.toContain('orderShipped(');
    const result = await send(['OrderShipped', '--endpoint', moto.endpoint], project);
    expect(result.code, result.stderr).toBe(0);
    const [event] = await deliveries('orders-bus', 1);
    expect(event?.['detail-type']).toBe('OrderShipped');
    expect(event?.detail.eventId).toBe(/^sent OrderShipped (\S+)/.exec(result.stdout)?.[1]);
    expect(event?.detail.schemaVersion).toBe(3);
  });

  it("sends another service's event (pinned) to the bus its consumer's rule is on", async () => {
    const project = await copyProject(['specs', 'generated', 'evtgen.config.json']);
    // A pin carries the producer's schema, not its examples: the event comes from a file.
    const shipping = parse(
      await readFile(join(repoRoot, 'examples/shipping/specs/shipping.asyncapi.yaml'), 'utf8'),
    ) as { components: { messages: Record<string, { examples: Example[] }> } };
    const example = shipping.components.messages.ShipmentDispatched?.examples[0];
    const file = join(files, 'shipment.json');
    await writeFile(file, JSON.stringify({ data: example?.payload, metadata: example?.headers }));
    const result = await send(['ShipmentDispatched', '--file', file, '--endpoint', moto.endpoint], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^sent ShipmentDispatched \S+ to shipping-bus /);
    const [event] = await deliveries('shipping-bus', 1);
    expect(event?.source).toBe('com.example.shipping');
    expect(event?.['detail-type']).toBe('ShipmentDispatched');
    // The version this service pinned, as its consumer validates it.
    expect(event?.detail.schemaVersion).toBe(1);
    expect(await deliveries('orders-bus', 0)).toEqual([]);
  });
});

/** Example `index` of a message of the example spec. */
function exampleOf(message: string, index: number): Example {
  const example = examples[message]?.[index];
  if (!example) throw new Error(`specs/orders.asyncapi.yaml has no example ${index} of ${message}`);
  return example;
}

/** A temporary project with copies of `dirs` and the repository's dependencies (a symlink). */
async function copyProject(dirs: readonly string[]): Promise<string> {
  const dir = await tempProject();
  for (const d of dirs) await cp(join(repoRoot, d), join(dir, d), { recursive: true });
  await symlink(await realpath(join(repoRoot, 'node_modules')), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Waits for `count` events on the bus's queue (or, for 0, makes sure none arrives within two
 * seconds), deletes what arrived, and returns the envelopes.
 */
async function deliveries(bus: string, count: number): Promise<Delivered[]> {
  const queue = queues[bus];
  if (!queue) throw new Error(`no queue for ${bus}`);
  const messages: Message[] = [];
  const deadline = Date.now() + (count === 0 ? 2_000 : 15_000);
  while (Date.now() < deadline && (count === 0 || messages.length < count)) {
    messages.push(...(await receiveAll(aws.sqs, queue.url, 1)));
  }
  if (messages.length > 0)
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  return messages.map((m) => JSON.parse(m.Body ?? '{}') as Delivered);
}
