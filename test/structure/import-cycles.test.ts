// No import cycles in generator/: the code reads top-down as a pipeline (cli → generate → pipeline
// → emit/check/registry → model → load → runtime), and a loop would make two files one.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  describeCycles,
  findCycles,
  type ImportGraph,
  importGraph,
  moduleSpecifiers,
} from './import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the import graph of generator/', () => {
  // Every relative import counts: static ones, re-exports, dynamic `import()` and type-only ones.
  // `import type` makes no runtime cycle, but the point is that a reader can change one module
  // without opening the other, and a type-only loop binds two files as tightly as any other.
  it('has no cycles', () => {
    const graph = importGraph(root, 'generator');
    expect(graph.size).toBeGreaterThan(100);
    const cycles = findCycles(graph);
    expect(cycles.length, `import cycles in generator/:\n${describeCycles(cycles)}`).toBe(0);
  });
});

describe('the cycle finder', () => {
  const graph = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('finds nothing in a pipeline', () => {
    expect(findCycles(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('reports each loop as a path, shortest way back, and names the rest of its component', () => {
    const cycles = findCycles(
      graph({ a: ['b'], b: ['c', 'a'], c: ['a'], d: ['e'], e: ['d'], f: ['f'], g: ['a'] }),
    );
    expect(cycles).toEqual([
      { cycle: ['a', 'b', 'a'], component: ['a', 'b', 'c'] },
      { cycle: ['d', 'e', 'd'], component: ['d', 'e'] },
      { cycle: ['f', 'f'], component: ['f'] },
    ]);
    expect(describeCycles(cycles)).toBe(
      ['a → b → a', '    (in the same loop: c)', 'd → e → d', 'f → f'].join('\n'),
    );
  });

  it('reads every kind of import: static, type-only, re-exports, dynamic and import types', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export type * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "type G = import('./g.js').G;",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    expect(moduleSpecifiers(text)).toEqual([
      './a.js',
      './b.js',
      './c.js',
      './d.js',
      './e.js',
      './f.js',
      './g.js',
      'node:fs/promises',
    ]);
  });
});
