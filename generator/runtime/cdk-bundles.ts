/**
 * Every function of the app bundled by esbuild in one step (cdk-bundle-build.ts: two esbuild builds
 * for all functions, the packages' code shared through code splitting). NodejsFunction starts
 * `npx esbuild` once per function (about 3.6 s each on a small machine, mostly npm's start-up: 818 s
 * for 226 functions).
 *
 * Each function still gets its own asset (index.mjs, its source map and the chunks it imports),
 * hashed by its content (AssetHashType.OUTPUT): the same sources give the same hash on any machine,
 * so an unchanged function is not redeployed. Bundles are kept in `cdk.out/.evtgen-bundles/` with
 * the contents of every file that went into them. A synth where nothing changed builds nothing; when
 * something changed, the first step (each function's own code) runs again only for the functions
 * whose files changed (the others' outputs are kept by a key of their files' contents), and the
 * second (the shared chunks) runs over all of them, since which chunks exist depends on all of
 * them; a function whose files come out identical keeps its cached folder.
 *
 * The settings are NodejsFunction's as the constructs used it: ES modules, minified (unless
 * `minify: false`), external source maps, nothing external (the bundle carries the AWS SDK it was
 * tested with), node22 syntax, and a banner defining `require` for CommonJS dependencies. One
 * difference: the source maps do not embed the sources (`sourcesContent: false`). Stack traces
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
import { version as esbuildVersion } from 'esbuild';
import { buildFunctions, folderName, type OwnOutput } from './cdk-bundle-build.js';

export interface BundleSettings {
  readonly minify: boolean;
  /**
   * The folder of the validator modules (`generated/validators/compiled`; absolute, or relative to
   * the working directory): the first step leaves them as imports, the second links them once for
   * all functions (cdk-bundle-build.ts).
   */
  readonly validatorModules?: string;
}

/** The bundle settings of a service's functions. */
export function bundleSettings(defaults: {
  readonly minify: boolean;
  readonly generatedDir: string;
}): BundleSettings {
  return { minify: defaults.minify, validatorModules: join(defaults.generatedDir, 'validators', 'compiled') };
}

/** The bundle of one function: `index.mjs`, `index.mjs.map` and its chunks in `dir`. */
interface CachedBundle {
  /** Relative to the cache folder. */
  readonly dir: string;
  /** Identifies the set of functions it was built with (the chunks depend on all of them). */
  readonly group: string;
  /** Every file esbuild read for it (relative to the project root) → sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Its output of the first step (its own code), reused while its key is the same. */
  readonly own?: CachedOwn;
}

interface CachedOwn {
  /** `own/<key>`, relative to the cache folder; the key hashes the settings and `inputs`' contents. */
  readonly dir: string;
  /** Every project file esbuild read for it → sha256 of its content (what the key was made of). */
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
 * bundle builds them all together (otherwise each function builds on its own).
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
 * together, or taken from the cache when none of them changed. The CDK constructs use it
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
  /** The folder of the validator modules, project-relative (POSIX), if any. */
  private readonly validatorModules: string | undefined;

  constructor(
    private readonly root: string,
    private readonly settings: BundleSettings,
  ) {
    const modules = settings.validatorModules;
    this.validatorModules = modules && relative(root, resolve(root, modules)).split(sep).join('/');
    const steering = ['package-lock.json', 'tsconfig.json']
      .map((file) => `${file}:${this.hashOf(file) ?? '-'}`)
      .join(',');
    this.key = createHash('sha256')
      .update(
        JSON.stringify({
          esbuild: esbuildVersion,
          settings: { minify: settings.minify, validatorModules: this.validatorModules },
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

  /** The folder holding the entry's `index.mjs`, its map and chunks, built with every planned entry if needed. */
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
    for (const file of readdirSync(dir)) copyFileSync(join(dir, file), join(outputDir, file));
  }

  /**
   * Takes the bundles from the cache when no entry changed, else builds them all again; a function
   * whose files come out the same keeps its cached folder.
   */
  private buildPending(): void {
    const names = [...this.pending].sort();
    this.pending.clear();
    if (names.length === 0) return;
    const group = createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
    const index = this.readIndex();
    if (names.every((name) => this.unchanged(index.bundles[name], group))) {
      for (const name of names) this.ready.set(name, join(this.cacheDir, index.bundles[name]?.dir ?? ''));
      return;
    }
    const cachedOwn: Record<string, OwnOutput> = {};
    for (const name of names) {
      const own = this.reusableOwn(name, index.bundles[name]?.own);
      if (own) cachedOwn[name] = own;
    }
    const buildDir = `b-${randomBytes(6).toString('hex')}`;
    const build = buildFunctions({
      root: this.root,
      cacheDir: this.cacheDir,
      buildDir,
      names,
      minify: this.settings.minify,
      banner: requireBanner,
      sourcesContent,
      cachedOwn,
      shared: this.validatorModuleFiles(),
      ownKey: (name, inputs) => this.ownKey(name, inputs),
    });
    const built: Record<string, CachedBundle> = {};
    for (const name of names) {
      const inputs = Object.fromEntries(
        build.inputs[name]?.map((input) => [input, this.hashOf(input) ?? '-']) ?? [],
      );
      const dir = build.dirs[name] ?? '';
      const ownOutput = build.ownBuilt[name] ?? cachedOwn[name];
      const own = ownOutput && {
        dir: ownOutput.dir,
        inputs: Object.fromEntries(ownOutput.inputs.map((input) => [input, this.hashOf(input) ?? '-'])),
      };
      const cached = index.bundles[name];
      if (cached && sameFiles(join(this.cacheDir, cached.dir), join(this.cacheDir, dir))) {
        rmSync(join(this.cacheDir, dir), { recursive: true, force: true });
        built[name] = { dir: cached.dir, group, inputs, own };
      } else built[name] = { dir, group, inputs, own };
    }
    // Another synth of this project may have written the index meanwhile: merge into what is there now.
    const latest = this.readIndex();
    this.writeIndex({ key: this.key, bundles: { ...latest.bundles, ...built } });
    for (const [name, bundle] of Object.entries(built)) this.ready.set(name, join(this.cacheDir, bundle.dir));
    // Every function came out the same as cached: the new build folder is empty.
    if (!Object.values(built).some((bundle) => bundle.dir.startsWith(`${buildDir}/`)))
      rmSync(join(this.cacheDir, buildDir), { recursive: true, force: true });
    this.removeStaleBuilds();
  }

  /** The validator modules (absolute paths): none when the folder does not exist (an older generate). */
  private validatorModuleFiles(): string[] {
    if (!this.validatorModules) return [];
    const dir = resolve(this.root, this.validatorModules);
    try {
      return readdirSync(dir)
        .filter((file) => file.endsWith('.js'))
        .sort()
        .map((file) => join(dir, file));
    } catch {
      return [];
    }
  }

  /**
   * The cached first-step output of `name` when its key, computed again from the current contents of
   * the files it was built from, is the one it is stored under (a changed file gives another key).
   */
  private reusableOwn(name: string, own: CachedOwn | undefined): OwnOutput | undefined {
    if (!own) return undefined;
    const inputs = Object.keys(own.inputs).sort();
    if (inputs.length === 0 || own.dir !== `own/${this.ownKey(name, inputs)}`) return undefined;
    const file = join(this.cacheDir, own.dir, `${folderName(name)}.mjs`);
    if (!existsSync(file) || !existsSync(`${file}.map`)) return undefined;
    return { dir: own.dir, inputs };
  }

  /** The key of a first-step output: the settings' key, the entry and each input's content hash. */
  private ownKey(name: string, inputs: readonly string[]): string {
    const files = inputs.map((input) => [input, this.hashOf(input) ?? '-']);
    return createHash('sha256')
      .update(JSON.stringify({ key: this.key, name, files }))
      .digest('hex')
      .slice(0, 32);
  }

  private unchanged(bundle: CachedBundle | undefined, group: string): boolean {
    if (!bundle || bundle.group !== group || !existsSync(join(this.cacheDir, bundle.dir, 'index.mjs')))
      return false;
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

  /** Build folders and first-step outputs the index no longer names, once old enough. */
  private removeStaleBuilds(): void {
    const index = this.readIndex();
    const bundles = Object.values(index.bundles);
    const used = new Set(bundles.map((bundle) => bundle.dir.split('/')[0]));
    const usedOwn = new Set(bundles.map((bundle) => bundle.own?.dir.split('/')[1]));
    const stale = (path: string) => Date.now() - statSync(path).mtimeMs > staleBuildMs;
    for (const folder of readdirSync(this.cacheDir)) {
      const path = join(this.cacheDir, folder);
      if (folder.startsWith('b-') && !used.has(folder) && stale(path))
        rmSync(path, { recursive: true, force: true });
    }
    const ownDir = join(this.cacheDir, 'own');
    if (!existsSync(ownDir)) return;
    for (const folder of readdirSync(ownDir)) {
      const path = join(ownDir, folder);
      if (!usedOwn.has(folder) && stale(path)) rmSync(path, { recursive: true, force: true });
    }
  }
}

/** True when both folders hold the same files with the same bytes. */
function sameFiles(a: string, b: string): boolean {
  try {
    const files = readdirSync(a).sort();
    if (files.join('/') !== readdirSync(b).sort().join('/')) return false;
    return files.every((file) => readFileSync(join(a, file)).equals(readFileSync(join(b, file))));
  } catch {
    return false;
  }
}
