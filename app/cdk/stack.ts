/**
 * The stack of Orders Service. evtgen's `OrdersService` construct (generated/cdk/) builds what the
 * specs describe: the HTTP API, one function per operation and per consumer, the event bus, rules,
 * queues, dead-letter queues, Schema Registry, idempotency table and alarms.
 *
 * This file is yours: evtgen created it once and never changes it. Add what the specs do not
 * describe here (tables, buckets, topics) and grant the functions access: `this.service.fn(name)` is
 * the function of an operationId or consumer name.
 *
 * The example adds the orders table (partition key `pk`: `ORDER#…`, `SKU#…`, `AUDIT#…`, see
 * app/lib/orders-table.ts) and gives each function exactly the item actions its code uses.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { OrdersService, type ServiceLayout } from '../../generated/cdk/index.js';

/** The DynamoDB actions each function's code performs on the orders table. */
const ordersTableAccess: Readonly<Record<string, readonly string[]>> = {
  // The order and its outbox row are one TransactWriteItems call: a Put needs PutItem; a retry reads back.
  createOrder: ['dynamodb:PutItem', 'dynamodb:GetItem'],
  getOrder: ['dynamodb:GetItem'],
  fulfilment: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  notifications: ['dynamodb:UpdateItem'],
  shipments: ['dynamodb:UpdateItem'],
  audit: ['dynamodb:GetItem', 'dynamodb:PutItem'],
};

export interface ServiceStackProps extends StackProps {
  /**
   * `single` (the default, and what is deployed): every resource in this stack. `nested`: each
   * function with its resources in a nested stack, for services beyond ~35 functions (CloudFormation's
   * 500 resources per stack). Switching a deployed stack replaces the moved resources (queued
   * messages are lost): choose it before the first deploy.
   */
  readonly layout?: ServiceLayout;
}

export class ServiceStack extends Stack {
  readonly service: OrdersService;
  readonly ordersTable: Table;

  constructor(scope: Construct, id: string, props?: ServiceStackProps) {
    super(scope, id, props);
    this.service = new OrdersService(this, 'Service', {
      handlersDir: 'app/handlers',
      layout: props?.layout ?? 'single',
    });

    this.ordersTable = new Table(this, 'OrdersTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [name, actions] of Object.entries(ordersTableAccess)) {
      const fn = this.service.fn(name);
      fn.addEnvironment('ORDERS_TABLE_NAME', this.ordersTable.tableName);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [this.ordersTable.tableArn] }),
      );
    }
    // createOrder honours Idempotency-Key with Powertools idempotency (consumers have it already).
    this.service.useIdempotency(this.service.fn('createOrder'));

    new CfnOutput(this, 'ApiUrl', { value: this.service.api.api.apiEndpoint });
    new CfnOutput(this, 'EventBusName', { value: this.service.events.bus.eventBusName });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
  }
}
