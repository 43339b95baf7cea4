/**
 * The local HTTP API of `evtgen dev`: a Node HTTP server that plays API Gateway (HTTP API, payload
 * format 2.0) in front of the service's functions. Per request, in API Gateway's order: select the
 * route (404 `{"message":"Not Found"}`), read the body (413 over 10 MB), run the route's
 * authorizer (401/403), build the event, invoke the function (500 `{"message":"Internal Server
 * Error"}` when it fails, 503 `{"message":"Service Unavailable"}` past the 30-second integration
 * timeout) and turn its result into the response. CORS preflight is not emulated.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { headerLists, type LocalApiEvent, newRequestId, toApiEvent } from './api-event.js';
import {
  type GatewayResponse,
  gatewayError,
  internalServerError,
  toGatewayResponse,
} from './api-response.js';
import type { LocalAuth } from './local-auth.js';
import type { DevRoute } from './plan.js';
import { maxPayloadBytes, readBody } from './read-body.js';
import { parseRequestTarget } from './request-target.js';
import { compileRoutes, matchRoute } from './routes.js';

/** What running a function gave: its result, or the error Lambda would report. */
export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

/** Runs function `functionLogicalId` with `event` (a worker thread in `evtgen dev`). */
export type Invoke = (functionLogicalId: string, event: LocalApiEvent) => Promise<InvokeOutcome>;

/** One request served, for counters and logs. */
export interface RequestRecord {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** The selected route; absent on a 404. */
  readonly routeKey?: string;
  /** The function's logical id, when the request got that far. */
  readonly function?: string;
  readonly status: number;
  readonly durationMs: number;
  /** The function's error, when the invocation failed. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
}

/** Serves one `/_evtgen/...` endpoint (the response is the handler's to write). */
export type ExtraRouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface HttpServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Defaults to 127.0.0.1: the dev API is not for the network. */
  readonly host?: string;
  readonly routes: readonly DevRoute[];
  readonly auth: LocalAuth;
  readonly invoke: Invoke;
  readonly onRequest?: (record: RequestRecord) => void;
  /** Exact paths under `/_evtgen/`, served before any route. */
  readonly extraRoutes?: Readonly<Record<string, ExtraRouteHandler>>;
  /** API Gateway's limit (30 s) unless told otherwise. */
  readonly integrationTimeoutMs?: number;
  /** API Gateway's limit (10 MB) unless told otherwise. */
  readonly maxBodyBytes?: number;
}

export interface RunningHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** New routes and authorizers (after an edit): later requests use them. */
  update(next: { readonly routes: readonly DevRoute[]; readonly auth: LocalAuth }): void;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/** Starts the local HTTP API; resolves once it listens. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  let table = compileRoutes(options.routes);
  let auth = options.auth;
  const extraRoutes = new Map(Object.entries(options.extraRoutes ?? {}));
  for (const path of extraRoutes.keys()) {
    // Elsewhere they would shadow the service's own routes.
    if (!path.startsWith('/_evtgen/')) throw new Error(`Extra route ${path} must be under /_evtgen/`);
  }
  const host = options.host ?? '127.0.0.1';

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newRequestId();
    const method = (request.method ?? 'GET').toUpperCase();
    const target = parseRequestTarget(request.url ?? '/');
    const extra = extraRoutes.get(target.path);
    if (extra) return extra(request, response);
    const record = (status: number, fields: Partial<RequestRecord> = {}) =>
      options.onRequest?.({
        requestId,
        method,
        path: target.path,
        status,
        durationMs: performance.now() - started,
        ...fields,
      });

    const match = matchRoute(table, method, target.path);
    if (!match) {
      send(response, gatewayError(404, 'Not Found'), requestId);
      return record(404);
    }
    const fields = { routeKey: match.route.routeKey, function: match.route.function };
    const read = await readBody(request, options.maxBodyBytes ?? maxPayloadBytes);
    if (!read.ok) {
      // 499: the client went away before its body arrived (nginx's name for it); nothing to answer.
      if (read.reason === 'aborted') return record(499, fields);
      response.setHeader('connection', 'close');
      send(response, gatewayError(413, 'Request Entity Too Large'), requestId);
      return record(413, fields);
    }
    const authorized = auth.authorize(match.route.authorization, {
      method,
      path: target.sentPath,
      rawQueryString: target.rawQueryString,
      headers: headerLists(request.rawHeaders),
      body: read.body,
    });
    if (!authorized.ok) {
      send(response, gatewayError(authorized.status, authorized.message, authorized.headers), requestId);
      return record(authorized.status, fields);
    }
    const event = toApiEvent(request, read.body, match, {
      accountId: auth.accountId,
      requestId,
      ...(authorized.authorizer ? { authorizer: authorized.authorizer } : {}),
    });
    const invoked = options.invoke(match.route.function, event).catch(
      (error: unknown): InvokeOutcome => ({
        ok: false,
        errorType: error instanceof Error ? error.name : 'Error',
        errorMessage: error instanceof Error ? error.message : String(error),
      }),
    );
    const outcome = await withTimeout(invoked, options.integrationTimeoutMs ?? 30_000);
    if (outcome === 'timeout') {
      send(response, gatewayError(503, 'Service Unavailable'), requestId);
      return record(503, fields);
    }
    if (!outcome.ok) {
      send(response, internalServerError(), requestId);
      const { errorType, errorMessage } = outcome;
      return record(500, { ...fields, error: { errorType, errorMessage } });
    }
    const status = send(response, toGatewayResponse(outcome.result), requestId);
    record(status, fields);
  }

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      // A fault of the server itself: answer as the gateway does when something behind it broke.
      if (!response.headersSent) send(response, internalServerError(), 'local');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    update: (next) => {
      table = compileRoutes(next.routes);
      auth = next.auth;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Writes `response`; returns the status sent. Headers a function returned that HTTP cannot carry
 * (a newline in a value) make the response unreadable, which the gateway answers with a 500.
 */
function send(response: ServerResponse, gateway: GatewayResponse, requestId: string): number {
  const valid = gateway.headers.every(([name, value]) => {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      return true;
    } catch {
      return false;
    }
  });
  const sent = valid ? gateway : internalServerError();
  response.statusCode = sent.status;
  for (const [name, value] of sent.headers) response.appendHeader(name, value);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', sent.body.length);
  response.end(sent.body);
  return sent.status;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
