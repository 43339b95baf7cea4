import type { ProjectConfig } from '../config.js';
import { registrySchemaName } from '../emit/registry-content.js';
import type { ContractModel, EventType } from '../model/contract.js';
import { readStore, type StoredSubject, storeDir } from '../registry/store.js';
import { publishedVersions } from '../registry/subjects.js';
import type { RegistryVersionLookup } from './index-page.js';

/**
 * The registry version the index shows per event type, from the project's store: the version whose
 * schema is the current one (with the latest, when a newer one exists), "changed since vN" for an
 * unpublished change, the pinned version for another service's event. A damaged store shows no
 * versions: `evtgen lint` and `generate` report the damage.
 */
export async function registryVersions(
  config: ProjectConfig,
  model: ContractModel,
): Promise<RegistryVersionLookup> {
  return versionLookup(model, await readStoreQuietly(config));
}

/** The project's registry store, or nothing when it is damaged (lint and generate report that). */
export function readStoreQuietly(config: ProjectConfig): Promise<readonly StoredSubject[]> {
  return readStore(config.projectRoot, storeDir(config.specsDir)).catch(() => []);
}

/** The lookup over a store already read. */
export function versionLookup(model: ContractModel, store: readonly StoredSubject[]): RegistryVersionLookup {
  const current = publishedVersions(model, store);
  const latest = new Map(store.map((s) => [s.subject, s.versions.length]));
  return (event: EventType) => {
    if (event.external)
      return `v${event.external.version} (pinned from ${event.external.subject.split('@')[0]})`;
    const newest = latest.get(registrySchemaName(event));
    const version = current.get(event.messageName);
    if (version !== undefined)
      return newest && newest > version ? `v${version} (latest v${newest})` : `v${version}`;
    return newest ? `changed since v${newest}` : undefined;
  };
}
