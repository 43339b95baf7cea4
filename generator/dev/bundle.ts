/**
 * Bundles every function of the service in one esbuild build (many entry points), with the
 * settings the CDK constructs give NodejsFunction (ESM, everything inlined, source maps, the
 * `createRequire` banner), targeting the Node that runs `evtgen dev`. An esbuild context is kept,
 * so a handler edit rebuilds incrementally in milliseconds instead of one `npx esbuild` per function.
 */
import { join } from 'node:path';
import type { BuildContext, BuildResult } from 'esbuild';

export interface BundleEntry {
  /** The function's contract name; its bundle is `<outDir>/<name>.mjs`. */
  readonly name: string;
  /** The entry point, relative to the project root. */
  readonly entry: string;
}

export interface FunctionBundles {
  /** name → absolute path of its bundle. */
  readonly paths: Readonly<Record<string, string>>;
  /** Builds again (after an edit); returns the bundles' paths. */
  rebuild(): Promise<Readonly<Record<string, string>>>;
  dispose(): Promise<void>;
}

/** The banner NodejsFunction bundles get: CommonJS dependencies call require() for Node built-ins. */
const requireBanner =
  "import { createRequire as __evtgenRequire } from 'node:module'; const require = __evtgenRequire(import.meta.url);";

/** Bundles the entries into `outDir`; throws with esbuild's messages when one does not build. */
export async function bundleFunctions(
  projectRoot: string,
  entries: readonly BundleEntry[],
  outDir: string,
): Promise<FunctionBundles> {
  const esbuild = await import('esbuild');
  const paths = Object.fromEntries(entries.map((e) => [e.name, join(outDir, `${e.name}.mjs`)]));
  const context: BuildContext = await esbuild.context({
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(entries.map((e) => [e.name, e.entry])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    mainFields: ['module', 'main'],
    sourcemap: true,
    logLevel: 'silent',
    banner: { js: requireBanner },
  });
  const build = async (): Promise<Readonly<Record<string, string>>> => {
    let result: BuildResult;
    try {
      result = await context.rebuild();
    } catch (error) {
      throw new Error(`Bundling the handlers failed:\n${formatBuildFailure(error)}`);
    }
    if (result.errors.length > 0)
      throw new Error(`Bundling the handlers failed:\n${formatBuildFailure(result)}`);
    return paths;
  };
  try {
    await build();
  } catch (error) {
    await context.dispose();
    throw error;
  }
  return { paths, rebuild: build, dispose: () => context.dispose() };
}

function formatBuildFailure(error: unknown): string {
  const errors =
    typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)
      ? (error.errors as { text: string; location?: { file: string; line: number; column: number } | null }[])
      : [];
  if (errors.length === 0) return error instanceof Error ? error.message : String(error);
  return errors
    .map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text,
    )
    .join('\n');
}
