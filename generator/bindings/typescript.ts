import { type Backend, bindingHeader, type ManifestEntry, versionLabel } from './backend.js';
import { byName, enumValueLiteral, modelina, processorOptions } from './modelina.js';

/**
 * With `rawPropertyNames` Modelina prints the key between single quotes without escaping it (a key
 * `it's` does not compile): the key is re-printed as a JSON string literal.
 */
const quotedKeys = {
  interface: {
    property({ content, property }: { content: string; property: { unconstrainedPropertyName: string } }) {
      const raw = property.unconstrainedPropertyName;
      return content.startsWith(`'${raw}'`)
        ? `${JSON.stringify(raw)}${content.slice(raw.length + 2)}`
        : content;
    },
  },
};

import { eventNames, modelinaInput, requiredPaths } from './schema.js';
import type { BindingSubject } from './subjects.js';

/**
 * TypeScript: Modelina's interfaces (with `rawPropertyNames`, since they describe `JSON.parse`
 * output: `detail-type` must stay `detail-type`) and string-literal unions for enums, one module
 * per event type and version. Modelina's file generator writes extensionless imports (invalid under
 * NodeNext) and no exports for `generate`, so evtgen assembles each module itself; `index.ts`
 * holds `parseEvent`, which checks the envelope and the required properties (TypeScript types are
 * gone at run time) and narrows on `detailType`.
 */
export const typescript: Backend = async (subjects) => {
  const m = await modelina();
  const generator = new m.TypeScriptGenerator({
    processorOptions,
    modelType: 'interface',
    enumType: 'union',
    mapType: 'record',
    // A schema that allows any value is `unknown`, not Modelina's `any`: the consumer must narrow it.
    typeMapping: { Any: () => 'unknown' },
    rawPropertyNames: true,
    constraints: { enumValue: enumValueLiteral((text) => JSON.stringify(text)) },
    presets: [quotedKeys, m.TS_DESCRIPTION_PRESET],
  });
  const files = [];
  const entries: ManifestEntry[] = [];
  const modules: { s: BindingSubject; module: string; envelope: string }[] = [];
  for (const s of subjects) {
    const names = eventNames(s);
    const models = byName(await generator.generate(modelinaInput(s)));
    const module = `${names.base}.v${s.version}`;
    const body = models
      .map((o) =>
        o.result
          .replace(/[ \t]+$/gm, '')
          .replace(/^(interface|type) /m, 'export $1 ')
          .trim(),
      )
      .join('\n\n');
    files.push({
      path: `${module}.ts`,
      content: `${bindingHeader('//', `${s.subject}, ${versionLabel(s)}.`, 'typescript')}

export const SUBJECT = ${JSON.stringify(s.subject)};
export const SOURCE = ${JSON.stringify(s.source)};
export const DETAIL_TYPE = ${JSON.stringify(s.detailType)};
/** The registry version these types bind${s.version === 0 ? ' (0: not published yet)' : ''}. */
export const SCHEMA_VERSION = ${s.version};

${body}
`,
    });
    entries.push({ subject: s.subject, version: s.version, file: `${module}.ts`, type: names.envelope });
    modules.push({ s, module, envelope: names.envelope });
  }
  files.push({ path: 'index.ts', content: indexFile(modules) });
  return { files, entries };
};

function indexFile(modules: readonly { s: BindingSubject; module: string; envelope: string }[]): string {
  const alias = (x: { s: BindingSubject; envelope: string }) => `${x.envelope}V${x.s.version}`;
  const lines = [
    bindingHeader(
      '//',
      'The envelope parser: which event type an EventBridge event is, as a typed object.',
      'typescript',
    ),
    ...modules.map((x) => `import type { ${x.envelope} as ${alias(x)} } from './${x.module}.js';`),
    ...modules.map(
      (x) => `export * as ${x.envelope.replace(/Envelope$/, '')}V${x.s.version} from './${x.module}.js';`,
    ),
    '',
    '/** The input is not a valid event of a known type; the message names where and why. */',
    'export class InvalidEventError extends Error {',
    "  override name = 'InvalidEventError';",
    '}',
    '',
    '/** An event of a known type, narrowed on `detailType`. */',
    'export type ParsedEvent =',
    ...(modules.length === 0
      ? ['  never;']
      : modules.map(
          (x, i) =>
            `  | { subject: ${JSON.stringify(x.s.subject)}; detailType: ${JSON.stringify(x.s.detailType)}; version: ${x.s.version}; event: ${alias(x)} }${i === modules.length - 1 ? ';' : ''}`,
        )),
    '',
    'interface Known {',
    '  readonly subject: string;',
    '  readonly version: number;',
    '  /** Paths of the properties the event must have (types cannot check them at run time). */',
    '  readonly required: readonly (readonly string[])[];',
    '}',
    '',
    '/** `source` → `detail-type` → the event type. */',
    'const known: Record<string, Record<string, Known>> = {',
  ];
  const bySource = new Map<string, typeof modules>();
  for (const x of modules) bySource.set(x.s.source, [...(bySource.get(x.s.source) ?? []), x]);
  for (const [source, xs] of bySource) {
    lines.push(`  ${JSON.stringify(source)}: {`);
    for (const x of xs)
      lines.push(
        `    ${JSON.stringify(x.s.detailType)}: { subject: ${JSON.stringify(x.s.subject)}, version: ${x.s.version}, required: ${JSON.stringify(requiredPaths(modelinaInput(x.s)))} },`,
      );
    lines.push('  },');
  }
  lines.push(
    '};',
    '',
    'const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript, a template literal there
    'const pointer = (path: readonly string[]) => path.map((k) => `/${k.replace(/~/g, "~0").replace(/\\//g, "~1")}`).join("");',
    '',
    'function json(text: string, what: string): unknown {',
    '  try {',
    '    return JSON.parse(text);',
    '  } catch (error) {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript, a template literal there
    '    throw new InvalidEventError(`${what} is not JSON: ${(error as Error).message}`);',
    '  }',
    '}',
    '',
    '/**',
    ' * The typed event in `raw`: an EventBridge event as delivered to a target (object or JSON text), or',
    ' * an SQS message carrying one (a Lambda SQS record with `body`, a ReceiveMessage message with `Body`).',
    ' * Throws InvalidEventError for anything else.',
    ' */',
    'export function parseEvent(raw: unknown): ParsedEvent {',
    '  let event = typeof raw === "string" ? json(raw, "the event") : raw;',
    '  if (isObject(event) && !("detail-type" in event)) {',
    '    const body = event.body ?? event.Body;',
    '    if (typeof body === "string") event = json(body, "the SQS message body");',
    '  }',
    '  if (!isObject(event) || typeof event.source !== "string" || typeof event["detail-type"] !== "string")',
    '    throw new InvalidEventError("/: not an EventBridge event: it needs the strings source and detail-type");',
    '  const detailType = event["detail-type"];',
    '  const type = known[event.source]?.[detailType];',
    '  if (!type) {',
    '    const names = Object.values(known).flatMap((byType) => Object.values(byType).map((k) => k.subject));',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript, a template literal there
    '    throw new InvalidEventError(`/: unknown event type ${event.source}@${detailType} (known: ${names.join(", ")})`);',
    '  }',
    '  for (const path of type.required) {',
    '    let node: unknown = event;',
    '    for (const [i, key] of path.entries()) {',
    '      if (!isObject(node) || !(key in node))',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript, a template literal there
    '        throw new InvalidEventError(`${pointer(path.slice(0, i + 1))}: required property is missing`);',
    '      node = node[key];',
    '    }',
    '  }',
    '  // Presence of every required property was checked above; the values are JSON.parse output typed by the schema.',
    '  return { subject: type.subject, detailType, version: type.version, event } as unknown as ParsedEvent;',
    '}',
  );
  return `${lines.join('\n')}\n`;
}
