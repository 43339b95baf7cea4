/**
 * `evtgen events send`, the library half: find the event type in the contract, build the event
 * from an example or a file, find where to send it, and publish it through the project's generated
 * publisher (which validates it first: an invalid event is reported and nothing is sent).
 */
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadConfig } from '../config.js';
import { publishedEvents } from '../emit/publishers.js';
import { loadContract } from '../model/build-model.js';
import type { ContractModel, EventType } from '../model/contract.js';
import { buildEventInput, type EventInput } from './event-input.js';
import { issueDiagnostics } from './event-issues.js';
import { findEvent } from './find-event.js';
import { loadPublisher, type PublisherRoute } from './publisher-bundle.js';
import { SendEventError } from './send-error.js';
import { resolveTarget, type SendTarget } from './target.js';

export interface SendEventOptions {
  /** The project folder (holds specs/ and generated/). */
  readonly project: string;
  /** AsyncAPI message name or event type name, any case. */
  readonly messageName: string;
  readonly example?: string;
  readonly file?: string;
  readonly set?: readonly string[];
  readonly endpoint?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly bus?: string;
  /** Where `file` is relative to. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** What was sent, and where. */
export interface SentEvent {
  readonly messageName: string;
  readonly eventId: string;
  readonly bus: string;
  /** The id EventBridge gave the entry. */
  readonly entryId: string;
  readonly typeName: string;
  readonly correlationId?: string;
  /** The emulator's URL; absent for real AWS. */
  readonly endpoint?: string;
  readonly region: string;
  readonly profile?: string;
  /** `example "twoLinesWithNotes"` or `file order.json`. */
  readonly builtFrom: string;
}

/** Sends one event; throws `SendEventError` for everything the user can fix. */
export async function sendEvent(options: SendEventOptions): Promise<SentEvent> {
  const { config, diagnostics } = await loadConfig(options.project);
  if (!config) throw new SendEventError('config', 'The configuration is not usable.', diagnostics);
  const loaded = await loadContract(config.projectRoot, config.specsDir, {
    validate: false,
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model || !loaded.workspace)
    throw new SendEventError('spec', 'The specs do not load: fix the errors above.', loaded.diagnostics);
  const event = findEvent(loaded.model.events, options.messageName);
  const input = await buildEventInput(event, loaded.workspace, options);
  const target = await resolveTarget({ ...options, projectRoot: config.projectRoot });
  // Another service's event goes where its producer publishes it: the bus its consumer's rule is on.
  const receivedOn = event.external
    ? loaded.model.consumers.find((c) => c.bus && c.events.includes(event.names.payload))?.bus
    : undefined;
  const bus = options.bus ?? receivedOn?.arn ?? receivedOn?.name ?? target.bus;
  const route = await publisherRoute(loaded.model, event, config.outDir, config.projectRoot);
  const publish = await loadPublisher(config.projectRoot, route);
  const generatedCorrelationId = randomUUID();
  const outcome = await publish({
    data: input.data,
    ...(input.metadata ? { metadata: input.metadata } : {}),
    correlationId: generatedCorrelationId,
    ...(bus ? { eventBusName: bus } : {}),
    client: target.client,
  });
  switch (outcome.status) {
    case 'sent':
      return {
        messageName: event.messageName,
        eventId: outcome.eventId,
        bus: outcome.bus,
        entryId: outcome.entryId,
        typeName: event.names.payload,
        ...correlationOf(event, input, generatedCorrelationId),
        ...placeOf(target, outcome.region),
        builtFrom: input.origin,
      };
    case 'invalid':
      throw new SendEventError(
        'invalid',
        `The ${event.messageName} event (${input.origin}) does not match its contract: nothing was sent.`,
        issueDiagnostics(event.messageName, input, outcome.issues),
      );
    case 'rejected':
      throw new SendEventError(
        'publish',
        `${event.messageName} was not sent: ${outcome.message}`,
        [],
        hintsFor(target),
      );
    case 'stale':
      throw new SendEventError('config', outcome.message, [], ['Run `evtgen generate`.']);
  }
}

/** The typed publisher when the service sends the event, else the runtime with the catalog entry. */
async function publisherRoute(
  model: ContractModel,
  event: EventType,
  outDir: string,
  projectRoot: string,
): Promise<PublisherRoute> {
  const typed = publishedEvents(model).some((e) => e.messageName === event.messageName);
  const needed = ['runtime/publisher.ts', 'service.ts', typed ? 'publishers.ts' : 'catalog.ts'];
  for (const file of needed) {
    const missing = await access(join(outDir, file)).then(
      () => false,
      () => true,
    );
    if (missing)
      throw new SendEventError(
        'config',
        `${relative(projectRoot, join(outDir, file)).replace(/\\/g, '/')} is missing: the publisher cannot be built.`,
        [],
        ['Run `evtgen generate` first (and `npm install` for the AWS SDK and Powertools it imports).'],
      );
  }
  return { outDir, typeName: event.names.payload, ...(typed ? { method: event.names.value } : {}) };
}

/** The correlation id the event carries: the example's or file's, else the one generated here. */
function correlationOf(event: EventType, input: EventInput, generated: string): { correlationId?: string } {
  const path = event.correlationIdPath;
  if (path?.length !== 2 || path[0] !== 'metadata' || !path[1]) return {};
  const given = input.metadata?.[path[1]];
  return { correlationId: typeof given === 'string' ? given : generated };
}

function placeOf(target: SendTarget, region: string): Pick<SentEvent, 'endpoint' | 'region' | 'profile'> {
  return {
    ...(target.client.endpoint ? { endpoint: target.client.endpoint } : {}),
    region,
    ...(target.client.profile ? { profile: target.client.profile } : {}),
  };
}

function hintsFor(target: SendTarget): string[] {
  if (target.via === 'aws')
    return [
      'Check the profile and region (--region or AWS_REGION), that the credentials are valid (e.g. `aws sso login`),',
      'that the bus exists in that account and region (--bus NAME), and that they may call events:PutEvents.',
    ];
  return [
    `Check that the emulator at ${target.client.endpoint} is running and has the bus (\`evtgen dev\` creates it; --bus NAME picks another).`,
  ];
}
