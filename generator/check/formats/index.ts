import type { CheckResult } from '../check.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export const formats = ['text', 'json', 'markdown', 'sarif', 'github', 'junit'] as const;
export type Format = (typeof formats)[number];

export function render(
  result: CheckResult,
  format: Format,
  options: { colour: boolean; version: string },
): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'sarif':
      return renderSarif(result, options.version);
    case 'github':
      return renderGithub(result);
    case 'junit':
      return renderJunit(result);
    default:
      return renderText(result, options.colour);
  }
}
