/** Real-shaped events for handler tests: API Gateway HTTP API (v2) requests, EventBridge events, SQS records. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, EventBridgeEvent, SQSEvent, SQSRecord } from 'aws-lambda';

export interface HttpRequestShape {
  readonly method: string;
  readonly path: string;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export function httpEvent(request: HttpRequestShape): APIGatewayProxyEventV2 {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const query = request.query ?? {};
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {
      host: 'api.orders.example.org',
      'user-agent': 'vitest',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...request.headers,
    },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'api.orders.example.org',
      domainPrefix: 'api',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: `req-${randomUUID()}`,
      routeKey: request.routeKey,
      stage: '$default',
      time: '27/Nov/2026:00:00:00 +0000',
      timeEpoch: 1_795_737_600_000,
    },
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
}

export function eventBridgeEvent(
  detailType: string,
  detail: unknown,
  id: string = randomUUID(),
): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'com.example.orders',
    account: '123456789012',
    time: '2026-11-27T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** SQS records as an EventBridge → SQS target delivers them: the whole event as the body. */
export function sqsEvent(bodies: readonly unknown[]): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(body, i)) };
}

function sqsRecord(body: unknown, index: number): SQSRecord {
  return {
    messageId: `msg-${index}-${randomUUID()}`,
    receiptHandle: `handle-${index}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795737600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1795737600001',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders-fulfilment',
    awsRegion: 'us-east-1',
  };
}

export const validOrderRequest = {
  customer: {
    customerId: '0d9f8a52-6c1e-4b7a-8f3d-5e2c1a9b7d40',
    email: 'ada.lovelace@example.org',
    name: 'Ada Lovelace',
  },
  lines: [
    {
      sku: 'TSHIRT-BLK-M',
      productName: 'T-shirt, black, M',
      quantity: 2,
      unitPrice: { amount: '19.99', currency: 'EUR' },
    },
    {
      sku: 'MUG-001',
      productName: 'Coffee mug',
      quantity: 1,
      unitPrice: { amount: '9.50', currency: 'EUR' },
    },
  ],
  shippingAddress: {
    line1: 'Friedrichstraße 123',
    line2: '3. OG',
    city: 'Berlin',
    postalCode: '10117',
    country: 'DE',
  },
  notes: 'Please leave the parcel with the neighbour.',
};

/** A valid OrderPlaced detail ({metadata, data}). */
export function orderPlacedDetail(overrides: { orderId?: string; notes?: string | null; sku?: string } = {}) {
  return {
    metadata: { correlationId: randomUUID(), occurredAt: '2026-11-27T00:00:00Z', producer: 'orders-api' },
    data: {
      orderId: overrides.orderId ?? randomUUID(),
      status: 'placed',
      customer: validOrderRequest.customer,
      lines: [
        { sku: overrides.sku ?? 'MUG-001', quantity: 3, unitPrice: { amount: '9.50', currency: 'EUR' } },
      ],
      shippingAddress: validOrderRequest.shippingAddress,
      total: { amount: '28.5', currency: 'EUR' },
      notes: overrides.notes ?? null,
      placedAt: '2026-11-27T00:00:00Z',
    },
  };
}
