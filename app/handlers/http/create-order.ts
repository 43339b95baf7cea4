/**
 * createOrder: POST /orders — Place an order
 *
 * Prices the order, stores it in the orders table and publishes OrderPlaced. With an
 * `Idempotency-Key`, a retried request returns the order created first (Powertools idempotency,
 * keyed by the header, checked against the body: the same key with another body is a 409).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  type CreateOrderContext,
  type CreateOrderImplementation,
  type CreateOrderRequest,
  type CreateOrderResult,
  createOrderHandler,
} from '../../../generated/handlers/create-order.js';
import { fromThousandths, lineTotal } from '../../lib/money.js';
import { markPublished, type Order, putOrder } from '../../lib/orders-table.js';

type Body = CreateOrderRequest['body'];

/** The same key always names the same order, so a retry after a failed publish stores no second one. */
function orderIdFor(idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`order:${idempotencyKey}`).digest('hex');
  // An RFC 9562 version-8 (custom) UUID built from the hash.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function problem(status: 409 | 422, title: string, detail: string, pointer: string) {
  return {
    type: `https://api.orders.example.org/problems/${title.toLowerCase().replace(/\s+/g, '-')}`,
    title,
    status,
    detail,
    errors: [{ pointer, message: detail }],
  };
}

async function placeOrder(
  input: { idempotencyKey?: string; body: Body },
  context: CreateOrderContext,
): Promise<Order> {
  const { body } = input;
  const currency = body.lines[0]?.unitPrice.currency ?? 'EUR';
  const total = body.lines.reduce((sum, line) => sum + lineTotal(line.unitPrice.amount, line.quantity), 0n);
  const now = new Date().toISOString();
  const order: Order = {
    orderId: orderIdFor(input.idempotencyKey),
    status: 'placed',
    customer: body.customer,
    lines: body.lines,
    shippingAddress: body.shippingAddress,
    notes: body.notes ?? null,
    total: { amount: fromThousandths(total), currency },
    createdAt: now,
    updatedAt: now,
  };
  // The event model types `minItems: 1` as a non-empty tuple; the validated body has at least one line.
  const [firstLine, ...moreLines] = order.lines;
  if (!firstLine) throw new Error('An order without lines passed validation');
  await putOrder({ ...order, statusHistory: [{ status: 'placed', changedAt: now }], eventPublished: false });
  const published = await context.publish.orderPlaced(
    {
      orderId: order.orderId,
      status: 'placed',
      customer: order.customer,
      lines: [firstLine, ...moreLines],
      shippingAddress: order.shippingAddress,
      total: order.total,
      notes: order.notes,
      placedAt: now,
      salesChannel: 'web',
    },
    { occurredAt: now, producer: 'orders-api', causationId: context.event.requestContext.requestId },
  );
  if (published.failed.length > 0) {
    // The order stays stored unpublished; the client's retry (same key) publishes it again.
    throw new Error(`OrderPlaced for ${order.orderId} was not published: ${published.failed[0]?.errorCode}`);
  }
  await markPublished(order.orderId);
  context.logger.info('Order placed', { orderId: order.orderId, total: order.total });
  return order;
}

const idempotencyTable = process.env.IDEMPOTENCY_TABLE_NAME;
const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'idempotencyKey',
  payloadValidationJmesPath: 'body',
  throwOnNoIdempotencyKey: false,
  expiresAfterSeconds: 24 * 60 * 60,
});
const placeOrderOnce = idempotencyTable
  ? makeIdempotent(placeOrder, {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyTable }),
      config: idempotencyConfig,
      keyPrefix: 'orders-service.createOrder',
      dataIndexArgument: 0,
    })
  : placeOrder;

export const createOrder: CreateOrderImplementation = async (
  request,
  context,
): Promise<CreateOrderResult> => {
  const currencies = new Set(request.body.lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) {
    const other = request.body.lines.findIndex(
      (line) => line.unitPrice.currency !== request.body.lines[0]?.unitPrice.currency,
    );
    return {
      status: 422,
      body: problem(
        422,
        'Mixed currencies',
        'Every line of an order must be priced in the same currency.',
        `/lines/${other}/unitPrice/currency`,
      ),
    };
  }
  const idempotencyKey = request.headers['idempotency-key'];
  // An in-progress record expires with the invocation, so a timed-out attempt does not block retries.
  idempotencyConfig.registerLambdaContext(context.lambdaContext);
  try {
    const order = await placeOrderOnce(
      { ...(idempotencyKey ? { idempotencyKey } : {}), body: request.body },
      context,
    );
    return { status: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
  } catch (error) {
    if (error instanceof IdempotencyValidationError || error instanceof IdempotencyAlreadyInProgressError) {
      const detail =
        error instanceof IdempotencyValidationError
          ? `The Idempotency-Key ${idempotencyKey} was used for a different order.`
          : `A request with the Idempotency-Key ${idempotencyKey} is still being processed; retry shortly.`;
      return {
        status: 409,
        body: problem(409, 'Idempotency key reused', detail, '#/header/Idempotency-Key'),
      };
    }
    throw error;
  }
};

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = createOrderHandler(createOrder, { validateResponses: true });
