// A project's registry as every registry module opens it: the store folder, the store read with
// its damage reported as a command error, and that error. The registry commands (registry.ts) and
// `evtgen check --against registry` (check-registry.ts) both start here.

import { loadConfig, type ProjectConfig } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import { RegistryStoreError, readStore, type StoredSubject, storeDir } from './store.js';

/** Why a registry command failed: `usage`/`config` exit 2, the rest exit 1. */
export type RegistryFailure = 'usage' | 'config' | 'spec' | 'store' | 'refused' | 'locked' | 'aws';

/** A registry command (or a registry baseline of `evtgen check`) that cannot go on, and why. */
export class RegistryCommandError extends Error {
  constructor(
    readonly failure: RegistryFailure,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** A project and the registry store it uses. */
export interface RegistryProject {
  readonly config: ProjectConfig;
  /** The store folder (default `specs/registry/`). */
  readonly dir: string;
}

/** Reads the project's configuration; `store` overrides the store folder. */
export async function openProject(project: string, store?: string): Promise<RegistryProject> {
  const { config, diagnostics } = await loadConfig(project);
  if (!config) throw new RegistryCommandError('config', 'The configuration is not usable.', diagnostics);
  return { config, dir: store ?? storeDir(config.specsDir) };
}

/** Every subject of the store, verified; a damaged store is a `store` failure. */
export async function loadStore(p: RegistryProject): Promise<StoredSubject[]> {
  try {
    return await readStore(p.config.projectRoot, p.dir);
  } catch (error) {
    if (error instanceof RegistryStoreError)
      throw new RegistryCommandError(
        'store',
        'The registry store is damaged: nothing was changed.',
        error.diagnostics,
      );
    throw error;
  }
}
