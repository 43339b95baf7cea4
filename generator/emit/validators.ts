import { collectGarbage } from '../collect-garbage.js';
import type {
  ContractModel,
  HttpOperation,
  JsonSchema,
  NamedSchema,
  SchemaDialect,
} from '../model/contract.js';
import {
  BundleInstances,
  type CompileDiagnostic,
  compileGroups,
  type ValidatorGroup,
} from './compile-validators.js';
import { eventDetailSchema as detailSchema } from './event-detail.js';
import { doNotEditMarker, type GeneratedFile, header, jsDoc } from './generated-file.js';
import { startValidatorBundler, streamToWorker } from './validator-bundle.js';

export interface ValidatorEmitResult {
  readonly files: GeneratedFile[];
}

/**
 * `validators/`: precompiled ajv validators for every event (payload, metadata, whole detail) and
 * every HTTP request body and parameter set, each wrapped as a typed function:
 * `validateOrderPlaced(x): ValidationResult<OrderPlaced>` and `isOrderPlaced(x): x is OrderPlaced`.
 *
 * ajv compiles on the main thread; esbuild's bundling and the split run in a worker
 * (validator-bundle.ts), and `meanwhile` runs on the main thread while they do. It gets ajv's
 * complaints (unknown formats, ignored keywords; refusals as errors), for the CLI to show.
 */
export async function emitValidators(
  model: ContractModel,
  meanwhile: (warnings: readonly CompileDiagnostic[]) => Promise<void> = async () => undefined,
): Promise<ValidatorEmitResult> {
  startValidatorBundler();
  let instances: BundleInstances | undefined = validatorInstances(model);
  // Compiled once: the instances go with this emission (a second one compiles afresh).
  shared.delete(model.schemas);
  const definitions = instances.definitions;

  const eventExports = eventValidatorNames(model);
  const groups = validatorGroups(model, definitions);
  // One module per validator and per set of validators sharing code (validator-modules.ts), else
  // one. The worker gets each group's module as soon as ajv has made it; this thread keeps none
  // afterwards (~20 MB on GitHub's REST API description).
  const bundling = streamToWorker(groups);
  const warnings = await compileGroups(groups, instances, bundling.add)
    .then((compiled) => compiled.warnings)
    .finally(bundling.done);
  // ajv's instances are the bulk of the heap on big specs, and garbage from here: collected before
  // the emitters below and the writing allocate their own (collect-garbage.ts). From 64 MB: on
  // GitHub's REST API description the heap is often ~210 MB here (under the default threshold) and
  // ~60 MB after, and the run's peak comes next, while the OpenAPI worker prints its types: in runs
  // with ~210 MB here it went from 590–592 MB to 511–519 MB. The run waits for the bundling here,
  // not for this thread, so the collection (~50 ms) costs no time.
  instances = undefined;
  collectGarbage(64 * 1024 * 1024);
  const [bundled] = await Promise.all([bundling.result, meanwhile(warnings)]);
  const allExports = groups
    .flatMap((g) => [...g.exports, ...(g.aliases ?? []).map(([alias]) => alias)])
    .sort();
  const files: GeneratedFile[] = [
    { path: 'validators/compiled.js', content: `${header(model, 'block')}${bundled.barrel}` },
    ...[...bundled.modules].map(([file, content]) => ({
      path: `validators/compiled/${file}`,
      content: `${header(model, 'block')}${content}`,
    })),
    { path: 'validators/compiled.d.ts', content: compiledDeclarations(model, allExports) },
    { path: 'validators/package.json', content: packageJson },
  ];
  if (model.events.length > 0) files.push(eventValidators(model, eventExports));
  if (model.httpOperations.length > 0) files.push(httpValidators(model));
  return { files };
}

/**
 * ajv's warnings and refusals for this model's validators, without making their code: what
 * `emitValidators` reports, for `evtgen lint` (emit-diagnostics.ts). The same instances, groups and
 * compile order, so ajv says the same things; the standalone code, the bundling and the split,
 * which say nothing, are left out.
 */
export async function validatorWarnings(model: ContractModel): Promise<CompileDiagnostic[]> {
  const warnings = await compileForWarnings(model);
  // ajv's instances are garbage now (as after `emitValidators`' compile), and lint's Redocly
  // ruleset allocates next: without this, GitHub's REST API description ended lint with ~440 MB of
  // heap of which ~100 MB live, against ~220 MB with the full emission.
  collectGarbage(64 * 1024 * 1024);
  return warnings;
}

async function compileForWarnings(model: ContractModel): Promise<CompileDiagnostic[]> {
  const instances = validatorInstances(model);
  shared.delete(model.schemas);
  const groups = validatorGroups(model, instances.definitions);
  return (await compileGroups(groups, instances, undefined, { code: false })).warnings;
}

/**
 * The validators in compile groups: event validators and request bodies and responses by dialect,
 * then parameter sets (coerced from strings) by dialect; one export per distinct schema.
 */
function validatorGroups(
  model: ContractModel,
  definitions: Readonly<Record<string, JsonSchema>>,
): ValidatorGroup[] {
  const plain = new Map<SchemaDialect, Set<string>>([['draft-07', new Set(eventValidatorNames(model))]]);
  const coerced = new Map<SchemaDialect, Set<string>>();
  for (const op of model.httpOperations) {
    if (op.requestBody) addTo(plain, op.dialect, op.requestBody.name);
    for (const response of validatedResponses(op)) addTo(plain, op.dialect, response);
    for (const set of op.parameterSets) addTo(coerced, op.dialect, set.name);
  }
  return [
    ...[...plain].map(([dialect, names]) => ({
      dialect,
      coerce: false,
      ...sameSchemaOnce(names, definitions),
    })),
    ...[...coerced].map(([dialect, names]) => ({
      dialect,
      coerce: true,
      ...sameSchemaOnce(names, definitions),
    })),
  ];
}

/** The schema bundle of the validators: the model's schemas, the events' details and the responses. */
function validatorDefinitions(model: ContractModel): Record<string, JsonSchema> {
  const definitions: Record<string, JsonSchema> = {};
  for (const named of model.schemas) definitions[named.name] = named.schema;
  for (const event of model.events) definitions[event.names.detail] = detailSchema(event);
  for (const op of model.httpOperations)
    for (const response of op.responses)
      if (response.name && response.schema) definitions[response.name] = response.schema;
  return definitions;
}

const shared = new WeakMap<readonly NamedSchema[], BundleInstances>();

/**
 * The ajv instances over the validators' bundle for this model (compile-validators.ts
 * `BundleInstances`), with `extra` definitions added: the model's example check compiles with them
 * first, and the validators' emission then finds compiled what it shares with the check.
 */
export function validatorInstances(
  model: ContractModel,
  extra: Readonly<Record<string, JsonSchema>> = {},
): BundleInstances {
  const known = shared.get(model.schemas);
  if (known && Object.entries(extra).every(([name, schema]) => known.definitions[name] === schema))
    return known;
  const made = new BundleInstances({ ...validatorDefinitions(model), ...extra });
  shared.set(model.schemas, made);
  return made;
}

/**
 * Every module of validators/ is free of side effects: a bundler drops the imports of what a function
 * does not use, even from modules it leaves as imports (the first step of cdk/bundle-build.ts leaves
 * the validator modules to the second: without this, each function would import all of them). The
 * folder stays ES modules, as the project is.
 */
const packageJson = `${JSON.stringify({ '//': doNotEditMarker, type: 'module', sideEffects: false }, null, 2)}\n`;

/**
 * One validator per distinct schema: a name whose definition is the same JSON text as an earlier
 * name's (in name order) becomes an alias of it. Responses repeat schemas (GitHub's REST API: 3,173
 * bodies and responses, 775 distinct; `{$ref: BasicError}` 1,505 times), and ajv compiles a
 * definition per name even when a `$ref` names the same target, so without this the validators'
 * compile time and code grew with the repeats. The same text validates the same way: `$ref`s
 * resolve in the one bundle.
 */
function sameSchemaOnce(
  names: ReadonlySet<string>,
  definitions: Readonly<Record<string, JsonSchema>>,
): Pick<ValidatorGroup, 'exports' | 'aliases'> {
  const first = new Map<string, string>();
  const exports: string[] = [];
  const aliases: [string, string][] = [];
  for (const name of [...names].sort()) {
    const schema = definitions[name];
    const key = schema === undefined ? undefined : JSON.stringify(schema);
    const exported = key === undefined ? undefined : first.get(key);
    if (exported !== undefined) aliases.push([name, exported]);
    else {
      if (key !== undefined) first.set(key, name);
      exports.push(name);
    }
  }
  return { exports, aliases };
}

function addTo(map: Map<SchemaDialect, Set<string>>, dialect: SchemaDialect, name: string): void {
  const set = map.get(dialect) ?? new Set<string>();
  set.add(name);
  map.set(dialect, set);
}

/** Payloads, metadata types (once each) and details, in name order. */
function eventValidatorNames(model: ContractModel): string[] {
  const names = new Set<string>();
  for (const event of model.events) {
    names.add(event.names.payload).add(event.names.detail);
    if (event.names.metadata) names.add(event.names.metadata);
  }
  return [...names].sort();
}

function compiledDeclarations(model: ContractModel, names: readonly string[]): string {
  const lines = names.map((name) => `export declare const ${name}: CompiledValidator;`);
  return `${header(model)}\nimport type { CompiledValidator } from './result.js';\n\n${lines.join('\n')}\n`;
}

function eventValidators(model: ContractModel, names: readonly string[]): GeneratedFile {
  const detailNames = new Set(model.events.map((e) => e.names.detail));
  const modelTypes = names.filter((n) => !detailNames.has(n));
  const described = new Map<string, string>();
  for (const e of model.events) {
    described.set(e.names.payload, `a ${e.messageName} payload (\`detail.data\`)`);
    described.set(e.names.detail, `a whole ${e.messageName} EventBridge \`detail\` ({metadata, data})`);
    if (e.names.metadata && !described.has(e.names.metadata))
      described.set(e.names.metadata, `a ${e.names.metadata} (event metadata, \`detail.metadata\`)`);
  }
  const body = names.map((name) => guardPair(name, described.get(name) ?? `a ${name}`)).join('\n');
  const content = [
    header(model),
    `import type { ${[...detailNames].sort().join(', ')} } from '../events/envelopes.js';`,
    `import type { ${modelTypes.join(', ')} } from '../events/models.js';`,
    "import * as compiled from './compiled.js';",
    "import { runValidator, type ValidationResult } from './result.js';",
    '',
    body,
  ].join('\n');
  return { path: 'validators/events.ts', content };
}

/**
 * `validateX` and `isX` for one schema. Coercing validators get no type guard: they validate a
 * coerced copy, so the original value is not proven to have the type.
 */
function guardPair(name: string, what: string, coerce = false): string {
  const validate = [
    jsDoc([
      `Validates ${what}; every issue carries a JSON pointer.`,
      coerce
        ? 'Strings are coerced to the declared types; the valid result holds the coerced copy.'
        : undefined,
    ]),
    `export function validate${name}(value: unknown): ValidationResult<${name}> {\n`,
    `  return runValidator<${name}>(compiled.${name}, ${coerce ? 'copyForCoercion(value)' : 'value'});\n}\n`,
  ];
  if (coerce) return validate.join('');
  return [
    ...validate,
    '\n',
    jsDoc([`True when the value is ${what} that satisfies the contract.`]),
    `export function is${name}(value: unknown): value is ${name} {\n`,
    `  return compiled.${name}(value);\n}\n`,
  ].join('');
}

function httpValidators(model: ContractModel): GeneratedFile {
  const types: string[] = [];
  const blocks: string[] = [];
  for (const op of model.httpOperations) blocks.push(...operationValidators(op, types));
  const content = [
    header(model),
    `import type { ${types.sort().join(', ')} } from '../http/operations.js';`,
    "import * as compiled from './compiled.js';",
    "import { runValidator, type ValidationResult } from './result.js';",
    '',
    '/**',
    ' * Parameter validators coerce strings to the declared types (`"5"` → 5 for an integer), so they',
    ' * work on a copy and return the coerced value.',
    ' */',
    'function copyForCoercion(value: unknown): unknown {',
    "  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : value;",
    '}',
    '',
    blocks.join('\n'),
  ].join('\n');
  return { path: 'validators/http.ts', content };
}

function operationValidators(op: HttpOperation, types: string[]): string[] {
  const out: string[] = [];
  if (op.requestBody) {
    types.push(op.requestBody.name);
    out.push(
      guardPair(
        op.requestBody.name,
        `a ${op.requestBody.contentType} request body of ${op.operationId} (${op.method} ${op.path})`,
      ),
    );
  }
  for (const name of validatedResponses(op)) {
    types.push(name);
    out.push(
      guardPair(
        name,
        `a ${name.slice(op.name.length + 'Response'.length)} response body of ${op.operationId} (${op.method} ${op.path})`,
      ),
    );
  }
  for (const set of op.parameterSets) {
    types.push(set.name);
    out.push(
      guardPair(
        set.name,
        `the ${set.location} parameters of ${op.operationId} (${op.method} ${op.path})`,
        true,
      ),
    );
  }
  return out;
}

/** Response bodies with a schema: handlers may check what they return before it leaves. */
export function validatedResponses(op: HttpOperation): string[] {
  return op.responses.flatMap((r) => (r.name && r.schema ? [r.name] : []));
}
