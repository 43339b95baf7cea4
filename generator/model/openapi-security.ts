import type { Diagnostic, SourcePosition } from '../diagnostics.js';
import { isObject } from '../load/json-pointer.js';
import type { SecurityScheme } from './contract.js';

/** The security schemes of an OpenAPI document's components, sorted by name. */
export function securitySchemesOf(components: Record<string, unknown>): SecurityScheme[] {
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  return Object.entries(schemes)
    .filter((entry): entry is [string, Record<string, unknown>] => isObject(entry[1]))
    .map(([name, s]) => ({
      name,
      type: typeof s.type === 'string' ? s.type : '',
      ...(typeof s.scheme === 'string' ? { scheme: s.scheme.toLowerCase() } : {}),
      ...(typeof s.bearerFormat === 'string' ? { bearerFormat: s.bearerFormat } : {}),
      ...(typeof s.openIdConnectUrl === 'string' ? { openIdConnectUrl: s.openIdConnectUrl } : {}),
      ...(typeof s['x-amazon-apigateway-authtype'] === 'string'
        ? { awsAuthType: s['x-amazon-apigateway-authtype'] }
        : {}),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Secure by default: an operation that says nothing about security is refused, not made public.
 * `security: []` (on the operation or the document) is how a route is made public on purpose.
 */
export function securityMissing(
  at: { readonly file: string; readonly position: SourcePosition; readonly pointer: string },
  method: string,
  path: string,
  operationId: string,
): Diagnostic {
  return {
    severity: 'error',
    code: 'operation-security-missing',
    message: `${method.toUpperCase()} ${path} (operationId ${operationId}) declares no security, neither on the operation nor on the document; evtgen does not make a route public by omission.`,
    ...at,
    hint: 'Add `security: []` to the operation to make it public on purpose, or a document-level `security` (e.g. `security: [{ bearerAuth: [] }]`) that every operation inherits.',
  };
}
