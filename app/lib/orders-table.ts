/**
 * The orders table (DynamoDB, one table, partition key `pk`): orders (`ORDER#<orderId>`), stock
 * reservations (`SKU#<sku>`) and the audit trail (`AUDIT#<eventId>`). Every handler of the example
 * service reaches DynamoDB through here, with the AWS SDK's document client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { components } from '../../generated/http/orders-openapi.js';
import type { OutboxPut } from '../../generated/publishers.js';
import { observability } from '../../generated/service.js';

export type Order = components['schemas']['Order'];
export type OrderLine = Order['lines'][number];

/** An order as stored: the API's Order plus what the service keeps about it. */
export interface StoredOrder extends Order {
  readonly pickList?: readonly { readonly sku: string; readonly quantity: number }[];
  readonly notifications?: readonly Notification[];
  /** Parcels the shipping service booked for the order (its ShipmentDispatched events). */
  readonly dispatches?: readonly Dispatch[];
}

/** A parcel booked by the shipping service, as the orders service records it. */
export interface Dispatch {
  readonly shipmentId: string;
  readonly carrier: string;
  readonly parcels: number;
  readonly dispatchedAt: string;
  /** The ShipmentDispatched event's id. */
  readonly eventId: string;
}

/** The API's view of a stored order: only the contract's fields leave (not the pick list, notifications …). */
export function toApiOrder(
  stored: StoredOrder,
  include: ReadonlySet<'statusHistory' | 'shipments'> = new Set(),
): Order {
  return {
    orderId: stored.orderId,
    status: stored.status,
    customer: stored.customer,
    lines: stored.lines,
    shippingAddress: stored.shippingAddress,
    notes: stored.notes,
    total: stored.total,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    ...(include.has('statusHistory') ? { statusHistory: stored.statusHistory ?? [] } : {}),
    ...(include.has('shipments') ? { shipments: stored.shipments ?? [] } : {}),
  };
}

export interface Notification {
  readonly kind: 'shipped' | 'payment_failed';
  readonly to: string;
  readonly eventId: string;
  readonly at: string;
}

let client: DynamoDBDocumentClient | undefined;

function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(observability.tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

function tableName(): string {
  const name = process.env.ORDERS_TABLE_NAME;
  if (!name) throw new Error('ORDERS_TABLE_NAME is not set: the function needs the orders table.');
  return name;
}

/**
 * Stores a new order and the outbox rows of its events in one transaction: the events are published
 * (by the outbox relay) if and only if the order was stored. The order is written only when absent,
 * so a retry never overwrites it; returns false then (nothing was written).
 */
export async function insertOrder(order: StoredOrder, events: readonly OutboxPut[]): Promise<boolean> {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { pk: `ORDER#${order.orderId}`, ...order },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...events,
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (
      (error as Error).name === 'TransactionCanceledException' &&
      reasons?.[0]?.Code === 'ConditionalCheckFailed'
    ) {
      return false;
    }
    throw error;
  }
}

export async function getOrder(orderId: string): Promise<StoredOrder | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: `ORDER#${orderId}` } }),
  );
  if (!Item) return undefined;
  const { pk: _pk, ...order } = Item;
  return order as StoredOrder;
}

/** Adds `quantity` to the units of `sku` reserved for open orders; returns the new total. */
export async function reserveStock(sku: string, quantity: number): Promise<number> {
  const { Attributes } = await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `SKU#${sku}` },
      UpdateExpression: 'ADD reserved :quantity',
      ExpressionAttributeValues: { ':quantity': quantity },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.reserved ?? 0);
}

export async function reservedStock(sku: string): Promise<number> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: `SKU#${sku}` } }),
  );
  return Number(Item?.reserved ?? 0);
}

/** Records the pick list of an order; false when the order is unknown (nothing is written then). */
export async function setPickList(orderId: string, pickList: StoredOrder['pickList']): Promise<boolean> {
  return conditionalUpdate(orderId, 'SET pickList = :pickList', { ':pickList': pickList });
}

/** Appends a notification to an order; false when the order is unknown. */
export async function addNotification(orderId: string, notification: Notification): Promise<boolean> {
  return conditionalUpdate(
    orderId,
    'SET notifications = list_append(if_not_exists(notifications, :none), :one)',
    {
      ':none': [],
      ':one': [notification],
    },
  );
}

/** Appends a dispatched parcel to an order; false when the order is unknown. */
export async function addDispatch(orderId: string, dispatch: Dispatch): Promise<boolean> {
  return conditionalUpdate(orderId, 'SET dispatches = list_append(if_not_exists(dispatches, :none), :one)', {
    ':none': [],
    ':one': [dispatch],
  });
}

export interface AuditRecord {
  readonly eventId: string;
  readonly eventType: string;
  readonly orderId: string;
  readonly correlationId: string | undefined;
  readonly time: string;
}

export async function putAuditRecord(record: AuditRecord): Promise<void> {
  await documentClient().send(
    new PutCommand({ TableName: tableName(), Item: { pk: `AUDIT#${record.eventId}`, ...record } }),
  );
}

export async function getAuditRecord(eventId: string): Promise<AuditRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: `AUDIT#${eventId}` } }),
  );
  return Item as AuditRecord | undefined;
}

async function conditionalUpdate(
  orderId: string,
  expression: string,
  values: Record<string, unknown>,
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `ORDER#${orderId}` },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
