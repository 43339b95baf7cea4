/**
 * The contract model: the one intermediate representation between the spec loaders and every
 * emitter (and, later, the compatibility checker). Emitters read only this; loaders only build it.
 * Everything here is plain data, sorted by name, so emitting from it is deterministic.
 */
import type { SourcePosition } from '../diagnostics.js';

/** Where a model element came from, for diagnostics and documentation links. */
export interface SourceRef {
  /** Project-relative path, POSIX separators. */
  readonly file: string;
  /** JSON pointer inside `file`. */
  readonly pointer: string;
  readonly position: SourcePosition;
}

/** A JSON Schema object as found in a spec (after normalization). */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/**
 * The JSON Schema dialect a schema is validated with: AsyncAPI's default schema format and
 * OpenAPI 3.0 schemas behave as draft-07; OpenAPI 3.1 schemas are 2020-12.
 */
export type SchemaDialect = 'draft-07' | '2020-12';

/**
 * A schema with a name of its own: a `components.schemas` entry or any `$ref` target. References
 * between schemas are rewritten to `#/definitions/<name>`, so `definitions` of one bundle holds them all.
 */
export interface NamedSchema {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly dialect: SchemaDialect;
  readonly origin: SourceRef;
  /** Which kinds of document reach this schema: event models are emitted for `asyncapi` ones. */
  readonly usedBy?: readonly ('asyncapi' | 'openapi')[];
}

/** The names generated for one event type, decided once by the naming pass. */
export interface EventTypeNames {
  /** The payload (EventBridge `detail.data`) type. */
  readonly payload: string;
  /** The headers (EventBridge `detail.metadata`) type, when the message declares headers. */
  readonly metadata?: string;
  /** `{metadata, data}`: the EventBridge `detail`. */
  readonly detail: string;
  /** The whole EventBridge event around the detail. */
  readonly event: string;
  /** camelCase stem for values: `orderPlaced`. */
  readonly value: string;
}

export interface MessageExample {
  readonly name?: string;
  readonly payload?: unknown;
  readonly headers?: unknown;
}

/** An AsyncAPI message: an event type on EventBridge. */
export interface EventType {
  /** The message's name in the spec (components.messages key or channel message key). */
  readonly messageName: string;
  readonly names: EventTypeNames;
  readonly title?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly source: string;
  readonly detailType: string;
  readonly contentType: string;
  /** Always `{$ref: '#/definitions/<names.payload>'}`-free: the payload is a named schema. */
  readonly dialect: SchemaDialect;
  /** Where consumers read the correlation id inside the detail, e.g. ['metadata', 'correlationId']. */
  readonly correlationIdPath?: readonly string[];
  readonly examples: readonly MessageExample[];
  readonly origin: SourceRef;
  /**
   * The evtgen registry version whose schema is exactly this event's current one (set by the
   * pipeline from specs/registry/; absent when the current schema is unpublished).
   */
  readonly registryVersion?: number;
  /**
   * Set for another service's event, pinned in `specs/external/` (`evtgen deps update`): the service
   * receives it and never publishes it, and its schema lives in the producer's registry, not here.
   */
  readonly external?: ExternalEvent;
}

/** Where a pinned external event comes from. */
export interface ExternalEvent {
  /** `{source}@{DetailType}` in the producer's registry. */
  readonly subject: string;
  /** The pinned registry version. */
  readonly version: number;
  /** The producer's store as configured (`../orders/specs/registry`, `aws:<name>`). */
  readonly from: string;
}

/**
 * The EventBridge bus of a channel: the service's own (no `x-eventbridge` on the channel), or another
 * one referenced by name (same account and region) or ARN.
 */
export interface ChannelBus {
  readonly name: string;
  readonly arn?: string;
}

export type OperationAction = 'send' | 'receive';

/** An AsyncAPI operation: the service publishes (`send`) or consumes (`receive`) these events. */
export interface EventOperation {
  readonly operationId: string;
  readonly action: OperationAction;
  readonly channel: {
    readonly name: string;
    readonly address: string | null;
    /** Set when the channel is not the service's own bus (`x-eventbridge` on the channel). */
    readonly bus?: ChannelBus;
  };
  /** Event type names (`EventType.names.payload`), sorted. */
  readonly events: readonly string[];
  readonly summary?: string;
  readonly description?: string;
  readonly origin: SourceRef;
}

/** Consumer settings from `x-consumer` and the official `sqs` operation binding, defaults applied. */
export interface Consumer {
  readonly name: string;
  readonly operationId: string;
  readonly events: readonly string[];
  readonly delivery: 'queue' | 'direct';
  readonly filter?: Readonly<Record<string, unknown>>;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency?: number;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly timeoutSeconds: number;
  readonly idempotencyKey: string;
  /** The `sqs` binding's queues as written (bindingVersion 0.2.0), for the CDK emitter. */
  readonly sqsQueues: readonly Readonly<Record<string, unknown>>[];
  /** The receive operation's `x-slo` (absent: the CDK constructs' defaults for consumers). */
  readonly slo?: Partial<Slo>;
  /** The bus its rule is on when that is not the service's own (the channel's `x-eventbridge`). */
  readonly bus?: ChannelBus;
  readonly origin: SourceRef;
}

/**
 * Service level objectives (`x-slo`) the generated alarms are set against. Defaults from the
 * architecture: warm p99 at most 300 ms, error rate under 0.1 %.
 */
export interface Slo {
  /** 99th percentile latency objective, milliseconds. */
  readonly p99Ms: number;
  /** Highest acceptable share of failed requests or events, percent. */
  readonly errorRatePercent: number;
}

/** The architecture's objectives, for every operation without its own `x-slo`. */
export const defaultSlo: Slo = { p99Ms: 300, errorRatePercent: 0.1 };

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** One parameter location of an operation, as an object schema validators can check at once. */
export interface ParameterSet {
  readonly location: ParameterLocation;
  /** Type and validator name, e.g. `GetOrderPathParams`. */
  readonly name: string;
  /** `{type: 'object', properties, required}` built from the parameters. */
  readonly schema: JsonSchema;
  /** Original names in order (header names lower-cased, as API Gateway delivers them). */
  readonly parameters: readonly string[];
}

export interface HttpResponse {
  readonly status: string;
  /** Type name of the response body, e.g. `CreateOrderResponse201` (when it has content). */
  readonly name?: string;
  /** The JSON media type the body type is taken from. */
  readonly contentType?: string;
  readonly description?: string;
  readonly contentTypes: readonly string[];
  /** The body schema of `contentType` (references point into `#/definitions`), when named. */
  readonly schema?: JsonSchema;
  /** Declared response headers, names lower case (how handlers return them). */
  readonly headers: readonly ResponseHeader[];
}

export interface ResponseHeader {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
}

/** An OpenAPI operation: one route, one handler. */
export interface HttpOperation {
  /** The spec's `operationId`, or one derived from method and path (`operationIdDerived`). */
  readonly operationId: string;
  readonly operationIdDerived?: boolean;
  /** PascalCase stem: `CreateOrder`. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated: boolean;
  readonly parameterSets: readonly ParameterSet[];
  readonly requestBody?: {
    readonly name: string;
    readonly contentType: string;
    readonly required: boolean;
    readonly schema: JsonSchema;
  };
  readonly responses: readonly HttpResponse[];
  /** Security requirement names; `[]` means explicitly public; undefined means the document default. */
  readonly security: readonly string[];
  readonly isPublic: boolean;
  /** Event type names (payload type names) this operation publishes (`x-emits`). */
  readonly emits: readonly string[];
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** The objectives of this route: its `x-slo` over the document's over evtgen's defaults. */
  readonly slo: Slo;
  readonly dialect: SchemaDialect;
  readonly origin: SourceRef;
}

export interface SpecDocument {
  readonly kind: 'asyncapi' | 'openapi';
  readonly file: string;
  readonly specVersion: string;
  readonly title: string;
  readonly version: string;
}

/** The service the specs describe. */
export interface Service {
  /** kebab-case, for resource names: from the first AsyncAPI (else OpenAPI) document's title. */
  readonly name: string;
  readonly title: string;
  readonly version: string;
}

export interface ContractModel {
  readonly service: Service;
  readonly documents: readonly SpecDocument[];
  readonly schemas: readonly NamedSchema[];
  readonly events: readonly EventType[];
  readonly eventOperations: readonly EventOperation[];
  readonly consumers: readonly Consumer[];
  readonly httpOperations: readonly HttpOperation[];
  /** EventBridge bus name per AsyncAPI document default (first document wins; documented). */
  readonly eventBusName?: string;
  /** OpenAPI `components.securitySchemes` of every document, sorted by name (first document wins). */
  readonly securitySchemes?: readonly SecurityScheme[];
  /** The OpenAPI document-level `x-throttling` (the API's default stage throttling). */
  readonly defaultThrottling?: { readonly rateLimit: number; readonly burstLimit: number };
  /** The OpenAPI document-level `x-cors`, defaults applied (absent: no CORS). */
  readonly cors?: CorsSettings;
  /**
   * Consumers in other accounts this service forwards its events to (their reads records in its
   * registry store name their bus: `forwardTo`), sorted by consumer and subject.
   */
  readonly forwards?: readonly EventForward[];
}

/** A forwarding rule on the service's bus: one event type to another account's bus. */
export interface EventForward {
  /** The consumer service (its reads record's folder). */
  readonly consumer: string;
  /** `{source}@{DetailType}`. */
  readonly subject: string;
  readonly source: string;
  readonly detailType: string;
  /** The consumer's bus, in its account: `arn:aws:events:<region>:<account>:event-bus/<name>`. */
  readonly eventBusArn: string;
}

/**
 * CORS of the HTTP API (OpenAPI document-level `x-cors`) with evtgen's defaults applied. Lists are
 * sorted and de-duplicated, header names lower case: their order and case carry no meaning.
 */
export interface CorsSettings {
  readonly allowOrigins: readonly string[];
  /** Upper case; `*` allows any. */
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
  readonly allowCredentials: boolean;
}

/** An OpenAPI security scheme, as far as the CDK emitter needs it. */
export interface SecurityScheme {
  readonly name: string;
  /** `type` as written: `http`, `oauth2`, `openIdConnect`, `apiKey`, `mutualTLS`. */
  readonly type: string;
  /** `http` schemes: `bearer`, `basic`, … (lower case). */
  readonly scheme?: string;
  readonly bearerFormat?: string;
  readonly openIdConnectUrl?: string;
  /** `x-amazon-apigateway-authtype` (e.g. `awsSigv4` for IAM authorization). */
  readonly awsAuthType?: string;
}
