import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';

/** An AsyncAPI or OpenAPI document found in a folder `evtgen init` is asked to set up. */
export interface FoundSpec {
  /** Project-relative, `/`-separated. */
  readonly path: string;
  readonly kind: 'asyncapi' | 'openapi' | 'swagger';
  /** The version the document declares (`3.0.0`, `3.1.0`, `2.0` …). */
  readonly version: string;
  /** The parsed document, for the checklist. */
  readonly document: Record<string, unknown>;
}

/** Folders that never hold a team's specs: tools' output, dependencies, VCS data. */
const skipped = new Set([
  'node_modules',
  '.git',
  'generated',
  'cdk.out',
  'dist',
  'docs-site',
  'vendor',
  '.evtgen',
]);
const maxDepth = 4;

/**
 * Every AsyncAPI/OpenAPI document under `root` (YAML or JSON, a top-level `asyncapi`, `openapi` or
 * `swagger` member), up to four folders deep: what `init` adopts instead of writing starter specs.
 * Files that do not parse are skipped (they are not recognisably specs; `generate` reports them).
 */
export async function findExistingSpecs(root: string): Promise<FoundSpec[]> {
  const found: FoundSpec[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && !skipped.has(entry.name) && !(dir === root && entry.name === 'test'))
          await walk(path, depth + 1);
      } else if (/\.(ya?ml|json)$/i.test(entry.name) && entry.name !== 'package.json') {
        const spec = await readSpec(root, path);
        if (spec) found.push(spec);
      }
    }
  };
  await walk(root, 0);
  return found;
}

async function readSpec(root: string, path: string): Promise<FoundSpec | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (!/^\s*["']?(asyncapi|openapi|swagger)["']?\s*:/m.test(text)) return undefined;
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const value = document as Record<string, unknown>;
  const kind = (['asyncapi', 'openapi', 'swagger'] as const).find((k) => typeof value[k] === 'string');
  if (!kind) return undefined;
  return {
    path: relative(root, path).split(sep).join('/'),
    kind,
    version: value[kind] as string,
    document: value,
  };
}

/**
 * The specs folder for the found documents: `specs` when they are there, else the nearest folder
 * holding all of them. Undefined when that is the project root itself: evtgen reads a folder of
 * specs, and the root holds everything else too.
 */
export function specsFolderFor(specs: readonly FoundSpec[]): string | undefined {
  const folders = specs.map((s) => dirname(s.path).split('/'));
  const first = folders[0] ?? [];
  let shared = first.length;
  for (const folder of folders) for (let i = 0; i < shared; i++) if (folder[i] !== first[i]) shared = i;
  const common = first.slice(0, shared).filter((part) => part !== '.');
  return common.length === 0 ? undefined : common.join('/');
}
