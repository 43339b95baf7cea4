/**
 * Makes the bundled validator module (validators/compiled.js) tree-shakable: every top-level
 * statement becomes one a bundler may drop when nothing uses what it declares, so a function's
 * bundle carries only the validators it imports (its own events' and operations') and the shared
 * sub-schema functions and constants those call, not the whole contract's.
 *
 * What esbuild cannot drop in the module as bundled, and what each becomes (the code that runs is
 * the same, in the same order; only annotations and declaration forms change):
 *
 * - `var require_x = __commonJS({…})`, `var init_x = __esm({…})` (esbuild's lazy module wrappers,
 *   pure, but not known to be once they are plain code): marked `/* @__PURE__ *\/`.
 * - `var formats2 = require_evtgen_formats().fullFormats.uri;` (ajv's references to format checks
 *   and run-time helpers): the same expression in an immediately called arrow function marked pure.
 * - `var x_exports = {}; __export(x_exports, {…});` (an ES module required from CommonJS): the same
 *   two steps in an immediately called arrow function marked pure.
 * - `var pattern0 = new RegExp("…", "u");`: marked pure (ajv has compiled every pattern already).
 * - `function validate7(…) {…}` followed by `validate7.evaluated = {…};` (what unevaluated*
 *   keywords read from a referenced schema): the function is declared as `validate7_fn` and
 *   `var validate7 = Object.assign(validate7_fn, {evaluated: …})`, marked pure, is placed at the top
 *   of the module — before anything reads `validate7` while the module loads (function declarations
 *   are hoisted), so `validate7` is the same function object with the same `evaluated` everywhere.
 *
 * Anything else is left as it is (still correct, only kept in every bundle):
 * test/unit/tree-shakable.test.ts checks that importing the module for nothing keeps nothing.
 */
export function treeShakable(code: string): string {
  const lines = code.split('\n');
  const out: string[] = [];
  const evaluated: string[] = [];
  const taken = wordsEndingInFn(code);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    // `function validateN(` … `}` then `validateN.evaluated = {…};`
    const fn = /^function (validate\w*)\(/.exec(line);
    if (fn) {
      const name = fn[1] as string;
      const end = lines.indexOf('}', i);
      const next = end >= 0 ? lines[end + 1] : undefined;
      const assignment = next?.startsWith(`${name}.evaluated = `) && next.endsWith(';') ? next : undefined;
      const value = assignment?.slice(`${name}.evaluated = `.length, -1);
      if (value !== undefined && isJson(value) && !taken.has(`${name}_fn`)) {
        out.push(line.replace(`function ${name}(`, `function ${name}_fn(`), ...lines.slice(i + 1, end + 1));
        evaluated.push(`var ${name} = /* @__PURE__ */ Object.assign(${name}_fn, { evaluated: ${value} });`);
        i = end + 2;
        continue;
      }
    }
    // `var x_exports = {};` `__export(x_exports, {` … `});`
    const exportsObject = /^var (\w+_exports) = \{\};$/.exec(line);
    if (exportsObject && lines[i + 1] === `__export(${exportsObject[1]}, {`) {
      const end = lines.indexOf('});', i + 1);
      if (end > i) {
        out.push(
          `var ${exportsObject[1]} = /* @__PURE__ */ (() => {`,
          '  const target = {};',
          '  __export(target, {',
          ...lines.slice(i + 2, end).map((l) => `  ${l}`),
          '  });',
          '  return target;',
          '})();',
        );
        i = end + 1;
        continue;
      }
    }
    out.push(pureLine(line));
    i++;
  }
  if (evaluated.length === 0) return out.join('\n');
  return [
    '// The validators with `evaluated` data (read by unevaluatedProperties/Items of the schemas that reference',
    '// them), declared here so that a bundler drops each one with its function when nothing uses it.',
    ...evaluated,
    ...out,
  ].join('\n');
}

/**
 * Every word (a maximal run of `\w`) of `code` that ends in `_fn`: what `code.match(/\b\w+_fn\b/g)`
 * finds, found from each `_fn` instead of trying the pattern at every offset (~50 ms of a 14 MB
 * module, where `_fn` is rare).
 */
export function wordsEndingInFn(code: string): Set<string> {
  const words = new Set<string>();
  for (let at = code.indexOf('_fn'); at !== -1; at = code.indexOf('_fn', at + 1)) {
    const end = at + 3;
    if (end < code.length && isWordChar(code.charCodeAt(end))) continue;
    let start = at;
    while (start > 0 && isWordChar(code.charCodeAt(start - 1))) start--;
    if (start < at) words.add(code.slice(start, end));
  }
  return words;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function pureLine(line: string): string {
  const wrapper = /^var (\w+) = (__commonJS|__esm)\(\{$/.exec(line);
  if (wrapper) return `var ${wrapper[1]} = /* @__PURE__ */ ${wrapper[2]}({`;
  const required = /^var (\w+) = (require_\w+\(\)[^;]*);$/.exec(line);
  if (required) return `var ${required[1]} = /* @__PURE__ */ (() => ${required[2]})();`;
  const pattern = /^var (\w+) = new RegExp\(/.exec(line);
  if (pattern) return line.replace(' = new RegExp(', ' = /* @__PURE__ */ new RegExp(');
  return line;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
