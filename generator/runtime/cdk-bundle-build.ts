/**
 * The esbuild side of the functions' bundles (bundles.ts keeps the cache and hands them to CDK).
 *
 * Two esbuild builds for all the functions of an app, instead of one per function:
 *
 * 1. The project's code (handlers, generated wrappers) of each function on its own, the packages (npm
 *    dependencies) and the validator modules (`validators/compiled/*.js`) left as imports: each
 *    function imports exactly the validators it uses (validators/ is free of side effects: its
 *    package.json says so, and esbuild drops the imports of what is unused). Code splitting cannot do
 *    this part: esbuild splits by file, and files such as publishers.ts serve every function.
 * 2. Those outputs as entry points of one build with code splitting: the AWS SDK, @smithy, X-Ray,
 *    Powertools (~450 KB of every function that publishes) and the validator modules are parsed,
 *    linked, minified and mapped once, as content-hashed chunks, instead of once per function (or,
 *    for the validators, once per call of step 1: 20 MB for a 500-event contract, most of a synth's
 *    bundling time when they were one file). A validator module used by one function is part of its
 *    entry; the ones several use are chunks. The source maps of step 1 are chained: the final maps
 *    name the original files.
 *
 * A function's output of step 1 depends only on its own files and the settings: it is kept in
 * `own/<key>/` (the key hashes the settings and the content of every file esbuild read for it), so a
 * synth after one handler's edit runs step 1 for that function alone and step 2 over all of them.
 *
 * Each function then gets a folder of its own: `index.mjs` (its entry), `index.mjs.map`, and the
 * chunks it imports, directly or not (esbuild's metafile): a Lambda asset that needs nothing outside
 * itself. A chunk's name is the hash of its content, and its content depends only on which
 * functions use which package files: a change to one handler's code changes its `index.mjs` only.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type BuildFailure, type BuildOptions, buildSync, type Message, type Metafile } from 'esbuild';

export interface FunctionBuild {
  /** Entry name (project-relative, POSIX) → its folder, relative to the cache folder. */
  readonly dirs: Readonly<Record<string, string>>;
  /** Entry name → every file that went into its bundle (project-relative). */
  readonly inputs: Readonly<Record<string, readonly string[]>>;
  /** The entries whose step 1 ran in this build → their output's folder and inputs. */
  readonly ownBuilt: Readonly<Record<string, OwnOutput>>;
}

/** A function's output of step 1: `<folder>/<folderName>.mjs` and its map. */
export interface OwnOutput {
  /** `own/<key>`, relative to the cache folder. */
  readonly dir: string;
  /** Every project file esbuild read for it (project-relative, sorted). */
  readonly inputs: readonly string[];
}

export interface BuildRequest {
  readonly root: string;
  /** Where the build folder goes. */
  readonly cacheDir: string;
  /** `b-<random>`: a new folder for this build. */
  readonly buildDir: string;
  readonly names: readonly string[];
  readonly minify: boolean;
  readonly banner: string;
  readonly sourcesContent: boolean;
  /**
   * Project files (absolute) the first step leaves as imports, for the second to link: the validator
   * modules, shared between functions by file (code splitting) instead of parsed once per function.
   */
  readonly shared: readonly string[];
  /** Entries whose step-1 output is taken from the cache (their key unchanged) → that output. */
  readonly cachedOwn: Readonly<Record<string, OwnOutput>>;
  /** The key of a step-1 output read from `inputs` (hashes their contents and the settings). */
  readonly ownKey: (name: string, inputs: readonly string[]) => string;
}

/**
 * Entry points per esbuild call of the first step: each call parses the generated files the entries
 * share (publishers.ts, validators/events.ts: 2 MB for a 500-event contract) once, and its memory
 * grows with the entries. For the synthetic service's 227 functions: one call, 4.4 s and 2.0 GB
 * (peak RSS of esbuild); calls of 64, 7.7 s and 0.9 GB each. (When the validators were parsed here,
 * one call took 5.3 GB.)
 */
const entriesPerOwnBuild = 256;

/** A folder name for an entry: `app/handlers/http/get-order.ts` → `app_handlers_http_get-order`. */
export function folderName(name: string): string {
  return name.replace(/\.[cm]?[jt]sx?$/, '').replace(/[^\w.-]+/g, '_');
}

/**
 * Builds `names` into `<cacheDir>/<buildDir>/<folderName>/`. The intermediate outputs (`~p`,
 * `own/<key>`, `~v`) are at the same depth as those folders, so the source maps' relative paths
 * hold after the moves and are the same whichever build wrote them.
 */
export function buildFunctions(request: BuildRequest): FunctionBuild {
  const base = join(request.cacheDir, request.buildDir);
  try {
    return buildInto(request, base);
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`Bundling the functions failed:\n${describeFailure(error)}`);
  } finally {
    for (const step of ['~p', '~v']) rmSync(join(base, step), { recursive: true, force: true });
  }
}

/** The two esbuild steps, then the functions' folders. */
function buildInto(req: BuildRequest, dir: string): FunctionBuild {
  const { root, names } = req;
  const common: BuildOptions = {
    absWorkingDir: root,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    sourcemap: true,
    sourcesContent: req.sourcesContent,
    logLevel: 'silent',
    metafile: true,
  };
  // Each function's output of this step is the same whatever else its call builds: the groups only
  // bound esbuild's memory (all 226 functions of the synthetic service in one call: 5.3 GB). Only the
  // functions without a cached output are built.
  const started = performance.now();
  const ownBuilt = buildOwn(req, dir, common);
  const own = { ...req.cachedOwn, ...ownBuilt };
  const ownFile = (name: string) => {
    const output = own[name];
    if (!output) throw new Error(`evtgen bundles: no first-step output for ${name}`);
    return join(req.cacheDir, output.dir, `${folderName(name)}.mjs`);
  };
  const ownDone = performance.now();
  const linked = buildSync({
    ...common,
    entryPoints: Object.fromEntries(names.map((name) => [`entry-${folderName(name)}`, ownFile(name)])),
    outdir: join(dir, '~v'),
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    minify: req.minify,
    banner: { js: req.banner },
  });
  if (!linked.metafile) throw new Error('esbuild returned no metafile');
  const linkedDone = performance.now();
  const projectPath = (file: string) => relative(root, file).split(sep).join('/');
  const placed = placeFunctions(dir, names, own, linked.metafile, projectPath);
  // EVTGEN_BUNDLE_TIMINGS=1: where a synth's bundling time goes (bench/cdk.bench.js, docs/performance.md).
  if (process.env.EVTGEN_BUNDLE_TIMINGS === '1') {
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stderr.write(
      `evtgen bundles: ${names.length} functions; own code ${s(ownDone - started)} (${Object.keys(ownBuilt).length} built, ${names.length - Object.keys(ownBuilt).length} cached), shared build ${s(linkedDone - ownDone)}, folders ${s(performance.now() - linkedDone)}\n`,
    );
  }
  return { ...placed, ownBuilt };
}

/**
 * Step 1 for the entries not in `req.cachedOwn`, in calls of `entriesPerOwnBuild`; each output is
 * moved to `own/<key>/` (kept as it is when that folder exists: same key, same bytes).
 */
function buildOwn(req: BuildRequest, dir: string, common: BuildOptions): Record<string, OwnOutput> {
  const names = req.names.filter((name) => !req.cachedOwn[name]);
  const built: Record<string, OwnOutput> = {};
  const projectPath = (file: string) => relative(req.root, file).split(sep).join('/');
  for (let i = 0; i < names.length; i += entriesPerOwnBuild) {
    const group = names.slice(i, i + entriesPerOwnBuild);
    const { metafile } = buildSync({
      ...common,
      entryPoints: Object.fromEntries(group.map((name) => [folderName(name), name])),
      outdir: join(dir, '~p'),
      packages: 'external',
      // Exact paths: esbuild matches them once resolved and writes the import relative to `~p`, which
      // is at the depth of `own/<key>` (where step 2 reads it), so the path holds there too.
      external: [...req.shared],
    });
    if (!metafile) throw new Error('esbuild returned no metafile');
    for (const name of group) {
      const file = `${folderName(name)}.mjs`;
      const output = metafile.outputs[projectPath(join(dir, '~p', file))];
      if (!output) throw new Error(`evtgen bundles: esbuild reported no output for ${name}`);
      const inputs = [...new Set([...inputClosure(metafile, name), ...Object.keys(output.inputs)])].sort();
      const ownDir = `own/${req.ownKey(name, inputs)}`;
      keepOwn(join(dir, '~p'), file, join(req.cacheDir, ownDir));
      built[name] = { dir: ownDir, inputs };
    }
  }
  return built;
}

/** Every file reached from the entry through the imports esbuild followed (packages are external). */
function inputClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !metafile.inputs[path]) return;
    seen.add(path);
    for (const imported of metafile.inputs[path]?.imports ?? []) if (!imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

/** Moves `<from>/<file>` and its map into the folder `target`, unless it exists (content-addressed). */
function keepOwn(from: string, file: string, target: string): void {
  if (existsSync(join(target, file)) && existsSync(join(target, `${file}.map`))) return;
  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  for (const f of [file, `${file}.map`]) renameSync(join(from, f), join(temporary, f));
  rmSync(target, { recursive: true, force: true });
  try {
    renameSync(temporary, target);
  } catch {
    // Another synth put the same output there meanwhile.
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** Moves each entry to `<folder>/index.mjs` and links the chunks it needs beside it. */
function placeFunctions(
  dir: string,
  names: readonly string[],
  own: Readonly<Record<string, OwnOutput>>,
  linked: Metafile,
  projectPath: (absolute: string) => string,
): Omit<FunctionBuild, 'ownBuilt'> {
  // The step-1 outputs (`own/<key>/`), as inputs of step 2: not files of the function.
  const intermediate = projectPath(join(dir, '..', 'own'));
  const dirs: Record<string, string> = {};
  const inputs: Record<string, readonly string[]> = {};
  const outputs = linked.outputs;
  for (const name of names) {
    const entryOutput = projectPath(join(dir, '~v', `entry-${folderName(name)}.mjs`));
    const ownOutput = own[name];
    if (!outputs[entryOutput] || !ownOutput)
      throw new Error(`evtgen bundles: esbuild reported no output for ${name}`);
    const closure = chunkClosure(outputs, entryOutput);
    const target = join(dir, folderName(name));
    mkdirSync(target, { recursive: true });
    const files = new Set<string>(ownOutput.inputs);
    for (const output of closure) {
      for (const input of Object.keys(outputs[output]?.inputs ?? {}))
        if (!input.startsWith(`${intermediate}/`)) files.add(input);
    }
    for (const output of closure) {
      const file = output.slice(output.lastIndexOf('/') + 1);
      const source = join(dir, '~v', file);
      if (output === entryOutput) {
        const code = readFileSync(source, 'utf8').replace(
          `//# sourceMappingURL=${file}.map`,
          '//# sourceMappingURL=index.mjs.map',
        );
        writeFileSync(join(target, 'index.mjs'), code);
        renameSync(`${source}.map`, join(target, 'index.mjs.map'));
      } else {
        for (const f of [file, `${file}.map`]) linkOrCopy(join(dir, '~v', f), join(target, f));
      }
    }
    dirs[name] = relative(join(dir, '..'), target).split(sep).join('/');
    inputs[name] = [...files].sort();
  }
  return { dirs, inputs };
}

/**
 * The output and every chunk it imports, directly or through other chunks, statically or
 * dynamically (the SDK loads some credential providers with `import()`).
 */
function chunkClosure(outputs: Metafile['outputs'], start: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of outputs[path]?.imports ?? [])
      if (!imported.external && imported.path in outputs) visit(imported.path);
  };
  visit(start);
  return [...seen].sort();
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** esbuild's errors as `file:line:column: text`, one per line. */
function describeFailure(error: unknown): string {
  const errors: readonly Message[] =
    typeof error === 'object' && error !== null && 'errors' in error ? (error as BuildFailure).errors : [];
  if (errors.length === 0) return error instanceof Error ? error.message : String(error);
  return errors
    .map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text,
    )
    .join('\n');
}
