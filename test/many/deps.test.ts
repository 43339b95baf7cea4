/**
 * `evtgen deps update` / `deps check` as two teams use them: a copy of the orders service (the
 * producer: its specs and registry) and of the shipping service (the consumer: its config, specs and
 * pin) side by side as in this repository, the producer publishing real new versions with
 * `evtgen registry publish`, the consumer updating and checking its pin with the CLI.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempProject } from '../helpers/project.js';

const subject = 'com.example.orders@OrderPlaced';
const pinPath = `specs/external/${subject}.json`;

let root: string;
let orders: string;
let shipping: string;

beforeEach(async () => {
  root = await tempProject();
  orders = root;
  shipping = join(root, 'examples', 'shipping');
  await cp(join(repoRoot, 'specs'), join(orders, 'specs'), { recursive: true });
  // A producer that knows no consumer yet (the consumer-driven tests below publish the reads record).
  await rm(join(orders, 'specs', 'registry', 'readers'), { recursive: true, force: true });
  for (const part of ['specs', 'evtgen.config.json'])
    await cp(join(repoRoot, 'examples', 'shipping', part), join(shipping, part), { recursive: true });
});

/** Edits the producer's AsyncAPI document and publishes what changed. */
async function producerPublishes(edit: (yaml: string) => string): Promise<void> {
  const path = join(orders, 'specs', 'orders.asyncapi.yaml');
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
  const published = await runCli(['registry', 'publish'], orders);
  expect(published.stderr).toBe('');
  expect(published.stdout).toContain(`${subject}  published v3`);
}

/** OrderPlaced loses its required `notes` (and says so in its mode: `none`, so the producer may). */
const dropNotes = (yaml: string) =>
  yaml
    .replace(/\n {8}- notes\n/, '\n')
    .replace(/\n {8}notes:\n(?: {10}.*\n)+/, '\n')
    .replace(/\n {12}notes: .*\n/g, '\n')
    .replace(/( {4}OrderPlaced:\n {6}name: OrderPlaced\n)/, '$1      x-compatibility:\n        mode: none\n');

describe('evtgen deps update', () => {
  it('keeps a pin that is the newest version of its range, writing nothing', async () => {
    const before = await readFile(join(shipping, pinPath), 'utf8');
    const result = await runCli(['deps', 'update'], shipping);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${subject}  pinned v2`);
    expect(await readFile(join(shipping, pinPath), 'utf8')).toBe(before);
  });

  it('accepts a compatible producer change: shows it, then pins the new version', async () => {
    await producerPublishes((yaml) =>
      yaml.replace(
        "description: 'Payload of OrderPlaced (`detail.data`): the order as accepted.'",
        "description: 'Payload of OrderPlaced (`detail.data`): the order as the orders service accepted it.'",
      ),
    );
    const before = await readFile(join(shipping, pinPath), 'utf8');
    const dry = await runCli(['deps', 'update', '--dry-run'], shipping);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`${subject}  would pin v2 → v3 (full: compatible)`);
    // The review diff: nothing an event may contain changed, only documentation.
    expect(dry.stdout).toContain('no change to what events may contain');
    expect(dry.stdout).toMatch(/changed {2}\/definitions\/OrderPlacedPayload\/description\n/);
    expect(await readFile(join(shipping, pinPath), 'utf8')).toBe(before);

    const update = await runCli(['deps', 'update'], shipping);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`${subject}  pinned v2 → v3 (full: compatible)`);
    const pin = JSON.parse(await readFile(join(shipping, pinPath), 'utf8'));
    expect(pin['x-evtgen-pin']).toMatchObject({ subject, version: 3, from: '../../specs/registry' });
    expect(pin.definitions.OrderPlacedPayload.description).toContain('as the orders service accepted it');
    // The consumer generates from the new pin (its generated/ was not copied: a first generate).
    const generated = await runCli(['generate'], shipping);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(await readFile(join(shipping, 'generated', 'catalog.ts'), 'utf8')).toMatch(
      /OrderPlaced[\s\S]*schemaVersion: 3/,
    );
  });

  it('refuses a breaking producer change, naming the consumer and the field, and writes nothing', async () => {
    await producerPublishes(dropNotes);
    const before = await readFile(join(shipping, pinPath), 'utf8');
    const update = await runCli(['deps', 'update'], shipping);
    expect(update.code).toBe(1);
    expect(update.stdout).toContain(`${subject}  refused v2 → v3: incompatible under full`);
    expect(update.stdout).toMatch(
      /error {2}required-property-removed {2}shipping-service: required property notes removed/,
    );
    expect(update.stdout).toContain('Nothing was pinned: shipping-service cannot take these versions');
    expect(await readFile(join(shipping, pinPath), 'utf8')).toBe(before);
  });

  it('a range that stops below the breaking version keeps the consumer where it is', async () => {
    await producerPublishes(dropNotes);
    const config = join(shipping, 'evtgen.config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('">=2"', '"1-2"'));
    const update = await runCli(['deps', 'update'], shipping);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`${subject}  pinned v2 (v3 is outside range 1-2)`);
  });
});

describe('evtgen deps check', () => {
  it("passes while the pin reads the producer's latest version", async () => {
    const result = await runCli(['deps', 'check'], shipping);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${subject}  pinned v2`);
  });

  it('fails when the producer published a version the deployed consumer rejects, whatever the range', async () => {
    await producerPublishes(dropNotes);
    const config = join(shipping, 'evtgen.config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('">=2"', '2'));
    const result = await runCli(['deps', 'check'], shipping);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${subject}  shipping-service cannot read v2 → v3`);
    expect(result.stdout).toMatch(
      /error {2}required-property-removed {2}shipping-service: required property notes removed/,
    );
  });
});

describe('pins are the producer’s versions, verbatim', () => {
  it('a hand-edited pin fails generate with its file and pointer, and deps update refuses to build on it', async () => {
    const path = join(shipping, pinPath);
    const pin = JSON.parse(await readFile(path, 'utf8'));
    pin.definitions.OrderPlacedPayload.required = pin.definitions.OrderPlacedPayload.required.filter(
      (name: string) => name !== 'notes',
    );
    await writeFile(path, `${JSON.stringify(pin, null, 2)}\n`);
    const generated = await runCli(['generate'], shipping);
    expect(generated.code).toBe(1);
    expect(generated.stderr).toMatch(
      new RegExp(`specs/external/${subject}\\.json:\\d+:\\d+ +error +pin-tampered`),
    );
    const update = await runCli(['deps', 'update'], shipping);
    expect(update.code).toBe(1);
    expect(update.stderr).toContain('pin-tampered');
  });

  it('a dependency without a pin is a warning that says how to pin it', async () => {
    const config = join(shipping, 'evtgen.config.json');
    const value = JSON.parse(await readFile(config, 'utf8'));
    value.dependencies['com.example.orders@PaymentFailed'] = { registry: '../../specs/registry' };
    await writeFile(config, JSON.stringify(value));
    const lint = await runCli(['lint'], shipping);
    expect(lint.stdout + lint.stderr).toMatch(
      /warning +deps-unpinned +com\.example\.orders@PaymentFailed is a dependency but has no pin/,
    );
  });

  it('an unknown subject or a missing producer registry is a usage error (exit 2)', async () => {
    const unknown = await runCli(['deps', 'update', 'com.example.orders@Nope'], shipping);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Not a dependency of this project: com.example.orders@Nope');
    const config = join(shipping, 'evtgen.config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('../../specs/registry', '../nowhere'));
    const missing = await runCli(['deps', 'update'], shipping);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "the producer's registry at ../nowhere has no com.example.orders@OrderPlaced.json",
    );
  });
});

describe('consumer-driven checks: the producer knows what its consumers read', () => {
  async function consumerPublishesReads(): Promise<Record<string, unknown>> {
    const published = await runCli(['deps', 'publish-reads'], shipping);
    expect(published.code).toBe(0);
    const record = join(orders, 'specs', 'registry', 'readers', 'shipping-service', `${subject}.json`);
    expect(published.stdout).toContain(`wrote ../../specs/registry/readers/shipping-service/${subject}.json`);
    return JSON.parse(await readFile(record, 'utf8'));
  }

  it('the reads record holds the pinned version and every field it requires', async () => {
    const record = await consumerPublishesReads();
    expect(record).toMatchObject({ consumer: 'shipping-service', subject, version: 2 });
    expect(record.requires).toEqual(
      expect.arrayContaining([
        '/data/notes',
        '/data/shippingAddress/postalCode',
        '/data/lines/*/sku',
        '/metadata/correlationId',
      ]),
    );
    expect(record.requires).not.toContain('/data/salesChannel');
  });

  it('refuses a producer publish that breaks a known consumer, naming it and the field, even under mode none', async () => {
    await consumerPublishesReads();
    const path = join(orders, 'specs', 'orders.asyncapi.yaml');
    await writeFile(path, dropNotes(await readFile(path, 'utf8')));
    const registryFile = join(orders, 'specs', 'registry', `${subject}.json`);
    const before = await readFile(registryFile, 'utf8');
    const publish = await runCli(['registry', 'publish'], orders);
    expect(publish.code).toBe(1);
    expect(publish.stdout).toContain(`${subject}  refused: breaks consumer shipping-service`);
    expect(publish.stdout).toMatch(
      /error {2}required-property-removed {2}consumer shipping-service \(reads v2\): required property notes removed/,
    );
    expect(await readFile(registryFile, 'utf8')).toBe(before);

    // evtgen check says the same in CI, whatever the baseline.
    const check = await runCli(['check', '--against', 'registry'], orders);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(
      /error {2}required-property-removed {2}.*consumer shipping-service \(reads v2\)/,
    );
  });

  it('a change every consumer can read is published as before', async () => {
    await consumerPublishesReads();
    await producerPublishes((yaml) =>
      yaml.replace(
        "description: 'Payload of OrderPlaced (`detail.data`): the order as accepted.'",
        "description: 'Payload of OrderPlaced (`detail.data`): the accepted order.'",
      ),
    );
  });
});
