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
): MergedManifest {
  const manifest: PackageManifest = structuredClone(existing ?? {});
  const added: string[] = [];
  const conflicts: string[] = [];
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
    test: 'vitest run',
    synth: 'cdk synth',
    deploy: 'cdk deploy',
  });
  addAll('dependencies', { ...dependencies.runtime });
  const hasEvtgen =
    manifest.dependencies?.evtgen !== undefined || manifest.devDependencies?.evtgen !== undefined;
  addAll('devDependencies', {
    ...(hasEvtgen ? {} : { evtgen: dependencies.evtgenVersion }),
    ...dependencies.development,
  });
  for (const section of ['dependencies', 'devDependencies'] as const)
    manifest[section] = sorted(manifest[section] ?? {});
  return { manifest, conflicts, added };
}

/** npm keeps dependency maps sorted by name; so do we. */
function sorted(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function renderPackageManifest(manifest: PackageManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
