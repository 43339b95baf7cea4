import { readFileSync } from 'node:fs';
import {
  type Diagnostic,
  dedupeDiagnostics,
  hasErrors,
  type SourcePosition,
  sortDiagnostics,
} from '../diagnostics.js';
import { startAsyncApiParserFor, validateAsyncApi } from '../load/asyncapi-validate.js';
import { listSpecFiles } from '../load/discover.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { SpecWorkspace } from '../load/workspace.js';
import { validateOpenApi } from '../openapi-worker.js';
import type { ContractModel, EventOperation, EventType, HttpOperation, SecurityScheme } from './contract.js';
import { type DeclaredCors, mergeCors } from './cors.js';
import { checkDeployLimits } from './deploy-checks.js';
import { checkExamples } from './example-check.js';
import { buildFromAsyncApi } from './from-asyncapi.js';
import { buildFromOpenApi } from './from-openapi.js';
import { NameRegistry, toKebabName } from './naming.js';
import { SchemaCollector } from './schema-collector.js';

export interface LoadOptions {
  /** Run the AsyncAPI parser's validation (slow-ish; `generate` and `lint` both do). Default true. */
  readonly validate?: boolean;
  /**
   * Called with the model as soon as evtgen's own checks pass, while the spec tools (AsyncAPI parser,
   * Redocly) are still validating: a caller may start emitting from it, and must discard that work
   * if the result comes back without a model.
   */
  readonly onDraft?: (model: ContractModel, locate: Locate) => void;
  /**
   * Refuse OpenAPI operations that declare no security (secure by default). Default true: generate
   * and lint refuse them; check, registry and docs pass false, because they read specs as they are
   * (a baseline written before this rule must still load to be compared).
   */
  readonly requireSecurity?: boolean;
  /**
   * Refuse what AWS would refuse at deploy (event patterns, name limits) and examples their schemas
   * refuse (docs/deploy-checks.md). Default true: generate and lint; check, registry and docs pass
   * false for the same reason as `requireSecurity`: they compare and render specs as they are.
   */
  readonly checkDeployability?: boolean;
  /**
   * The converted schemas are only checked, never read or changed (`check`): a place used by many
   * operations is converted once and shared. Default false (the emitters get a copy per use).
   */
  readonly convertOnce?: boolean;
  /** Called as each stage starts, with its name and counts (`model: 4 events, 2 operations`): for progress. */
  readonly onStage?: (stage: string) => void;
  /** Called once the documents are read, with their kinds and paths: emission can start what it needs early. */
  readonly onDocuments?: (documents: readonly { kind: 'asyncapi' | 'openapi'; path: string }[]) => void;
}

export interface LoadResult {
  /** Undefined when any error diagnostic was found. */
  readonly model?: ContractModel;
  /** Sorted, deduplicated. */
  readonly diagnostics: Diagnostic[];
  /** Absolute paths of every file read (spec files and `$ref` targets): the inputs of the output. */
  readonly inputs: string[];
  /** Line and column of a pointer in a loaded spec file, for diagnostics found after loading. */
  readonly locate: Locate;
  /** Every file read, parsed, with `$ref` resolution: what `evtgen check` compares schemas in. */
  readonly workspace?: SpecWorkspace;
}

export type Locate = (file: string, pointer: string) => SourcePosition | undefined;

/**
 * load → model: reads every spec under `specsDir`, validates it, and builds the contract model.
 * Bad input never throws: it comes back as diagnostics, and the model is withheld on any error.
 */
export async function loadContract(
  projectRoot: string,
  specsDir: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const workspace = new SpecWorkspace(projectRoot);
  const locate: Locate = (file, pointer) => workspace.locate(file, pointer);
  const paths = await listSpecFiles(specsDir).catch(() => undefined);
  const diagnostics: Diagnostic[] = [];
  const noSpecs = (why: string): LoadResult => ({
    inputs: [],
    locate,
    workspace,
    diagnostics: [
      {
        severity: 'error',
        code: 'specs-missing',
        message: `${why} evtgen needs at least one AsyncAPI or OpenAPI document there.`,
        file: workspace.displayPath(specsDir) || '.',
        position: { line: 1, column: 1 },
        pointer: '',
        hint: 'Create specs/ with an AsyncAPI 3.0 (events) or OpenAPI 3.x (HTTP) document (the spec conventions: docs/specs.md in the evtgen package).',
      },
    ],
  });
  if (!paths) return noSpecs(`The specs folder ${workspace.displayPath(specsDir) || '.'} does not exist.`);
  if (options.validate !== false) await startAsyncApiParserFor(paths);

  const documents: { file: SourceFile; kind: 'asyncapi' | 'openapi' }[] = [];
  // A spec that cannot be read may hold the messages x-emits names: judging x-emits without it would
  // report valid names as unknown, so that check waits until every document reads.
  let someSpecUnreadable = false;
  for (const path of paths) {
    const file = await workspace.loadWithReferences(path);
    if (!file || !isObject(file.value)) {
      someSpecUnreadable = true;
      continue;
    }
    const kind =
      'asyncapi' in file.value
        ? 'asyncapi'
        : 'openapi' in file.value || 'swagger' in file.value
          ? 'openapi'
          : undefined;
    if (!kind) continue;
    const versionProblem = checkVersion(file, kind);
    if (versionProblem) {
      diagnostics.push(versionProblem);
      someSpecUnreadable = true;
    } else documents.push({ file, kind });
  }
  if (documents.length === 0 && diagnostics.length === 0 && workspace.diagnostics.length === 0) {
    return noSpecs(`No AsyncAPI or OpenAPI document found in ${workspace.displayPath(specsDir)}.`);
  }

  options.onStage?.(
    `load: ${documents.length} document(s), ${workspace.loadedPaths().length} file(s) with their $refs`,
  );
  options.onDocuments?.(documents.map((d) => ({ kind: d.kind, path: d.file.path })));
  // The parser's worker gets its document now, before the model is built: read asynchronously, the
  // text would wait for the main thread to be idle (after modelling and the validators' compilation).
  const validation =
    options.validate === false
      ? []
      : documents.map((d) =>
          d.kind === 'asyncapi'
            ? validateAsyncApi(d.file, readFileSync(d.file.path, 'utf8'), projectRoot)
            : validateOpenApi(d.file.path, projectRoot),
        );

  const names = new NameRegistry();
  const schemas = new SchemaCollector(workspace, names, options.convertOnce === true);
  const events: EventType[] = [];
  const eventOperations: EventOperation[] = [];
  const consumers: ContractModel['consumers'][number][] = [];
  const httpOperations: HttpOperation[] = [];
  const specDocuments: ContractModel['documents'][number][] = [];
  let eventBusName: string | undefined;
  const securitySchemes = new Map<string, SecurityScheme>();
  let defaultThrottling: ContractModel['defaultThrottling'];
  const corsDeclarations: DeclaredCors[] = [];
  for (const { file, kind } of documents) {
    if (kind === 'asyncapi') {
      const built = buildFromAsyncApi(file, workspace, schemas, names);
      specDocuments.push(built.document);
      events.push(...built.events);
      eventOperations.push(...built.operations);
      consumers.push(...built.consumers);
      eventBusName ??= built.eventBusName;
      diagnostics.push(...built.diagnostics);
    } else {
      const built = buildFromOpenApi(file, workspace, schemas, names, {
        requireSecurity: options.requireSecurity !== false,
      });
      specDocuments.push(built.document);
      httpOperations.push(...built.operations);
      for (const scheme of built.securitySchemes)
        if (!securitySchemes.has(scheme.name)) securitySchemes.set(scheme.name, scheme);
      defaultThrottling ??= built.throttling;
      if (built.cors) corsDeclarations.push(built.cors);
      diagnostics.push(...built.diagnostics);
    }
  }
  const operationsWithEmits = someSpecUnreadable
    ? httpOperations
    : resolveEmits(httpOperations, events, workspace, diagnostics);
  const { cors, diagnostics: corsProblems } = mergeCors(corsDeclarations, httpOperations);
  diagnostics.push(...corsProblems);
  const collected = schemas.collected();
  diagnostics.push(...workspace.diagnostics, ...names.diagnostics, ...schemas.diagnostics);
  const byName =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  const primary = specDocuments.find((d) => d.kind === 'asyncapi') ?? specDocuments[0];
  const model: ContractModel = {
    service: {
      name: toKebabName(primary?.title ?? 'service'),
      title: primary?.title ?? '',
      version: primary?.version ?? '',
    },
    documents: specDocuments.sort(byName((d) => d.file)),
    schemas: collected.map((c) => ({ ...c.schema, usedBy: [...c.usedBy].sort() })),
    events: events.sort(byName((e) => e.names.payload)),
    eventOperations: eventOperations.sort(byName((o) => o.operationId)),
    consumers: consumers.sort(byName((c) => c.name)),
    httpOperations: operationsWithEmits.sort(byName((o) => o.operationId)),
    ...(eventBusName ? { eventBusName } : {}),
    ...(securitySchemes.size > 0
      ? { securitySchemes: [...securitySchemes.values()].sort(byName((s) => s.name)) }
      : {}),
    ...(defaultThrottling ? { defaultThrottling } : {}),
    ...(cors ? { cors } : {}),
  };
  options.onStage?.(
    `model: ${model.events.length} event(s), ${model.httpOperations.length} operation(s), ${model.consumers.length} consumer(s)`,
  );
  // What AWS would refuse at deploy time, and examples their own schemas refuse (docs/deploy-checks.md).
  if (options.checkDeployability !== false) {
    diagnostics.push(...checkDeployLimits(model, workspace), ...(await checkExamples(model, workspace)));
  }
  if (!hasErrors(diagnostics)) options.onDraft?.(model, locate);

  if (validation.length > 0)
    options.onStage?.(`validate: ${validation.length} document(s) (AsyncAPI parser, Redocly)`);
  for (const found of await Promise.all(validation)) diagnostics.push(...found);
  const all = sortDiagnostics(dedupeDiagnostics(withoutEchoes(diagnostics)));
  const inputs = workspace.loadedPaths();
  if (hasErrors(all)) return { diagnostics: all, inputs, locate, workspace };
  return { model, diagnostics: all, inputs, locate, workspace };
}

/**
 * Redocly and the AsyncAPI parser resolve `$ref`s too and report the ones that fail; evtgen's own
 * resolver has already reported each at the `$ref` with the file or pointer that is missing, so their
 * echoes are dropped (the parser's point at 1:1 and name absolute paths of this machine).
 */
function withoutEchoes(diagnostics: Diagnostic[]): Diagnostic[] {
  const ownRefProblems = diagnostics.filter((d) => d.code.startsWith('ref-'));
  const ownLines = new Set(ownRefProblems.map((d) => `${d.file}:${d.position.line}`));
  const ownFiles = new Set(ownRefProblems.map((d) => d.file));
  // A bad schema keyword that Redocly or the AsyncAPI parser already reports (with a suggestion) at
  // the same place is not repeated by evtgen's meta-schema check.
  const reportedBySpecTools = new Set(
    diagnostics.filter((d) => /^(openapi|asyncapi)\//.test(d.code)).map((d) => `${d.file}#${d.pointer}`),
  );
  return diagnostics.filter((d) => {
    if (d.code === 'schema-invalid') return !reportedBySpecTools.has(`${d.file}#${d.pointer}`);
    if (d.code === 'openapi/no-unresolved-refs') return !ownLines.has(`${d.file}:${d.position.line}`);
    if (d.code === 'asyncapi/invalid-ref') return !ownFiles.has(d.file);
    return true;
  });
}

const supported = { asyncapi: /^3\.0\.\d+$/, openapi: /^3\.[01]\.\d+$/ };

function checkVersion(file: SourceFile, kind: 'asyncapi' | 'openapi'): Diagnostic | undefined {
  const doc = file.value as Record<string, unknown>;
  const key = kind === 'openapi' && 'swagger' in doc ? 'swagger' : kind;
  const version = String(doc[key]);
  if (supported[kind].test(version) && key === kind) return undefined;
  const fix =
    kind === 'asyncapi'
      ? version.startsWith('2.')
        ? 'Convert it to AsyncAPI 3.0.0 with `npx @asyncapi/cli convert` (evtgen models send/receive operations of 3.0).'
        : 'Write the document as AsyncAPI 3.0.0.'
      : 'Use OpenAPI 3.0.x or 3.1.x (convert Swagger 2.0 with a tool such as swagger2openapi).';
  return {
    severity: 'error',
    code: 'spec-version-unsupported',
    message: `Unsupported ${key === 'swagger' ? 'Swagger' : kind === 'asyncapi' ? 'AsyncAPI' : 'OpenAPI'} version ${JSON.stringify(doc[key])}; evtgen reads ${kind === 'asyncapi' ? 'AsyncAPI 3.0' : 'OpenAPI 3.0 and 3.1'}.`,
    file: file.displayPath,
    position: file.locate(`/${key}`),
    pointer: `/${key}`,
    hint: fix,
  };
}

/**
 * Every `x-emits` entry must name an AsyncAPI message of the project (by its spec name or its
 * TypeScript name); the model keeps the event type names.
 */
function resolveEmits(
  operations: HttpOperation[],
  events: EventType[],
  workspace: SpecWorkspace,
  diagnostics: Diagnostic[],
): HttpOperation[] {
  const known = new Map<string, string>();
  for (const e of events) known.set(e.messageName, e.names.payload).set(e.names.payload, e.names.payload);
  return operations.map((op) => {
    const emits = op.emits.flatMap((name, i) => {
      const eventName = known.get(name);
      const pointer = joinPointer(op.origin.pointer, 'x-emits', i);
      const external = events.find((e) => e.names.payload === eventName)?.external;
      if (external) {
        diagnostics.push({
          severity: 'error',
          code: 'external-event-sent',
          message: `x-emits names "${name}", which belongs to another service (${external.subject}, pinned v${external.version}): only its owner publishes it.`,
          file: op.origin.file,
          position: workspace.locate(op.origin.file, pointer) ?? op.origin.position,
          pointer,
          hint: 'Emit an event of this service (under components.messages of its AsyncAPI document).',
        });
        return [];
      }
      if (eventName !== undefined) return [eventName];
      diagnostics.push({
        severity: 'error',
        code: 'emits-unknown-message',
        message: `x-emits names "${name}", which is not a message of any AsyncAPI document (known: ${[...new Set(known.values())].join(', ') || 'none'}).`,
        file: op.origin.file,
        position: workspace.locate(op.origin.file, pointer) ?? op.origin.position,
        pointer,
        hint: 'Use the name of a message under components.messages of the AsyncAPI document.',
      });
      return [];
    });
    return { ...op, emits: [...new Set(emits)].sort() };
  });
}
