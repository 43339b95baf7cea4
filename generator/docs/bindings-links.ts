import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Language, languages } from '../bindings/backend.js';
import { bindingsManifest } from '../bindings/manifest-name.js';
import type { Diagnostic } from '../diagnostics.js';
import type { EventType } from '../model/contract.js';

/** The folder `evtgen docs` copies bindings into, beside the pages (the site stays self-contained). */
export const bindingsFolder = 'bindings';

interface LanguageBindings {
  readonly lang: Language;
  readonly dir: string;
  /** subject → version → file (relative to the language folder). */
  readonly subjects: Record<string, Record<string, { file: string }>>;
}

export interface BindingsSet {
  readonly languages: readonly LanguageBindings[];
}

/**
 * The bindings `evtgen bindings --out DIR` built: every language folder of DIR holding a
 * `bindings.json`. A folder without any is a usage error, not an empty column.
 */
export async function readBindings(projectRoot: string, dir: string): Promise<BindingsSet | Diagnostic> {
  const root = resolve(projectRoot, dir);
  const found: LanguageBindings[] = [];
  for (const lang of languages) {
    const manifest = join(root, lang, bindingsManifest);
    if (!existsSync(manifest)) continue;
    try {
      const parsed = JSON.parse(await readFile(manifest, 'utf8')) as {
        subjects?: LanguageBindings['subjects'];
      };
      found.push({ lang, dir: join(root, lang), subjects: parsed.subjects ?? {} });
    } catch {
      return problem(dir, `${lang}/${bindingsManifest} is not the manifest evtgen bindings writes.`);
    }
  }
  if (found.length === 0)
    return problem(dir, `${dir} holds no bindings (no <language>/${bindingsManifest}).`);
  return { languages: found };
}

function problem(dir: string, message: string): Diagnostic {
  return {
    severity: 'error',
    code: 'docs-bindings-missing',
    message,
    file: dir,
    position: { line: 1, column: 1 },
    pointer: '',
    hint: `Build them first: evtgen bindings --lang python --out ${dir}`,
  };
}

/** One link per language that has bindings of the event (`python v2`), into the copied folder. */
export function bindingLinks(set: BindingsSet, event: EventType): { label: string; href: string }[] {
  const subject = `${event.source}@${event.detailType}`;
  return set.languages.flatMap(({ lang, subjects }) =>
    Object.entries(subjects[subject] ?? {})
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([version, { file }]) => ({
        label: `${lang} v${version}`,
        href: `${bindingsFolder}/${lang}/${file.split('/').map(encodeURIComponent).join('/')}`,
      })),
  );
}

/** Copies every language folder into `<site>/bindings/<lang>/` (the writer's own manifest left out). */
export async function copyBindings(set: BindingsSet, site: string): Promise<void> {
  for (const { lang, dir } of set.languages)
    await cp(dir, join(site, bindingsFolder, lang), {
      recursive: true,
      filter: (source) => !source.endsWith('.evtgen-manifest.json'),
    });
}
