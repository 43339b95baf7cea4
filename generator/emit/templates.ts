import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { packagePath } from '../package-root.js';
import { commentText, literal } from './generated-file.js';

/** A template of files users own, rendered with the data it is given. */
export type Template = (data: object) => string;

/**
 * The helpers every value in a template goes through when it lands in code: Handlebars escapes
 * nothing here (`noEscape`, the output is code, not HTML), so a spec title with a quote or a
 * comment terminator would otherwise break the file.
 *
 * - `{{str a " b"}}`: one single-quoted TypeScript string literal of its arguments, joined.
 * - `{{comment text}}`: text inside a one-line comment (no line breaks, no comment terminator).
 * - `{{json value}}`: a JSON value (for JSON files).
 */
const handlebars = Handlebars.create();
/** Handlebars passes its options object as the last argument of every helper call. */
const withoutOptions = (args: unknown[]): unknown[] => args.slice(0, -1);
handlebars.registerHelper('str', (...args: unknown[]) => literal(withoutOptions(args).map(String).join('')));
handlebars.registerHelper('comment', (text: unknown) => commentText(String(text)));
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));

/**
 * Compiles `templates/<segments…>` from the evtgen package. Strict: a placeholder the data does not
 * define is an error, not an empty string. No HTML escaping: the output is code, YAML and Markdown.
 */
export async function loadTemplate(...segments: string[]): Promise<Template> {
  const source = await readFile(packagePath('templates', ...segments), 'utf8');
  return handlebars.compile(source, { strict: true, noEscape: true });
}
