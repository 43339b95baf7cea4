import { compareStrings, type Diagnostic } from '../diagnostics.js';
import { checkExtension } from '../load/extensions.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { CorsSettings, HttpOperation, SourceRef } from './contract.js';

/** An OpenAPI document's `x-cors` as written (validated), and where it is. */
export interface DeclaredCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
  readonly allowCredentials?: boolean;
  readonly origin: SourceRef;
}

/** Request headers every cross-origin caller needs: the body type, the token, the correlation id. */
const defaultAllowHeaders = ['authorization', 'content-type', 'x-correlation-id'];
/** The correlation id every response carries (generator/runtime/http.ts). */
const defaultExposeHeaders = ['x-correlation-id'];
const defaultMaxAgeSeconds = 600;
/** The methods CORS on an HTTP API can name (TRACE cannot be routed by API Gateway). */
const corsMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'DELETE']);

const pointer = '/x-cors';

/**
 * Reads and validates the document-level `x-cors` of an OpenAPI document: its JSON Schema, plus the
 * rule API Gateway enforces at deploy time (no credentials with the origin `*`).
 */
export function readCors(
  doc: Record<string, unknown>,
  file: SourceFile,
): { readonly cors?: DeclaredCors; readonly diagnostics: Diagnostic[] } {
  const value = doc['x-cors'];
  if (value === undefined) return { diagnostics: [] };
  const diagnostics = checkExtension('cors', 'x-cors', value, file, pointer).map(withSpecificHint);
  if (isObject(value) && value.allowCredentials === true && Array.isArray(value.allowOrigins)) {
    const wildcard = value.allowOrigins.indexOf('*');
    if (wildcard >= 0) {
      const at = joinPointer(pointer, 'allowCredentials');
      const star = file.locate(joinPointer(pointer, 'allowOrigins', wildcard));
      diagnostics.push({
        severity: 'error',
        code: 'extension-invalid',
        message:
          `Invalid x-cors.allowCredentials true: API Gateway does not allow credentials with the ` +
          `origin "*" (x-cors.allowOrigins[${wildcard}], line ${star.line}).`,
        file: file.displayPath,
        position: file.locate(at),
        pointer: at,
        hint: 'List the origins that may send credentials instead of "*" (allowOrigins: [https://shop.example.org]), or drop allowCredentials (a bearer token in the Authorization header needs no credentials).',
      });
    }
  }
  if (diagnostics.length > 0 || !isObject(value)) return { diagnostics };
  const strings = (list: unknown): readonly string[] | undefined =>
    Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : undefined;
  const allowMethods = strings(value.allowMethods);
  const allowHeaders = strings(value.allowHeaders);
  const exposeHeaders = strings(value.exposeHeaders);
  return {
    cors: {
      allowOrigins: strings(value.allowOrigins) ?? [],
      ...(allowMethods ? { allowMethods } : {}),
      ...(allowHeaders ? { allowHeaders } : {}),
      ...(exposeHeaders ? { exposeHeaders } : {}),
      ...(typeof value.maxAgeSeconds === 'number' ? { maxAgeSeconds: value.maxAgeSeconds } : {}),
      ...(typeof value.allowCredentials === 'boolean' ? { allowCredentials: value.allowCredentials } : {}),
      origin: {
        file: file.displayPath,
        pointer,
        // Looked up when a diagnostic needs it (the first lookup parses the YAML tree: fast-yaml.ts).
        get position() {
          return file.locate(pointer);
        },
      },
    },
    diagnostics,
  };
}

/** The schema's patterns say little to a reader: a bad origin or header name is named and gets an example. */
function withSpecificHint(diagnostic: Diagnostic): Diagnostic {
  const pattern = /: must match pattern .*$/;
  if (!pattern.test(diagnostic.message)) return diagnostic;
  if (/^\/x-cors\/allowOrigins\/\d+$/.test(diagnostic.pointer)) {
    return {
      ...diagnostic,
      message: diagnostic.message.replace(pattern, ': not an origin.'),
      hint: 'An origin is "*" or scheme://host[:port] in lower case, without a path or a trailing slash: e.g. https://shop.example.org or http://localhost:3000.',
    };
  }
  return {
    ...diagnostic,
    message: diagnostic.message.replace(pattern, ': not a header name.'),
    hint: 'A header name is one token (letters, digits and !#$%&\'*+.^_`|~-), e.g. x-api-key; "*" allows any.',
  };
}

/**
 * The CORS of the one HTTP API all OpenAPI documents' operations are routed on: the declarations
 * must agree (after defaults), else an error at each differing one naming the first.
 */
export function mergeCors(
  declarations: readonly DeclaredCors[],
  operations: readonly HttpOperation[],
): { readonly cors?: CorsSettings; readonly diagnostics: Diagnostic[] } {
  const [first, ...others] = declarations;
  if (!first) return { diagnostics: [] };
  const cors = resolveCors(first, operations);
  const diagnostics: Diagnostic[] = [];
  for (const other of others) {
    const resolved = resolveCors(other, operations);
    const differing = (Object.keys(cors) as (keyof CorsSettings)[]).filter(
      (key) => JSON.stringify(cors[key]) !== JSON.stringify(resolved[key]),
    );
    if (differing.length === 0) continue;
    const at = first.origin;
    diagnostics.push({
      severity: 'error',
      code: 'cors-conflict',
      message:
        `This x-cors differs from the one at ${at.file}:${at.position.line}:${at.position.column} in ` +
        `${differing.join(', ')}: every OpenAPI operation is a route of the same HTTP API, which has one CORS configuration.`,
      file: other.origin.file,
      position: other.origin.position,
      pointer: other.origin.pointer,
      hint: 'Declare x-cors in one OpenAPI document only, or make the declarations the same.',
    });
  }
  return { cors, diagnostics };
}

/**
 * One declaration with evtgen's defaults, from the operations of every OpenAPI document: the
 * methods they use; their header parameters besides authorization, content-type and
 * x-correlation-id; their response headers besides x-correlation-id. Lists are sorted and
 * de-duplicated, header names lower case.
 */
export function resolveCors(declared: DeclaredCors, operations: readonly HttpOperation[]): CorsSettings {
  const headers = (names: Iterable<string>) => sorted([...names].map((n) => n.toLowerCase()));
  return {
    allowOrigins: sorted(declared.allowOrigins),
    allowMethods: sorted(
      declared.allowMethods ??
        operations.map((op) => op.method.toUpperCase()).filter((method) => corsMethods.has(method)),
    ),
    allowHeaders: headers(
      declared.allowHeaders ?? [
        ...defaultAllowHeaders,
        ...operations.flatMap((op) =>
          op.parameterSets.filter((set) => set.location === 'header').flatMap((set) => set.parameters),
        ),
      ],
    ),
    exposeHeaders: headers(
      declared.exposeHeaders ?? [
        ...defaultExposeHeaders,
        ...operations.flatMap((op) => op.responses.flatMap((r) => r.headers.map((h) => h.name))),
      ],
    ),
    maxAgeSeconds: declared.maxAgeSeconds ?? defaultMaxAgeSeconds,
    allowCredentials: declared.allowCredentials ?? false,
  };
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}
