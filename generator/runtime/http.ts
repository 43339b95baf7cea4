/**
 * The request/response cycle of one HTTP operation behind API Gateway (HTTP API, payload format
 * 2.0): parse and validate parameters and body, call the user's function with typed input, turn its
 * result into a response, and turn everything else into RFC 9457 problem details.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { bodyText, nonFiniteNumbers, parseJson, readDeclared } from './http-input.js';
import { type Observability, observeInvocation } from './observability.js';
import { describeIssues, type Issue, type Validate } from './validation.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterSetDefinition {
  /** Declared names (header names lower case, as API Gateway delivers them). */
  readonly names: readonly string[];
  /** Names whose schema is an array: their comma-separated values are split. */
  readonly arrays: readonly string[];
  readonly validate: Validate<unknown>;
}

export interface ResponseDefinition {
  /** Media type of the body, when the response has one. */
  readonly contentType?: string;
  /** Checks the body the user function returned (when response validation is enabled). */
  readonly validate?: Validate<unknown>;
}

export interface HttpOperationDefinition {
  readonly operationId: string;
  readonly method: string;
  /** The OpenAPI path template, which is also API Gateway's route key: `/orders/{orderId}`. */
  readonly path: string;
  readonly parameters: Partial<Record<ParameterLocation, ParameterSetDefinition>>;
  readonly body?: {
    readonly contentType: string;
    readonly required: boolean;
    readonly validate: Validate<unknown>;
  };
  /** Declared responses by status code, `1XX`–`5XX` range or `default`. */
  readonly responses: Readonly<Record<string, ResponseDefinition>>;
}

/** What the user function returns: one of the declared responses. */
export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The validated request as the user function receives it. */
export interface HttpRequest {
  readonly path?: unknown;
  readonly query?: unknown;
  readonly headers?: unknown;
  readonly cookies?: unknown;
  readonly body?: unknown;
}

export interface HttpContext<TPublish, TOutbox = Readonly<Record<string, never>>> {
  /** The correlation id of this request: from `x-correlation-id` when it is a UUID, else new. */
  readonly correlationId: string;
  readonly logger: Observability['logger'];
  readonly metrics: Observability['metrics'];
  readonly tracer: Observability['tracer'];
  /** Typed publishers of the events this operation emits (`x-emits`), bound to the correlation id. */
  readonly publish: TPublish;
  /**
   * Outbox rows of the events this operation emits (`x-emits`): put them in the same DynamoDB
   * transaction as the business write, and the outbox relay publishes them (write + publish atomic).
   */
  readonly outbox: TOutbox;
  /** The raw API Gateway event, for what the contract does not describe (e.g. JWT claims). */
  readonly event: APIGatewayProxyEventV2;
  readonly lambdaContext: Context;
}

export interface HttpHandlerOptions {
  /**
   * Validate every response body against the contract before it leaves. A response that does not
   * match is logged with its issues and replaced by a 500: clients never see an off-contract body.
   */
  readonly validateResponses?: boolean;
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Response header that carries the correlation id back to the client. */
export const correlationHeader = 'x-correlation-id';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const statusTitles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** A problem detail (RFC 9457) as this runtime produces it. */
interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly { readonly pointer: string; readonly message: string }[];
}

/** Raised while reading the request: becomes a problem response, not a 500. */
class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: readonly Issue[] = [],
  ) {
    super(detail);
  }
}

/**
 * Builds the Lambda handler of one operation. `publishers` makes the typed publishers and outbox for
 * one request (bound to its correlation id); operations that emit nothing pass empty ones.
 */
export function createHttpHandler<
  TRequest extends HttpRequest,
  TResult extends HttpResult,
  TPublish,
  TOutbox = Readonly<Record<string, never>>,
>(
  definition: HttpOperationDefinition,
  observability: Observability,
  publishers: (correlationId: string) => { readonly publish: TPublish; readonly outbox: TOutbox },
  implementation: (request: TRequest, context: HttpContext<TPublish, TOutbox>) => Promise<TResult>,
  options: HttpHandlerOptions = {},
): HttpHandler {
  const { logger, metrics, tracer } = observability;
  const routeKey = `${definition.method.toUpperCase()} ${definition.path}`;
  return (event, lambdaContext) =>
    observeInvocation(observability, lambdaContext, async () => {
      const correlationId = readCorrelationId(event, observability);
      logger.setCorrelationId(correlationId);
      logger.appendKeys({ operationId: definition.operationId });
      tracer.putAnnotation('correlationId', correlationId);
      const instance = event.rawPath;
      const respond = (status: number, body: unknown, contentType: string | undefined, headers = {}) =>
        toResponse(status, body, contentType, { ...headers, [correlationHeader]: correlationId });
      const problem = (status: number, detail: string, errors: readonly Issue[] = []) =>
        respond(status, problemBody(status, detail, instance, errors), 'application/problem+json');

      if (event.routeKey !== '$default' && event.routeKey !== routeKey) {
        logger.warn('Request for a route this function does not serve', {
          routeKey: event.routeKey,
          serves: routeKey,
        });
        return problem(404, `No operation serves ${event.routeKey} here.`);
      }
      let request: TRequest;
      try {
        request = readRequest(definition, event) as TRequest;
      } catch (error) {
        if (!(error instanceof RequestProblem)) throw error;
        metrics.addMetric('RequestsInvalid', 'Count', 1);
        logger.info('Request rejected', { status: error.status, issues: error.errors });
        return problem(error.status, error.detail, error.errors);
      }

      let result: TResult;
      try {
        result = await implementation(request, {
          correlationId,
          logger,
          metrics,
          tracer,
          ...publishers(correlationId),
          event,
          lambdaContext,
        });
      } catch (error) {
        // Nothing about the failure reaches the client: the log has it, keyed by the correlation id.
        logger.error('Unhandled error in the operation', error as Error);
        return problem(
          500,
          'An unexpected error occurred. Retry later; quote the correlation id when reporting it.',
        );
      }

      const declared = responseFor(definition.responses, result.status);
      if (!declared) {
        logger.error('The operation returned an undeclared status', { status: result.status });
        return problem(
          500,
          'An unexpected error occurred. Retry later; quote the correlation id when reporting it.',
        );
      }
      if (options.validateResponses && declared.validate && result.body !== undefined) {
        const checked = declared.validate(result.body);
        if (!checked.valid) {
          logger.error('The response does not match the contract', {
            status: result.status,
            issues: describeIssues(checked.issues),
          });
          return problem(
            500,
            'An unexpected error occurred. Retry later; quote the correlation id when reporting it.',
          );
        }
      }
      return respond(result.status, result.body, declared.contentType, result.headers);
    });
}

function readCorrelationId(event: APIGatewayProxyEventV2, { logger }: Observability): string {
  const received = event.headers?.[correlationHeader];
  if (received !== undefined && uuidPattern.test(received)) return received.toLowerCase();
  // Event metadata declares the correlation id as a UUID, so anything else is replaced, not passed on.
  const generated = randomUUID();
  if (received !== undefined)
    logger.info('Replaced a correlation id that is not a UUID', { received, generated });
  return generated;
}

/** Parameters and body, validated; throws RequestProblem listing every failing pointer. */
function readRequest(definition: HttpOperationDefinition, event: APIGatewayProxyEventV2): HttpRequest {
  const issues: Issue[] = [];
  const request: Record<string, unknown> = {};
  const keyOf: Record<ParameterLocation, string> = {
    path: 'path',
    query: 'query',
    header: 'headers',
    cookie: 'cookies',
  };
  for (const location of ['path', 'query', 'header', 'cookie'] as const) {
    const set = definition.parameters[location];
    if (!set) continue;
    const read = readDeclared(event, location, set.names);
    issues.push(...read.issues);
    // API Gateway joins repeated query parameters and headers with commas.
    const values = Object.fromEntries(
      Object.entries(read.values).map(([name, value]) => [
        name,
        set.arrays.includes(name) ? value.split(',') : value,
      ]),
    );
    const checked = set.validate(values);
    const infinite = checked.valid ? nonFiniteNumbers(checked.value) : [];
    if (checked.valid && infinite.length === 0) request[keyOf[location]] = checked.value;
    else if (checked.valid)
      issues.push(...infinite.map((i) => ({ pointer: `#/${location}${i.pointer}`, message: i.message })));
    else
      issues.push(
        ...checked.issues
          // An undecodable cookie is already reported, as what it is.
          .filter((i) => !read.issues.some((r) => r.pointer === `#/${location}${i.pointer}`))
          .map((i) => ({ pointer: `#/${location}${i.pointer}`, message: i.message })),
      );
  }
  if (definition.body) {
    const body = readBody(definition.body, event);
    if (body !== undefined) {
      const checked = definition.body.validate(body);
      if (checked.valid) request.body = checked.value;
      else issues.push(...checked.issues);
    }
  }
  if (issues.length > 0) {
    throw new RequestProblem(
      400,
      `The request does not match the contract of ${definition.operationId}.`,
      issues,
    );
  }
  return request;
}

function readBody(
  body: NonNullable<HttpOperationDefinition['body']>,
  event: APIGatewayProxyEventV2,
): unknown {
  // Real events carry no `body` (or null) when the request has none.
  if (event.body === undefined || event.body === null || event.body === '') {
    if (body.required)
      throw new RequestProblem(400, 'The request needs a body.', [
        { pointer: '', message: `must be a ${body.contentType} body` },
      ]);
    return undefined;
  }
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isJsonMediaType(contentType)) {
    throw new RequestProblem(
      415,
      `Send the body as ${body.contentType} (received ${contentType || 'no Content-Type'}).`,
    );
  }
  const text = bodyText(event.body, event.isBase64Encoded);
  if ('issue' in text) throw new RequestProblem(400, 'The request body cannot be read.', [text.issue]);
  const parsed = parseJson(text.text);
  if ('issue' in parsed) throw new RequestProblem(400, parsed.detail, [parsed.issue]);
  return parsed.value;
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[^;]+\+json$/.test(mediaType);
}

/** Exact status first, then its `4XX` range, then `default` (OpenAPI's precedence). */
function responseFor(
  responses: Readonly<Record<string, ResponseDefinition>>,
  status: number,
): ResponseDefinition | undefined {
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

function problemBody(status: number, detail: string, instance: string, errors: readonly Issue[]): Problem {
  return {
    type: 'about:blank',
    title: statusTitles[status] ?? 'Error',
    status,
    detail,
    instance,
    ...(errors.length > 0 ? { errors: errors.map(({ pointer, message }) => ({ pointer, message })) } : {}),
  };
}

function toResponse(
  status: number,
  body: unknown,
  contentType: string | undefined,
  headers: Readonly<Record<string, string>>,
): APIGatewayProxyStructuredResultV2 {
  if (body === undefined) return { statusCode: status, headers: { ...headers } };
  return {
    statusCode: status,
    headers: { 'content-type': contentType ?? 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
