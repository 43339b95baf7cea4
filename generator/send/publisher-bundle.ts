/**
 * Publishing through the project's own generated publisher, not a re-implementation: a small entry
 * that imports `generated/publishers.ts` (or, for an event the service only receives, the generated
 * runtime's `EventPublisher` with the catalog's definition) is bundled by esbuild, as `cdk deploy`
 * bundles the handlers, and imported. So the envelope, `eventId`, `schemaVersion`, correlation id,
 * validation and retries are exactly what the service's code would publish.
 *
 * The whole dependency graph is inlined (AWS SDK included, resolved from the project's
 * node_modules), so the bundle runs from a temporary folder and is deleted after loading.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message } from 'esbuild';
import type { EventIssue } from './event-issues.js';
import { SendEventError } from './send-error.js';
import type { ClientSettings } from './target.js';

/** How the entry reaches the event's publisher. */
export interface PublisherRoute {
  /** The project's generated folder (absolute). */
  readonly outDir: string;
  /** The event's type name (`OrderPlaced`): the catalog key and `typeName` of the runtime. */
  readonly typeName: string;
  /** The typed publisher method (`orderPlaced`), when the service sends this event. */
  readonly method?: string;
}

export interface PublishRequest {
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Stamped when the metadata has no correlation id (the publisher's `correlationId` option). */
  readonly correlationId: string;
  /** Default: the contract's bus (`defaultEventBusName` of generated/service.ts). */
  readonly eventBusName?: string;
  readonly client: ClientSettings;
}

/** What the bundled publisher did. Nothing was sent unless the status is `sent`. */
export type PublishOutcome =
  | {
      readonly status: 'sent';
      readonly eventId: string;
      /** The id EventBridge assigned to the entry. */
      readonly entryId: string;
      readonly bus: string;
      readonly region: string;
    }
  | { readonly status: 'invalid'; readonly issues: readonly EventIssue[] }
  | { readonly status: 'rejected'; readonly message: string }
  | { readonly status: 'stale'; readonly message: string };

/** A loaded bundle: one call publishes one event. */
export type Publish = (request: PublishRequest) => Promise<PublishOutcome>;

/** Bundles the entry for `route` in `projectRoot` and loads it. */
export async function loadPublisher(projectRoot: string, route: PublisherRoute): Promise<Publish> {
  const esbuild = await import('esbuild');
  const dir = await mkdtemp(join(tmpdir(), 'evtgen-send-'));
  try {
    const file = join(dir, 'send.mjs');
    try {
      await esbuild.build({
        stdin: {
          contents: entrySource(route),
          resolveDir: projectRoot,
          sourcefile: 'evtgen-events-send.ts',
          loader: 'ts',
        },
        outfile: file,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        logLevel: 'silent',
        // CommonJS dependencies call require() for Node built-ins; ESM output needs one to exist.
        banner: {
          js: "import { createRequire as __evtgenRequire } from 'node:module'; const require = __evtgenRequire(import.meta.url);",
        },
      });
    } catch (error) {
      throw bundleError(error, route);
    }
    const loaded: unknown = await import(pathToFileURL(file).href);
    if (!isBundle(loaded)) throw new Error('The publisher bundle does not export publish().');
    return async (request) => toOutcome(await loaded.publish(request));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The entry, as source. Values are written with JSON.stringify (a valid JS literal for any string),
 * paths with forward slashes (esbuild takes those on every platform).
 */
export function entrySource(route: PublisherRoute): string {
  const at = (file: string) => JSON.stringify(`${route.outDir.replace(/\\/g, '/')}/${file}`);
  const typeName = JSON.stringify(route.typeName);
  const imports = [
    "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
    `import { EventPublisher, EventsNotPublishedError, EventTooLargeError, EventValidationError } from ${at('runtime/publisher.ts')};`,
    `import { defaultEventBusName } from ${at('service.ts')};`,
    route.method
      ? `import { createPublishers } from ${at('publishers.ts')};`
      : `import { eventCatalog } from ${at('catalog.ts')};`,
  ];
  // The typed publisher when the service sends the event; else the runtime with the catalog's definition.
  const call = route.method
    ? `const publishers = createPublishers(options);
    const method = publishers[${JSON.stringify(route.method)}];
    if (typeof method !== 'function') return stale('generated/publishers.ts has no publisher ' + ${JSON.stringify(route.method)});
    result = await method(request.data, request.metadata);`
    : `const entry = eventCatalog[${typeName}];
    if (!entry) return stale('generated/catalog.ts has no event ' + ${typeName});
    const definition = { typeName: ${typeName}, source: entry.source, detailType: entry.detailType, validateDetail: entry.validateDetail, correlationIdPath: entry.correlationIdPath, schemaVersion: entry.schemaVersion };
    result = await new EventPublisher([definition], eventBusName, options).publish([{ typeName: ${typeName}, data: request.data, metadata: request.metadata }]);`;
  return `${imports.join('\n')}

const stale = (what) => ({ status: 'stale', message: what + ': generated/ is out of date.' });

export async function publish(request) {
  const client = new EventBridgeClient({ ...request.client, maxAttempts: 1 });
  const eventBusName = request.eventBusName ?? defaultEventBusName;
  const options = { client, eventBusName, correlationId: request.correlationId };
  try {
    let result;
    ${call}
    const published = result.published[0];
    const region = typeof client.config.region === 'function' ? await client.config.region() : client.config.region;
    return { status: 'sent', eventId: published.eventId, entryId: published.eventBridgeId, bus: eventBusName, region: String(region) };
  } catch (error) {
    if (error instanceof EventValidationError)
      return { status: 'invalid', issues: error.issues.map((i) => ({ pointer: i.pointer, message: i.message })) };
    if (error instanceof EventTooLargeError || error instanceof EventsNotPublishedError)
      return { status: 'rejected', message: error.message };
    throw error;
  } finally {
    client.destroy();
  }
}
`;
}

function isBundle(value: unknown): value is { publish: (request: PublishRequest) => Promise<unknown> } {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'publish') === 'function';
}

/** Checks the bundle's answer (it is code of the project's generated folder, not evtgen's own). */
function toOutcome(value: unknown): PublishOutcome {
  const field = (key: string): unknown =>
    typeof value === 'object' && value ? Reflect.get(value, key) : undefined;
  const text = (key: string): string => String(field(key) ?? '');
  switch (field('status')) {
    case 'sent':
      return {
        status: 'sent',
        eventId: text('eventId'),
        entryId: text('entryId'),
        bus: text('bus'),
        region: text('region'),
      };
    case 'invalid': {
      const issues = field('issues');
      return {
        status: 'invalid',
        issues: Array.isArray(issues)
          ? issues.map((i: unknown) => ({
              pointer: String((i as { pointer?: unknown }).pointer ?? ''),
              message: String((i as { message?: unknown }).message ?? 'is invalid'),
            }))
          : [],
      };
    }
    case 'rejected':
    case 'stale':
      return { status: field('status') as 'rejected' | 'stale', message: text('message') };
    default:
      throw new Error(`The publisher bundle answered ${JSON.stringify(value)}.`);
  }
}

/** esbuild's failure as advice: a missing generated file or package says what to run. */
function bundleError(error: unknown, route: PublisherRoute): Error {
  const messages: Message[] =
    typeof error === 'object' && error !== null && Array.isArray(Reflect.get(error, 'errors'))
      ? (Reflect.get(error, 'errors') as Message[])
      : [];
  if (messages.length === 0) return error instanceof Error ? error : new Error(String(error));
  const lines = messages.slice(0, 5).map((m) => {
    const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
    return `${where}${m.text}`;
  });
  const missingPackage = messages.some((m) => /Could not resolve "(?![./])/.test(m.text));
  return new SendEventError(
    'config',
    `Could not bundle the generated publisher of ${route.typeName}:\n  ${lines.join('\n  ')}`,
    [],
    missingPackage
      ? [
          "Install the project's dependencies (npm install): the generated code needs @aws-sdk/client-eventbridge and Powertools.",
        ]
      : ['Run `evtgen generate`: generated/ is missing or out of date.'],
  );
}
