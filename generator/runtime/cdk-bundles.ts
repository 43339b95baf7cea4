/**
 * Every function of the app bundled by one esbuild build (in groups of 16 entry points for large
 * services). NodejsFunction starts `npx esbuild` once per function (about 3.6 s each on a small
 * machine, mostly npm's start-up: 818 s for 226 functions); one build with many entry points does
 * the same work for the example's seven functions in about a second.
 *
 * Each function still gets its own asset (index.mjs and its source map), hashed by its content
 * (AssetHashType.OUTPUT): the same sources give the same hash on any machine, so an unchanged
 * function is not redeployed. Bundles are kept in `cdk.out/.evtgen-bundles/` with the contents of
 * every file that went into them; a synth rebuilds only the functions whose inputs changed.
 *
 * The settings are NodejsFunction's as the constructs used it: one ES module, minified (unless
 * `minify: false`), external source map, nothing external (the bundle carries the AWS SDK it was
 * tested with), node22 syntax, and a banner defining `require` for CommonJS dependencies. One
 * difference: the source map does not embed the sources (`sourcesContent: false`). Stack traces
 * (`--enable-source-maps`) still name the original file, line and column; but the map of every
 * function carried the whole text of each file it touches — all of validators/compiled.js (20 MB
 * for a 500-event contract) even when the bundle keeps one validator of it: 94% of the output and
 * over half of esbuild's time for such a service.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { type BuildFailure, buildSync, version as esbuildVersion, type Message } from 'esbuild';

export interface BundleSettings {
  readonly minify: boolean;
}

/** The bundle of one function: `index.mjs` and `index.mjs.map` in `dir`. */
interface CachedBundle {
  /** Relative to the cache folder. */
  readonly dir: string;
  /** Every file esbuild read for it (relative to the project root) → sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

interface CacheIndex {
  readonly key: string;
  readonly bundles: Readonly<Record<string, CachedBundle>>;
}

const requireBanner =
  "import { createRequire as __evtgenRequire } from 'node:module'; const require = __evtgenRequire(import.meta.url);";

/** Source maps without the sources' text (see the top of this file). */
const sourcesContent = false;

/**
 * Entry points per esbuild call. esbuild holds every output of a call in memory until it ends: a
 * service whose bundles are large (before the validators were tree-shakable and the maps left out
 * the sources, each function of a 500-event service was ~30 MB with its source map) took 14 GB for
 * 226 entries in one call. Groups of 16 keep that bounded and still start esbuild 16 times fewer
 * than one call per function.
 */
const entriesPerBuild = 16;

/** Build folders not in the index and older than this are removed (another synth may be using newer ones). */
const staleBuildMs = 60 * 60 * 1000;

/**
 * The code of a function: its bundle from the app's shared build. When CDK skips bundling
 * (`evtgen dev`, tests with `aws:cdk:bundling-stacks: []`), nothing is built and CDK stages a
 * placeholder, as it does for NodejsFunction.
 */
export function bundledCode(scope: IConstruct, entry: string, settings: BundleSettings): Code {
  const bundler = bundlerOf(scope, settings);
  return Code.fromAsset(dirname(resolve(entry)), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('evtgen-bundles-are-built-locally'),
      local: new SharedBuildBundling(bundler, bundler.entryName(entry)),
    },
  });
}

/**
 * CDK's local bundling hook for one function: copies its bundle out of the shared build. CDK keys
 * its asset cache on the JSON of the bundling options, so the entry and the settings' key are
 * public fields (two functions in one folder are two assets); the bundler is private, out of it.
 */
class SharedBuildBundling implements ILocalBundling {
  readonly #bundler: FunctionBundler;
  readonly bundlesKey: string;

  constructor(
    bundler: FunctionBundler,
    readonly entry: string,
  ) {
    this.#bundler = bundler;
    this.bundlesKey = bundler.key;
  }

  tryBundle(outputDir: string): boolean {
    this.#bundler.copyBundle(this.entry, outputDir);
    return true;
  }
}

/**
 * Announces the entry points of the app's functions before the first one is created, so the first
 * bundle builds them all in one esbuild call per 16 entries (otherwise each function builds on its own).
 */
export function planBundles(scope: IConstruct, entries: readonly string[], settings: BundleSettings): void {
  const bundler = bundlerOf(scope, settings);
  for (const entry of entries) bundler.plan(entry);
}

const bundlersByApp = new WeakMap<IConstruct, Map<string, FunctionBundler>>();

/** The shared build of the app of `scope` (one per minify setting), rooted at the working directory. */
function bundlerOf(scope: IConstruct, settings: BundleSettings): FunctionBundler {
  const app = scope.node.root;
  const bundlers = bundlersByApp.get(app) ?? new Map<string, FunctionBundler>();
  bundlersByApp.set(app, bundlers);
  const id = settings.minify ? 'minified' : 'readable';
  const existing = bundlers.get(id);
  if (existing) return existing;
  const created = new FunctionBundler(process.cwd(), settings);
  bundlers.set(id, created);
  return created;
}

/**
 * Bundles the functions of a project rooted at `root`: the entries planned (or asked for) are built
 * together (16 per esbuild call), unchanged ones are taken from the cache. The CDK constructs use it
 * through `bundledCode`; tests and tools can run the same bundles directly (`bundleDir`).
 */
export class FunctionBundler {
  /** Identifies the settings, esbuild's version and the files that steer resolution. */
  readonly key: string;
  private readonly cacheDir: string;
  /** Entry names (project-relative, POSIX) announced or asked for, not yet built in this process. */
  private readonly pending = new Set<string>();
  /** Entry name → absolute folder of its bundle, once built or found unchanged in the cache. */
  private readonly ready = new Map<string, string>();
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly settings: BundleSettings,
  ) {
    const steering = ['package-lock.json', 'tsconfig.json']
      .map((file) => `${file}:${this.hashOf(file) ?? '-'}`)
      .join(',');
    this.key = createHash('sha256')
      .update(
        JSON.stringify({
          esbuild: esbuildVersion,
          settings,
          banner: requireBanner,
          sourcesContent,
          steering,
        }),
      )
      .digest('hex')
      .slice(0, 16);
    this.cacheDir = join(root, 'cdk.out', '.evtgen-bundles', settings.minify ? 'minified' : 'readable');
  }

  /** The entry relative to the project root, as esbuild's metafile and the cache name it. */
  entryName(entry: string): string {
    const absolute = isAbsolute(entry) ? entry : resolve(this.root, entry);
    return relative(this.root, absolute).split(sep).join('/');
  }

  plan(entry: string): void {
    const name = this.entryName(entry);
    if (!this.ready.has(name)) this.pending.add(name);
  }

  /** The folder holding the entry's `index.mjs` and `index.mjs.map`, built with every planned entry if needed. */
  bundleDir(entry: string): string {
    const name = this.entryName(entry);
    if (!this.ready.has(name)) {
      this.pending.add(name);
      this.buildPending();
    }
    const dir = this.ready.get(name);
    if (!dir) throw new Error(`evtgen bundles: no bundle was built for ${name}`);
    return dir;
  }

  copyBundle(entry: string, outputDir: string): void {
    const dir = this.bundleDir(entry);
    for (const file of ['index.mjs', 'index.mjs.map']) copyFileSync(join(dir, file), join(outputDir, file));
  }

  /** Reuses unchanged bundles from the cache and builds the rest, 16 entries per esbuild call. */
  private buildPending(): void {
    const index = this.readIndex();
    const toBuild: string[] = [];
    for (const name of [...this.pending].sort()) {
      const cached = index.bundles[name];
      if (cached && this.unchanged(cached)) this.ready.set(name, join(this.cacheDir, cached.dir));
      else toBuild.push(name);
    }
    this.pending.clear();
    if (toBuild.length === 0) return;
    const built: Record<string, CachedBundle> = {};
    for (let i = 0; i < toBuild.length; i += entriesPerBuild)
      Object.assign(built, this.build(toBuild.slice(i, i + entriesPerBuild)));
    // Another synth of this project may have written the index meanwhile: merge into what is there now.
    const latest = this.readIndex();
    this.writeIndex({ key: this.key, bundles: { ...latest.bundles, ...built } });
    for (const [name, bundle] of Object.entries(built)) this.ready.set(name, join(this.cacheDir, bundle.dir));
    this.removeStaleBuilds();
  }

  /**
   * One esbuild build of `names` into a new folder `b-<random>/<name>/index.mjs`: every build
   * folder has the same depth, so the source maps' relative paths are the same whichever build
   * wrote them, and a concurrent synth never reads a half-written bundle.
   */
  private build(names: readonly string[]): Record<string, CachedBundle> {
    const buildDir = `b-${randomBytes(6).toString('hex')}`;
    const outName = (name: string) =>
      `${buildDir}/${name.replace(/\.[cm]?[jt]sx?$/, '').replace(/[^\w.-]+/g, '_')}`;
    const entryPoints = Object.fromEntries(names.map((name) => [`${outName(name)}/index`, name]));
    let metafile: { outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown> }> };
    try {
      const result = buildSync({
        absWorkingDir: this.root,
        entryPoints,
        outdir: this.cacheDir,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: this.settings.minify,
        sourcemap: true,
        sourcesContent,
        logLevel: 'silent',
        banner: { js: requireBanner },
        metafile: true,
      });
      metafile = result.metafile;
    } catch (error) {
      rmSync(join(this.cacheDir, buildDir), { recursive: true, force: true });
      throw new Error(`Bundling the functions failed:\n${describeFailure(error)}`);
    }
    const built: Record<string, CachedBundle> = {};
    for (const output of Object.values(metafile.outputs)) {
      if (!output.entryPoint) continue;
      const name = output.entryPoint;
      const inputs = Object.fromEntries(
        Object.keys(output.inputs)
          .sort()
          .map((input) => [input, this.hashOf(input) ?? '-']),
      );
      built[name] = { dir: outName(name), inputs };
    }
    for (const name of names) {
      if (!built[name]) throw new Error(`evtgen bundles: esbuild reported no output for ${name}`);
    }
    return built;
  }

  private unchanged(bundle: CachedBundle): boolean {
    if (!existsSync(join(this.cacheDir, bundle.dir, 'index.mjs'))) return false;
    return Object.entries(bundle.inputs).every(([input, hash]) => this.hashOf(input) === hash);
  }

  /** sha256 of a project-relative file (memoized for this synth), undefined when it does not exist. */
  private hashOf(file: string): string | undefined {
    const known = this.hashes.get(file);
    if (known) return known;
    let content: Buffer;
    try {
      content = readFileSync(resolve(this.root, file));
    } catch {
      return undefined;
    }
    const hash = createHash('sha256').update(content).digest('hex');
    this.hashes.set(file, hash);
    return hash;
  }

  private readIndex(): CacheIndex {
    try {
      const index = JSON.parse(readFileSync(join(this.cacheDir, 'index.json'), 'utf8')) as CacheIndex;
      if (index.key === this.key && typeof index.bundles === 'object') return index;
    } catch {
      // No cache yet, or an unreadable one: build.
    }
    return { key: this.key, bundles: {} };
  }

  private writeIndex(index: CacheIndex): void {
    mkdirSync(this.cacheDir, { recursive: true });
    const temporary = join(this.cacheDir, `index.json.${process.pid}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(index, null, 1)}\n`);
    renameSync(temporary, join(this.cacheDir, 'index.json'));
  }

  private removeStaleBuilds(): void {
    const index = this.readIndex();
    const used = new Set(Object.values(index.bundles).map((bundle) => bundle.dir.split('/')[0]));
    for (const folder of readdirSync(this.cacheDir)) {
      if (!folder.startsWith('b-') || used.has(folder)) continue;
      const path = join(this.cacheDir, folder);
      if (Date.now() - statSync(path).mtimeMs > staleBuildMs) rmSync(path, { recursive: true, force: true });
    }
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
