import type { AppDependencies } from './app-dependencies.js';
import type { StarterData } from './starter.js';

/** A package.json as JSON: only the members init reads or adds are typed. */
export interface PackageManifest {
  name?: string;
  version?: string;
  private?: boolean;
  type?: string;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [member: string]: unknown;
}

export interface MergedManifest {
  readonly manifest: PackageManifest;
  /** Existing values init had to change: each needs `--force`. */
  readonly conflicts: readonly string[];
  /** What init added, e.g. `scripts.test`, `devDependencies.aws-cdk-lib`. */
  readonly added: readonly string[];
  /** Existing values init changed without --force, each with why (e.g. npm init's `"type"`). */
  readonly changed: readonly string[];
}

export interface MergeOptions {
  /** The `evtgen` dependency as it must read (see evtgen-dependency.ts). */
  readonly evtgenSpec: string;
  /**
   * `"type": "commonjs"` is npm init's default (npm 11), not a choice, when the folder has no
   * JavaScript of its own: then it becomes `module` without --force, and init says so.
   */
  readonly commonjsIsDefault: boolean;
  /** Adopting existing specs: no starter tests, so `vitest run` must pass with none. */
  readonly adopt: boolean;
}

// `npm init -y` writes this placeholder; replacing it is not changing anything a user wrote.
const npmPlaceholderTest = 'echo "Error: no test specified" && exit 1';

/**
 * The service's package.json: the starter's scripts and dependencies merged into what is there.
 * Only missing members are added; an existing value is never changed (a differing `type` is a
 * conflict). evtgen itself stays where the user installed it, else becomes a devDependency.
 */
export function mergePackageManifest(
  existing: PackageManifest | undefined,
  data: StarterData,
  dependencies: AppDependencies,
  force: boolean,
  options: MergeOptions,
): MergedManifest {
  const manifest: PackageManifest = structuredClone(existing ?? {});
  const added: string[] = [];
  const conflicts: string[] = [];
  const changed: string[] = [];
  const addMember = <K extends 'name' | 'version' | 'private'>(key: K, value: PackageManifest[K]) => {
    if (manifest[key] === undefined) {
      manifest[key] = value;
      added.push(key);
    }
  };
  addMember('name', data.name);
  addMember('version', '0.1.0');
  addMember('private', true);
  // Generated code and the CDK app are ES modules.
  if (manifest.type === undefined) {
    manifest.type = 'module';
    added.push('type');
  } else if (manifest.type === 'commonjs' && options.commonjsIsDefault) {
    manifest.type = 'module';
    changed.push(
      '"type": "commonjs" → "module" (npm init\'s default; the generated code and the CDK app are ES modules, and the folder has no CommonJS code of its own)',
    );
  } else if (manifest.type !== 'module') {
    conflicts.push(`package.json has "type": "${manifest.type}"; the generated code needs "module"`);
    if (force) manifest.type = 'module';
  }
  const addAll = (
    section: 'engines' | 'scripts' | 'dependencies' | 'devDependencies',
    values: Record<string, string>,
  ) => {
    const target = { ...manifest[section] };
    for (const [key, value] of Object.entries(values)) {
      const replaceable = section === 'scripts' && key === 'test' && target[key] === npmPlaceholderTest;
      if (target[key] === undefined || replaceable) {
        target[key] = value;
        added.push(`${section}.${key}`);
      }
    }
    manifest[section] = target;
  };
  addAll('engines', { node: '>=20.19' });
  addAll('scripts', {
    generate: 'evtgen generate',
    check: 'evtgen check',
    'lint:specs': 'evtgen lint',
    docs: 'evtgen docs',
    typecheck: 'tsc --noEmit',
    test: options.adopt ? 'vitest run --passWithNoTests' : 'vitest run',
    synth: 'cdk synth',
    deploy: 'cdk deploy',
  });
  addAll('dependencies', { ...dependencies.runtime });
  const section = manifest.dependencies?.evtgen !== undefined ? 'dependencies' : 'devDependencies';
  const before = manifest[section]?.evtgen;
  if (before === undefined) addAll('devDependencies', { evtgen: options.evtgenSpec });
  else if (before !== options.evtgenSpec) {
    manifest[section] = { ...manifest[section], evtgen: options.evtgenSpec };
    changed.push(`${section}.evtgen: "${before}" → "${options.evtgenSpec}"`);
  }
  addAll('devDependencies', { ...dependencies.development });
  for (const section of ['dependencies', 'devDependencies'] as const)
    manifest[section] = sorted(manifest[section] ?? {});
  return { manifest, conflicts, added, changed };
}

/** npm keeps dependency maps sorted by name; so do we. */
function sorted(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function renderPackageManifest(manifest: PackageManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
