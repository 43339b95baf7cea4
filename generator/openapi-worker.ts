import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from './diagnostics.js';
import { EvalWorker } from './eval-worker.js';
import { compiledModulePath } from './package-root.js';

/**
 * The OpenAPI worker: Redocly validates each OpenAPI document (load/openapi-validate.ts) and
 * openapi-typescript types it, in one worker thread beside the main thread. Like the AsyncAPI
 * parser's, it is a short CommonJS script run by `EvalWorker` (eval-worker.ts).
 *
 * Why one worker for both: each walks the whole document with Redocly. The validation takes ~1.9 s
 * of GitHub's REST API description, which the main thread no longer spends, and openapi-typescript
 * bundles the document with Redocly before typing it (~1.4 s more). A document whose bundling the
 * validation could do itself (load/redocly-bundle.ts `bundleRule`) is given to openapi-typescript as
 * the validation read and bundled it: read once, walked once. Any other document, or one typed
 * without validation, is bundled by Redocly as before.
 *
 * The order is kept by the messages: `validateOpenApi` posts the validation first, and the typing of
 * a document it validates is requested only then (`TypedDocuments`), so the typing finds it.
 *
 * openapi-typescript gets evtgen's Redocly configuration, with no rules: its default lints with
 * Redocly's `minimal` ruleset, which evtgen has already run with its own rules, and prints what it
 * finds to the console. Redocly's lint still walks the whole document with no rule to call (1.5 s of
 * GitHub's REST API description), so the worker's copy of `lintDocument` answers "no problems" at
 * once: with no rules that is what the walk finds. (Redocly's own `lint`, which the validation calls,
 * calls its `lintDocument` directly, not through the replaced export.)
 *
 * Three more replacements, in this worker only:
 * - openapi-typescript sorts keys (`alphabetize`) with `localeCompare(b, 'en-us', {numeric: true})`,
 *   which builds an `Intl.Collator` for every comparison in V8 (~0.8 s of GitHub's REST API
 *   description). Its `getEntries` here sorts with one such collator: ECMA-402 defines
 *   `localeCompare` with locales and options as a comparison by that collator, so the order is the
 *   same.
 * - openapi-typescript's `createRef([path, key])` makes the pointer of each node it transforms by
 *   parsing `path` (the parent's pointer) back into segments, decoding and escaping each again: the
 *   cost grows with depth, for every property (~0.25 s of GitHub's REST API description). The
 *   worker's `createRef` remembers the fragment each path string gives, while a document is
 *   transformed: the same function of the same string, so the same pointer.
 * - The decorator works around an openapi-typescript 7.13 crash ("Cannot use 'in' operator to search
 *   for '$ref' in true"): its discriminator scan assumes every `allOf` member is an object, but
 *   OpenAPI 3.1 allows the boolean schemas `true` and `false`, which are rewritten to their object
 *   forms `{}` and `{not: {}}` — the same meaning, so the types do not change.
 *
 * openapi-typescript is loaded with `require` (its CommonJS build: the same code). Imported as an ES
 * module, Node would read typescript's 9 MB for ES module syntax, then again for its CommonJS exports,
 * before running it: ~0.2 s more on every cold run. The validation runs the compiled module (beside
 * this one in the build, or in dist/ when run from the TypeScript sources): `npm test` builds first.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { fileURLToPath } = require('node:url');
// Validations by absolute path, until the typing of the same document takes them.
const validations = new Map();
// Documents the validation read and bundled as Redocly would (redocly-bundle.ts), for openapi-typescript.
const bundled = new Map();
let validating;
const validate = ({ path, projectRoot }) => {
  validating ??= import(workerData.validateModule);
  const checked = validating.then((module) => module.validateOpenApiDocument(path, projectRoot));
  validations.set(resolve(path), checked);
  // Read by the typing, if any: a failure is reported by the reply below.
  checked.catch(() => undefined);
  return checked.then((found) => found.diagnostics);
};
// A JSON document goes to openapi-typescript as its text, which it parses with JSON.parse; given a
// URL, it parses the file with Redocly's YAML parser (~1.2 s more on GitHub's 13 MB description, for
// the same value). The worker reads the file itself: read on the main thread, the document would
// wait for every chunk's turn between the validators it compiles meanwhile.
const documentInput = (url) => {
  if (!/\\.json$/i.test(url.pathname)) return url;
  const text = readFileSync(url, 'utf8').trimStart();
  return text.startsWith('{') ? text : url;
};
const objectSchema = (schema) => (schema === true ? {} : schema === false ? { not: {} } : schema);
const plugin = {
  id: 'evtgen',
  decorators: {
    oas3: {
      'object-allof-members': () => ({
        Schema: {
          leave(schema) {
            if (Array.isArray(schema.allOf)) schema.allOf = schema.allOf.map(objectSchema);
          },
        },
      }),
    },
  },
};
// openapi-typescript's \`createRef\` fragment of each path it has seen, while it transforms a document.
const refFragments = new Map();
let typingModules;
const loadTyping = async () => {
  // With no rules, Redocly's lint finds nothing; it is replaced in this worker only (see above).
  require(workerData.redoclyLint).lintDocument = async () => [];
  const utils = require(workerData.typingUtils);
  const collator = new Intl.Collator('en-us', { numeric: true });
  const getEntries = utils.getEntries;
  utils.getEntries = (object, options) => {
    if (!options || !options.alphabetize) return getEntries(object, options);
    const entries = getEntries(object, { ...options, alphabetize: false });
    return entries.sort(([a], [b]) => collator.compare(a, b));
  };
  const createRef = utils.createRef;
  utils.createRef = (parts) => {
    let pointer = '#';
    for (const part of parts) {
      if (part === undefined || part === null || part === '') continue;
      if (typeof part !== 'string') {
        pointer += createRef([part]).slice(1);
        continue;
      }
      let fragment = refFragments.get(part);
      if (fragment === undefined) {
        fragment = createRef([part]).slice(1);
        refFragments.set(part, fragment);
      }
      pointer += fragment;
    }
    return pointer;
  };
  const redoc = require(workerData.typingRedoc);
  const validateAndBundle = redoc.validateAndBundle;
  redoc.validateAndBundle = async (source, options) => {
    const path = resolve(fileURLToPath(options.cwd));
    const document = bundled.get(path);
    if (document === undefined) return validateAndBundle(source, options);
    bundled.delete(path);
    return document;
  };
  const typing = require(workerData.openapiTs);
  const redocly = require(workerData.redocly);
  return {
    openapiTS: typing.default,
    astToString: typing.astToString,
    config: await redocly.createConfig({
      extends: [],
      rules: {},
      plugins: [plugin],
      decorators: { 'evtgen/object-allof-members': 'on' },
    }),
  };
};
// The document the validation of \`path\` bundled, if any, for openapi-typescript. Only the \`bundled\`
// map holds it then, until openapi-typescript takes it: nothing keeps it while the types are printed.
const takeValidated = async (path) => {
  const checked = validations.get(path);
  if (!checked) return;
  validations.delete(path);
  const found = await checked.catch(() => undefined);
  if (found && found.bundled !== undefined) bundled.set(path, found.bundled);
  // Redocly's resolution and walk left their garbage in this heap (~100 MB on GitHub's REST API
  // description): collected before openapi-typescript builds its syntax tree, it does not count in
  // the run's peak (collect-garbage.ts).
  const { collectGarbage } = await import(workerData.garbageModule);
  collectGarbage(64 * 1024 * 1024);
};
const type = async ({ url }) => {
  typingModules ??= loadTyping();
  const { openapiTS, astToString, config } = await typingModules;
  const location = new URL(url);
  const path = resolve(fileURLToPath(location));
  await takeValidated(path);
  const source = bundled.has(path) ? location : documentInput(location);
  // cwd is the document's URL, so relative $refs resolve from its folder.
  const ast = await openapiTS(source, { alphabetize: true, silent: true, redocly: config, cwd: location }).finally(
    () => refFragments.clear(),
  );
  // What the transform left (the document, Redocly's resolution of it) is garbage now: collected
  // before the printer builds the text, which is when this worker's heap is largest and the run's
  // peak comes (GitHub's REST API description: a median of ~524 MB against ~540 MB, eight runs).
  const { collectGarbage } = await import(workerData.garbageModule);
  collectGarbage(32 * 1024 * 1024);
  return astToString(ast);
};
parentPort.on('message', async (message) => {
  const { id } = message;
  try {
    const result = message.kind === 'validate' ? await validate(message) : await type(message);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type WorkerRequest =
  | { readonly kind: 'validate'; readonly path: string; readonly projectRoot: string }
  | { readonly kind: 'type'; readonly url: string };

const worker = new EvalWorker<WorkerRequest, Diagnostic[] | string>(
  workerSource,
  () => {
    // openapi-typescript's CommonJS entry and modules, and the Redocly it resolves itself, so that
    // the configuration is made (and the lint replaced) in the copy it uses.
    const typingEntry = createRequire(import.meta.url).resolve('openapi-typescript');
    const fromTyping = createRequire(typingEntry);
    return {
      openapiTs: typingEntry,
      typingUtils: resolve(dirname(typingEntry), 'lib', 'utils.cjs'),
      typingRedoc: resolve(dirname(typingEntry), 'lib', 'redoc.cjs'),
      redocly: fromTyping.resolve('@redocly/openapi-core'),
      redoclyLint: fromTyping.resolve('@redocly/openapi-core/lib/lint.js'),
      validateModule: pathToFileURL(compiledModulePath('load', 'openapi-validate.js')).href,
      garbageModule: pathToFileURL(compiledModulePath('collect-garbage.js')).href,
    };
  },
  { stopWhenIdle: true },
);

/** Typing requests waiting for their document's validation to be posted first (`validateOpenApi`). */
const typingAfterValidation = new Map<string, () => void>();

/**
 * Validates an OpenAPI document with Redocly in the OpenAPI worker, and locates every problem
 * (load/openapi-validate.ts). A typing `startTyping` asked for is requested right after.
 */
export function validateOpenApi(path: string, projectRoot: string): Promise<Diagnostic[]> {
  const validated = worker.request({ kind: 'validate', path, projectRoot }) as Promise<Diagnostic[]>;
  typingAfterValidation.get(resolve(path))?.();
  return validated;
}

/** openapi-typescript's output for each OpenAPI document, by absolute path, as `startTyping` requested it. */
export interface TypedDocuments {
  get(path: string): Promise<string> | undefined;
}

/**
 * Types the OpenAPI documents at `paths` as soon as they are known, so that loading
 * openapi-typescript and typescript (~1 s) and typing (~3 s on GitHub's REST API description) run on
 * the other core while the main thread models the specs, checks examples and compiles validators.
 * Each document is typed after its validation (`validateOpenApi`) is posted, or when its types are
 * first asked for, whichever comes first. If validation then fails, the result is never read.
 */
export function startTyping(paths: readonly string[]): TypedDocuments {
  const typed = new Map<string, Promise<string>>();
  const request = (path: string) => {
    let result = typed.get(path);
    if (!result) {
      typingAfterValidation.delete(path);
      result = typeDocument(pathToFileURL(path));
      // Unread when validation fails: that must not be reported as an unhandled rejection.
      result.catch(() => undefined);
      typed.set(path, result);
    }
    return result;
  };
  const wanted = new Set(paths.map((path) => resolve(path)));
  for (const path of wanted) typingAfterValidation.set(path, () => void request(path));
  // The worker loads meanwhile.
  worker.start();
  return { get: (path) => (wanted.has(resolve(path)) ? request(resolve(path)) : undefined) };
}

/** openapi-typescript's output for the document at `url` (read by the worker). */
export function typeDocument(url: URL): Promise<string> {
  return worker.request({ kind: 'type', url: url.href }) as Promise<string>;
}
