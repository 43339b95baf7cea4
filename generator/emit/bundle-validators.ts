/**
 * The esbuild half of the validators: the groups' standalone modules (compile-validators.ts, ajv's
 * half) bundled into one dependency-free ES module with stable module names.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import type { JsonSchema } from '../model/contract.js';
import { packageRoot } from '../package-root.js';
import {
  BundleInstances,
  type CompileDiagnostic,
  compileGroups,
  groupModuleId,
  type ValidatorGroup,
} from './compile-validators.js';
import { dateTimeFile, dateTimeModuleId, formatsModuleId, formatsModuleSource } from './fast-formats.js';
import { treeShakable } from './tree-shakable.js';

/**
 * Compiles validators to standalone code with ajv (one instance per group, all formats asserted,
 * all errors collected) and bundles the result with esbuild into one dependency-free ES module.
 * `instances`, when given, are the bundle's instances the example check already compiled with.
 *
 * Why esbuild: ajv's `esm: true` standalone output still `require()`s ajv-formats and ajv's runtime
 * helpers, which throws under Node ESM and would make every Lambda depend on ajv. Bundling inlines
 * those few helpers (a few KB) and nothing of the compiler.
 */
export async function compileValidators(
  definitions: Readonly<Record<string, JsonSchema>>,
  groups: readonly ValidatorGroup[],
  instances: BundleInstances = new BundleInstances(definitions),
): Promise<{ code: string; warnings: CompileDiagnostic[] }> {
  const { modules, warnings } = await compileGroups(groups, instances);
  return { code: await bundleGroups(modules, groups), warnings };
}

/**
 * The groups' standalone modules by id: what `compileGroups` made, or (in the bundler's worker) a
 * promise of each until it comes. A module that is not there is bundled as empty.
 */
export interface ModuleSources {
  get(module: string): string | Promise<string | undefined> | undefined;
}

/** The esbuild half of `compileValidators`: the groups' modules bundled into one ES module. */
export async function bundleGroups(
  modules: ModuleSources,
  groups: readonly ValidatorGroup[],
): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = groups
    .filter((g) => g.exports.length > 0)
    .map((g) => {
      const names = [
        ...g.exports,
        ...(g.aliases ?? []).map(([alias, exported]) => `${exported} as ${alias}`),
      ];
      return `export { ${names.sort().join(', ')} } from '${groupModuleId(g)}';`;
    })
    .join('\n');
  const root = packageRoot();
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'validators.js', loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    legalComments: 'none',
    // A string with line breaks (a schema's description) stays a string: printed as a template
    // literal over several lines, it would hide the statement boundaries that validator-modules.ts
    // reads line by line, and the validators would stay one module.
    supported: { 'template-literal': false },
    logLevel: 'silent',
    plugins: [stableModulesPlugin(modules, root)],
  });
  const bundled = (result.outputFiles[0]?.text ?? '')
    // esbuild marks each inlined module with its path; paths differ between installs, so drop them.
    .replace(/^\s*\/\/ (?:evtgen|pkg):\S*\n/gm, '');
  // Each function's bundle keeps only the validators it imports (tree-shakable.ts).
  return treeShakable(bundled);
}

/**
 * Serves the ajv groups from memory and every package file under a stable name. esbuild keys each
 * bundled CommonJS module by its path relative to the working folder, which differs between
 * installs (hoisted, nested, pnpm): naming modules `pkg:<package>/<file>` instead keeps the output
 * byte-identical on every machine.
 */
function stableModulesPlugin(modules: ModuleSources, root: string): Plugin {
  return {
    name: 'evtgen-stable-modules',
    setup(build) {
      build.onResolve({ filter: /^evtgen-validators:/ }, (args) => ({
        path: args.path,
        namespace: 'evtgen',
      }));
      build.onLoad({ filter: /.*/, namespace: 'evtgen' }, async (args) => ({
        contents: (await modules.get(args.path)) ?? '',
        loader: 'js',
        resolveDir: root,
      }));
      build.onResolve({ filter: /.*/, namespace: 'evtgen' }, (args) =>
        args.path === formatsModuleId
          ? { path: formatsModuleId, namespace: 'evtgen-formats' }
          : packageModule(args.path, join(root, 'package.json')),
      );
      build.onLoad({ filter: /.*/, namespace: 'evtgen-formats' }, async (args) =>
        args.path === dateTimeModuleId
          ? { contents: await readFile(dateTimeFile(), 'utf8'), loader: 'js', resolveDir: root }
          : { contents: formatsModuleSource, loader: 'js', resolveDir: root },
      );
      build.onResolve({ filter: /.*/, namespace: 'evtgen-formats' }, (args) =>
        args.path === dateTimeModuleId
          ? { path: dateTimeModuleId, namespace: 'evtgen-formats' }
          : packageModule(args.path, join(root, 'package.json')),
      );
      build.onResolve({ filter: /.*/, namespace: 'pkg' }, (args) =>
        packageModule(args.path, (args.pluginData as { realPath: string }).realPath),
      );
      build.onLoad({ filter: /.*/, namespace: 'pkg' }, async (args) => {
        const realPath = (args.pluginData as { realPath: string }).realPath;
        return {
          contents: await readFile(realPath, 'utf8'),
          loader: 'js',
          resolveDir: dirname(realPath),
          pluginData: { realPath },
        };
      });
    },
  };
}

function packageModule(specifier: string, importer: string) {
  const realPath = createRequire(importer).resolve(specifier);
  const marker = `node_modules${sep}`;
  const stable = realPath
    .slice(realPath.lastIndexOf(marker) + marker.length)
    .split(sep)
    .join('/');
  return { path: stable, namespace: 'pkg', pluginData: { realPath } };
}
