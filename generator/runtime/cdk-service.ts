/**
 * The whole service the specs describe, in one construct: the idempotency table, the events side
 * (`ServiceEvents`) and the HTTP side (`ServiceApi`). The app instantiates it and extends what it
 * needs through `fn(name)` (every function by operationId or consumer name), `useIdempotency(fn)`,
 * and the resources it exposes.
 */
import { join, resolve } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import type { CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceContract } from './cdk-contract-types.js';
import type { FunctionDefaults } from './cdk-functions.js';
import { type JwtSettings, ServiceApi } from './cdk-service-api.js';
import { ServiceEvents } from './cdk-service-events.js';

export interface EvtgenServiceProps {
  /** Folder of the Lambda entry points, relative to the working directory (default `app/handlers`). */
  readonly handlersDir?: string;
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
  /** Actions of every alarm (e.g. `new SnsAction(topic)`). */
  readonly alarmActions?: readonly IAlarmAction[];
  /** Alarm when a queue's oldest message is older than this (seconds, default 900). */
  readonly maxMessageAgeSeconds?: number;
}

export class EvtgenService extends Construct {
  readonly contract: ServiceContract;
  readonly idempotencyTable: Table;
  readonly events: ServiceEvents;
  readonly api: ServiceApi;
  /** Every function by operationId and consumer name. */
  readonly functions: Readonly<Record<string, NodejsFunction>>;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, contract: ServiceContract, props: EvtgenServiceProps = {}) {
    super(scope, id);
    this.contract = contract;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const defaults: FunctionDefaults = {
      handlersDir: resolve(props.handlersDir ?? join('app', 'handlers')),
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
      alarmActions: props.alarmActions ?? [],
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

    this.events = new ServiceEvents(this, 'Events', {
      contract,
      defaults,
      consumerEnvironment: props.functionEnvironment ?? {},
      ...(props.maxMessageAgeSeconds !== undefined
        ? { maxMessageAgeSeconds: props.maxMessageAgeSeconds }
        : {}),
    });
    this.api = new ServiceApi(this, 'Api', {
      contract,
      defaults,
      bus: this.events.bus,
      ...(props.jwt ? { jwt: props.jwt } : {}),
      ...(props.cors ? { cors: props.cors } : {}),
      ...(props.httpTimeoutSeconds !== undefined ? { timeoutSeconds: props.httpTimeoutSeconds } : {}),
      operationEnvironment: props.functionEnvironment ?? {},
    });
    const functions: Record<string, NodejsFunction> = { ...this.api.functions };
    for (const [name, consumer] of Object.entries(this.events.consumers)) {
      functions[name] = consumer.function;
      // Consumers are idempotent by construction (Powertools idempotency in the generated wrapper).
      this.useIdempotency(consumer.function);
    }
    this.functions = functions;
    this.alarms = [...this.api.alarms, ...this.events.alarms];
  }

  /** The function of an operation (operationId) or consumer (name); throws for unknown names. */
  fn(name: string): NodejsFunction {
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
