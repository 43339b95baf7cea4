// The import graph of generator/ and a cycle finder over it, for the structure tests
// (test/structure/import-cycles.test.ts): which file imports which, and where the loops are.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** A directed graph: each file (repository-relative, `/`-separated) and the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Every `.ts` file under `dir` (recursively), absolute paths, sorted. */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFilesUnder(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * Every module specifier `text` (a TypeScript file) refers to: static imports and re-exports
 * (type-only ones included), dynamic `import()` calls and `import('…')` types.
 */
export function moduleSpecifiers(text: string, fileName = 'file.ts'): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      out.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      out.push(node.arguments[0].text);
    else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * The graph of relative imports between the `.ts` files under `dir` (a `./x.js` specifier names
 * `./x.ts`, as NodeNext resolution reads it). Imports of packages and of non-TypeScript files are
 * left out. Keys and targets are relative to `root`.
 */
export function importGraph(root: string, dir: string): ImportGraph {
  const files = tsFilesUnder(resolve(root, dir));
  const known = new Set(files);
  const name = (path: string) => relative(root, path).split(sep).join('/');
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of moduleSpecifiers(readFileSync(file, 'utf8'), file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (known.has(target)) targets.add(name(target));
    }
    graph.set(name(file), [...targets].sort());
  }
  return graph;
}

/**
 * The import cycles of `graph`: one per strongly connected component that loops (Tarjan), each as
 * the path `a → b → … → a`, starting at the component's first file in sorted order and taking the
 * shortest way back. Breaking every reported cycle may reveal others in the same component, so
 * the component's size is part of the report.
 */
export function findCycles(graph: ImportGraph): { cycle: string[]; component: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const strongConnect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strongConnect(v);

  const out: { cycle: string[]; component: string[] }[] = [];
  for (const component of components) {
    const start = component[0] as string;
    const selfLoop = (graph.get(start) ?? []).includes(start);
    if (component.length === 1 && !selfLoop) continue;
    out.push({ cycle: shortestCycle(graph, start, new Set(component)), component });
  }
  return out.sort((a, b) => (a.cycle[0] as string).localeCompare(b.cycle[0] as string));
}

/** Breadth-first from `start` back to itself, inside `within`. */
function shortestCycle(graph: ImportGraph, start: string, within: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i] as string;
    for (const w of graph.get(v) ?? []) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(w) && w !== start) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/**
 * A cycle report for a failing test: one line per cycle, `a → b → a`, followed by the other files
 * of its component when there are more (they loop through it too).
 */
export function describeCycles(cycles: readonly { cycle: string[]; component: string[] }[]): string {
  return cycles
    .map(({ cycle, component }) => {
      const others = component.filter((file) => !cycle.includes(file));
      return others.length === 0
        ? cycle.join(' → ')
        : `${cycle.join(' → ')}\n    (in the same loop: ${others.join(', ')})`;
    })
    .join('\n');
}
