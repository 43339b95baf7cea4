import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { loadConfig, type ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { readSourceFile } from '../load/source-file.js';
import { loadContract } from '../model/build-model.js';
import type { ContractModel } from '../model/contract.js';
import type { StoredSubject } from '../registry/store.js';
import { type BindingsSet, bindingLinks, copyBindings, readBindings } from './bindings-links.js';
import { buildIndexView, type DocsPage, type RegistryVersionLookup, renderIndexPage } from './index-page.js';
import { buildDocsPage } from './redocly.js';
import { readStoreQuietly, versionLookup } from './registry-versions.js';
import { buildSystemView, renderSystemSection } from './system-view.js';

/** Default output folder: beside specs/, never inside generated/ (which `generate --check` owns). */
export const defaultDocsDir = 'docs-site';

/** Written into every docs folder evtgen builds: only such a folder is ever replaced. */
const markerFile = '.evtgen-docs';

export interface DocsOptions {
  /** Output folder, relative to the project (default `docs-site`). */
  readonly outDir?: string;
  /** Called as each Redocly page starts building (for a progress display). */
  readonly onProgress?: (progress: {
    readonly file: string;
    readonly current: number;
    readonly total: number;
  }) => void;
  readonly registryVersion?: RegistryVersionLookup;
  /**
   * A folder `evtgen bindings --out` wrote (relative to the project): copied into the site under
   * `bindings/`, each event of the index linking to its bindings in every language built.
   */
  readonly bindingsDir?: string;
  /**
   * Other services' project folders (relative to this project): their docs are built into
   * `services/<name>/` and the index gains the system view (every event, its owner, versions,
   * producers and consumers across the services).
   */
  readonly services?: readonly string[];
}

export interface DocsFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly bytes: number;
  /** The spec document a Redocly page was built from; absent for the index. */
  readonly source?: string;
}

export interface DocsResult {
  readonly ok: boolean;
  readonly failure?: 'config' | 'spec' | 'redocly';
  readonly diagnostics: Diagnostic[];
  /** The output folder, relative to the project. */
  readonly outDir: string;
  /** The index first, then one page per document. Empty when nothing was written. */
  readonly files: DocsFile[];
}

/**
 * `evtgen docs`: one Redocly page per spec document plus evtgen's index page, built in a staging
 * folder and swapped in only when every page built, so a failed run leaves the old docs in place.
 */
export async function buildDocs(projectRoot: string, options: DocsOptions = {}): Promise<DocsResult> {
  const { config, diagnostics: configProblems } = await loadConfig(projectRoot);
  const requested = options.outDir ?? defaultDocsDir;
  if (!config)
    return { ok: false, failure: 'config', diagnostics: configProblems, outDir: requested, files: [] };
  const outDir = resolve(config.projectRoot, requested);
  const shownOut = relative(config.projectRoot, outDir).split(sep).join('/') || '.';
  const fail = (failure: DocsResult['failure'], diagnostics: Diagnostic[]): DocsResult => ({
    ok: false,
    ...(failure ? { failure } : {}),
    diagnostics,
    outDir: shownOut,
    files: [],
  });

  const refusal = await checkOutDir(outDir, shownOut, config.projectRoot, [config.specsDir, config.outDir]);
  if (refusal) return fail('config', [refusal]);

  let bindings: BindingsSet | undefined;
  if (options.bindingsDir !== undefined) {
    const read = await readBindings(config.projectRoot, options.bindingsDir);
    if (!('languages' in read)) return fail('config', [read]);
    bindings = read;
  }

  const main = await loadSite(config.projectRoot);
  if ('failure' in main) return fail(main.failure, main.diagnostics);
  const { model, pages, loaded } = main;
  const others: (Site & { name: string })[] = [];
  for (const dir of options.services ?? []) {
    const site = await loadSite(resolve(config.projectRoot, dir));
    if ('failure' in site) return fail(site.failure, site.diagnostics);
    const name = site.model.service.name;
    if (name === model.service.name || others.some((o) => o.name === name))
      return fail('config', [
        {
          severity: 'error',
          code: 'docs-service-twice',
          message: `Two services of the site are named ${name} (${dir}): each gets its own folder services/<name>/.`,
          file: dir,
          position: { line: 1, column: 1 },
          pointer: '',
          hint: 'Pass each service folder once; services are named after their first AsyncAPI document’s title.',
        },
      ]);
    others.push({ ...site, name });
  }

  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(outDir), '.evtgen-staging-docs-'));
  // mkdtemp makes it private (0700); the docs are meant to be served and shared.
  await chmod(staging, 0o755);
  try {
    const jobs = [
      ...pages.map((page) => ({ page, dir: staging, cwd: config.projectRoot })),
      ...others.flatMap((o) =>
        o.pages.map((page) => ({ page, dir: join(staging, 'services', o.name), cwd: o.config.projectRoot })),
      ),
    ];
    let started = 0;
    const failures = await inPool(jobs, 2, async ({ page, dir, cwd }) => {
      options.onProgress?.({ file: page.source, current: ++started, total: jobs.length });
      const output = join(dir, page.href);
      await mkdir(dirname(output), { recursive: true });
      return buildDocsPage({ spec: page.absolute, output, title: page.title, cwd });
    });
    const failed = failures.flatMap((failure, i) => (failure ? [{ failure, page: jobs[i]?.page }] : []));
    if (failed.length > 0) {
      return fail(
        'redocly',
        failed.map(({ failure, page }) => ({
          severity: 'error',
          code: 'docs-redocly-failed',
          message: `Redocly could not build the page of this document: ${failure.output || 'no output'}`,
          file: page?.source ?? '',
          position: { line: 1, column: 1 },
          pointer: '',
          hint: 'Run `evtgen lint` and fix what it reports; Redocly’s own message is above.',
        })),
      );
    }
    for (const other of others) {
      const dir = join(staging, 'services', other.name);
      await writeFile(
        join(dir, 'index.html'),
        renderIndexPage(buildIndexView(other.model, other.pages, versionLookup(other.model, other.store))),
      );
    }
    const system =
      others.length === 0
        ? undefined
        : renderSystemSection(
            buildSystemView(
              [{ ...main, prefix: '' }, ...others.map((o) => ({ ...o, prefix: `services/${o.name}/` }))].map(
                (site) => ({
                  model: site.model,
                  pages: site.pages,
                  prefix: site.prefix,
                  published: new Map(site.store.map((s) => [s.subject, s.versions.length])),
                }),
              ),
            ),
          );
    const withBindings = bindings;
    if (withBindings) await copyBindings(withBindings, staging);
    const index = renderIndexPage(
      buildIndexView(
        model,
        pages,
        options.registryVersion ?? versionLookup(model, main.store),
        withBindings ? (event) => bindingLinks(withBindings, event) : undefined,
      ),
      system,
    );
    await writeFile(join(staging, 'index.html'), index);
    await writeFile(
      join(staging, markerFile),
      'Built by `evtgen docs`: this folder is replaced on every run.\n',
    );
    await swapIn(staging, outDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }

  const files: DocsFile[] = [{ path: 'index.html', bytes: (await stat(join(outDir, 'index.html'))).size }];
  for (const page of pages) {
    files.push({ path: page.href, bytes: (await stat(join(outDir, page.href))).size, source: page.source });
  }
  for (const other of others) {
    for (const path of ['index.html', ...other.pages.map((p) => p.href)].map(
      (p) => `services/${other.name}/${p}`,
    ))
      files.push({ path, bytes: (await stat(join(outDir, path))).size });
  }
  return { ok: true, diagnostics: loaded.diagnostics, outDir: shownOut, files };
}

interface Site {
  readonly config: ProjectConfig;
  readonly model: ContractModel;
  readonly pages: (DocsPage & { absolute: string })[];
  readonly loaded: { readonly diagnostics: Diagnostic[] };
  /** Its registry store, read once for the index's versions and the system view's counts. */
  readonly store: readonly StoredSubject[];
}

/** A project's model and the Redocly page each of its documents gets. */
async function loadSite(
  projectRoot: string,
): Promise<Site | { failure: 'config' | 'spec'; diagnostics: Diagnostic[] }> {
  const { config, diagnostics } = await loadConfig(projectRoot);
  if (!config) return { failure: 'config', diagnostics };
  const loaded = await loadContract(config.projectRoot, config.specsDir, {
    requireSecurity: false,
    checkDeployability: false,
  });
  if (!loaded.model) return { failure: 'spec', diagnostics: loaded.diagnostics };
  const pages: (DocsPage & { absolute: string })[] = [];
  for (const document of loaded.model.documents) {
    const absolute = resolve(config.projectRoot, document.file);
    const { file } = await readSourceFile(absolute, document.file);
    const inSpecs = relative(config.specsDir, absolute).split(sep).join('/');
    pages.push({
      kind: document.kind,
      source: document.file,
      href: inSpecs.replace(/\.(ya?ml|json)$/i, '.html'),
      title: document.title || basename(document.file),
      version: document.version,
      document: file.value,
      absolute,
    });
  }
  return { config, model: loaded.model, pages, loaded, store: await readStoreQuietly(config) };
}

/**
 * The output folder is replaced wholesale, so it must be one evtgen built (it holds the marker), or
 * new or empty; it must not hold the project, and neither hold nor sit in specs/ or generated/.
 */
async function checkOutDir(
  outDir: string,
  shown: string,
  projectRoot: string,
  ownedDirs: readonly string[],
): Promise<Diagnostic | undefined> {
  const refuse = (message: string, hint: string): Diagnostic => ({
    severity: 'error',
    code: 'docs-out-refused',
    message,
    file: shown,
    position: { line: 1, column: 1 },
    pointer: '',
    hint,
  });
  const within = (dir: string, parent: string) => dir === parent || dir.startsWith(`${parent}${sep}`);
  if (within(projectRoot, outDir) || ownedDirs.some((dir) => within(dir, outDir) || within(outDir, dir))) {
    return refuse(
      `The docs folder ${shown} would replace or sit inside the project, its specs or its generated code.`,
      `Choose a folder of its own, e.g. --out ${defaultDocsDir}.`,
    );
  }
  if (!existsSync(outDir) || existsSync(join(outDir, markerFile))) return undefined;
  const entries = await readdir(outDir).catch(() => undefined);
  if (entries === undefined) return refuse(`${shown} exists and is not a folder.`, 'Choose another --out.');
  if (entries.length === 0) return undefined;
  return refuse(
    `${shown} already holds files evtgen did not write; evtgen docs replaces its output folder as a whole.`,
    `Choose another --out (the default is ${defaultDocsDir}), or empty ${shown} first.`,
  );
}

/** Puts the finished `staging` folder in place of `target`: two renames, the old copy removed last. */
async function swapIn(staging: string, target: string): Promise<void> {
  const previous = `${staging}-previous`;
  const hadTarget = existsSync(target);
  if (hadTarget) await rename(target, previous);
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadTarget) await rename(previous, target);
    throw error;
  }
  if (hadTarget) await rm(previous, { recursive: true, force: true });
}

/** Maps `items` with at most `limit` running at once (Redocly is CPU-bound; machines are shared). */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
