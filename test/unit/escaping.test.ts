import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { commentText, jsDoc, literal } from '../../generator/emit/generated-file.js';
import { loadTemplate } from '../../generator/emit/templates.js';

/**
 * The escaping helpers every emitter and template uses for spec text: string literals must parse
 * back to the exact text; comments must stay one comment and render (Markdown) to the exact text.
 */
const hostile = [
  "it's",
  '"double"',
  '*/ closes',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile spec text, not a template
  '`backtick` ${x}',
  'line\nbreak\r\nand\rcr',
  'ls\u2028ps\u2029',
  'ünïcödé 注文 🎉',
  'ends in a backslash \\',
  '\\"',
  '\u0000\u001f control',
  '@deprecated first',
];

/** Parses `code` as a TypeScript file; returns its syntax errors and string literal texts. */
function parseTs(code: string): { errors: string[]; strings: string[]; comments: string[] } {
  const file = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true);
  const errors = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  const strings: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) strings.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const comments = (ts.getLeadingCommentRanges(code, 0) ?? []).map((r) => code.slice(r.pos, r.end));
  return { errors, strings, comments };
}

/** A doc comment's text as a Markdown renderer shows it (backslash escapes resolved). */
function rendered(comment: string): string {
  return comment
    .replace(/^\/\*\*\n?/, '')
    .replace(/\n?\s*\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('literal', () => {
  it.each(hostile)('round-trips %j through the TypeScript parser', (text) => {
    const { errors, strings } = parseTs(`export const value = ${literal(text)};\n`);
    expect(errors).toEqual([]);
    expect(strings).toEqual([text]);
  });

  it('escapes U+2028 and U+2029 instead of writing them raw', () => {
    expect(literal('a\u2028b\u2029c')).toBe("'a\\u2028b\\u2029c'");
  });
});

describe('jsDoc and commentText', () => {
  it.each(hostile)('keeps %j inside one doc comment that renders to the text', (text) => {
    const code = `${jsDoc([text])}export const value = 1;\n`;
    const { errors, comments } = parseTs(code);
    expect(errors).toEqual([]);
    expect(comments).toHaveLength(1);
    // Line breaks of every kind become the comment's own lines; the rest reads back exactly.
    expect(rendered(comments[0] ?? '')).toBe(
      text
        .trim()
        .split(/\r\n|[\n\r\u2028\u2029]/)
        .join('\n')
        .trimEnd(),
    );
    // A leading @ would be a JSDoc tag: it must not be one.
    const tags = ts.getJSDocTags(
      (ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true).statements[0] as ts.Node) ??
        ts.factory.createEmptyStatement(),
    );
    expect(tags).toEqual([]);
  });

  it.each(hostile)('keeps %j on one line of a line comment', (text) => {
    const code = `// ${commentText(text)}\nexport const value = 1;\n`;
    const { errors } = parseTs(code);
    expect(errors).toEqual([]);
    expect(code.split(/\r\n|[\n\r\u2028\u2029]/)).toHaveLength(3);
  });
});

describe('Handlebars helpers', () => {
  it('str, comment and json give code that parses back to the data', async () => {
    const render = await loadTemplate('app', 'main.ts.hbs');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile spec text, not a template
    const title = "Bob's */ API `${x}` \\";
    const code = render({ title, stackName: 'Bobs' });
    const { errors, strings } = parseTs(code);
    expect(errors).toEqual([]);
    expect(strings).toContain(`${title} (evtgen)`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile spec text, not a template
    expect(code).toContain("The CDK app of Bob's *\\/ API `${x}` \\\\:");
  });
});
