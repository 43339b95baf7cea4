import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadTemplate } from '../emit/templates.js';
import { type GenerateResult, generate } from '../generate.js';
import { type FoundSpec, findExistingSpecs, specsFolderFor } from './adopt.js';
import { appDependencies } from './app-dependencies.js';
import { type ChecklistItem, specChecklist } from './checklist.js';
import { extensionRecommendations, planEditorSettings } from './editor-settings.js';
import { planEvtgenDependency } from './evtgen-dependency.js';
import { mergePackageManifest, type PackageManifest, renderPackageManifest } from './package-json.js';
import { type StarterData, type StarterSettings, starterData } from './starter.js';

interface TemplateFile {
  readonly template: string;
  readonly target: (d: StarterData) => string;
}

/** The starter's files: template under `templates/init/` → path in the new service. */
const starterFiles: readonly TemplateFile[] = [
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
 * Adopting specs a team already has: the project around them (toolchain, CI), none of the starter's
 * specs, handlers, tests or README. evtgen.config.json is written separately (it names their folder).
 */
const adoptedFiles = starterFiles.filter((f) =>
  [
    'vitest.config.ts.hbs',
    'tsconfig.json.hbs',
    'gitignore.hbs',
    'github/workflows/contracts.yml.hbs',
  ].includes(f.template),
);

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

export type InitFileChange = 'created' | 'overwritten' | 'merged' | 'kept';

export interface InitResult {
  readonly ok: boolean;
  readonly dir: string;
  /** Why nothing was written (exit 2). */
  readonly refused?: { readonly reason: string; readonly entries: readonly string[] };
  readonly files: readonly { readonly path: string; readonly change: InitFileChange }[];
  /** What init added to an existing package.json. */
  readonly packageJsonAdded: readonly string[];
  /** Specs that were already there, set up instead of the starter's, with what they still lack. */
  readonly adopted?: {
    readonly specsDir: string;
    readonly specs: readonly Omit<FoundSpec, 'document'>[];
    readonly checklist: readonly ChecklistItem[];
  };
  /** What the user should know: values init changed, files it left alone and why. */
  readonly notes: readonly string[];
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
    notes: [],
  });

  const kind = await stat(root).catch(() => undefined);
  if (kind && !kind.isDirectory())
    return refuse(`${root} exists and is not a folder: choose a folder to create the service in`);
  const existing = kind ? await readdir(root) : [];
  options.onStep?.('Looking for AsyncAPI/OpenAPI documents already here');
  const found = kind ? await findExistingSpecs(root) : [];
  const adopt = found.length > 0;
  const specsDir = adopt ? specsFolderFor(found) : 'specs';
  if (specsDir === undefined) {
    return refuse(
      'the AsyncAPI/OpenAPI documents here sit in the folder itself, and evtgen reads a folder of specs, so nothing was written. Move them into one (e.g. `mkdir specs && git mv <file> specs/`) and run init again',
      found.map((f) => f.path),
    );
  }
  if (adopt && !force && (existing.includes('evtgen.config.json') || existing.includes('generated'))) {
    return refuse(
      `${root} is already an evtgen project (it has ${existing.includes('evtgen.config.json') ? 'evtgen.config.json' : 'generated/'}), so nothing was written: run \`evtgen generate\` there, or init --force to write the project files again`,
    );
  }
  const foreign = existing.filter((entry) => !tolerated.has(entry)).sort();
  if (!adopt && foreign.length > 0 && !force) {
    return refuse(
      `${root} is not empty, so nothing was written (init only adds to a folder holding at most ${[...tolerated].join(', ')}, or one with AsyncAPI/OpenAPI documents to adopt). Use an empty folder, or --force to write the starter files over what is there (other files are kept).`,
      foreign,
    );
  }

  options.onStep?.(adopt ? `Setting up around ${found.length} existing spec(s)` : 'Rendering the starter');
  const data = starterData(options.settings);
  const planned: { path: string; content: string | Buffer; change: InitFileChange }[] = [];
  const kept: string[] = [];
  const exists = (path: string) =>
    stat(join(root, path)).then(
      () => true,
      () => false,
    );
  // Adopting never replaces a file of the team's own; the starter replaces only with --force.
  const plan = async (path: string, content: string | Buffer) => {
    const there = await exists(path);
    if (there && adopt && !force) kept.push(path);
    else planned.push({ path, content, change: there ? 'overwritten' : 'created' });
  };
  for (const file of adopt ? adoptedFiles : starterFiles)
    await plan(file.target(data), (await loadTemplate('init', file.template))(data));
  if (adopt)
    await plan(
      'evtgen.config.json',
      `${JSON.stringify({ specs: specsDir, output: 'generated', handlers: 'app/handlers' }, null, 2)}\n`,
    );
  const notes: string[] = [];
  const settingsText = await readFile(join(root, '.vscode/settings.json'), 'utf8').catch(() => undefined);
  const editor = planEditorSettings(settingsText, specsDir, found);
  if (editor.content !== undefined)
    planned.push({
      path: '.vscode/settings.json',
      content: editor.content,
      change: settingsText === undefined ? 'created' : 'merged',
    });
  else
    notes.push(
      `.vscode/settings.json kept as it is (${editor.keptBecause}): see docs/editor.md for the lines to add`,
    );
  if (!(await exists('.vscode/extensions.json')))
    planned.push({ path: '.vscode/extensions.json', content: extensionRecommendations, change: 'created' });

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
  const dependencies = await appDependencies();
  const current = manifest?.devDependencies?.evtgen ?? manifest?.dependencies?.evtgen;
  let evtgen = planEvtgenDependency(root, current, dependencies.evtgenVersion);
  const tarball = evtgen.vendor && (await readFile(evtgen.vendor.from).catch(() => undefined));
  if (evtgen.vendor && tarball) await plan(evtgen.vendor.to, tarball);
  else if (evtgen.vendor)
    evtgen = {
      spec: current as string,
      note: `evtgen's tarball ${evtgen.vendor.from} is gone, so it could not be copied into vendor/: install evtgen from a tarball again and rerun init`,
    };
  if (evtgen.note) notes.push(evtgen.note);
  const merged = mergePackageManifest(manifest, data, dependencies, force, {
    evtgenSpec: evtgen.spec,
    commonjsIsDefault: !existing.some((entry) => /\.(c?js)$/.test(entry)),
    adopt,
  });
  if (merged.conflicts.length > 0 && !force) {
    return refuse(
      `${merged.conflicts.join('; ')}. Nothing was written: change it, or run init with --force to set it.`,
    );
  }
  notes.push(...merged.changed.map((change) => `package.json: ${change}`));
  notes.push(...kept.map((path) => `${path} kept as it is (yours)`));
  planned.push({
    path: 'package.json',
    content: renderPackageManifest(merged.manifest),
    change: manifestText === undefined ? 'created' : 'merged',
  });

  options.onStep?.(adopt ? 'Writing the project files' : 'Writing the starter files');
  await writeAll(root, planned);

  options.onStep?.('Generating the CDK app and generated/');
  const generated = await generate(root, { mode: 'write' });
  return {
    ok: generated.ok,
    dir: root,
    files: planned.map(({ path, change }) => ({ path, change })),
    packageJsonAdded: manifestText === undefined ? [] : merged.added,
    ...(adopt
      ? {
          adopted: {
            specsDir,
            specs: found.map(({ document: _, ...spec }) => spec),
            checklist: specChecklist(found),
          },
        }
      : {}),
    notes,
    generate: generated,
  };
}

/** Writes every file under a temporary name first; only when all are written are they renamed into place. */
async function writeAll(
  root: string,
  files: readonly { path: string; content: string | Buffer }[],
): Promise<void> {
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
