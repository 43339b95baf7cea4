import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostics.js';

/** File name of the optional configuration, at the project root. */
export const configFileName = 'evtgen.config.json';

/** Resolved settings: every path absolute, every default applied. */
export interface ProjectConfig {
  readonly projectRoot: string;
  readonly specsDir: string;
  readonly outDir: string;
  readonly handlersDir: string;
  /** The config file's text ('' without one): part of the input fingerprint. */
  readonly raw: string;
  /** `dependencies`: events of other services this one receives, sorted by subject. */
  readonly dependencies: readonly Dependency[];
  /** `account`: the AWS account the service deploys to (only needed across accounts). */
  readonly account?: string;
}

/** Which versions of a dependency are accepted (`version` in the config). */
export type VersionRange =
  | { readonly kind: 'exact'; readonly version: number }
  | { readonly kind: 'latest' }
  | { readonly kind: 'at-least'; readonly min: number }
  | { readonly kind: 'between'; readonly min: number; readonly max: number };

/** One external event type: where its producer's registry is and what this service accepts. */
export interface Dependency {
  /** `{source}@{DetailType}`. */
  readonly subject: string;
  /** The producer's store folder (absolute), or the pulled AWS registry's name. */
  readonly from:
    | { readonly kind: 'store'; readonly dir: string; readonly rev?: string }
    | { readonly kind: 'aws'; readonly registryName: string };
  readonly range: VersionRange;
  /** The compatibility an update keeps with the pinned version. */
  readonly mode: 'backward' | 'forward' | 'full' | 'none';
}

/** `3`, `"latest"`, `">=2"`, `"2-4"` (the config schema has checked the form already). */
export function parseRange(value: unknown): VersionRange {
  if (typeof value === 'number') return { kind: 'exact', version: value };
  if (typeof value !== 'string' || value === 'latest') return { kind: 'latest' };
  const atLeast = /^>=(\d+)$/.exec(value);
  if (atLeast) return { kind: 'at-least', min: Number(atLeast[1]) };
  const [min, max] = value.split('-').map(Number);
  return { kind: 'between', min: min ?? 1, max: max ?? min ?? 1 };
}

/** How a range is written in messages. */
export function formatRange(range: VersionRange): string {
  switch (range.kind) {
    case 'exact':
      return String(range.version);
    case 'latest':
      return 'latest';
    case 'at-least':
      return `>=${range.min}`;
    default:
      return `${range.min}-${range.max}`;
  }
}

function dependenciesOf(root: string, value: unknown): Dependency[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, Record<string, unknown>>)
    .map(
      ([subject, d]): Dependency => ({
        subject,
        from:
          typeof d.aws === 'string'
            ? { kind: 'aws', registryName: d.aws }
            : {
                kind: 'store',
                dir: resolve(root, String(d.registry)),
                ...(typeof d.rev === 'string' ? { rev: d.rev } : {}),
              },
        range: parseRange(d.version),
        mode: (d.mode as Dependency['mode'] | undefined) ?? 'full',
      }),
    )
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

export interface ConfigResult {
  readonly config?: ProjectConfig;
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads `evtgen.config.json` when present and validates it against generator/extensions/config.schema.json.
 * No file is fine: the standard layout (specs/, generated/, app/handlers/) applies.
 */
export async function loadConfig(projectRoot: string): Promise<ConfigResult> {
  const root = resolve(projectRoot);
  const path = join(root, configFileName);
  const raw = await readFile(path, 'utf8').catch(() => undefined);
  const settings: Record<string, unknown> = {};
  if (raw !== undefined) {
    // Loaded only when there is a file to read: the YAML parser and ajv cost a no-op re-run ~100 ms.
    const [{ parseSource }, { checkExtension }] = await Promise.all([
      import('./load/source-file.js'),
      import('./load/extensions.js'),
    ]);
    const { file, diagnostics } = parseSource(raw, path, configFileName);
    if (diagnostics.length > 0) return { diagnostics };
    const problems = checkExtension('config', configFileName, file.value, file, '');
    if (problems.length > 0) return { diagnostics: problems };
    Object.assign(settings, file.value);
  }
  return { config: resolvedConfig(root, raw ?? '', settings), diagnostics: [] };
}

/**
 * The configuration as `loadConfig` would resolve it, without validating it (no YAML parser, no
 * ajv): for the no-op fast path only, which then compares the text with that of the last successful
 * run (write/input-cache.ts) — a text that was valid then is valid now, since evtgen's own code is
 * in the same fingerprint. Undefined when the file is not plain JSON: the full path reports why.
 */
export async function unvalidatedConfig(projectRoot: string): Promise<ProjectConfig | undefined> {
  const root = resolve(projectRoot);
  const raw = await readFile(join(root, configFileName), 'utf8').catch(() => undefined);
  if (raw === undefined) return resolvedConfig(root, '', {});
  try {
    const settings: unknown = JSON.parse(raw);
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return undefined;
    return resolvedConfig(root, raw, settings as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function resolvedConfig(
  root: string,
  raw: string,
  settings: Readonly<Record<string, unknown>>,
): ProjectConfig {
  const dir = (key: string, fallback: string) =>
    resolve(root, typeof settings[key] === 'string' ? settings[key] : fallback);
  return {
    projectRoot: root,
    specsDir: dir('specs', 'specs'),
    outDir: dir('output', 'generated'),
    handlersDir: dir('handlers', 'app/handlers'),
    raw,
    dependencies: dependenciesOf(root, settings.dependencies),
    ...(typeof settings.account === 'string' ? { account: settings.account } : {}),
  };
}
