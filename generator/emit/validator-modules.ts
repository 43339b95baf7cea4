/**
 * Splits the bundled validator module (one file with every validator of the contract, made
 * tree-shakable by tree-shakable.ts) into modules a bundler can share between functions by file:
 * `validators/compiled/<Name>.js` holds what only the validator `Name` uses, `shared-<hash>.js` what a
 * given set of validators uses, and `validators/compiled.js` re-exports every validator from its
 * module.
 *
 * Why: the functions' bundles (cdk/bundle-build.ts) link the validators in one esbuild build with
 * code splitting, and esbuild splits by file. As one 20 MB file (500 events), the validators had to
 * be tree-shaken per function instead — esbuild parsed the whole file once per group of functions,
 * most of a synth's bundling time. Split this way, a function imports only the modules of the
 * validators it uses, and the validators two functions share land in a chunk of their own.
 *
 * How: each top-level statement (the module as esbuild prints it: a statement starts at column 0)
 * goes to the module of the set of validators that reach it through the names it mentions. A module
 * imports only from modules of strictly larger sets (a statement reached by a set of validators is
 * reached by every validator that reaches a statement using it), so the modules import no cycle,
 * and each runs after everything it uses, as in the single file. Names are matched as words, strings
 * included: a word that only looks like a reference adds an import esbuild drops as unused.
 */
import { createHash } from 'node:crypto';

export interface ValidatorModules {
  /** `compiled.js`: `export { X } from './compiled/<module>.js'` for every validator. */
  readonly barrel: string;
  /** File name in `compiled/` → its code. */
  readonly modules: ReadonlyMap<string, string>;
}

interface Statement {
  readonly lines: readonly string[];
  /** The top-level name it declares (none for the `export { … }` list). */
  readonly name?: string;
}

/** The module's code split per set of validators, or undefined when its shape is not the expected one. */
export function splitValidators(code: string): ValidatorModules | undefined {
  const statements = topLevelStatements(code);
  if (!statements) return undefined;
  const exportLists = statements.filter((s) => s.name === undefined);
  const exported = exportLists.length === 1 ? exportNames(exportLists[0]?.lines.join('\n') ?? '') : undefined;
  if (!exported) return undefined;
  const declared = new Map<string, number>();
  for (const [i, s] of statements.entries()) {
    if (s.name === undefined) continue;
    if (declared.has(s.name)) return undefined;
    declared.set(s.name, i);
  }
  if (!exported.every(([local]) => declared.has(local))) return undefined;
  const uses = statements.map((s) => usedNames(s, declared));
  // Every statement → the exports (by index in `exported`) that reach it.
  const reach: number[][] = statements.map(() => []);
  exported.forEach(([local], index) => {
    const stack = [declared.get(local) as number];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const reached = reach[i] as number[];
      if (reached[reached.length - 1] === index) continue;
      reached.push(index);
      for (const name of uses[i] ?? []) stack.push(declared.get(name) as number);
    }
  });
  const moduleOf = moduleNames(reach, exported);
  const modules = new Map<string, string>();
  const grouped = new Map<string, number[]>();
  statements.forEach((_, i) => {
    const file = moduleOf[i];
    if (file === undefined) return;
    const members = grouped.get(file) ?? [];
    members.push(i);
    grouped.set(file, members);
  });
  const neededOutside = new Set<string>(exported.map(([local]) => local));
  for (const [file, members] of grouped) {
    for (const i of members)
      for (const name of uses[i] ?? [])
        if (moduleOf[declared.get(name) as number] !== file) neededOutside.add(name);
  }
  for (const [file, members] of [...grouped].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const imports = new Map<string, Set<string>>();
    for (const i of members)
      for (const name of uses[i] ?? []) {
        const from = moduleOf[declared.get(name) as number] as string;
        if (from !== file) imports.set(from, (imports.get(from) ?? new Set()).add(name));
      }
    const own = members.map((i) => statements[i]?.name as string).filter((n) => neededOutside.has(n));
    const parts = [...imports]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([from, names]) => `import { ${[...names].sort().join(', ')} } from './${from}';`);
    // Pushed one by one: spreading the lines of a big module into an array literal took ~45 ms of
    // GitHub's REST API description.
    for (const i of members) for (const line of statements[i]?.lines ?? []) parts.push(line);
    if (own.length > 0) parts.push(`export { ${own.sort().join(', ')} };`);
    modules.set(file, `${parts.join('\n')}\n`);
  }
  const barrel = exported
    .map(([local, name]) => {
      const file = moduleOf[declared.get(local) as number];
      return `export { ${local === name ? name : `${local} as ${name}`} } from './compiled/${file}';`;
    })
    .sort();
  return { barrel: `${barrel.join('\n')}\n`, modules };
}

/** The statements of esbuild's output, each from a line at column 0 to the next; comments dropped. */
function topLevelStatements(code: string): Statement[] | undefined {
  const statements: { lines: string[]; name?: string }[] = [];
  for (const line of code.split('\n')) {
    if (line === '' || line.startsWith('//')) continue;
    if (/^[\s})\]]/.test(line)) {
      const current = statements[statements.length - 1];
      if (!current) return undefined;
      current.lines.push(line);
      continue;
    }
    if (line.startsWith('export {')) {
      statements.push({ lines: [line] });
      continue;
    }
    const declaration = /^(?:var|let|const|function|class) ([\w$]+)/.exec(line);
    if (!declaration) return undefined;
    statements.push({ lines: [line], name: declaration[1] as string });
  }
  return statements;
}

/** `export { a, b as c };` → [local, exported] pairs. */
function exportNames(text: string): (readonly [string, string])[] | undefined {
  const list = /^export \{([^}]*)\};?$/.exec(text.trim());
  if (!list) return undefined;
  const pairs: (readonly [string, string])[] = [];
  for (const item of (list[1] as string).split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const names = /^([\w$]+)(?: as ([\w$]+))?$/.exec(item);
    if (!names) return undefined;
    pairs.push([names[1] as string, names[2] ?? (names[1] as string)]);
  }
  return pairs.sort(([, a], [, b]) => (a < b ? -1 : 1));
}

/** The other top-level names a statement mentions. */
function usedNames(statement: Statement, declared: ReadonlyMap<string, number>): string[] {
  const found = new Set<string>();
  for (const line of statement.lines)
    for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? [])
      if (word !== statement.name && declared.has(word)) found.add(word);
  return [...found].sort();
}

/**
 * Each statement's module file: `<Export>.js` for a single validator's own code (with a hash when
 * the name differs only in case from another's: case-insensitive file systems), `shared-<hash>.js`
 * for a set of validators. Statements no validator reaches belong to none.
 */
function moduleNames(
  reach: readonly number[][],
  exported: readonly (readonly [string, string])[],
): (string | undefined)[] {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
  const taken = new Set<string>();
  const names = new Map<string, string>();
  const keys = reach.map((set) => set.join(','));
  for (const key of [...new Set(keys)].filter((k) => k !== '').sort()) {
    const members = key.split(',').map((i) => exported[Number(i)]?.[1] as string);
    let file = members.length === 1 ? (members[0] as string) : `shared-${hash(members.join(','))}`;
    if (taken.has(file.toLowerCase())) file = `${file}-${hash(members.join(','))}`;
    taken.add(file.toLowerCase());
    names.set(key, `${file}.js`);
  }
  return keys.map((key) => names.get(key));
}
