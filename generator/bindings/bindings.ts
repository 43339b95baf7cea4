import { isAbsolute, join, relative, resolve } from 'node:path';
import type { GeneratedFile } from '../emit/generated-file.js';
import { openProject, RegistryCommandError } from '../registry/project.js';
import { applyWrite, pendingChanges, planWrite } from '../write/writer.js';
import { type Backend, type Language, type LanguageOutput, languages } from './backend.js';
import { csharp } from './csharp.js';
import { go } from './go.js';
import { java } from './java.js';
import { bindingsManifest } from './manifest-name.js';
import { python } from './python.js';
import { type SubjectQuery, selectSubjects } from './subjects.js';
import { typescript } from './typescript.js';

const backends: Record<Language, Backend> = { python, java, go, csharp, typescript };

export interface BindingsOptions extends SubjectQuery {
  readonly project: string;
  readonly langs: readonly Language[];
  /** Output folder, relative to the project; one sub-folder per language. */
  readonly out: string;
}

export interface BindingsResult {
  readonly out: string;
  readonly languages: { lang: Language; dir: string; files: number; changed: number }[];
  readonly subjects: { subject: string; version: number }[];
}

/** Every language's files, in memory: nothing is written until all of them were rendered. */
export async function renderBindings(
  options: BindingsOptions,
): Promise<{ outputs: Map<Language, GeneratedFile[]>; subjects: { subject: string; version: number }[] }> {
  for (const lang of options.langs)
    if (!languages.includes(lang))
      throw new RegistryCommandError(
        'usage',
        `Unknown language ${lang}: use one of ${languages.join(', ')}.`,
      );
  const project = await openProject(options.project);
  const subjects = await selectSubjects(project, options);
  const outputs = new Map<Language, GeneratedFile[]>();
  for (const lang of options.langs) {
    const out: LanguageOutput = await backends[lang](subjects);
    outputs.set(
      lang,
      [...out.files, { path: bindingsManifest, content: manifestFile(lang, out) }].sort(byPath),
    );
  }
  return { outputs, subjects: subjects.map((s) => ({ subject: s.subject, version: s.version })) };
}

/**
 * `evtgen bindings`: renders every requested language, then writes each language folder through
 * the generator's writer (staged, renamed into place, orphans of an earlier run removed).
 */
export async function buildBindings(options: BindingsOptions): Promise<BindingsResult> {
  const { outputs, subjects } = await renderBindings(options);
  const root = resolve(options.project);
  const outDir = isAbsolute(options.out) ? options.out : join(root, options.out);
  const plans = await Promise.all(
    [...outputs].map(async ([lang, files]) => ({ lang, plan: await planWrite(join(outDir, lang), files) })),
  );
  for (const { plan } of plans) await applyWrite(plan);
  return {
    out: relative(root, outDir) || '.',
    languages: plans.map(({ lang, plan }) => ({
      lang,
      dir: relative(root, plan.outDir),
      files: outputs.get(lang)?.length ?? 0,
      changed: pendingChanges(plan).length,
    })),
    subjects,
  };
}

function manifestFile(lang: Language, out: LanguageOutput): string {
  const subjects: Record<string, Record<string, { file: string; type: string }>> = {};
  for (const e of [...out.entries].sort((a, b) =>
    a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0,
  )) {
    subjects[e.subject] ??= {};
    const versions = subjects[e.subject] ?? {};
    versions[String(e.version)] = { file: e.file, type: e.type };
  }
  return `${JSON.stringify({ generator: 'evtgen bindings', language: lang, subjects }, null, 2)}\n`;
}

function byPath(a: GeneratedFile, b: GeneratedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
