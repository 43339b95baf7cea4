import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../diagnostics.js';
import type { ContractModel, HttpOperation } from '../model/contract.js';
import { toKebabName } from '../model/naming.js';
import { type TypedDocuments, typeDocument } from '../openapi-worker.js';
import { type GeneratedFile, header, jsDoc, literal } from './generated-file.js';

/** The module (under `http/`) holding openapi-typescript's output for one OpenAPI document. */
export function httpTypesModule(documentFile: string): string {
  const base = documentFile.split('/').pop() ?? documentFile;
  return toKebabName(base.replace(/\.(ya?ml|json)$/i, ''));
}

/**
 * `http/<document>.ts` from openapi-typescript (paths, components, operations) for each OpenAPI
 * document, and `http/operations.ts`: named aliases into it for every request body, parameter set and
 * response body, so handlers and validators say `CreateOrderRequestBody`, not an index chain.
 */
export async function emitHttpTypes(
  model: ContractModel,
  projectRoot: string,
  typed?: TypedDocuments,
): Promise<{ files: GeneratedFile[]; diagnostics: Diagnostic[] }> {
  const results = await typeDocuments(model, projectRoot, typed);
  if (results.length === 0) return { files: [], diagnostics: [] };
  const files: GeneratedFile[] = results.flatMap(({ document, types }) =>
    types === undefined
      ? []
      : [{ path: `http/${httpTypesModule(document)}.ts`, content: `${header(model)}\n${types}` }],
  );
  files.push(operationAliases(model));
  return { files, diagnostics: results.flatMap((r) => r.diagnostics) };
}

/** What `emitHttpTypes` reports, without its files: for `evtgen lint` (emit-diagnostics.ts). */
export async function httpTypesDiagnostics(
  model: ContractModel,
  projectRoot: string,
  typed?: TypedDocuments,
): Promise<Diagnostic[]> {
  return (await typeDocuments(model, projectRoot, typed)).flatMap((r) => r.diagnostics);
}

/** One OpenAPI document's types (its spec file's path), or why openapi-typescript made none. */
interface DocumentTypes {
  readonly document: string;
  readonly types?: string;
  readonly diagnostics: Diagnostic[];
}

/** openapi-typescript's output for each OpenAPI document, or why it has none. */
async function typeDocuments(
  model: ContractModel,
  projectRoot: string,
  typed: TypedDocuments | undefined,
): Promise<DocumentTypes[]> {
  const results: DocumentTypes[] = [];
  for (const document of model.documents.filter((d) => d.kind === 'openapi')) {
    const path = `${projectRoot}/${document.file}`;
    try {
      const types = await (typed?.get(resolve(path)) ?? typeDocument(pathToFileURL(path)));
      results.push({ document: document.file, types, diagnostics: [] });
    } catch (error) {
      // Loading validated the document, so this is openapi-typescript refusing something it does not
      // support: report it against the document rather than crash.
      results.push({
        document: document.file,
        diagnostics: [
          {
            severity: 'error',
            code: 'openapi-typescript',
            message: `openapi-typescript could not type this document: ${(error as Error).message.split('\n')[0]}`,
            file: document.file,
            position: { line: 1, column: 1 },
            pointer: '',
            hint: 'Run `evtgen lint`; if it reports nothing, simplify the construct named above.',
          },
        ],
      });
    }
  }
  return results;
}

function operationAliases(model: ContractModel): GeneratedFile {
  const modules = new Map<string, string>();
  for (const op of model.httpOperations) {
    const module = httpTypesModule(op.origin.file);
    modules.set(module, `${toPascal(module)}Operations`);
  }
  // An operation without operationId is not under `operations`: it is reached by path and method.
  const byPath = new Set(
    model.httpOperations.filter((op) => op.operationIdDerived).map((op) => httpTypesModule(op.origin.file)),
  );
  const imports = [...modules]
    .sort()
    .map(([module, alias]) =>
      byPath.has(module)
        ? `import type { operations as ${alias}, paths as ${alias.replace(/Operations$/, 'Paths')} } from './${module}.js';`
        : `import type { operations as ${alias} } from './${module}.js';`,
    );
  const blocks = model.httpOperations.map((op) =>
    aliasesFor(op, modules.get(httpTypesModule(op.origin.file)) ?? ''),
  );
  const content = [
    header(model),
    ...imports,
    '',
    '/** API Gateway (HTTP API, payload v2) delivers header names in lower case. */',
    'type LowercaseKeys<T> = { [K in keyof T as K extends string ? Lowercase<K> : K]: T[K] };',
    '',
    blocks.join('\n'),
  ].join('\n');
  return { path: 'http/operations.ts', content };
}

function aliasesFor(op: HttpOperation, operations: string): string {
  const base = op.operationIdDerived
    ? `${operations.replace(/Operations$/, 'Paths')}[${literal(op.path)}][${literal(op.method.toLowerCase())}]`
    : `${operations}[${literal(op.operationId)}]`;
  const where = `${op.operationId} (${op.method} ${op.path})`;
  const lines: string[] = [];
  if (op.requestBody) {
    lines.push(
      jsDoc([`Request body of ${where}.`]),
      `export type ${op.requestBody.name} = NonNullable<${base}['requestBody']>['content'][${literal(op.requestBody.contentType)}];\n`,
    );
  }
  for (const set of op.parameterSets) {
    const type = `NonNullable<${base}['parameters'][${literal(set.location)}]>`;
    lines.push(
      jsDoc([`${capitalize(set.location)} parameters of ${where}.`]),
      `export type ${set.name} = ${set.location === 'header' ? `LowercaseKeys<${type}>` : type};\n`,
    );
  }
  for (const response of op.responses) {
    if (!response.name || !response.contentType) continue;
    const status = /^\d+$/.test(response.status) ? response.status : literal(response.status);
    lines.push(
      jsDoc([
        `${response.status} response body of ${where}${response.description ? `: ${response.description}` : '.'}`,
      ]),
      `export type ${response.name} = NonNullable<${base}['responses'][${status}]['content']>[${literal(response.contentType)}];\n`,
    );
  }
  return lines.join('');
}

function toPascal(kebab: string): string {
  return kebab.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
