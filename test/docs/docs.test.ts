import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import {
  asyncOperationAnchor,
  channelAnchor,
  httpOperationAnchor,
  messageAnchor,
  redocSlug,
} from '../../generator/docs/anchors.js';
import { buildIndexView, type DocsPage, renderIndexPage } from '../../generator/docs/index-page.js';
import { makeOffline } from '../../generator/docs/redocly.js';
import { registryVersions } from '../../generator/docs/registry-versions.js';
import { loadContract } from '../../generator/model/build-model.js';
import { exampleProject, repoRoot, runCli, snapshotTree, tempProject } from '../helpers/project.js';

const projects: string[] = [];
afterAll(async () => {
  for (const dir of projects) await rm(dir, { recursive: true, force: true });
});

async function example(): Promise<string> {
  const dir = await exampleProject();
  projects.push(dir);
  return dir;
}

describe('evtgen docs (CLI)', () => {
  it('builds the same bytes twice, in different folders, and again in place', async () => {
    const [a, b] = await Promise.all([example(), example()]);
    const [first, second] = await Promise.all([
      runCli(['docs'], a),
      runCli(['docs', '--out', 'out/site'], b),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const built = await snapshotTree(join(a, 'docs-site'));
    expect(Object.keys(built).sort()).toEqual([
      '.evtgen-docs',
      'index.html',
      'orders.asyncapi.html',
      'orders.openapi.html',
    ]);
    expect(await snapshotTree(join(b, 'out', 'site'))).toEqual(built);
    const again = await runCli(['docs'], a);
    expect(again.code, again.stderr).toBe(0);
    expect(await snapshotTree(join(a, 'docs-site'))).toEqual(built);
    // Self-contained and machine-independent: no CDN script, no local path.
    for (const [path, html] of Object.entries(built)) {
      expect(html, path).not.toMatch(/<script[^>]+src=|<link[^>]+href="http|cdn\.redoc\.ly/);
      expect(html, path).not.toContain(a);
    }
    expect(first.stdout).toContain('Docs built: open docs-site/index.html');
  });

  it('--json lists the files; no progress output when not on a TTY', async () => {
    const dir = await example();
    const result = await runCli(['docs', '--json', '--out', 'site'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      diagnostics: [],
      outDir: 'site',
      files: [
        { path: 'index.html', bytes: expect.any(Number) },
        { path: 'orders.asyncapi.html', bytes: expect.any(Number), source: 'specs/orders.asyncapi.yaml' },
        { path: 'orders.openapi.html', bytes: expect.any(Number), source: 'specs/orders.openapi.yaml' },
      ],
    });
  });

  it('refuses output folders it would clobber (exit 2) and leaves them untouched', async () => {
    const dir = await example();
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'notes', 'todo.txt'), 'mine');
    for (const out of ['notes', '.', 'specs', 'generated', 'specs/site']) {
      const result = await runCli(['docs', '--out', out, '--json'], dir);
      expect(result.code, out).toBe(2);
      const json = JSON.parse(result.stdout) as { diagnostics: { code: string }[] };
      expect(json.diagnostics.map((d) => d.code)).toEqual(['docs-out-refused']);
    }
    expect(await readFile(join(dir, 'notes', 'todo.txt'), 'utf8')).toBe('mine');
  });

  it('builds nothing from an invalid spec and keeps the previous docs', async () => {
    const dir = await example();
    expect((await runCli(['docs', '--out', 'site'], dir)).code).toBe(0);
    const before = await snapshotTree(join(dir, 'site'));
    const spec = join(dir, 'specs', 'orders.asyncapi.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('action: send', 'action: publish'));
    const result = await runCli(['docs', '--out', 'site'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/specs\/orders\.asyncapi\.yaml:\d+:\d+ {2}error {2}asyncapi\//);
    expect(result.stderr).toContain('Docs not built; site/ is unchanged.');
    expect(await snapshotTree(join(dir, 'site'))).toEqual(before);
  });
});

describe('the index page', () => {
  it('escapes every piece of spec text (no HTML injection from specs)', async () => {
    const dir = await tempProject();
    projects.push(dir);
    await cp(join(repoRoot, 'test', 'bad-input', 'fixtures', 'valid'), dir, { recursive: true });
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\'&';
    for (const file of ['orders.asyncapi.yaml', 'orders.openapi.yaml']) {
      const path = join(dir, 'specs', file);
      const text = (await readFile(path, 'utf8'))
        .replace(/title: Orders (Service|API)/, `title: ${JSON.stringify(evil)}`)
        .replace('summary: A customer placed an order.', `summary: ${JSON.stringify(evil)}`)
        .replace('summary: Place an order.', `summary: ${JSON.stringify(evil)}`)
        .replace('detailType: OrderPlaced', `detailType: ${JSON.stringify(`OrderPlaced${evil}`)}`);
      await writeFile(path, text);
    }
    const loaded = await loadContract(dir, join(dir, 'specs'), { validate: false });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = loaded.model;
    if (!model) throw new Error('no model');
    const pages: DocsPage[] = model.documents.map((d) => ({
      kind: d.kind,
      source: d.file,
      href: `${d.kind}<"&>.html`,
      title: d.title,
      version: d.version,
      document: {},
    }));
    const html = renderIndexPage(buildIndexView(model, pages, () => '<b>v1</b>'));
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(2\)>/);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&amp;',
    );
    expect(html).toContain('href="asyncapi&lt;&quot;&amp;&gt;.html');
    expect(html).toContain('&lt;b&gt;v1&lt;/b&gt;');
    // The only tags are evtgen's own.
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)[\s>]/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(
      [
        'a',
        'body',
        'br',
        'code',
        'footer',
        'h1',
        'h2',
        'head',
        'header',
        'html',
        'li',
        'main',
        'meta',
        'p',
        'section',
        'span',
        'style',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'title',
        'tr',
        'ul',
      ].sort(),
    );
  });

  it('shows the registry version from the hook, else "unversioned" with the spec version', async () => {
    const dir = await example();
    const { model } = await loadContract(dir, join(dir, 'specs'), { validate: false });
    if (!model) throw new Error('no model');
    const pages: DocsPage[] = [];
    const unversioned = buildIndexView(model, pages);
    expect(unversioned.events.map((e) => [e.name, e.registryVersion])).toEqual([
      ['OrderPlaced', undefined],
      ['OrderShipped', undefined],
      ['PaymentFailed', undefined],
      ['ShipmentDispatched', undefined],
    ]);
    expect(renderIndexPage(unversioned)).toContain('unversioned');
    const versioned = buildIndexView(model, pages, (e) =>
      e.messageName === 'OrderPlaced' ? 'v3' : undefined,
    );
    expect(versioned.events[0]?.registryVersion).toBe('v3');
    expect(versioned.events[0]?.producers.map((p) => p.label)).toEqual([
      'publishOrderPlaced',
      'POST /orders',
    ]);
    expect(versioned.events[0]?.consumers.map((p) => p.label)).toEqual(['auditOrderEvents', 'fulfilOrder']);
  });

  it('reads the versions from the registry store: current, newer, unpublished change, pinned', async () => {
    const dir = await example();
    const config = (await loadConfig(dir)).config;
    if (!config) throw new Error('no config');
    const load = async () => (await loadContract(dir, join(dir, 'specs'), { validate: false })).model;
    const model = await load();
    if (!model) throw new Error('no model');
    const lookup = await registryVersions(config, model);
    // The example's registry: OrderPlaced at v2, OrderShipped at v3, PaymentFailed at v2.
    expect(model.events.map((e) => [e.messageName, lookup(e)])).toEqual([
      ['OrderPlaced', 'v2'],
      ['OrderShipped', 'v3'],
      ['PaymentFailed', 'v2'],
      // The shipping service's event, received here: the version this service pinned.
      ['ShipmentDispatched', 'v1 (pinned from com.example.shipping)'],
    ]);
    // An unpublished change to OrderPlaced: the index says so instead of an old number.
    const spec = join(dir, 'specs', 'orders.asyncapi.yaml');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace('          maxLength: 500\n', '          maxLength: 400\n'),
    );
    const changed = await load();
    if (!changed) throw new Error('no model');
    const after = await registryVersions(config, changed);
    expect(changed.events.map((e) => after(e))).toEqual([
      'changed since v2',
      'v3',
      'v2',
      'v1 (pinned from com.example.shipping)',
    ]);
    // Another service's event shows the version its consumer pinned.
    const shipping = join(repoRoot, 'examples', 'shipping');
    const shippingConfig = (await loadConfig(shipping)).config;
    const shippingModel = (await loadContract(shipping, join(shipping, 'specs'), { validate: false })).model;
    if (!shippingConfig || !shippingModel) throw new Error('no shipping model');
    const pinned = await registryVersions(shippingConfig, shippingModel);
    expect(shippingModel.events.map((e) => [e.messageName, pinned(e)])).toEqual([
      ['OrderPlaced', 'v2 (pinned from com.example.orders)'],
      ['ShipmentDispatched', 'v1'],
    ]);
  });
});

describe("anchors into Redoc's pages", () => {
  it("slugs tag names as Redoc's slugify does", () => {
    expect(redocSlug('Order Management & Co')).toBe('order-management-and-co');
    expect(redocSlug('orders')).toBe('orders');
    expect(redocSlug('  Café -- Bar  ')).toBe('cafe-bar');
    expect(redocSlug('a$b|c')).toBe('adollarborc');
  });

  it('routes HTTP operations under their first tag, untagged ones under "other"', () => {
    const document = {
      paths: {
        '/a': { get: { operationId: 'Get_Order.v2-X' } },
        '/b': { post: { operationId: 'twoTags', tags: ['second', 'Order Management & Co'] } },
      },
    };
    expect(httpOperationAnchor(document, '/paths/~1a/get', 'Get_Order.v2-X')).toBe('#/other/get_order.v2-x');
    expect(httpOperationAnchor(document, '/paths/~1b/post', 'twoTags')).toBe('#/second/twotags');
  });

  it('routes AsyncAPI channels (tagged or not), their operations and messages', () => {
    const document = {
      channels: {
        'Bus.Main': { messages: { Order_Placed: { $ref: '#/components/messages/OrderPlaced' } } },
        tagged: { tags: [{ name: 'My Tag' }], messages: { Other: { $ref: './common.yaml#/Other' } } },
      },
    };
    expect(channelAnchor(document, 'Bus.Main')).toBe('#/channels/bus.main');
    expect(channelAnchor(document, 'tagged')).toBe('#/my-tag/channels/tagged');
    expect(asyncOperationAnchor(document, 'tagged', 'Receive_It')).toBe(
      '#/my-tag/channels/tagged/operations/receive_it',
    );
    expect(messageAnchor(document, 'specs/a.yaml', 'specs/a.yaml', '/components/messages/OrderPlaced')).toBe(
      '#/channels/bus.main#channels/bus.main/messages&m=order_placed',
    );
    expect(messageAnchor(document, 'specs/a.yaml', 'specs/common.yaml', '/Other')).toBe(
      '#/my-tag/channels/tagged#my-tag/channels/tagged/messages&m=other',
    );
    expect(
      messageAnchor(document, 'specs/a.yaml', 'specs/a.yaml', '/components/messages/Unused'),
    ).toBeUndefined();
  });

  it("replaces the Redocly logo's CDN URLs with inline images", () => {
    const page =
      '<img src="https://cdn.redoc.ly/redoc/logo-mini-full.svg"><img src="https://cdn.redoc.ly/redoc/logo-mini.svg">';
    const offline = makeOffline(page);
    expect(offline).not.toContain('cdn.redoc.ly');
    expect(offline.match(/data:image\/svg\+xml,/g)).toHaveLength(2);
  });
});
