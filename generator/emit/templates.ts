import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { packagePath } from '../package-root.js';

/** A template of files users own, rendered with the data it is given. */
export type Template = (data: object) => string;

/**
 * Compiles `templates/<segments…>` from the evtgen package. Strict: a placeholder the data does not
 * define is an error, not an empty string. No HTML escaping: the output is code, YAML and Markdown.
 */
export async function loadTemplate(...segments: string[]): Promise<Template> {
  const source = await readFile(packagePath('templates', ...segments), 'utf8');
  return Handlebars.compile(source, { strict: true, noEscape: true });
}
