import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EvalWorker } from '../eval-worker.js';

/**
 * openapi-typescript runs in a worker thread. It needs nothing from the model, only the document,
 * so it types the document on the other core while the main thread checks examples and compiles
 * validators: on GitHub's REST API description that is ~3 s of typing (and typescript's ~1 s of
 * loading) that no longer precede the rest. Like the AsyncAPI parser's, the worker is a short
 * CommonJS script run by `EvalWorker` (eval-worker.ts).
 *
 * The Redocly configuration it types with: openapi-typescript's default lints with Redocly's
 * `minimal` ruleset, which evtgen has already run with its own rules (load/openapi-validate.ts), and
 * prints what it finds to the console, so here no rules run. Redocly's lint still resolves and
 * walks the whole document with no rule to call (1.5 s of GitHub's REST API description), so the
 * worker's copy of `lintDocument` answers "no problems" at once: with no rules that is what the walk
 * finds. The bundling walk that follows, which applies the decorator below, is kept.
 *
 * The decorator works around an openapi-typescript 7.13 crash ("Cannot use 'in' operator to search
 * for '$ref' in true"): its discriminator scan assumes every `allOf` member is an object, but
 * OpenAPI 3.1 allows the boolean schemas `true` and `false`, which are rewritten to their object
 * forms `{}` and `{not: {}}` — the same meaning, so the types do not change.
 *
 * openapi-typescript is loaded with `require` (its CommonJS build: the same code). Imported as an ES
 * module, Node would read typescript's 9 MB for ES module syntax, then again for its CommonJS exports,
 * before running it: ~0.2 s more on every cold run.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
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
const loaded = (async () => {
  // With no rules, Redocly's lint finds nothing; it is replaced in this worker only (see above).
  require(workerData.redoclyLint).lintDocument = async () => [];
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
})();
// An unused worker must not report a failed load as an unhandled rejection.
loaded.catch(() => undefined);
parentPort.on('message', async ({ id, url }) => {
  try {
    const { openapiTS, astToString, config } = await loaded;
    const source = documentInput(new URL(url));
    // cwd is the document's URL, so relative $refs resolve from its folder.
    const ast = await openapiTS(source, { alphabetize: true, silent: true, redocly: config, cwd: new URL(url) });
    parentPort.postMessage({ id, result: astToString(ast) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/** The typing worker's request: the document's URL. */
interface TypingRequest {
  readonly url: string;
}

const typing = new EvalWorker<TypingRequest, string>(
  workerSource,
  () => {
    // openapi-typescript's CommonJS entry, and the Redocly it resolves itself, so that the
    // configuration is made (and the lint replaced) in the copy it uses.
    const fromTyping = createRequire(createRequire(import.meta.url).resolve('openapi-typescript'));
    return {
      openapiTs: fromTyping.resolve('openapi-typescript'),
      redocly: fromTyping.resolve('@redocly/openapi-core'),
      redoclyLint: fromTyping.resolve('@redocly/openapi-core/lib/lint.js'),
    };
  },
  { stopWhenIdle: true },
);

/** openapi-typescript's output for each OpenAPI document, by absolute path, as `startTyping` requested it. */
export type TypedDocuments = ReadonlyMap<string, Promise<string>>;

/**
 * Starts typing the OpenAPI documents at `paths` as soon as they are known, so that loading
 * openapi-typescript and typescript (~1 s) and typing (~5 s on GitHub's REST API description) run on
 * the other core while the main thread validates and models the specs, checks examples and compiles
 * validators. If validation then fails, the result is never read.
 */
export function startTyping(paths: readonly string[]): TypedDocuments {
  const typed = new Map<string, Promise<string>>();
  for (const path of paths) {
    const result = typeDocument(pathToFileURL(path));
    // Unread when validation fails: that must not be reported as an unhandled rejection.
    result.catch(() => undefined);
    typed.set(resolve(path), result);
  }
  return typed;
}

/** openapi-typescript's output for the document at `url` (read by the worker). */
export function typeDocument(url: URL): Promise<string> {
  return typing.request({ url: url.href });
}
