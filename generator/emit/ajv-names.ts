/**
 * ajv's code optimizer, counting names in linear time.
 *
 * Why: before it prunes unused variables, ajv's code generator counts how often each name is used
 * in a function (`CodeGen.optimize` reads `names` of the function's syntax tree). Every block node
 * answers with a new object into which it copies the counts of all its children, so each count is
 * copied once per enclosing block: the cost grows with nesting depth times size. On GitHub's REST
 * API description this was ~0.9 s of the ~3 s ajv spent compiling the validators (measured with
 * `--cpu-prof`).
 *
 * What changes: while a block counts, the blocks inside it add their children's counts to the one
 * total instead of building objects of their own. A block with names of its own (an `if`'s
 * condition, a `for`'s iteration, a `try`'s `catch`) still returns those, and the block that
 * asked adds them like any child's. The totals are the same numbers, so ajv prunes the same code
 * and writes the same validators byte for byte (test/unit/ajv-names.test.ts compares them).
 */

type NameCounts = Record<string, number>;

interface SyntaxNode {
  readonly names: NameCounts;
}

interface BlockNode extends SyntaxNode {
  readonly nodes: readonly SyntaxNode[];
}

/** The total being added to while a block counts; undefined when no count is under way. */
let total: NameCounts | undefined;

function addNames(to: NameCounts, from: NameCounts): void {
  for (const name in from) to[name] = (to[name] ?? 0) + (from[name] ?? 0);
}

function linearNames(this: BlockNode): NameCounts {
  if (total !== undefined) {
    // An inner block: its children go straight to the total; what it returns is only for names of
    // its own that its subclass adds (the caller adds that to the total in turn).
    for (const node of this.nodes) addNames(total, node.names);
    return {};
  }
  const counts: NameCounts = {};
  total = counts;
  try {
    for (const node of this.nodes) addNames(counts, node.names);
  } finally {
    total = undefined;
  }
  return counts;
}

let installed: { readonly prototype: object; readonly original: PropertyDescriptor } | undefined;

/**
 * Makes ajv's block nodes count names in linear time (once per process; ajv's classes are shared by
 * every instance). Returns a function that restores ajv's own counting, for tests.
 */
export async function installLinearNames(): Promise<() => void> {
  if (!installed) {
    const { CodeGen } = await import('ajv/dist/compile/codegen/index.js');
    // ajv does not export its node classes: the root of a new generator is a `Root`, whose parent
    // class `ParentNode` holds the `names` getter every block node inherits or extends.
    const root = (new CodeGen({} as never) as unknown as { _root: object })._root;
    const prototype = Object.getPrototypeOf(Object.getPrototypeOf(root)) as object;
    const original = Object.getOwnPropertyDescriptor(prototype, 'names');
    if (!original?.get) throw new Error('ajv changed: its block nodes have no `names` getter to replace');
    Object.defineProperty(prototype, 'names', { configurable: true, enumerable: false, get: linearNames });
    installed = { prototype, original };
  }
  return () => {
    if (!installed) return;
    Object.defineProperty(installed.prototype, 'names', installed.original);
    installed = undefined;
  };
}
