/**
 * What `evtgen dev` runs, read from the synthesized CloudFormation template of the user's CDK app
 * (the same source as the deploy, so local and deployed cannot drift). Resources are named by their
 * logical ids; values that CloudFormation resolves at deploy time (`Ref`, `Fn::GetAtt`, `Fn::Join`…)
 * stay as template values until provisioning has created the resources they point at
 * (see intrinsics.ts).
 */

/** A template value: a string, number, boolean, list, map or an intrinsic function object. */
export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | readonly TemplateValue[]
  | { readonly [key: string]: TemplateValue };

/** One Lambda function, run locally from its source entry point. */
export interface DevFunction {
  readonly logicalId: string;
  /** The contract's name: operationId, consumer name or `outboxRelay` (Metadata `evtgen:function`). */
  readonly name: string;
  /** The physical function name used in logs, ARNs and `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly functionName: string;
  /** The handler's source file, relative to the project root (posix separators). */
  readonly entry: string;
  /** The exported function that handles an invocation (`handler` of `index.handler`). */
  readonly handlerExport: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The function's environment as the template declares it (values may be intrinsics). */
  readonly environment: Readonly<Record<string, TemplateValue>>;
}

export interface DevQueue {
  readonly logicalId: string;
  /** `QueueName` of the template, or a name derived from the stack and logical id. */
  readonly queueName: string;
  readonly fifo: boolean;
  /** SQS attributes to create the queue with, except `RedrivePolicy` (set once the DLQ exists). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number };
}

export interface DevTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly keySchema: readonly { readonly AttributeName: string; readonly KeyType: 'HASH' | 'RANGE' }[];
  readonly attributeDefinitions: readonly {
    readonly AttributeName: string;
    readonly AttributeType: 'S' | 'N' | 'B';
  }[];
  readonly globalSecondaryIndexes?: readonly TemplateValue[];
  readonly localSecondaryIndexes?: readonly TemplateValue[];
  /** `StreamViewType` when the table has a stream. */
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  readonly timeToLiveAttribute?: string;
}

export interface DevBus {
  /** The logical id of the template's bus; the bus name itself for a foreign bus. */
  readonly logicalId: string;
  readonly busName: string;
  /**
   * Another service's bus, which the template references by name or ARN to put a rule on it (a
   * consumer of that service's events): `evtgen dev` creates it when it is missing, so the rule can
   * be put and events sent to it, and never deletes it.
   */
  readonly foreign?: true;
}

/** Where a rule delivers: a queue, or a function invoked asynchronously. */
export interface DevRuleTarget {
  readonly id: string;
  readonly kind: 'queue' | 'function';
  /** The logical id of the queue or function. */
  readonly resource: string;
  /** The target's own dead-letter queue (events EventBridge could not deliver). */
  readonly deadLetterQueue?: string;
  readonly retryPolicy?: {
    readonly maximumRetryAttempts?: number;
    readonly maximumEventAgeInSeconds?: number;
  };
  /** `SqsParameters.MessageGroupId` of a FIFO queue target. */
  readonly messageGroupId?: string;
  readonly inputPath?: string;
  /** `Input`: constant JSON text delivered instead of the event. */
  readonly input?: string;
  /** `InputTransformer`: the event reshaped before delivery. */
  readonly inputTransformer?: {
    readonly inputPathsMap?: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
  };
}

export interface DevRule {
  readonly logicalId: string;
  readonly ruleName: string;
  /** The logical id of a DevBus (a foreign bus's name), or `default` (the account's default bus). */
  readonly bus: string;
  /** The exact generated pattern, as JSON text. */
  readonly eventPattern: string;
  readonly enabled: boolean;
  readonly targets: readonly DevRuleTarget[];
}

/** An SQS event source mapping. */
export interface DevQueueSource {
  readonly logicalId: string;
  readonly function: string;
  readonly queue: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency?: number;
  readonly reportBatchItemFailures: boolean;
  /** `FilterCriteria.Filters[].Pattern` (JSON text): records that match none are deleted unprocessed. */
  readonly filterPatterns?: readonly string[];
}

/** A DynamoDB stream event source mapping (the outbox relay). */
export interface DevStreamSource {
  readonly logicalId: string;
  readonly function: string;
  readonly table: string;
  readonly batchSize: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** `FilterCriteria.Filters[].Pattern` (EventBridge pattern syntax, JSON text). */
  readonly filterPatterns: readonly string[];
  readonly maximumRetryAttempts?: number;
  readonly maximumRecordAgeInSeconds?: number;
  /** The on-failure destination queue (logical id). */
  readonly onFailureQueue?: string;
  /** `MaximumBatchingWindowInSeconds` (Lambda's default: 0). */
  readonly maximumBatchingWindowSeconds?: number;
}

/** Lambda's asynchronous invocation settings (`AWS::Lambda::EventInvokeConfig`). */
export interface DevAsyncInvokeConfig {
  readonly function: string;
  /** Lambda's default is 2. */
  readonly maximumRetryAttempts: number;
  /** Lambda's default is 6 hours. */
  readonly maximumEventAgeInSeconds: number;
  readonly onFailureQueue?: string;
  /** The on-success destination queue (logical id). */
  readonly onSuccessQueue?: string;
}

export type DevRouteAuthorization =
  | { readonly type: 'NONE' }
  | { readonly type: 'AWS_IAM' }
  | {
      readonly type: 'JWT';
      readonly scopes: readonly string[];
      readonly issuer?: string;
      readonly audience: readonly string[];
      /** The issuer as the template gives it when it is not a literal (resolve with intrinsics.ts). */
      readonly issuerValue?: TemplateValue;
      /** The audience as the template gives it when it is not a list of literals. */
      readonly audienceValue?: TemplateValue;
    };

export interface DevRoute {
  /** `POST /orders`, `GET /orders/{orderId}`, `$default`. */
  readonly routeKey: string;
  /** `POST`, `ANY`…; `ANY` for `$default`. */
  readonly method: string;
  /** `/orders/{orderId}`; `$default` for `$default` (what no other route matches). */
  readonly path: string;
  /** The logical id of the HTTP API (`AWS::ApiGatewayV2::Api`) the route belongs to. */
  readonly api?: string;
  readonly function: string;
  readonly authorization: DevRouteAuthorization;
}

export interface DevPlan {
  readonly stackName: string;
  readonly functions: readonly DevFunction[];
  readonly queues: readonly DevQueue[];
  readonly tables: readonly DevTable[];
  readonly buses: readonly DevBus[];
  readonly rules: readonly DevRule[];
  readonly queueSources: readonly DevQueueSource[];
  readonly streamSources: readonly DevStreamSource[];
  readonly asyncInvokeConfigs: readonly DevAsyncInvokeConfig[];
  readonly routes: readonly DevRoute[];
  /** Template parameters with their defaults: what `Ref` of a parameter gives (see intrinsics.ts). */
  readonly parameters: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Functions without `evtgen:function` metadata (CDK's custom-resource providers…): not run, since
   * their entry is unknown, but their name and ARN resolve; nothing in the plan routes to them.
   */
  readonly otherFunctions: readonly { readonly logicalId: string; readonly functionName: string }[];
  /** Resource types of the template that `evtgen dev` does not emulate (alarms, roles, logs…). */
  readonly ignoredTypes: readonly string[];
}

/** What provisioning created: the physical values `Ref` and `Fn::GetAtt` resolve to. */
export interface ProvisionedResources {
  readonly region: string;
  readonly account: string;
  /** logical id → the value of `Ref` (queue URL, table name, bus name, function name). */
  readonly refs: Readonly<Record<string, string>>;
  /** logical id → attribute → value (`Arn`, `QueueName`, `QueueUrl`, `StreamArn`…). */
  readonly attributes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Function logical id → URL of its internal invoke queue (`evtgen-dev-invoke-<name>`): moto cannot
   * invoke Lambda, so a rule whose target is a function delivers here, and the async invoker polls it.
   */
  readonly invokeQueues: Readonly<Record<string, string>>;
}
