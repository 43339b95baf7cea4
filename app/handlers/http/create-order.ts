/**
 * createOrder: POST /orders — Place an order
 *
 * Prices the order and stores it together with its OrderPlaced event in one DynamoDB transaction
 * (the transactional outbox): the event is published by the outbox relay if and only if the order
 * was stored, and a failure of EventBridge loses nothing. The order is only ever inserted, never
 * overwritten. With an `Idempotency-Key` — scoped to the caller, so two callers cannot collide —
 * a retried request returns the order created first (Powertools idempotency, checked against the
 * body: the same key with another body is a 409).
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
import { getOrder, insertOrder, type Order, toApiOrder } from '../../lib/orders-table.js';

type Body = CreateOrderRequest['body'];

/** An RFC 9562 version-8 (custom) UUID built from a hash of `name`: the same name, the same id. */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Who is calling: the JWT's issuer and subject (or the IAM caller). An `Idempotency-Key` is only
 * meaningful per caller: two clients that happen to pick the same key must get two orders.
 */
function callerOf(event: CreateOrderContext['event']): string {
  // HTTP API events carry the authorizer's result beside the request context's declared fields.
  const authorizer = (event.requestContext as { authorizer?: unknown }).authorizer as
    | { jwt?: { claims?: Record<string, unknown> }; iam?: { userArn?: string; callerId?: string } }
    | undefined;
  const claims = authorizer?.jwt?.claims;
  if (claims && typeof claims.sub === 'string') return `jwt:${String(claims.iss ?? '')}:${claims.sub}`;
  const iam = authorizer?.iam?.userArn ?? authorizer?.iam?.callerId;
  return iam ? `iam:${iam}` : 'anonymous';
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
  // The same (caller-scoped) key always names the same order and the same event.
  const orderId = input.idempotencyKey ? stableUuid(`order:${input.idempotencyKey}`) : randomUUID();
  const { body } = input;
  const currency = body.lines[0]?.unitPrice.currency ?? 'EUR';
  const total = body.lines.reduce((sum, line) => sum + lineTotal(line.unitPrice.amount, line.quantity), 0n);
  const now = new Date().toISOString();
  const order: Order = {
    orderId,
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
  const orderPlaced = context.outbox.orderPlaced(
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
    { eventId: stableUuid(`OrderPlaced:${orderId}`) },
  );
  const stored = await insertOrder({ ...order, statusHistory: [{ status: 'placed', changedAt: now }] }, [
    orderPlaced,
  ]);
  if (!stored) {
    // Stored by an earlier attempt of this request (its idempotency record was lost, e.g. a timeout
    // after the transaction): that order — and its one event — stand.
    const existing = await getOrder(orderId);
    if (!existing) throw new Error(`Order ${orderId} exists and cannot be read back`);
    context.logger.info('Order already placed by an earlier attempt', { orderId });
    return toApiOrder(existing);
  }
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
  const scopedKey = idempotencyKey ? `${callerOf(context.event)}\u0000${idempotencyKey}` : undefined;
  // An in-progress record expires with the invocation, so a timed-out attempt does not block retries.
  idempotencyConfig.registerLambdaContext(context.lambdaContext);
  try {
    const order = await placeOrderOnce(
      { ...(scopedKey ? { idempotencyKey: scopedKey } : {}), body: request.body },
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
