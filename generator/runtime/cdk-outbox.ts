/**
 * The transactional outbox of the HTTP operations that emit events: a DynamoDB table the operations
 * write event rows into, in the same transaction as their business write, and a relay function on
 * the table's stream that publishes each row to the bus.
 *
 * Why DynamoDB Streams → a Lambda relay (and not EventBridge Pipes): the relay reuses the
 * publisher's batching and retry policy (throttling, 5xx, network) and its metrics and alarms;
 * it reports the first failed record, so Lambda retries from there with bisection and then
 * dead-letters the batch coordinates; and it runs unchanged on one machine (`evtgen dev`), where
 * Pipes exist only as API objects. The cost: one function invocation per stream batch (up to 100
 * rows) and one extra write unit per event; rows expire by TTL after 7 days.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  FilterCriteria,
  FilterRule,
  type IFunction,
  type Function as LambdaFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAgeAlarm } from './cdk-alarms.js';
import {
  alarm,
  type FunctionDefaults,
  functionScope,
  ServiceFunction,
  type ServiceLayout,
} from './cdk-functions.js';

export interface ServiceOutboxProps {
  readonly serviceName: string;
  readonly defaults: FunctionDefaults;
  readonly bus: IEventBus;
  /** Absolute path of the relay's entry point (`generated/outbox-relay.ts`). */
  readonly relayEntry: string;
  readonly removalPolicy: RemovalPolicy;
  /** `nested`: the relay (function, DLQ, mapping, alarms) in a NestedStack `Relay`; the table stays here. */
  readonly layout?: ServiceLayout;
}

export class ServiceOutbox extends Construct {
  /** Partition key `id` (the producer's event id), TTL `expiration`, stream of new images. */
  readonly table: Table;
  readonly relay: LambdaFunction;
  /** Batches the relay could not publish within the stream's retention (their coordinates). */
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceOutboxProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      stream: StreamViewType.NEW_IMAGE,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
    });
    const description = `${props.serviceName} outbox relay: publishes outbox rows to the bus`;
    const relayScope = functionScope(this, 'Relay', props.layout ?? 'single', description);
    this.deadLetterQueue = new Queue(relayScope, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the on-failure destination of the outbox relay (stream batches not published within the retries).',
    });

    const fn = new ServiceFunction(relayScope, 'Handler', props.defaults, {
      name: 'outboxRelay',
      entry: props.relayEntry,
      description,
      timeoutSeconds: 60,
      environment: { EVENT_BUS_NAME: props.bus.eventBusName },
      wildcardReason:
        'dynamodb:ListStreams (added by the DynamoDB stream event source) lists the streams of the account: it has no resource-level permission.',
    });
    this.relay = fn.function;
    this.alarms.push(...fn.alarms);
    props.bus.grantPutEventsTo(this.relay);
    this.relay.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // One batch per shard at a time: rows are published in the order they were written.
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Retries until a row is a day old (the stream keeps records 24 h), then dead-lettered.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
        // TTL deletions are REMOVE records: only new rows are events to publish.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      }),
    );

    const period = Duration.minutes(5);
    this.alarms.push(
      alarm(relayScope, 'IteratorAgeAlarm', props.defaults, {
        metric: this.relay.metric('IteratorAge', { period, statistic: 'Maximum' }),
        threshold: 5 * 60 * 1000,
        description: `${props.serviceName}: the outbox relay is more than 5 minutes behind, so events wait to be published. Read the relay's logs for the failing PutEvents (access, throttling, an outage) and fix it; the rows are retried for a day.`,
      }),
      alarm(relayScope, 'DeadLetterQueueDepthAlarm', props.defaults, {
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: 'Maximum',
        }),
        threshold: 0,
        description: `${props.serviceName}: outbox rows were not published within a day. Read the dead-lettered batch (its shard and sequence numbers), fix the cause, then publish those rows again from the outbox table (they stay 7 days).`,
      }),
      deadLetterAgeAlarm(
        relayScope,
        'DeadLetterQueueAgeAlarm',
        props.defaults,
        this.deadLetterQueue,
        Duration.days(14).toSeconds(),
        `${props.serviceName}: the outbox relay's dead-letter queue`,
      ),
    );
  }

  /**
   * Lets an operation's function write outbox rows: `OUTBOX_TABLE_NAME` and PutItem on this table
   * only (what a `Put` inside `TransactWriteItems` needs).
   */
  grantWrite(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment('OUTBOX_TABLE_NAME', this.table.tableName);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] }),
    );
  }
}
