/**
 * AWS on loopback for handler tests: DynamoDB is dynalite (a DynamoDB implementation with
 * DynamoDB's API and validation rules, in memory), reached through the real AWS SDK over HTTP.
 * EventBridge is a stand-in written here: an HTTP server speaking the PutEvents wire protocol
 * (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) that records every entry and can fail chosen
 * entries, because no EventBridge implementation is available offline.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

export interface DynamoStandIn {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** dynalite with the example's two tables: orders (`pk`) and idempotency (`id`, TTL `expiration`). */
export async function startDynamo(tables: readonly { name: string; key: string }[]): Promise<DynamoStandIn> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  const endpoint = await listen(server);
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  for (const table of tables) {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        AttributeDefinitions: [{ AttributeName: table.key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.key, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  return {
    endpoint,
    client,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface RecordedEntry {
  readonly EventBusName?: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

export interface PutEventsCall {
  readonly entries: readonly RecordedEntry[];
  /** Error codes this call returned, by entry index (absent: accepted). */
  readonly failures: ReadonlyMap<number, string>;
}

/**
 * Decides, per call and entry, whether EventBridge "fails" it: return an error code such as
 * `ThrottlingException` to fail the entry, or undefined to accept it.
 */
export type FailurePlan = (callIndex: number, entry: RecordedEntry, entryIndex: number) => string | undefined;

/**
 * Decides, per request (0-based over every PutEvents request received), whether the whole request
 * fails, as EventBridge answers throttling (HTTP 400 `ThrottlingException`) or an outage (5xx).
 */
export type RequestFailurePlan = (requestIndex: number) => { status: number; code: string } | undefined;

export interface EventBridgeStandIn {
  readonly endpoint: string;
  /** Requests answered so far, failed ones included. */
  readonly requests: { count: number; rejected: number };
  readonly calls: PutEventsCall[];
  /** Every entry accepted so far, in order. */
  readonly accepted: RecordedEntry[];
  failWith(plan: FailurePlan | undefined): void;
  rejectRequests(plan: RequestFailurePlan | undefined): void;
  close(): Promise<void>;
}

export async function startEventBridge(): Promise<EventBridgeStandIn> {
  const calls: PutEventsCall[] = [];
  const accepted: RecordedEntry[] = [];
  let plan: FailurePlan | undefined;
  let requestPlan: RequestFailurePlan | undefined;
  const requests = { count: 0, rejected: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        reply(400, {
          __type: 'UnknownOperationException',
          message: `not supported: ${request.headers['x-amz-target']}`,
        });
        return;
      }
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        reply(403, { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' });
        return;
      }
      const rejection = requestPlan?.(requests.count);
      requests.count++;
      if (rejection) {
        requests.rejected++;
        reply(rejection.status, { __type: rejection.code, message: `${rejection.code} (stand-in)` });
        return;
      }
      const { Entries } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: RecordedEntry[] };
      if (Entries.length > 10) {
        reply(400, { __type: 'ValidationException', message: 'at most 10 entries per PutEvents call' });
        return;
      }
      const failures = new Map<number, string>();
      const results = Entries.map((entry, i) => {
        const code = plan?.(calls.length, entry, i);
        if (code) {
          failures.set(i, code);
          return { ErrorCode: code, ErrorMessage: `${code} (stand-in)` };
        }
        accepted.push(entry);
        return { EventId: randomUUID() };
      });
      calls.push({ entries: Entries, failures });
      reply(200, { FailedEntryCount: failures.size, Entries: results });
    });
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    requests,
    calls,
    accepted,
    failWith: (next) => {
      plan = next;
    },
    rejectRequests: (next) => {
      requestPlan = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
