/**
 * The traffic of `evtgen load`, derived from the contract: every OpenAPI operation is a route,
 * mixed by weight in a fixed interleaving (smooth weighted round-robin, so any window of the run has
 * the configured mix, not a random approximation of it), with bodies and parameters the contract
 * accepts, a fresh correlation id and idempotency key per request, path parameters filled from
 * earlier answers (the orders the run created are the ones it reads) and the credentials the
 * secured routes need. Everything that could make the service answer 400 or 401 is refused here,
 * before the first request, with the operation named.
 */
import { randomUUID } from 'node:crypto';
import type { SpecWorkspace } from '../load/workspace.js';
import type { ContractModel, HttpOperation, Slo } from '../model/contract.js';
import { type ContractSchemas, contractSchemas } from './contract-schemas.js';
import type { LoadRequest } from './load-request.js';
import { type RequestTemplate, requestTemplate } from './request-templates.js';
import { isSecured, isSigV4, refuseMissingCredentials } from './route-auth.js';
import { smoothWeightedCycle } from './weighted-cycle.js';

/**
 * The request header the generated HTTP runtime reads the correlation id from (a UUID; see
 * `correlationHeader` in generator/runtime/http.ts). It joins an accepted request with the events
 * it caused and the consumers that processed them.
 */
export const correlationHeader = 'x-correlation-id';

/** A request and the correlation id it carries (in `x-correlation-id`). */
export type PlannedRequest = LoadRequest & {
  readonly correlationId: string;
  /** An IAM route: the driver signs the request (SigV4) just before it leaves. */
  readonly sign?: true;
};

/** A route of the run. */
export interface TrafficRoute {
  /** `POST /orders`. */
  readonly routeKey: string;
  readonly operationId: string;
  /** Share of the requests, relative to the other routes' weights (> 0). */
  readonly weight: number;
  /** Event types (payload type names) a 2xx answer publishes (`x-emits`). */
  readonly emits: readonly string[];
  readonly slo: Slo;
  /** Where the operation is written, e.g. `specs/orders.openapi.yaml#/paths/~1orders/post`. */
  readonly source: string;
  /** The route needs credentials (its effective security requirement is not empty). */
  readonly secured: boolean;
  /** Its credential is a SigV4 signature (IAM authorization). */
  readonly iam: boolean;
}

export interface TrafficAuth {
  /** Sent as `Authorization: Bearer <token>` on secured routes (e.g. the `evtgen dev` session's). */
  readonly bearerToken?: string;
  /** Sent on every request; they override the bearer token (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** IAM routes are signed (SigV4) by the driver: they are sent, marked `sign`. */
  readonly sigV4?: boolean;
}

export interface TrafficOptions {
  /** `POST /orders` → weight (default 1 each; 0 leaves the route out). */
  readonly weights?: Readonly<Record<string, number>>;
  readonly auth: TrafficAuth;
  /** Picks among captured path values (default Math.random): seed it for a repeatable run. */
  readonly random?: () => number;
}

export interface TrafficPlan {
  /** The routes with a weight above 0, in the contract's order. */
  readonly routes: readonly TrafficRoute[];
  /** Request number `index` (0-based) of the run; call in order. */
  next(index: number): PlannedRequest;
  /**
   * An answer of a route: a 2xx JSON body (only when `needsBody` said so) and its `Location`
   * header give path parameter values for later requests.
   */
  observe(routeKey: string, status: number, body: string | undefined, location?: string): void;
  /** Whether the driver should keep the body of this answer for `observe`. */
  needsBody(routeKey: string, status: number): boolean;
}

/** Captured values kept per path parameter name (the most recent). */
const capturedPerParameter = 1000;

interface ActiveRoute {
  readonly route: TrafficRoute;
  readonly op: HttpOperation;
  readonly template: RequestTemplate;
  /** Matches a `Location` path of this route, one group per path parameter. */
  readonly pathPattern: RegExp;
  /** 2xx statuses whose body can feed a path parameter. */
  readonly feeding: ReadonlySet<string>;
  sent: number;
}

/** Builds the traffic of a run; throws an Error naming the operation when a route cannot be sent. */
export async function buildTraffic(
  model: ContractModel,
  workspace: SpecWorkspace,
  options: TrafficOptions,
): Promise<TrafficPlan> {
  const weights = options.weights ?? {};
  const random = options.random ?? Math.random;
  const known = new Set(model.httpOperations.map(routeKeyOf));
  const unknown = Object.keys(weights).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new Error(
      `Weights name routes the contract does not have: ${unknown.join(', ')}. Routes: ${[...known].join(', ')}.`,
    );
  const weighted = model.httpOperations.map((op) => ({ op, weight: weights[routeKeyOf(op)] ?? 1 }));
  for (const { op, weight } of weighted)
    if (!(Number.isFinite(weight) && weight >= 0))
      throw new Error(
        `${routeKeyOf(op)}: the weight must be a number of at least 0 (0 leaves the route out).`,
      );
  const chosen = weighted.filter(({ weight }) => weight > 0);
  if (chosen.length === 0)
    throw new Error('Every route has weight 0: give at least one route a weight above 0.');
  refuseMissingCredentials(
    model,
    chosen.map((c) => c.op),
    options.auth,
  );

  const schemas = await contractSchemas(model);
  const capturable = new Set(chosen.flatMap(({ op }) => pathParameterNames(op.path)));
  const active: ActiveRoute[] = chosen.map(({ op, weight }) => ({
    route: {
      routeKey: routeKeyOf(op),
      operationId: op.operationId,
      weight,
      emits: op.emits,
      slo: op.slo,
      source: `${op.origin.file}#${op.origin.pointer}`,
      secured: isSecured(op),
      iam: isSigV4(model, op),
    },
    op,
    template: requestTemplate(op, workspace, schemas),
    pathPattern: pathPatternOf(op.path),
    feeding: feedingStatuses(op, schemas, capturable),
    sent: 0,
  }));
  const byKey = new Map(active.map((a) => [a.route.routeKey, a]));
  const cycle = smoothWeightedCycle(active.map((a) => a.route.weight));
  const captured = new Map<string, string[]>();
  const checks = new Map(
    active.flatMap((a) => a.template.pathParameters.map((p) => [p.name, p.check] as const)).reverse(),
  );

  const capture = (name: string, value: unknown): void => {
    if (typeof value !== 'string' || !capturable.has(name)) return;
    if ((checks.get(name)?.(value).length ?? 1) > 0) return;
    const pool = captured.get(name) ?? [];
    pool.push(value);
    if (pool.length > capturedPerParameter) pool.shift();
    captured.set(name, pool);
  };

  return {
    routes: active.map((a) => a.route),
    next(index) {
      const target = active[cycle[index % cycle.length] ?? 0] as ActiveRoute;
      const sent = target.sent++;
      return requestOf(target, sent, options.auth, (name, fallback) => {
        const pool = captured.get(name);
        return pool && pool.length > 0 ? (pool[Math.floor(random() * pool.length)] ?? fallback) : fallback;
      });
    },
    observe(routeKey, status, body, location) {
      if (status < 200 || status > 299) return;
      if (location !== undefined) {
        const path = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, '').split(/[?#]/)[0] ?? '';
        for (const a of active) {
          const match = a.pathPattern.exec(path);
          if (match?.groups) for (const [name, value] of Object.entries(match.groups)) capture(name, value);
        }
      }
      if (body === undefined || !byKey.has(routeKey)) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        for (const [name, value] of Object.entries(parsed))
          if (!pathParameterNames(routeKey).includes(name)) capture(name, value);
    },
    needsBody(routeKey, status) {
      const feeding = byKey.get(routeKey)?.feeding;
      return feeding !== undefined && (feeding.has(String(status)) || feeding.has(`${String(status)[0]}XX`));
    },
  };
}

/** `POST /orders`. */
export function routeKeyOf(op: Pick<HttpOperation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

function requestOf(
  a: ActiveRoute,
  sent: number,
  auth: TrafficAuth,
  pathValue: (name: string, fallback: string) => string,
): PlannedRequest {
  const { template } = a;
  let path = a.op.path;
  for (const p of template.pathParameters)
    path = path.replace(`{${p.name}}`, encodeURIComponent(pathValue(p.name, p.fallback)));
  const headers: Record<string, string> = { ...template.headers };
  const body = template.bodies[sent % Math.max(template.bodies.length, 1)];
  if (body && template.contentType) headers['content-type'] = template.contentType;
  for (const name of template.uniqueHeaders) headers[name] = randomUUID();
  if (a.route.secured && !a.route.iam && auth.bearerToken)
    headers.authorization = `Bearer ${auth.bearerToken}`;
  for (const [name, value] of Object.entries(auth.headers ?? {})) {
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  const correlationId = randomUUID();
  headers[correlationHeader] = correlationId;
  return {
    method: a.op.method.toUpperCase(),
    path: path + template.query,
    headers,
    ...(body ? { body: body.text } : {}),
    routeKey: a.route.routeKey,
    correlationId,
    ...(a.route.iam && auth.sigV4 ? { sign: true as const } : {}),
  };
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/** `/orders/{orderId}` → `^/orders/(?<orderId>[^/]+)$` (names that are not identifiers match nothing). */
function pathPatternOf(path: string): RegExp {
  const names = pathParameterNames(path);
  if (names.some((n) => !/^[A-Za-z_$][\w$]*$/.test(n))) return /(?!)/;
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      return name ? `(?<${name}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return names.length === 0 ? /(?!)/ : new RegExp(`^${source}$`);
}

/**
 * The 2xx statuses of `op` whose body has a top-level property some route takes as a path
 * parameter. A route's own path parameters do not count: its answer can only echo what it was sent.
 */
function feedingStatuses(
  op: HttpOperation,
  schemas: ContractSchemas,
  capturable: ReadonlySet<string>,
): Set<string> {
  const statuses = new Set<string>();
  for (const response of op.responses) {
    if (!/^2(\d\d|XX)$/i.test(response.status) || !response.schema) continue;
    const properties = schemas.resolve(response.schema).properties;
    const names = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
    const own = pathParameterNames(op.path);
    if (names.some((n) => capturable.has(n) && !own.includes(n))) statuses.add(response.status.toUpperCase());
  }
  return statuses;
}
