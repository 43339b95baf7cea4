import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadTemplate } from '../emit/templates.js';
import { type GenerateResult, generate } from '../generate.js';
import { appDependencies } from './app-dependencies.js';
import { mergePackageManifest, type PackageManifest, renderPackageManifest } from './package-json.js';
import { type StarterData, type StarterSettings, starterData } from './starter.js';

/** The starter's files: template under `templates/init/` → path in the new service. */
const starterFiles: readonly { readonly template: string; readonly target: (d: StarterData) => string }[] = [
  { template: 'specs/openapi.yaml.hbs', target: (d) => `specs/${d.name}.openapi.yaml` },
  { template: 'specs/asyncapi.yaml.hbs', target: (d) => `specs/${d.name}.asyncapi.yaml` },
  { template: 'app/handlers/http/create-item.ts.hbs', target: () => 'app/handlers/http/create-item.ts' },
  { template: 'app/handlers/consumers/audit.ts.hbs', target: () => 'app/handlers/consumers/audit.ts' },
  { template: 'test/aws-events.ts.hbs', target: () => 'test/aws-events.ts' },
  { template: 'test/create-item.test.ts.hbs', target: () => 'test/create-item.test.ts' },
  { template: 'test/audit.test.ts.hbs', target: () => 'test/audit.test.ts' },
  { template: 'vitest.config.ts.hbs', target: () => 'vitest.config.ts' },
  { template: 'tsconfig.json.hbs', target: () => 'tsconfig.json' },
  { template: 'evtgen.config.json.hbs', target: () => 'evtgen.config.json' },
  { template: 'README.md.hbs', target: () => 'README.md' },
  // npm never packs files named .gitignore, and dot-folders are easy to lose: both are renamed here.
  { template: 'gitignore.hbs', target: () => '.gitignore' },
  { template: 'github/workflows/contracts.yml.hbs', target: () => '.github/workflows/contracts.yml' },
];

/**
 * What may already be in the folder: what `git init` and `npm install -D evtgen` leave behind.
 * Anything else makes the folder "not empty" and init refuses without `--force`.
 */
const tolerated = new Set(['.git', 'node_modules', 'package.json', 'package-lock.json', '.npmrc']);

export interface InitOptions {
  readonly settings: StarterSettings;
  /** Write into a non-empty folder, replacing the starter's files and a conflicting package.json `type`. */
  readonly force?: boolean;
  /** Called as each step starts (for progress output). */
  readonly onStep?: (step: string) => void;
}

export type InitFileChange = 'created' | 'overwritten' | 'merged';

export interface InitResult {
  readonly ok: boolean;
  readonly dir: string;
  /** Why nothing was written (exit 2). */
  readonly refused?: { readonly reason: string; readonly entries: readonly string[] };
  readonly files: readonly { readonly path: string; readonly change: InitFileChange }[];
  /** What init added to an existing package.json. */
  readonly packageJsonAdded: readonly string[];
  /** The `evtgen generate` run that follows (CDK app scaffold and generated/). */
  readonly generate?: GenerateResult;
}

/**
 * Scaffolds a service in `dir`: the starter specs, handlers, tests, configuration, README and CI
 * workflow, then runs `generate` for the CDK app and generated/. All files are rendered and checked
 * before the first one is written; they are written to temporary names and renamed into place, so
 * a failure leaves the folder as it was.
 */
export async function initService(dir: string, options: InitOptions): Promise<InitResult> {
  const root = resolve(dir);
  const force = options.force ?? false;
  const refuse = (reason: string, entries: readonly string[] = []): InitResult => ({
    ok: false,
    dir: root,
    refused: { reason, entries },
    files: [],
    packageJsonAdded: [],
  });

  const kind = await stat(root).catch(() => undefined);
  if (kind && !kind.isDirectory())
    return refuse(`${root} exists and is not a folder: choose a folder to create the service in`);
  const existing = kind ? await readdir(root) : [];
  const foreign = existing.filter((entry) => !tolerated.has(entry)).sort();
  if (foreign.length > 0 && !force) {
    return refuse(
      `${root} is not empty, so nothing was written (init only adds to a folder holding at most ${[...tolerated].join(', ')}). Use an empty folder, or --force to write the starter files over what is there (other files are kept).`,
      foreign,
    );
  }

  options.onStep?.('Rendering the starter');
  const data = starterData(options.settings);
  const planned: { path: string; content: string; change: InitFileChange }[] = [];
  for (const file of starterFiles) {
    const content = (await loadTemplate('init', file.template))(data);
    const path = file.target(data);
    const exists = await stat(join(root, path)).then(
      () => true,
      () => false,
    );
    planned.push({ path, content, change: exists ? 'overwritten' : 'created' });
  }

  const manifestPath = join(root, 'package.json');
  const manifestText = await readFile(manifestPath, 'utf8').catch(() => undefined);
  let manifest: PackageManifest | undefined;
  if (manifestText !== undefined) {
    try {
      manifest = JSON.parse(manifestText) as PackageManifest;
    } catch (error) {
      return refuse(
        `${manifestPath} is not valid JSON (${(error as Error).message}): fix it and run init again`,
      );
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      return refuse(`${manifestPath} is not a JSON object: fix it and run init again`);
    }
  }
  const merged = mergePackageManifest(manifest, data, await appDependencies(), force);
  if (merged.conflicts.length > 0 && !force) {
    return refuse(
      `${merged.conflicts.join('; ')}. Nothing was written: change it, or run init with --force to set it.`,
    );
  }
  planned.push({
    path: 'package.json',
    content: renderPackageManifest(merged.manifest),
    change: manifestText === undefined ? 'created' : 'merged',
  });

  options.onStep?.('Writing the starter files');
  await writeAll(root, planned);

  options.onStep?.('Generating the CDK app and generated/');
  const generated = await generate(root, { mode: 'write' });
  return {
    ok: generated.ok,
    dir: root,
    files: planned.map(({ path, change }) => ({ path, change })),
    packageJsonAdded: manifestText === undefined ? [] : merged.added,
    generate: generated,
  };
}

/** Writes every file under a temporary name first; only when all are written are they renamed into place. */
async function writeAll(root: string, files: readonly { path: string; content: string }[]): Promise<void> {
  const suffix = `.evtgen-init-${randomBytes(4).toString('hex')}`;
  const createdDirs: string[] = [];
  const staged: string[] = [];
  try {
    for (const file of files) {
      const target = join(root, file.path);
      const made = await mkdir(dirname(target), { recursive: true });
      if (made) createdDirs.push(made);
      await writeFile(`${target}${suffix}`, file.content, { flag: 'wx' });
      staged.push(target);
    }
  } catch (error) {
    await Promise.all(staged.map((target) => rm(`${target}${suffix}`, { force: true })));
    for (const made of createdDirs.reverse()) await rm(made, { recursive: true, force: true });
    throw error;
  }
  for (const target of staged) await rename(`${target}${suffix}`, target);
}
