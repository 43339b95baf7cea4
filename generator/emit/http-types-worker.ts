import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * openapi-typescript runs in a worker thread. It needs nothing from the model, only the document,
 * so it types the document on the other core while the main thread checks examples and compiles
 * validators: on GitHub's REST API description that is ~3 s of typing (and typescript's ~1 s of
 * loading) that no longer precede the rest. Like the AsyncAPI parser's worker
 * (load/asyncapi-validate.ts), it is a short CommonJS script evaluated from this string, so the same
 * code runs from the TypeScript sources (tests) and the compiled package.
 *
 * The Redocly configuration it types with: openapi-typescript's default lints with Redocly's
 * `minimal` ruleset, which evtgen has already run with its own rules (load/openapi-validate.ts), and
 * prints what it finds to the console, so here no rules run. One decorator works around an
 * openapi-typescript 7.13 crash ("Cannot use 'in' operator to search for '$ref' in true"): its
 * discriminator scan assumes every `allOf` member is an object, but OpenAPI 3.1 allows the boolean
 * schemas `true` and `false`, which are rewritten to their object forms `{}` and `{not: {}}` — the
 * same meaning, so the types do not change.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
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
const loaded = Promise.all([import(workerData.openapiTs), import(workerData.redocly)]).then(
  async ([typing, redocly]) => ({
    openapiTS: typing.default,
    astToString: typing.astToString,
    config: await redocly.createConfig({
      extends: [],
      rules: {},
      plugins: [plugin],
      decorators: { 'evtgen/object-allof-members': 'on' },
    }),
  }),
);
// An unused worker must not report a failed load as an unhandled rejection.
loaded.catch(() => undefined);
parentPort.on('message', async ({ id, input, cwd }) => {
  try {
    const { openapiTS, astToString, config } = await loaded;
    const source = input.kind === 'url' ? new URL(input.value) : input.value;
    const ast = await openapiTS(source, { alphabetize: true, silent: true, redocly: config, cwd: new URL(cwd) });
    parentPort.postMessage({ id, content: astToString(ast) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type Reply = { id: number; content?: string; error?: string };

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (content: string) => void; reject: (e: Error) => void }>();

function typingWorker(): Worker {
  if (worker) return worker;
  // openapi-typescript's ES module entry (a CommonJS `require` would resolve its .cjs build), and
  // the Redocly it resolves itself, so that the configuration is made by the copy it uses.
  const manifest = createRequire(import.meta.url).resolve('openapi-typescript/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: string } } };
  const openapiTs = pathToFileURL(join(dirname(manifest), exports['.'].import)).href;
  const redocly = pathToFileURL(createRequire(manifest).resolve('@redocly/openapi-core')).href;
  const created = new Worker(workerSource, { eval: true, workerData: { openapiTs, redocly } });
  created.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    // Only outstanding requests keep the process alive: an idle worker must not hold up exit.
    if (waiting.size === 0) created.unref();
    if (reply.error !== undefined) pending?.reject(new Error(reply.error));
    else pending?.resolve(reply.content ?? '');
  });
  created.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    worker = undefined;
  });
  created.unref();
  worker = created;
  return created;
}

/**
 * Starts the worker when the specs hold an OpenAPI document, so that loading openapi-typescript and
 * typescript (~1 s) happens while the main thread reads and models the specs.
 */
export function startTypingWorker(): void {
  typingWorker();
}

/**
 * openapi-typescript's output for the document at `url`. A JSON document goes as its text, which it
 * parses with `JSON.parse` (given a URL, it parses the file with Redocly's YAML parser: ~1.2 s more on
 * GitHub's 13 MB description, for the same value); `cwd` is the document's URL either way, so
 * relative `$ref`s resolve from its folder.
 */
export async function typeDocument(url: URL): Promise<string> {
  const input = await typingInput(url);
  const target = typingWorker();
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    target.ref();
    target.postMessage({ id, input, cwd: url.href });
  });
}

async function typingInput(url: URL): Promise<{ kind: 'url' | 'text'; value: string }> {
  if (!/\.json$/i.test(url.pathname)) return { kind: 'url', value: url.href };
  const text = (await readFile(url, 'utf8')).trimStart();
  return text.startsWith('{') ? { kind: 'text', value: text } : { kind: 'url', value: url.href };
}
