/**
 * The target of bench/load.bench.js part (b), bundled with esbuild as a deployment would be: one
 * HTTP server, two routes, each turning the request into the API Gateway v2 event `evtgen dev`
 * builds (`toApiEvent`) and the handler's result into the response (`toGatewayResponse`), so the
 * two differ only by the handler:
 * - `POST /wrapped`: the generated createOrder wrapper (correlation id, body parse and validation,
 *   Powertools logger/metrics/tracer, response validation as the app enables it) around an
 *   implementation that returns a fixed order — no DynamoDB, so only the wrapper is measured;
 * - `POST /bare`: `JSON.parse(body)` and the same 201.
 * Everything the function writes to stdout (logs, EMF metrics) is counted, then discarded by the
 * parent; `{"stats": true}` over IPC answers with the counts and the process's CPU time so far.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { type CreateOrderImplementation, createOrderHandler } from '../generated/handlers/create-order.js';
import type { CreateOrderResponse201 } from '../generated/http/operations.js';
import type { HttpHandler } from '../generated/runtime/http.js';
import { toApiEvent } from '../generator/dev/api-event.js';
import { toGatewayResponse } from '../generator/dev/api-response.js';
import type { RouteMatch } from '../generator/dev/routes.js';

const written = { lines: 0, bytes: 0 };
const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  written.bytes += Buffer.byteLength(text);
  for (const c of text) if (c === '\n') written.lines++;
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

const order = JSON.parse(process.env.LOAD_BENCH_ORDER ?? '{}') as CreateOrderResponse201;
const location = `/orders/${order.orderId}`;

const implementation: CreateOrderImplementation = async () => ({
  status: 201,
  body: order,
  headers: { location },
});
const wrapped = createOrderHandler(implementation, { validateResponses: true });

const bare: HttpHandler = async (event) => {
  JSON.parse(event.body ?? '');
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', location },
    body: JSON.stringify(order),
  };
};

const handlers: Readonly<Record<string, HttpHandler>> = { '/wrapped': wrapped, '/bare': bare };
const match: RouteMatch = {
  route: {
    routeKey: 'POST /orders',
    method: 'POST',
    path: '/orders',
    function: 'CreateOrderFn',
    authorization: { type: 'NONE' },
  },
};

function lambdaContext(): Context {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'CreateOrderFn';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/01/01/[$LATEST]bench',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const handler = handlers[req.url ?? ''];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const event = toApiEvent(req, Buffer.concat(chunks), match, { accountId: '123456789012' });
    let response = toGatewayResponse(undefined);
    try {
      response = toGatewayResponse(await handler(event, lambdaContext()));
    } catch {
      response = { status: 500, headers: [], body: Buffer.from('{"message":"Internal Server Error"}') };
    }
    res.writeHead(response.status, [
      ...response.headers.flat(),
      'content-length',
      String(response.body.length),
    ]);
    res.end(response.body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('message', (message) => {
  if (typeof message === 'object' && message !== null && 'stats' in message)
    process.send?.({ written, cpu: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0));
