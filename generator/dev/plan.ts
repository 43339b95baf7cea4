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
  readonly logicalId: string;
  readonly busName: string;
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
}

export interface DevRule {
  readonly logicalId: string;
  readonly ruleName: string;
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
}

/** Lambda's asynchronous invocation settings (`AWS::Lambda::EventInvokeConfig`). */
export interface DevAsyncInvokeConfig {
  readonly function: string;
  /** Lambda's default is 2. */
  readonly maximumRetryAttempts: number;
  /** Lambda's default is 6 hours. */
  readonly maximumEventAgeInSeconds: number;
  readonly onFailureQueue?: string;
}

export type DevRouteAuthorization =
  | { readonly type: 'NONE' }
  | { readonly type: 'AWS_IAM' }
  | {
      readonly type: 'JWT';
      readonly scopes: readonly string[];
      readonly issuer?: string;
      readonly audience: readonly string[];
    };

export interface DevRoute {
  /** `POST /orders`, `GET /orders/{orderId}`, `$default`. */
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
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
}
