/**
 * Route selection as API Gateway HTTP APIs do it, so a request reaches locally the function it
 * reaches when deployed. AWS documents the priority ("Routing API requests"): a full match of
 * method and path first, then a match through a greedy `{proxy+}` variable, then `$default`.
 * Among several full (or several greedy) matches the most specific wins; AWS's own example
 * (`GET /pets/dog/1` over `GET /pets/dog/{id}` over `GET /pets/{proxy+}` over `ANY /{proxy+}`)
 * is reproduced by comparing segment by segment from the left (a literal beats `{param}`, which
 * beats `{proxy+}`), then a longer greedy prefix, then an explicit method over `ANY`.
 *
 * Choices where AWS documents nothing, made to match observed behaviour or to stay strict:
 * - A trailing slash is significant: `/orders/` does not match `GET /orders` (HTTP APIs, unlike
 *   REST APIs, do not fold it; route keys cannot even end in `/`).
 * - `{param}` never matches an empty segment and `{proxy+}` needs at least one character, so
 *   `ANY /{proxy+}` does not match `/` (deployed APIs need `$default` or `ANY /` for that).
 * - Paths are matched decoded (see request-target.ts), so `%2F` in a segment splits it.
 */
import type { DevRoute } from './plan.js';
import { decodeParameter } from './request-target.js';

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: DevRoute;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly greedy: boolean;
}

/** The routes of one API, ready for matching. */
export interface RouteTable {
  readonly routes: readonly CompiledRoute[];
  readonly fallback?: DevRoute;
}

/** The route a request selected and the path parameters it carries (decoded). */
export interface RouteMatch {
  readonly route: DevRoute;
  /** Absent when the route has no path variables, as in API Gateway's event. */
  readonly pathParameters?: Readonly<Record<string, string>>;
}

/**
 * Compiles the plan's routes. Throws on a route key API Gateway would refuse at deploy time
 * (unknown shape, greedy variable not last, duplicate key), since matching it would be a guess.
 */
export function compileRoutes(routes: readonly DevRoute[]): RouteTable {
  const compiled: CompiledRoute[] = [];
  let fallback: DevRoute | undefined;
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.routeKey)) throw new Error(`Duplicate route key ${route.routeKey}`);
    seen.add(route.routeKey);
    if (route.routeKey === '$default') {
      fallback = route;
      continue;
    }
    compiled.push(compileRoute(route));
  }
  return fallback ? { routes: compiled, fallback } : { routes: compiled };
}

function compileRoute(route: DevRoute): CompiledRoute {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route.routeKey);
  if (!match?.[1] || !match[2]) throw new Error(`Route key ${route.routeKey} is not "METHOD /path"`);
  const method = match[1];
  const parts = match[2] === '/' ? [''] : match[2].slice(1).split('/');
  const segments = parts.map((part, i): Segment => {
    const variable = /^\{([^{}]+)\}$/.exec(part);
    if (!variable?.[1]) return { kind: 'literal', value: part };
    const name = variable[1];
    if (!name.endsWith('+')) return { kind: 'param', name };
    if (i !== parts.length - 1) throw new Error(`Route key ${route.routeKey}: {${name}} must come last`);
    return { kind: 'greedy', name: name.slice(0, -1) };
  });
  return { route, method, segments, greedy: segments.some((s) => s.kind === 'greedy') };
}

/** The route API Gateway selects for `method` and the decoded `path`, or undefined (a 404). */
export function matchRoute(table: RouteTable, method: string, path: string): RouteMatch | undefined {
  const requested = path === '/' ? [''] : path.replace(/^\/+/, '').split('/');
  let best: { readonly compiled: CompiledRoute; readonly parameters: Record<string, string> } | undefined;
  for (const compiled of table.routes) {
    if (compiled.method !== 'ANY' && compiled.method !== method.toUpperCase()) continue;
    const parameters = bind(compiled.segments, requested);
    if (!parameters) continue;
    if (!best || moreSpecific(compiled, best.compiled)) best = { compiled, parameters };
  }
  if (best) {
    const names = Object.keys(best.parameters);
    return names.length > 0
      ? { route: best.compiled.route, pathParameters: best.parameters }
      : { route: best.compiled.route };
  }
  return table.fallback ? { route: table.fallback } : undefined;
}

/** The path parameters when the segments match, else undefined. */
function bind(
  segments: readonly Segment[],
  requested: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = requested.slice(i).join('/');
      if (rest === '') return undefined;
      parameters[segment.name] = decodeParameter(rest);
      return parameters;
    }
    const value = requested[i];
    if (value === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== value) return undefined;
    } else {
      if (value === '') return undefined;
      parameters[segment.name] = decodeParameter(value);
    }
  }
  return segments.length === requested.length ? parameters : undefined;
}

const rank: Readonly<Record<Segment['kind'], number>> = { literal: 2, param: 1, greedy: 0 };

function moreSpecific(a: CompiledRoute, b: CompiledRoute): boolean {
  if (a.greedy !== b.greedy) return !a.greedy;
  const shared = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < shared; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x && y && rank[x.kind] !== rank[y.kind]) return rank[x.kind] > rank[y.kind];
  }
  // Two greedy routes with the same shape up to the shorter: the longer prefix is more specific.
  if (a.segments.length !== b.segments.length) return a.segments.length > b.segments.length;
  return a.method !== 'ANY' && b.method === 'ANY';
}
