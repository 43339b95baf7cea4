import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chromiumPath, haveChromium, launchChromium } from '../helpers/chromium.js';
import { exampleProject, repoRoot, runCli } from '../helpers/project.js';

/**
 * The built docs in a real browser (Debian's chromium), offline: every request that is not a
 * file:// URL is blocked and recorded, and the test fails if there was one. From the index, every
 * link to an operation or event is followed and its target must be rendered by Redoc.
 */

const artifacts = join(repoRoot, 'test', '.artifacts', 'docs');

// CI must run this suite: a missing browser there is a failure, not a skip.
it.runIf(process.env.CI === 'true')('chromium is installed (CI)', () => {
  expect(existsSync(chromiumPath), `${chromiumPath} is missing: .ci/run installs Debian's chromium`).toBe(
    true,
  );
});

/** A browser context that lets only file:// requests through, recording every other one in `offline`. */
async function offlineContext(browser: Browser, offline: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    offline.push(url);
    return route.abort();
  });
  return context;
}

describe.skipIf(!haveChromium)('evtgen docs in chromium', () => {
  let project: string;
  let browser: Browser;
  let context: BrowserContext;
  const offline: string[] = [];
  const pageErrors: string[] = [];
  const indexUrl = () => pathToFileURL(join(project, 'site', 'index.html')).href;

  beforeAll(async () => {
    project = await exampleProject();
    const built = await runCli(['docs', '--out', 'site'], project);
    expect(built.code, built.stderr).toBe(0);
    browser = await launchChromium();
    context = await offlineContext(browser, offline);
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  /** What the example specs declare: each must be reachable from the index and rendered. */
  async function exampleContract() {
    const read = async (file: string): Promise<unknown> =>
      parse(await readFile(join(repoRoot, 'specs', file), 'utf8'));
    const asyncapi = (await read('orders.asyncapi.yaml')) as {
      components: { messages: Record<string, { name: string; title: string }> };
      operations: Record<string, { title: string }>;
    };
    const openapi = (await read('orders.openapi.yaml')) as {
      paths: Record<string, Record<string, { operationId: string; summary: string }>>;
    };
    const messages = Object.values(asyncapi.components.messages);
    const asyncOperations = Object.entries(asyncapi.operations);
    const paths = openapi.paths;
    const httpOperations = Object.entries(paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ ...op, label: `${method.toUpperCase()} ${path}` })),
    );
    return { messages, asyncOperations, httpOperations };
  }

  /**
   * Follows the index link with this text (and role) and returns the rendered target: Redoc routes
   * with the hash, and the element id is its last part (`#/orders/createorder` → `orders/createorder`).
   */
  async function follow(role: string, linkText: string) {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${linkText}: ${error.message}`));
    await page.goto(indexUrl());
    const link = page
      .locator(`a[data-role="${role}"]`, { hasText: new RegExp(`^${escapeRegExp(linkText)}$`) })
      .first();
    const href = await link.getAttribute('href');
    expect(href, `no ${role} link "${linkText}" in the index`).toMatch(/\.html#\//);
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith('.html') && !url.pathname.endsWith('index.html'));
    const id = (href ?? '').split('#').pop()?.replace(/^\//, '') ?? '';
    const target = page.locator(`[id="${id}"]`);
    await target.waitFor({ state: 'visible', timeout: 15_000 });
    return { page, target };
  }

  it('renders the index with every event and HTTP operation, linking into the Redocly pages', async () => {
    const { messages, httpOperations } = await exampleContract();
    const page = await context.newPage();
    await page.goto(indexUrl());
    for (const message of messages) {
      await expect(page.locator(`a[data-role="event"]`, { hasText: message.name }).count()).resolves.toBe(1);
    }
    for (const op of httpOperations)
      await expect(page.locator('code', { hasText: op.operationId }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(artifacts, 'index.png'), fullPage: true });
    await page.close();
  });

  it('follows each event link to its message, rendered in the AsyncAPI page', async () => {
    const { messages } = await exampleContract();
    for (const message of messages) {
      const { page, target } = await follow('event', message.name);
      await expect(target.textContent()).resolves.toContain(message.title);
      if (message.name === 'OrderPlaced')
        await page.screenshot({ path: join(artifacts, 'asyncapi-message.png') });
      await page.close();
    }
  });

  it('follows each producer and consumer link to its AsyncAPI operation', async () => {
    const { asyncOperations } = await exampleContract();
    for (const [operationId, operation] of asyncOperations) {
      const role = operationId.startsWith('publish') ? 'producer' : 'consumer';
      const { page, target } = await follow(role, operationId);
      await expect(target.textContent()).resolves.toContain(operation.title);
      await page.close();
    }
  });

  it('follows each HTTP operation link to the operation in the OpenAPI page', async () => {
    const { httpOperations } = await exampleContract();
    for (const operation of httpOperations) {
      const { page, target } = await follow('operation', operation.label);
      await expect(target.textContent()).resolves.toContain(operation.summary);
      if (operation.operationId === 'createOrder') {
        await page.screenshot({ path: join(artifacts, 'openapi-operation.png') });
      }
      await page.close();
    }
  });

  it('requested nothing but file:// URLs and raised no script error', () => {
    expect(offline).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!haveChromium)('evtgen docs --service: the system of two services in chromium', () => {
  let project: string;
  let browser: Browser;
  let context: BrowserContext;
  const offline: string[] = [];
  const pageErrors: string[] = [];
  const indexUrl = () => pathToFileURL(join(project, 'site', 'index.html')).href;

  beforeAll(async () => {
    project = await exampleProject();
    const built = await runCli(
      ['docs', '--out', 'site', '--service', join(repoRoot, 'examples', 'shipping')],
      project,
    );
    expect(built.code, built.stderr).toBe(0);
    browser = await launchChromium();
    context = await offlineContext(browser, offline);
    context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('shows every event of both services once, with its owner, versions, producers and consumers', async () => {
    const page = await context.newPage();
    await page.goto(indexUrl());
    await expect(page.locator('#system a[data-role="service"]').allTextContents()).resolves.toEqual([
      'Orders Service',
      'Shipping Service',
    ]);
    const row = (subject: string) => page.locator(`#system tr[id="system-${subject}"]`);
    const cells = async (subject: string) =>
      (await row(subject).locator('td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await expect(page.locator('#system tbody tr').count()).resolves.toBe(4);
    const placed = await cells('com.example.orders@OrderPlaced');
    expect(placed[1]).toBe('orders-service');
    expect(placed[2]).toBe('v1 … v2');
    expect(placed[4]).toContain('shipping-service · dispatchOrder pinned v2');
    const dispatched = await cells('com.example.shipping@ShipmentDispatched');
    expect(dispatched.slice(1, 4)).toEqual([
      'shipping-service',
      'v1',
      'shipping-service · publishShipmentDispatched',
    ]);
    // Both ways: the orders service receives ShipmentDispatched back, at the version it pinned.
    expect(dispatched[4]).toContain('orders-service · recordShipment pinned v1');
    await page.screenshot({ path: join(artifacts, 'system-index.png'), fullPage: true });
    await page.close();
  });

  it("follows the other service's consumer link to its operation, rendered by Redoc in its own folder", async () => {
    const page = await context.newPage();
    await page.goto(indexUrl());
    const link = page.locator('#system a[data-role="system-consumer"]', {
      hasText: 'shipping-service · dispatchOrder',
    });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^services\/shipping-service\/shipping\.asyncapi\.html#\//);
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith('shipping.asyncapi.html'));
    const target = page.locator(`[id="${href.split('#').pop()?.replace(/^\//, '')}"]`);
    await target.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(target.textContent()).resolves.toContain('Dispatch placed orders');
    await page.close();
  });

  it('links each service to its own index, which shows the version shipping pinned', async () => {
    const page = await context.newPage();
    await page.goto(indexUrl());
    await page.locator('#system a[data-role="service"]', { hasText: 'Shipping Service' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('services/shipping-service/index.html'));
    const versions = await page
      .locator('#events tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('a')?.textContent, r.querySelectorAll('td')[2]?.textContent]),
      );
    expect(versions).toEqual([
      ['OrderPlaced', 'v2 (pinned from com.example.orders)'],
      ['ShipmentDispatched', 'v1'],
    ]);
    await page.close();
  });

  it('requested nothing but file:// URLs and raised no script error', () => {
    expect(offline).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
