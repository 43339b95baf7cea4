import { isObject } from '../load/json-pointer.js';
import type { ContractModel, EventType, JsonSchema, NamedSchema } from '../model/contract.js';
import { compileInWorker } from './event-models-worker.js';
import { type GeneratedFile, header, jsDoc } from './generated-file.js';

const bundleName = 'EvtgenEventSchemas';

/**
 * `events/models.ts`: one named TypeScript type per event schema (payloads, headers, shared
 * `$ref` targets), produced by json-schema-to-typescript from the model's schema bundle.
 *
 * json-schema-to-typescript is wrapped rather than used raw because (1) it names inline schemas
 * after their `title`, which would bypass evtgen's single naming pass — titles are folded into the
 * description instead; (2) it annotates every definition with "This interface was referenced by…"
 * and declares a type for the bundle root, both stripped here; (3) a schema that is only a `$ref` (a
 * message payload pointing at a differently named schema) disappears into its target, so evtgen
 * declares that alias itself.
 */
export async function emitEventModels(model: ContractModel): Promise<GeneratedFile> {
  const schemas = model.schemas.filter((s) => s.usedBy?.includes('asyncapi'));
  const definitions: Record<string, JsonSchema> = {};
  // jstt crashes on a `$ref` to a boolean definition ("Invalid value used as weak map key"), so those
  // go in as objects; `tsType` is jstt's own keyword for "emit this type".
  for (const named of schemas) definitions[named.name] = forJstt(named.schema);
  // In a worker thread (event-models-worker.ts): the same call, overlapping the validators' compilation.
  const compiled = await compileInWorker(definitions, bundleName, {
    bannerComment: '',
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 110, singleQuote: true },
  });
  const messages = new Map(model.events.map((e) => [e.names.payload, e]));
  const aliases = schemas.flatMap((named) => aliasDeclaration(named, messages.get(named.name)));
  const body = stripJstt(compiled);
  const declared = declaredNames(`${body}\n${aliases.join('\n')}`);
  const collapsed = schemas.flatMap((named) =>
    declared.has(named.name) ? [] : [collapsedDeclaration(named, messages.get(named.name))],
  );
  const extra = [...aliases, ...collapsed];
  const content = [header(model), body.trim(), ...(extra.length ? ['', ...extra] : [])].join('\n');
  return { path: 'events/models.ts', content: `${content.trimEnd()}\n` };
}

/**
 * `export type OrderPlaced = OrderPlacedPayload;` for schemas that only point at another one —
 * typically a message whose payload is a `$ref`; its JSDoc then comes from the message.
 */
function aliasDeclaration(named: NamedSchema, message: EventType | undefined): string[] {
  const schema = named.schema;
  if (!isObject(schema) || typeof schema.$ref !== 'string') return [];
  const target = schema.$ref.replace('#/definitions/', '');
  if (target === named.name) return [];
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const doc = message
    ? [
        `Payload of the ${message.messageName} event: ${message.summary ?? message.title ?? 'see'} {@link ${target}}.`.replace(
          ': see {',
          ': {',
        ),
        message.description,
      ]
    : [description ?? `The \`${named.name}\` schema: see {@link ${target}}.`];
  return [`${jsDoc(doc)}export type ${named.name} = ${target};`];
}

/**
 * The definition handed to jstt. `tsType` is jstt's own keyword for "emit this type", used where jstt
 * gets JSON Schema wrong: it crashes on a `$ref` to a boolean definition ("Invalid value used as weak
 * map key"), and it types a schema without constraints (`{}`, `{description: …}`), which accepts any
 * JSON value, as an object with an index signature.
 */
function forJstt(schema: JsonSchema): JsonSchema {
  if (schema === true) return { tsType: 'unknown' };
  if (schema === false) return { tsType: 'never' };
  const folded = foldTitles(schema);
  if (
    isObject(folded) &&
    Object.keys(folded).every((key) => annotationKeywords.has(key) || key.startsWith('x-'))
  )
    return { ...folded, tsType: 'unknown' };
  return folded;
}

const annotationKeywords = new Set([
  'description',
  'examples',
  'example',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
]);

/** Every `export type X` / `export interface X` name in `code`. */
function declaredNames(code: string): Set<string> {
  return new Set([...code.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1] ?? ''));
}

/**
 * jstt declares nothing for a schema that accepts any value (`true`, `{}`, `allOf: [{}]`,
 * `oneOf: [{type: number}, {}]`) or none (`false`): it inlines `unknown` where the schema is used.
 * The name is still part of the generated API (envelopes and validators import it), so evtgen
 * declares it: `never` for the `false` schema, `unknown` for everything jstt found unconstrained.
 */
function collapsedDeclaration(named: NamedSchema, message: EventType | undefined): string {
  const schema = named.schema;
  const description =
    isObject(schema) && typeof schema.description === 'string' ? schema.description : undefined;
  const doc = message
    ? [
        `Payload of the ${message.messageName} event${message.summary ? `: ${message.summary}` : '.'}`,
        message.description,
      ]
    : [description ?? `The \`${named.name}\` schema.`];
  return `${jsDoc(doc)}export type ${named.name} = ${schema === false ? 'never' : 'unknown'};`;
}

/** Moves `title` into the description at every level so that jstt cannot name types after it. */
function foldTitles(schema: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'title' && typeof value === 'string') continue;
      out[key] =
        key === 'enum' || key === 'const' || key === 'examples' || key === 'default' ? value : visit(value);
    }
    if (typeof node.title === 'string') {
      out.description =
        typeof node.description === 'string' ? `${node.title}\n\n${node.description}` : node.title;
    }
    return out;
  };
  return visit(schema) as JsonSchema;
}

/** Removes jstt's provenance comments and the declaration of the bundle root. */
function stripJstt(code: string): string {
  return code
    .replace(new RegExp(`export (interface ${bundleName} \\{[^}]*\\}|type ${bundleName} = [^;]*;)\\n?`), '')
    .replace(
      /^ \* This interface was referenced by `[^`]+`'s JSON-Schema\n \* via the `definition` "[^"]+"\.\n/gm,
      '',
    )
    .replace(/^ \*\n(?= \*\n)/gm, '')
    .replace(/^ \*\n(?= \*\/)/gm, '')
    .replace(/^\/\*\*\n \*\/\n/gm, '')
    .replace(/\n{3,}/g, '\n\n');
}
