// No 1,000-line rooms: a source file in generator/ stays under 400 lines, unless the comment at its
// top says why it must be one piece (`one piece: <why>`).

import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tsFilesUnder } from './import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const limit = 400;
const marker = 'one piece:';

/** The comment lines at the top of a file, before its first line of code. */
function topComment(text: string): string {
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (inBlock) {
      out.push(t);
      if (t.includes('*/')) inBlock = false;
    } else if (t.startsWith('//') || t === '') out.push(t);
    else if (t.startsWith('/*')) {
      out.push(t);
      inBlock = !t.includes('*/');
    } else break;
  }
  return out.join('\n');
}

/** Lines as `wc -l` counts them (a final newline ends the last line). */
function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** Over the limit without saying why at its top. */
function tooLong(text: string): boolean {
  return lineCount(text) > limit && !topComment(text).includes(marker);
}

describe('source files in generator/', () => {
  it(`stay under ${limit} lines, or say at their top why they are one piece`, () => {
    const offenders = tsFilesUnder(`${root}generator`)
      .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
      .filter(({ text }) => tooLong(text))
      .map(({ path, text }) => `${relative(root, path).split(sep).join('/')}: ${lineCount(text)} lines`);
    expect(offenders, `split these, or start them with a comment saying "${marker} <why>"`).toEqual([]);
  });

  it('the size check reads the top comment only', () => {
    const body = Array.from({ length: limit + 1 }, (_, i) => `export const x${i} = ${i};`).join('\n');
    expect(tooLong(body)).toBe(true);
    expect(tooLong(`// The table of every rule: ${marker} it is data, read top to bottom.\n${body}`)).toBe(
      false,
    );
    expect(tooLong(`/**\n * ${marker} one state machine.\n */\n${body}`)).toBe(false);
    expect(tooLong(`${body}\n// ${marker} too late: not at the top.`)).toBe(true);
    expect(tooLong(`${body.split('\n').slice(1).join('\n')}\n`)).toBe(false);
  });
});
