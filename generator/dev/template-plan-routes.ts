/**
 * The HTTP side of the plan: each API Gateway HTTP API route with the function its Lambda proxy
 * integration invokes and how it is authorized (none, JWT with the authorizer's issuer and audience,
 * or IAM), so the local server routes and authorizes requests the way the deployed API does.
 */
import type { DevRoute, DevRouteAuthorization, TemplateValue } from './plan.js';
import type { PlanScope } from './plan-scope.js';
import {
  literalList,
  literalMap,
  literalString,
  referenceOf,
  referencesIn,
  show,
  type TemplateMap,
} from './template.js';

/** Every `AWS::ApiGatewayV2::Route`, in template order. */
export function planRoutes(scope: PlanScope): DevRoute[] {
  return scope.ofType('AWS::ApiGatewayV2::Route').map(([id, resource]) => {
    const props = resource.Properties ?? {};
    const where = `${id} (AWS::ApiGatewayV2::Route)`;
    const routeKey = literalString(props.RouteKey, `${where} RouteKey`);
    if (routeKey === undefined) throw new Error(`${where} RouteKey: missing`);
    const space = routeKey.indexOf(' ');
    const [method, path] =
      routeKey === '$default' || space < 0
        ? ['ANY', routeKey]
        : [routeKey.slice(0, space), routeKey.slice(space + 1)];
    const api = referenceOf(props.ApiId);
    return {
      routeKey,
      method,
      path,
      ...(api && scope.template.Resources[api.id]?.Type === 'AWS::ApiGatewayV2::Api' ? { api: api.id } : {}),
      function: integrationFunction(scope, integrationOf(scope, props.Target, `${where} Target`)),
      authorization: authorization(scope, props, where),
    };
  });
}

/** `integrations/<Ref Integration>` (as a Fn::Join or Fn::Sub) → the integration's logical id. */
function integrationOf(scope: PlanScope, target: TemplateValue | undefined, where: string): string {
  const integrations = referencesIn(target).filter(
    (r) => scope.template.Resources[r.id]?.Type === 'AWS::ApiGatewayV2::Integration',
  );
  const [integration] = integrations;
  if (integrations.length === 1 && integration) return integration.id;
  if (target === undefined)
    throw new Error(`${where}: missing (a route without an integration answers nothing)`);
  throw new Error(
    `${where}: expected integrations/<an AWS::ApiGatewayV2::Integration of this template>, found ${show(target)}`,
  );
}

/** The function a Lambda proxy integration invokes (its IntegrationUri names exactly one). */
function integrationFunction(scope: PlanScope, id: string): string {
  const props = scope.template.Resources[id]?.Properties ?? {};
  const where = `${id} (AWS::ApiGatewayV2::Integration)`;
  const type = literalString(props.IntegrationType, `${where} IntegrationType`);
  if (type !== 'AWS_PROXY')
    throw new Error(
      `${where} IntegrationType: evtgen dev runs Lambda proxy integrations (AWS_PROXY), found ${show(type)}`,
    );
  const functions = referencesIn(props.IntegrationUri).filter(
    (r) => scope.template.Resources[r.id]?.Type === 'AWS::Lambda::Function',
  );
  const [fn] = functions;
  if (functions.length !== 1 || !fn)
    throw scope.unknown(
      props.IntegrationUri,
      `${where} IntegrationUri`,
      'the ARN of one Lambda function of this template',
    );
  return scope.functionOf({ Ref: fn.id }, `${where} IntegrationUri`);
}

function authorization(scope: PlanScope, route: TemplateMap, where: string): DevRouteAuthorization {
  const type = literalString(route.AuthorizationType, `${where} AuthorizationType`) ?? 'NONE';
  if (type === 'NONE' || type === 'AWS_IAM') return { type };
  if (type !== 'JWT')
    throw new Error(
      `${where} AuthorizationType: evtgen dev supports NONE, JWT and AWS_IAM, found ${show(type)}`,
    );
  const scopes = literalList(route.AuthorizationScopes, `${where} AuthorizationScopes`).map((s, i) => {
    const value = literalString(s, `${where} AuthorizationScopes[${i}]`);
    return value ?? '';
  });
  const authorizer = referenceOf(route.AuthorizerId);
  const resource = authorizer ? scope.template.Resources[authorizer.id] : undefined;
  if (!authorizer || resource?.Type !== 'AWS::ApiGatewayV2::Authorizer')
    throw scope.unknown(
      route.AuthorizerId,
      `${where} AuthorizerId`,
      'an AWS::ApiGatewayV2::Authorizer of this template',
    );
  const authorizerWhere = `${authorizer.id} (AWS::ApiGatewayV2::Authorizer)`;
  const jwt = literalMap(resource.Properties?.JwtConfiguration, `${authorizerWhere} JwtConfiguration`);
  const issuer = jwt.Issuer;
  const audience = jwt.Audience;
  const literalAudience =
    Array.isArray(audience) && audience.every((a) => typeof a === 'string')
      ? (audience as readonly string[])
      : undefined;
  return {
    type: 'JWT',
    scopes,
    ...(typeof issuer === 'string' ? { issuer } : issuer === undefined ? {} : { issuerValue: issuer }),
    audience: literalAudience ?? [],
    ...(literalAudience || audience === undefined ? {} : { audienceValue: audience }),
  };
}
