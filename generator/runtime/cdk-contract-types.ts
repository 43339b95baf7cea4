/**
 * The shape of `contract.ts`: what the CDK constructs need to know about the specs, as plain data.
 * Every `id` is derived from a stable contract name (operationId, message name, consumer name), so
 * reordering a spec never changes a construct id, a logical id, or what CloudFormation replaces.
 */

export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Service level objectives (OpenAPI `x-slo`: the operation's fields over the document's over the
 * architecture's defaults, p99 300 ms and error rate 0.1 %). The alarms are set against them.
 */
export interface Slo {
  /** 99th percentile latency objective, milliseconds. */
  readonly p99Ms: number;
  /** Highest acceptable share of failed requests or events, percent. */
  readonly errorRatePercent: number;
}

/**
 * CORS of the HTTP API, from the OpenAPI document-level `x-cors` with evtgen's defaults applied
 * (the `cors` construct prop replaces it). Lists sorted, header names lower case.
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

/** An OpenAPI security scheme the HTTP API enforces. */
export interface AuthorizerSpec {
  /** The `securitySchemes` key. */
  readonly scheme: string;
  /** PascalCase construct id. */
  readonly id: string;
  /** `jwt`: http bearer / oauth2 / openIdConnect; `iam`: `x-amazon-apigateway-authtype: awsSigv4`. */
  readonly kind: 'jwt' | 'iam' | 'unsupported';
}

/** One OpenAPI operation: one route, one function. */
export interface RouteSpec {
  readonly operationId: string;
  /** PascalCase construct id (`CreateOrder`). */
  readonly id: string;
  /** Upper case (`POST`). */
  readonly method: string;
  /** OpenAPI path (`/orders/{orderId}`): also API Gateway's route path syntax. */
  readonly path: string;
  /** The Lambda entry point, relative to the handlers folder. */
  readonly entry: string;
  /** The security scheme (`undefined` when the operation is public: `security: []`). */
  readonly authorizer?: string;
  readonly throttling?: Throttling;
  /** Whether the handler publishes events (`x-emits`): it gets `EVENT_BUS_NAME` and `PutEvents`. */
  readonly publishes: boolean;
  readonly slo: Slo;
}

/** One AsyncAPI message: an event type with its Schema Registry entry. */
export interface EventSpec {
  readonly messageName: string;
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  /** `{source}@{DetailType}`. */
  readonly schemaName: string;
  /** The registry content (JSON Schema Draft 4, AWSEvent form), as JSON text. */
  readonly schemaContent: string;
  readonly description?: string;
  /** Whether the service publishes it (an AsyncAPI `send` operation or an `x-emits`). */
  readonly published: boolean;
  /**
   * Another service's event (pinned by `evtgen deps update`): received only, and registered in its
   * producer's Schema Registry, not in this service's.
   */
  readonly external?: { readonly subject: string; readonly version: number };
}

/** A queue from the `sqs` binding (or evtgen's defaults when the binding does not name one). */
export interface QueueSpec {
  /** Physical queue name (`.fifo` included for FIFO queues); `undefined`: CloudFormation names it. */
  readonly name?: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds?: number;
  readonly retentionSeconds?: number;
}

export interface ConsumerSpec {
  readonly name: string;
  readonly operationId: string;
  /** PascalCase construct id (`Fulfilment`). */
  readonly id: string;
  readonly entry: string;
  readonly delivery: 'queue' | 'direct';
  /** The EventBridge event pattern: exactly this consumer's messages. */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxConcurrency?: number;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly timeoutSeconds: number;
  /** `delivery: queue` only. */
  readonly queue?: QueueSpec;
  /** The queue's dead-letter queue (`delivery: queue`), with the binding's `maxReceiveCount`. */
  readonly deadLetterQueue?: QueueSpec & { readonly maxReceiveCount: number };
  /** FIFO message group of every event the rule sends (FIFO queues only). */
  readonly messageGroupId?: string;
  /**
   * The bus its rule is on when that is not the service's own (an AsyncAPI channel's
   * `x-eventbridge`): referenced by name or ARN, never created.
   */
  readonly bus?: { readonly name: string; readonly arn?: string };
  /** The `EventSpec.id` of every event type it receives (the `eventType` of its metrics). */
  readonly eventTypes: readonly string[];
  /**
   * The receive operation's `x-slo`: the error rate (default 0.1 %) and, when declared, the p99
   * duration of one invocation (one batch; default: the alarm at 80 % of the timeout).
   */
  readonly slo: { readonly errorRatePercent: number; readonly p99Ms?: number };
}

export interface ServiceContract {
  readonly service: { readonly name: string; readonly title: string; readonly version: string };
  /** PascalCase stem for the metrics namespace and ids. */
  /** The Schema Registry registry: the service name in the characters CreateRegistry accepts. */
  readonly registryName: string;
  readonly metricsNamespace: string;
  readonly eventBusName: string;
  readonly defaultThrottling?: Throttling;
  /** Absent: the API answers no CORS preflight (unless the app passes the `cors` prop). */
  readonly cors?: CorsSettings;
  readonly authorizers: readonly AuthorizerSpec[];
  readonly routes: readonly RouteSpec[];
  readonly events: readonly EventSpec[];
  readonly consumers: readonly ConsumerSpec[];
  /**
   * Consumers in other accounts: each gets a rule on this service's bus forwarding one event type to
   * its bus (from the reads records in the registry store that name a `forwardTo` bus).
   */
  readonly forwards?: readonly ForwardSpec[];
}

/** One event type forwarded to another account's bus. */
export interface ForwardSpec {
  readonly consumer: string;
  readonly subject: string;
  readonly source: string;
  readonly detailType: string;
  readonly eventBusArn: string;
}
