/**
 * The endpoint the functions' AWS SDK talks to under `evtgen dev`: a pass-through proxy on loopback
 * in front of the emulator. It exists for two things the emulator cannot do and user code must not:
 *
 * - **Seeing what the service published.** Every PutEvents call and its answer pass through here,
 *   so each entry the bus accepted is reported (`onPublished`) with its producer id — `evtgen load`
 *   counts published events from these reports, not from guesses.
 * - **Injecting AWS faults on demand** (`evtgen load`'s fault phase): throttling, server errors and
 *   added latency for DynamoDB and EventBridge calls, answered exactly as AWS answers them, so the
 *   SDK's and the generated runtime's own retry logic is what gets exercised.
 *
 * Why a proxy and not SDK middleware: every function bundle carries its own copy of the SDK (nothing
 * is external), so there is no shared client to add middleware to without changing user code, while
 * `AWS_ENDPOINT_URL` already points every client at one address. Requests and answers are forwarded
 * byte for byte (signatures, checksums and `x-amz-crc32` stay valid); only the two cases above are
 * read.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The AWS services the proxy can fail on purpose. */
export type FaultableService = 'dynamodb' | 'events';

export interface AwsServiceFaults {
  /** Fraction (0–1) of calls answered with the service's throttling error. */
  readonly throttleRate?: number;
  /** Fraction (0–1) of calls answered with a 500 InternalServerError. */
  readonly errorRate?: number;
  /** Added before the call is forwarded. */
  readonly latencyMs?: number;
}

export type AwsFaults = Partial<Record<FaultableService, AwsServiceFaults>>;

/** One PutEvents entry the bus accepted. */
export interface PublishedEntry {
  readonly source: string;
  readonly detailType: string;
  /** The entry's `Detail`, parsed (undefined when it is not JSON). */
  readonly detail: unknown;
  readonly eventBusName: string;
  /** The id the bus gave the event. */
  readonly awsEventId: string;
  readonly at: number;
}

export interface AwsProxyOptions {
  /** The emulator, e.g. `http://127.0.0.1:4566`. */
  readonly target: string;
  readonly onPublished: (entries: readonly PublishedEntry[]) => void;
  /** Counts of the faults injected, by service and kind (for the status endpoint). */
  readonly onFault?: (service: FaultableService, kind: 'throttle' | 'error' | 'latency') => void;
  readonly random?: () => number;
}

export interface AwsProxy {
  /** `http://127.0.0.1:<port>`: what the functions get as `AWS_ENDPOINT_URL`. */
  readonly url: string;
  faults: AwsFaults;
  close(): Promise<void>;
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = options.random ?? Math.random;
  const proxy: { faults: AwsFaults } = { faults: {} };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const service = serviceOf(request.headers);
      const faults = service ? proxy.faults[service] : undefined;
      void (async () => {
        if (service && faults?.latencyMs) {
          options.onFault?.(service, 'latency');
          await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
        }
        if (service && faults) {
          const roll = random();
          const throttle = faults.throttleRate ?? 0;
          if (roll < throttle || roll < throttle + (faults.errorRate ?? 0)) {
            const kind = roll < throttle ? 'throttle' : 'error';
            options.onFault?.(service, kind);
            const answer = faultAnswer(service, kind);
            response.writeHead(answer.status, answer.headers).end(answer.body);
            return;
          }
        }
        const upstream = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: request.method,
            path: request.url,
            headers: request.headers,
            agent,
          },
          (answer) => {
            const isPutEvents = request.headers['x-amz-target'] === 'AWSEvents.PutEvents';
            const answerChunks: Buffer[] = [];
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.on('data', (chunk: Buffer) => {
              if (isPutEvents) answerChunks.push(chunk);
              response.write(chunk);
            });
            answer.on('end', () => {
              response.end();
              if (isPutEvents && answer.statusCode === 200)
                options.onPublished(acceptedEntries(body, Buffer.concat(answerChunks)));
            });
          },
        );
        upstream.on('error', (error) => {
          if (!response.headersSent)
            response
              .writeHead(502, { 'content-type': 'text/plain' })
              .end(`evtgen dev: the emulator did not answer: ${error.message}`);
          else response.destroy(error);
        });
        upstream.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get faults() {
      return proxy.faults;
    },
    set faults(next: AwsFaults) {
      proxy.faults = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** The service of a call: the JSON protocols' `X-Amz-Target`, else the signature's credential scope. */
export function serviceOf(headers: IncomingHttpHeaders): FaultableService | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith('DynamoDB_')) return 'dynamodb';
    if (target.startsWith('AWSEvents.')) return 'events';
    return undefined;
  }
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1];
  return scope === 'dynamodb' || scope === 'events' ? scope : undefined;
}

/** How AWS answers a throttled or failed call of each service (the SDK retries both). */
function faultAnswer(
  service: FaultableService,
  kind: 'throttle' | 'error',
): { status: number; headers: Record<string, string>; body: string } {
  const contentType = service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  const type =
    kind === 'error'
      ? 'InternalServerError'
      : service === 'dynamodb'
        ? 'com.amazonaws.dynamodb.v20120810#ThrottlingException'
        : 'ThrottlingException';
  const message =
    kind === 'error'
      ? 'Internal server error (injected by evtgen load)'
      : 'Rate of requests exceeds the allowed throughput (injected by evtgen load)';
  return {
    status: kind === 'error' ? 500 : 400,
    headers: { 'content-type': contentType, 'x-amzn-requestid': `evtgen-fault-${Date.now()}` },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** The entries of a PutEvents request that its answer reports as accepted (those with an EventId). */
export function acceptedEntries(requestBody: Buffer, answerBody: Buffer): PublishedEntry[] {
  const at = Date.now();
  try {
    const sent = JSON.parse(requestBody.toString('utf8')) as { Entries?: Record<string, unknown>[] };
    const answer = JSON.parse(answerBody.toString('utf8')) as { Entries?: { EventId?: string }[] };
    const accepted: PublishedEntry[] = [];
    (sent.Entries ?? []).forEach((entry, index) => {
      const awsEventId = answer.Entries?.[index]?.EventId;
      if (!awsEventId) return;
      let detail: unknown;
      try {
        detail = JSON.parse(String(entry.Detail ?? ''));
      } catch {
        detail = undefined;
      }
      accepted.push({
        source: String(entry.Source ?? ''),
        detailType: String(entry.DetailType ?? ''),
        detail,
        eventBusName: String(entry.EventBusName ?? 'default'),
        awsEventId,
        at,
      });
    });
    return accepted;
  } catch {
    return [];
  }
}
