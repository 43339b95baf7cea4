import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../diagnostics.js';
import type { ContractModel, HttpOperation } from '../model/contract.js';
import { toKebabName } from '../model/naming.js';
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
): Promise<{ files: GeneratedFile[]; diagnostics: Diagnostic[] }> {
  const documents = model.documents.filter((d) => d.kind === 'openapi');
  if (documents.length === 0) return { files: [], diagnostics: [] };
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const redocly = await typingConfig();
  const files: GeneratedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const document of documents) {
    const url = pathToFileURL(`${projectRoot}/${document.file}`);
    try {
      const ast = await openapiTS(await typingInput(url), {
        alphabetize: true,
        silent: true,
        redocly,
        cwd: url,
      });
      files.push({
        path: `http/${httpTypesModule(document.file)}.ts`,
        content: `${header(model)}\n${astToString(ast)}`,
      });
    } catch (error) {
      // Loading validated the document, so this is openapi-typescript refusing something it does not
      // support: report it against the document rather than crash.
      diagnostics.push({
        severity: 'error',
        code: 'openapi-typescript',
        message: `openapi-typescript could not type this document: ${(error as Error).message.split('\n')[0]}`,
        file: document.file,
        position: { line: 1, column: 1 },
        pointer: '',
        hint: 'Run `evtgen lint`; if it reports nothing, simplify the construct named above.',
      });
    }
  }
  files.push(operationAliases(model));
  return { files, diagnostics };
}

/**
 * What openapi-typescript reads: a JSON document as its text, which it parses with `JSON.parse`
 * (given a URL, it parses the file with Redocly's YAML parser: ~1.2 s more on GitHub's 13 MB REST
 * description, the same value); anything else by URL. `cwd` is the document's URL either way, so
 * relative `$ref`s resolve from the document's folder.
 */
async function typingInput(url: URL): Promise<URL | string> {
  if (!/\.json$/i.test(url.pathname)) return url;
  const text = await readFile(url, 'utf8');
  return text.trimStart().startsWith('{') ? text.trimStart() : url;
}

/**
 * The Redocly configuration openapi-typescript bundles with. Its default lints with Redocly's
 * `minimal` ruleset, which evtgen has already run with its own rules (load/openapi-validate.ts), and
 * prints what it finds to the console: here no rules run. One decorator works around an
 * openapi-typescript 7.13 crash ("Cannot use 'in' operator to search for '$ref' in true"): its
 * discriminator scan assumes every `allOf` member is an object, but OpenAPI 3.1 allows the boolean
 * schemas `true` and `false`, which are rewritten to their object forms `{}` and `{not: {}}` — the same
 * meaning, so the types do not change.
 */
async function typingConfig() {
  const { createConfig } = await import('@redocly/openapi-core');
  const booleanAllOf = () => ({
    Schema: {
      leave(schema: Record<string, unknown>) {
        if (Array.isArray(schema.allOf)) schema.allOf = schema.allOf.map(objectSchema);
      },
    },
  });
  const plugin = { id: 'evtgen', decorators: { oas3: { 'object-allof-members': booleanAllOf } } };
  return createConfig({
    extends: [],
    rules: {},
    plugins: [plugin],
    decorators: { 'evtgen/object-allof-members': 'on' },
  } as never);
}

/** `true` → `{}`, `false` → `{not: {}}`; anything else unchanged. */
function objectSchema(schema: unknown): unknown {
  return schema === true ? {} : schema === false ? { not: {} } : schema;
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
