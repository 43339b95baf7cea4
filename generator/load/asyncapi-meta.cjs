'use strict';
/**
 * The AsyncAPI JSON Schemas the parser validates documents against, as evtgen's parser worker
 * (asyncapi-validate.ts) sets them up, and their validators compiled ahead of time, at build.
 *
 * Why ahead of time: the parser's structure rules (`asyncapi-document-resolved` and
 * `-unresolved`) validate with Spectral's `schema` function, which compiles the 180 KB AsyncAPI
 * JSON Schema with ajv for every document it validates (Spectral keeps its ajv instances per
 * document), twice. That compile was ~0.5 s of the ~2.5 s a cold `evtgen generate` of the example
 * took, and more on big specs. `npm run build` compiles the two schemas of each AsyncAPI version
 * evtgen reads (3.0.0 and 2.6.0) into standalone code under dist/asyncapi-meta/; the worker hands
 * that code to Spectral instead of a new compile.
 *
 * Same results: the code is ajv's own standalone output, compiled with the ajv, ajv-formats and
 * ajv-errors that Spectral loads and with Spectral's options, and it runs with Spectral's copies of
 * their runtime helpers. Each file carries a key (the hash of the schema and of those packages'
 * versions) that the worker recomputes: a stale file is not used and the schema is compiled as
 * before. test/unit/asyncapi-meta.test.ts compares the errors with Spectral's own compile.
 *
 * Plain CommonJS on purpose: the parser's worker runs it (worker threads cannot load TypeScript
 * sources in tests), and the build runs it after `tsc` (`node generator/load/asyncapi-meta.cjs`).
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

/** The AsyncAPI versions evtgen reads (PRODUCT.md); a document of another version compiles as before. */
const precompiledVersions = ['3.0.0', '2.6.0'];

/**
 * The parser's schema cache and formats, and a `require` that resolves as Spectral's `schema`
 * function does (its ajv, ajv-formats and ajv-errors).
 * @param {string} parserPath the resolved path of `@asyncapi/parser`
 */
function parserModules(parserPath) {
  const parserRequire = createRequire(parserPath);
  const { getSchema } = parserRequire('./ruleset/functions/documentStructure.js');
  const { AsyncAPIFormats } = parserRequire('./ruleset/formats.js');
  const spectralRequire = createRequire(
    parserRequire.resolve('@stoplight/spectral-functions/dist/schema/ajv.js'),
  );
  return { parserRequire, getSchema, AsyncAPIFormats, spectralRequire };
}

/**
 * Linear structure check: the `asyncapi-document-resolved` rule validates the resolved document
 * against the AsyncAPI JSON Schema, where every operation repeats its channel with all of that
 * channel's messages and payloads — O(operations × messages), 25 s of a 250-event spec with one bus
 * channel. An operation's `channel` and `messages` must be `$ref`s into `channels` (the
 * `asyncapi-document-unresolved` rule checks that), and those targets are validated where they are
 * defined, so the schema the rule uses (the parser's own cached copy, `getSchema`) stops descending
 * into them. Every object is still validated once, where it is written.
 * @param {ReturnType<typeof parserModules>} modules
 */
function prepareSchemas({ getSchema, AsyncAPIFormats }) {
  for (const [version, format] of AsyncAPIFormats) {
    if (!version.startsWith('3.')) continue;
    const definitions = getSchema(new Set([format]), true).definitions;
    for (const object of ['operation.json', 'operationReply.json']) {
      const properties = definitions[`http://asyncapi.com/definitions/${version}/${object}`]?.properties;
      if (properties?.channel) properties.channel = {};
      if (properties?.messages) properties.messages = { type: 'array' };
    }
  }
}

/**
 * The schema the structure rule validates `version` documents with (after `prepareSchemas`).
 * @param {ReturnType<typeof parserModules>} modules
 * @param {string} version
 * @param {boolean} resolved
 */
function structureSchema(modules, version, resolved) {
  const format = modules.AsyncAPIFormats.get(version);
  return format ? modules.getSchema(new Set([format]), resolved) : undefined;
}

/**
 * What a compiled validator depends on: the schema and the packages that compile and run it.
 * @param {ReturnType<typeof parserModules>} modules
 * @param {object} schema
 */
function validatorKey(modules, schema) {
  const versions = ['ajv', 'ajv-formats', 'ajv-errors'].map(
    (name) => `${name}@${modules.spectralRequire(`${name}/package.json`).version}`,
  );
  return createHash('sha256')
    .update(versions.join(','))
    .update('\n')
    .update(JSON.stringify(schema))
    .digest('hex');
}

/**
 * An ajv instance as Spectral's `schema` function makes it for `allErrors: true` on a draft-07
 * schema (@stoplight/spectral-functions, dist/schema/ajv.js `createAjvInstance`), keeping the source.
 * @param {ReturnType<typeof parserModules>} modules
 */
function spectralAjv(modules) {
  const { spectralRequire } = modules;
  const Ajv = spectralRequire('ajv').default;
  const ajv = new Ajv({
    allErrors: true,
    meta: true,
    messages: true,
    strict: false,
    allowUnionTypes: true,
    logger: false,
    unicodeRegExp: false,
    code: { source: true },
  });
  spectralRequire('ajv-formats').default(ajv);
  spectralRequire('ajv-errors').default(ajv);
  ajv.addSchema(spectralRequire('./draft4.json'));
  ajv.addSchema(spectralRequire('ajv/dist/refs/json-schema-draft-06.json'));
  return ajv;
}

/**
 * Compiles the structure schemas of `precompiledVersions` into `outDir`: one CommonJS file each and
 * an index.json of schema ids, files and keys. Written to a sibling folder first, then swapped in.
 * @param {string} parserPath
 * @param {string} outDir
 */
function compileMetaValidators(parserPath, outDir) {
  const modules = parserModules(parserPath);
  prepareSchemas(modules);
  const standaloneCode = modules.spectralRequire('ajv/dist/standalone').default;
  const staging = `${outDir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const index = [];
  for (const version of precompiledVersions) {
    for (const resolved of [true, false]) {
      const schema = structureSchema(modules, version, resolved);
      if (!schema) throw new Error(`@asyncapi/parser has no AsyncAPI ${version} schema`);
      const ajv = spectralAjv(modules);
      const code = standaloneCode(ajv, ajv.compile(schema));
      const file = `${version}-${resolved ? 'resolved' : 'unresolved'}.js`;
      const header = `// Generated by evtgen's build (generator/load/asyncapi-meta.cjs): ajv's standalone validator of ${schema.$id}. Do not edit.\n`;
      writeFileSync(join(staging, file), header + code);
      index.push({ id: schema.$id, file, key: validatorKey(modules, schema) });
    }
  }
  writeFileSync(join(staging, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
  return index;
}

/**
 * Makes Spectral's ajv answer the structure schemas' ids with the validators compiled in `dir`, for
 * each one whose key matches what is installed now. Returns the ids it will answer.
 *
 * How: Spectral asks its instance `getSchema($id)` and compiles only when that answers nothing, and
 * the ids (`…/asyncapi-resolved.json`, `…/asyncapi-unresolved.json`) are the parser's own, used by
 * no other schema. ajv's `getSchema` is wrapped on the draft-07 class Spectral uses, in the parser's
 * worker only, for its `allErrors` instances (the ones the structure rules use).
 * @param {ReturnType<typeof parserModules>} modules after `prepareSchemas`
 * @param {string} dir
 * @returns {string[]}
 */
function usePrecompiled(modules, dir) {
  let index;
  try {
    index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  } catch {
    return []; // Not built (the TypeScript sources before `npm run build`): compiled as before.
  }
  const available = new Map();
  for (const { id, file, key } of index) {
    const version = /\/definitions\/([^/]+)\//.exec(id)?.[1];
    const schema = version && structureSchema(modules, version, id.endsWith('-resolved.json'));
    if (schema?.$id === id && validatorKey(modules, schema) === key) available.set(id, join(dir, file));
  }
  if (available.size === 0) return [];
  const loaded = new Map();
  const load = (id) => {
    let validate = loaded.get(id);
    if (!validate) {
      const path = available.get(id);
      const module = { exports: {} };
      // Evaluated with Spectral's `require`: its ajv runtime helpers and ajv-formats' formats.
      vm.compileFunction(readFileSync(path, 'utf8'), ['require', 'module', 'exports'], { filename: path })(
        modules.spectralRequire,
        module,
        module.exports,
      );
      validate = module.exports;
      loaded.set(id, validate);
    }
    return validate;
  };
  const Ajv = modules.spectralRequire('ajv').default;
  const getSchema = Ajv.prototype.getSchema;
  Ajv.prototype.getSchema = function getPrecompiledSchema(keyRef) {
    if (this.opts.allErrors === true && available.has(keyRef)) return load(keyRef);
    return getSchema.call(this, keyRef);
  };
  return [...available.keys()];
}

module.exports = {
  precompiledVersions,
  parserModules,
  prepareSchemas,
  structureSchema,
  validatorKey,
  spectralAjv,
  compileMetaValidators,
  usePrecompiled,
};

if (require.main === module) {
  // `node generator/load/asyncapi-meta.cjs <outDir>`: the build step.
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: node generator/load/asyncapi-meta.cjs <outDir>');
  const written = compileMetaValidators(require.resolve('@asyncapi/parser'), outDir);
  console.log(`asyncapi-meta: ${written.length} validators in ${outDir}`);
}
