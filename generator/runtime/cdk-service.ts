/**
 * The whole service the specs describe, in one construct: the idempotency table, the events side
 * (`ServiceEvents`) and the HTTP side (`ServiceApi`). The app instantiates it and extends what it
 * needs through `fn(name)` (every function by operationId or consumer name), `useIdempotency(fn)`,
 * and the resources it exposes.
 */
import { join, resolve } from 'node:path';
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AlarmTopic, alarmEmailsFromContext } from './cdk-alarms.js';
import { bundleSettings, planBundles } from './cdk-bundles.js';
import type { ServiceContract } from './cdk-contract-types.js';
import type { FunctionDefaults, ServiceLayout } from './cdk-functions.js';
import { ServiceOutbox } from './cdk-outbox.js';
import { type JwtSettings, ServiceApi } from './cdk-service-api.js';
import { ServiceEvents } from './cdk-service-events.js';

export interface EvtgenServiceProps {
  /** Folder of the Lambda entry points, relative to the working directory (default `app/handlers`). */
  readonly handlersDir?: string;
  /**
   * evtgen's output folder, relative to the working directory (default `generated`): the outbox
   * relay's entry, and the validator modules the bundles share.
   */
  readonly generatedDir?: string;
  /** Added to every function's environment. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Added to one function's environment, by operationId or consumer name. */
  readonly functionEnvironment?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** JWT issuer and audience by security scheme name (else the `evtgen:jwt` context key). */
  readonly jwt?: Readonly<Record<string, JwtSettings>>;
  /** CORS of the HTTP API: replaces the OpenAPI `x-cors` as a whole (default: the spec's, if any). */
  readonly cors?: CorsPreflightOptions;
  /** Memory of every function (MB, default 512). */
  readonly memorySize?: number;
  /** Timeout of the HTTP functions (seconds, default 10); consumers take `x-consumer.timeoutSeconds`. */
  readonly httpTimeoutSeconds?: number;
  /** Retention of every log group (default one month). */
  readonly logRetention?: RetentionDays;
  /** What happens to tables and log groups when the stack is deleted (default RETAIN). */
  readonly removalPolicy?: RemovalPolicy;
  /** Minify the bundles (default true). */
  readonly minify?: boolean;
  /**
   * E-mail subscribers of the alarm topic (default: the `evtgen:alarmEmails` context key, a list).
   * The topic is always created: subscribe a pager or chat integration to `alarmTopic.topic`.
   */
  readonly alarmEmails?: readonly string[];
  /** Actions of every alarm besides notifying the alarm topic (e.g. `new SnsAction(otherTopic)`). */
  readonly alarmActions?: readonly IAlarmAction[];
  /** Alarm when a queue's oldest message is older than this (seconds, default 900). */
  readonly maxMessageAgeSeconds?: number;
  /**
   * `single` (default): everything in the construct's stack. `nested`: each operation's and each
   * consumer's resources in a NestedStack named after it, the schemas in 16 nested stacks by a hash
   * of the message name; the HTTP API, bus, registry and idempotency table stay in this stack.
   *
   * CloudFormation takes at most 500 resources per stack and each function brings ~12, so choose
   * `nested` from the start for a service that will have more than ~35 functions. It is opt-in
   * because switching a deployed service replaces what moves to another stack: a moved queue is a
   * new, empty queue (messages lost), a moved function or alarm is a new one.
   */
  readonly layout?: ServiceLayout;
}

export class EvtgenService extends Construct {
  readonly contract: ServiceContract;
  readonly idempotencyTable: Table;
  /** The transactional outbox and its relay (present when an operation emits events: `x-emits`). */
  readonly outbox?: ServiceOutbox;
  readonly events: ServiceEvents;
  readonly api: ServiceApi;
  /** Every function by operationId and consumer name. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly alarms: readonly Alarm[];
  /** The SNS topic (KMS-encrypted, SSL only) every alarm notifies, on alarm and on recovery. */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, contract: ServiceContract, props: EvtgenServiceProps = {}) {
    super(scope, id);
    this.contract = contract;
    const layout = props.layout ?? 'single';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      emails: props.alarmEmails ?? alarmEmailsFromContext(this),
      description: `${contract.service.title || contract.service.name} alarms`,
    });
    const notify = new SnsAction(this.alarmTopic.topic);
    const defaults: FunctionDefaults = {
      handlersDir: resolve(props.handlersDir ?? join('app', 'handlers')),
      generatedDir: resolve(props.generatedDir ?? 'generated'),
      environment: {
        POWERTOOLS_SERVICE_NAME: contract.service.name,
        POWERTOOLS_METRICS_NAMESPACE: contract.metricsNamespace,
        SERVICE_VERSION: contract.service.version,
        ...props.environment,
      },
      memorySize: props.memorySize ?? 512,
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      logRemovalPolicy: removalPolicy,
      minify: props.minify ?? true,
      alarmActions: [notify, ...(props.alarmActions ?? [])],
      okActions: [notify],
    };

    // Powertools idempotency: partition key `id`, expired records removed by TTL on `expiration`.
    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    const relayEntry = resolve(props.generatedDir ?? 'generated', 'outbox-relay.ts');
    const publishes = contract.routes.some((route) => route.publishes);
    // Every entry point known before the first function: one esbuild build bundles them all.
    planBundles(
      this,
      [
        ...contract.routes.map((route) => join(defaults.handlersDir, route.entry)),
        ...contract.consumers.map((consumer) => join(defaults.handlersDir, consumer.entry)),
        ...(publishes ? [relayEntry] : []),
      ],
      bundleSettings(defaults),
    );

    this.events = new ServiceEvents(this, 'Events', {
      contract,
      defaults,
      consumerEnvironment: props.functionEnvironment ?? {},
      ...(props.maxMessageAgeSeconds !== undefined
        ? { maxMessageAgeSeconds: props.maxMessageAgeSeconds }
        : {}),
      layout,
    });
    if (publishes) {
      this.outbox = new ServiceOutbox(this, 'Outbox', {
        serviceName: contract.service.name,
        defaults,
        bus: this.events.bus,
        relayEntry,
        removalPolicy,
        layout,
      });
    }
    this.api = new ServiceApi(this, 'Api', {
      contract,
      defaults,
      bus: this.events.bus,
      ...(this.outbox ? { outbox: this.outbox } : {}),
      ...(props.jwt ? { jwt: props.jwt } : {}),
      ...(props.cors ? { cors: props.cors } : {}),
      ...(props.httpTimeoutSeconds !== undefined ? { timeoutSeconds: props.httpTimeoutSeconds } : {}),
      operationEnvironment: props.functionEnvironment ?? {},
      layout,
    });
    const functions: Record<string, LambdaFunction> = { ...this.api.functions };
    for (const [name, consumer] of Object.entries(this.events.consumers)) {
      functions[name] = consumer.function;
      // Consumers are idempotent by construction (Powertools idempotency in the generated wrapper).
      this.useIdempotency(consumer.function);
    }
    this.functions = functions;
    this.alarms = [...this.api.alarms, ...this.events.alarms, ...(this.outbox?.alarms ?? [])];
    // CDK's own error for a too large stack does not say what to do about it: this one does.
    if (layout === 'single') this.node.addValidation({ validate: () => stackLimitErrors(this) });
  }

  /** The function of an operation (operationId) or consumer (name); throws for unknown names. */
  fn(name: string): LambdaFunction {
    const found = this.functions[name];
    if (!found) {
      throw new Error(
        `No function named "${name}"; known: ${Object.keys(this.functions).sort().join(', ')}.`,
      );
    }
    return found;
  }

  /**
   * Gives a function the idempotency table: `IDEMPOTENCY_TABLE_NAME` and exactly the item actions
   * Powertools uses, on this table only.
   */
  useIdempotency(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('IDEMPOTENCY_TABLE_NAME', this.idempotencyTable.tableName);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.idempotencyTable.tableArn],
      }),
    );
  }
}

/**
 * In the `single` layout, an error naming the way out when the stack has more resources than
 * CloudFormation allows (the `@aws-cdk/core:stackResourceLimit` context, 500 by default, 0 = off).
 */
function stackLimitErrors(service: EvtgenService): string[] {
  const stack = Stack.of(service);
  const limit = Number(stack.node.tryGetContext('@aws-cdk/core:stackResourceLimit') ?? 500);
  if (!limit) return [];
  const count = stack.node
    .findAll()
    .filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
  if (count <= limit) return [];
  return [
    `The stack ${stack.stackName} has ${count} resources, more than the ${limit} CloudFormation allows in ` +
      `one stack (${Object.keys(service.functions).length} functions, 12–20 resources each). Pass ` +
      "`layout: 'nested'` to the service construct: each operation and consumer then gets its own " +
      "nested stack. On a deployed service this replaces the moved resources (queued messages are lost): see evtgen's docs/cdk.md, Stack layout.",
  ];
}
