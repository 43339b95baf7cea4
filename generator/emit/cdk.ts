import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { schemaRegistryName } from '../model/aws-limits.js';
import { consumerQueuePlan, consumerRulePattern } from '../model/consumer-resources.js';
import {
  type Consumer,
  type ContractModel,
  defaultSlo,
  type EventType,
  type HttpOperation,
  type SecurityScheme,
} from '../model/contract.js';
import { toKebabName, toTypeName } from '../model/naming.js';
import { packageRoot } from '../package-root.js';
import type {
  AuthorizerSpec,
  ConsumerSpec,
  EventSpec,
  QueueSpec,
  RouteSpec,
  ServiceContract,
} from '../runtime/cdk-contract-types.js';
import { type GeneratedFile, header, jsDocLine } from './generated-file.js';
import { eventRegistryContent } from './registry-content.js';

/**
 * The CDK constructs (`generator/runtime/cdk-*.ts`, the same for every contract) are copied into
 * `generated/cdk/` without their `cdk-` prefix; `contract.ts` is the data they are built from.
 */
export const cdkModules = [
  'accounts',
  'alarms',
  'bundle-build',
  'bundles',
  'contract-types',
  'functions',
  'outbox',
  'service-api',
  'service-events',
  'service',
] as const;

export interface CdkEmitResult {
  readonly files: GeneratedFile[];
  readonly diagnostics: Diagnostic[];
}

export async function emitCdk(model: ContractModel): Promise<CdkEmitResult> {
  const diagnostics: Diagnostic[] = [];
  const contract = cdkContract(model, diagnostics);
  const dir = join(packageRoot(), 'generator', 'runtime');
  const copied = await Promise.all(
    cdkModules.map(async (name) => ({
      path: `cdk/${name}.ts`,
      content: `${header(model)}\n${(await readFile(join(dir, `cdk-${name}.ts`), 'utf8')).replace(
        /from '\.\/cdk-([a-z-]+)\.js'/g,
        "from './$1.js'",
      )}`,
    })),
  );
  const className = cdkServiceClassName(model);
  const index = [
    header(model),
    "import type { Construct } from 'constructs';",
    "import { contract } from './contract.js';",
    "import { EvtgenService, type EvtgenServiceProps } from './service.js';",
    '',
    "export type { AuthorizerSpec, ConsumerSpec, EventSpec, ForwardSpec, QueueSpec, RouteSpec, ServiceContract, Slo } from './contract-types.js';",
    "export { contract } from './contract.js';",
    "export { AlarmTopic, type AlarmWindow, immediateWindow, latencyWindow, rateWindow } from './alarms.js';",
    "export { alarm, type FunctionDefaults, functionScope, ServiceFunction, type ServiceLayout } from './functions.js';",
    "export { ServiceOutbox, type ServiceOutboxProps } from './outbox.js';",
    "export { type JwtSettings, ServiceApi, type ServiceApiProps } from './service-api.js';",
    "export { type ConsumerResources, ServiceEvents, type ServiceEventsProps, schemaStackCount, schemaStackId } from './service-events.js';",
    "export { EvtgenService, type EvtgenServiceProps } from './service.js';",
    '',
    jsDocLine(
      `${model.service.title || model.service.name} as the specs describe it: API, functions, bus, rules, queues, registry, alarms.`,
    ),
    `export class ${className} extends EvtgenService {`,
    '  constructor(scope: Construct, id: string, props: EvtgenServiceProps = {}) {',
    '    super(scope, id, contract, props);',
    '  }',
    '}',
    '',
  ].join('\n');
  const data = [
    header(model),
    "import type { ServiceContract } from './contract-types.js';",
    '',
    '/** What the constructs build, read from the specs. */',
    `export const contract: ServiceContract = ${JSON.stringify(contract, null, 2)};`,
    '',
  ].join('\n');
  return {
    files: [...copied, { path: 'cdk/contract.ts', content: data }, { path: 'cdk/index.ts', content: index }],
    diagnostics,
  };
}

/** What `emitCdk` reports, without its files: for `evtgen lint` (emit-diagnostics.ts). */
export function cdkDiagnostics(model: ContractModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  cdkContract(model, diagnostics);
  return diagnostics;
}

/** `OrdersService`: the construct the app instantiates. */
export function cdkServiceClassName(model: ContractModel): string {
  const name = toTypeName(model.service.name || 'service');
  return /Service$/.test(name) ? name : `${name}Service`;
}

function cdkContract(model: ContractModel, diagnostics: Diagnostic[]): ServiceContract {
  const schemes = new Map((model.securitySchemes ?? []).map((s) => [s.name, s]));
  const authorizers = new Map<string, AuthorizerSpec>();
  const routes: RouteSpec[] = model.httpOperations.map((op) => {
    const scheme = op.isPublic ? undefined : pickScheme(op, schemes, diagnostics);
    if (scheme) authorizers.set(scheme.scheme, scheme);
    return {
      operationId: op.operationId,
      id: op.name,
      method: op.method.toUpperCase(),
      path: op.path,
      entry: `http/${toKebabName(op.operationId)}.ts`,
      ...(scheme ? { authorizer: scheme.scheme } : {}),
      ...(op.throttling ? { throttling: op.throttling } : {}),
      publishes: op.emits.length > 0,
      slo: op.slo,
    };
  });
  const byPayload = new Map(model.events.map((e) => [e.names.payload, e]));
  const published = new Set([
    ...model.eventOperations.filter((o) => o.action === 'send').flatMap((o) => o.events),
    ...model.httpOperations.flatMap((op) => op.emits),
  ]);
  const events: EventSpec[] = model.events.map((event) => {
    const registry = eventRegistryContent(model, event);
    // Another service's event is registered by its producer: its conversion notes are theirs.
    if (!event.external) for (const note of registry.notes) diagnostics.push(registryNote(event, note));
    const description = event.summary ?? event.title;
    return {
      messageName: event.messageName,
      id: event.names.payload,
      source: event.source,
      detailType: event.detailType,
      schemaName: registry.name,
      schemaContent: JSON.stringify(registry.content),
      ...(description ? { description } : {}),
      published: published.has(event.names.payload),
      ...(event.external
        ? { external: { subject: event.external.subject, version: event.external.version } }
        : {}),
    };
  });
  const consumers = model.consumers.map((c) =>
    consumerSpec(
      c,
      c.events.flatMap((name) => byPayload.get(name) ?? []),
      model.events,
    ),
  );
  return {
    service: model.service,
    registryName: schemaRegistryName(model.service.name),
    metricsNamespace: toTypeName(model.service.title || model.service.name),
    eventBusName: model.eventBusName ?? `${model.service.name}-bus`,
    ...(model.defaultThrottling ? { defaultThrottling: model.defaultThrottling } : {}),
    ...(model.cors ? { cors: model.cors } : {}),
    authorizers: [...authorizers.values()].sort((a, b) =>
      a.scheme < b.scheme ? -1 : a.scheme > b.scheme ? 1 : 0,
    ),
    routes,
    events,
    consumers,
    ...(model.forwards?.length ? { forwards: model.forwards } : {}),
  };
}

function pickScheme(
  op: HttpOperation,
  schemes: ReadonlyMap<string, SecurityScheme>,
  diagnostics: Diagnostic[],
): AuthorizerSpec | undefined {
  const supported = op.security
    .map((name) => ({ name, kind: authorizerKind(schemes.get(name)) }))
    .filter((s): s is { name: string; kind: 'jwt' | 'iam' } => s.kind !== undefined);
  const chosen = supported[0];
  if (!chosen || op.security.length > 1) {
    diagnostics.push({
      severity: 'warning',
      code: 'cdk-authorizer',
      message: chosen
        ? `${op.operationId} accepts ${op.security.join(' or ')}; an HTTP API route has one authorizer: ${chosen.name} is used.`
        : `${op.operationId} requires ${op.security.join(' or ') || 'an undeclared scheme'}, which the HTTP API cannot enforce (JWT and IAM only): the CDK app refuses to synthesize it.`,
      file: op.origin.file,
      position: op.origin.position,
      pointer: op.origin.pointer,
      hint: 'Use an http bearer, oauth2 or openIdConnect scheme (JWT authorizer) or an apiKey scheme with x-amazon-apigateway-authtype: awsSigv4 (IAM).',
    });
  }
  if (!chosen) return { scheme: op.security[0] ?? 'unsupported', id: 'Unsupported', kind: 'unsupported' };
  return { scheme: chosen.name, id: toTypeName(chosen.name), kind: chosen.kind };
}

function authorizerKind(scheme: SecurityScheme | undefined): 'jwt' | 'iam' | undefined {
  if (!scheme) return undefined;
  if (scheme.awsAuthType?.toLowerCase() === 'awssigv4') return 'iam';
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return 'jwt';
  if (scheme.type === 'http' && scheme.scheme === 'bearer') return 'jwt';
  return undefined;
}

function registryNote(event: EventType, note: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'registry-conversion',
    message: `${event.messageName}: the Schema Registry copy (JSON Schema draft 4) is looser than the spec: ${note}`,
    file: event.origin.file,
    position: event.origin.position,
    pointer: event.origin.pointer,
    hint: 'Validation at run time still uses the full schema; only the registry entry cannot express this.',
  };
}

function consumerSpec(
  consumer: Consumer,
  events: readonly EventType[],
  allEvents: readonly EventType[],
): ConsumerSpec {
  const pattern = consumerRulePattern(consumer, events, allEvents);
  const plan = consumerQueuePlan(consumer);
  const { fifo, dlq, redrive } = plan;
  const main = plan.main;
  const queue: QueueSpec = {
    ...(plan.queue ? { name: plan.queue.name } : {}),
    fifo,
    ...(typeof main?.visibilityTimeout === 'number'
      ? { visibilityTimeoutSeconds: main.visibilityTimeout }
      : {}),
    ...(typeof main?.messageRetentionPeriod === 'number'
      ? { retentionSeconds: main.messageRetentionPeriod }
      : {}),
  };
  const dlqFifo = plan.deadLetterQueue?.fifo ?? fifo;
  return {
    name: consumer.name,
    operationId: consumer.operationId,
    id: toTypeName(consumer.name),
    entry: `consumers/${toKebabName(consumer.name)}.ts`,
    delivery: consumer.delivery,
    pattern,
    batchSize: consumer.batchSize,
    maxBatchingWindowSeconds: consumer.maxBatchingWindowSeconds,
    ...(consumer.maxConcurrency !== undefined ? { maxConcurrency: consumer.maxConcurrency } : {}),
    retryAttempts: consumer.retryAttempts,
    maxEventAgeSeconds: consumer.maxEventAgeSeconds,
    timeoutSeconds: consumer.timeoutSeconds,
    ...(consumer.delivery === 'queue'
      ? {
          queue,
          deadLetterQueue: {
            ...(plan.deadLetterQueue ? { name: plan.deadLetterQueue.name } : {}),
            fifo: dlqFifo,
            ...(typeof dlq?.messageRetentionPeriod === 'number'
              ? { retentionSeconds: dlq.messageRetentionPeriod }
              : {}),
            maxReceiveCount: typeof redrive?.maxReceiveCount === 'number' ? redrive.maxReceiveCount : 5,
          },
          ...(fifo ? { messageGroupId: consumer.name } : {}),
        }
      : {}),
    ...(consumer.bus ? { bus: consumer.bus } : {}),
    eventTypes: events.map((e) => e.names.payload),
    slo: { errorRatePercent: defaultSlo.errorRatePercent, ...consumer.slo },
  };
}
