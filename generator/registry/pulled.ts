import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ProjectConfig } from '../config.js';
import { isObject } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';
import type { LocatedSchema } from './compat.js';
import { RegistryCommandError } from './project.js';
import { subjectFileName, writeSubjectFiles } from './store.js';

/**
 * What `evtgen registry pull` read from an AWS EventBridge Schema Registry, kept per registry in
 * `.evtgen/aws-registry/<registry>/<subject>.json` (a cache, not in git): each schema's versions with
 * their AWS version numbers and content (draft-4 AWSEvent form).
 */
export const pulledFolder = join('.evtgen', 'aws-registry');

export interface PulledSubject {
  readonly subject: string;
  readonly registryName: string;
  readonly pulledAt: string;
  readonly versions: readonly {
    readonly version: number;
    readonly createdAt?: string;
    readonly content: unknown;
  }[];
}

export async function writePulled(
  config: ProjectConfig,
  subjects: readonly PulledSubject[],
): Promise<string[]> {
  const byRegistry = new Map<string, PulledSubject[]>();
  for (const s of subjects) byRegistry.set(s.registryName, [...(byRegistry.get(s.registryName) ?? []), s]);
  const written: string[] = [];
  for (const [registry, list] of byRegistry) {
    const dir = join(config.projectRoot, pulledFolder, registry);
    written.push(
      ...(await writeSubjectFiles(
        dir,
        list.map((s) => ({ name: subjectFileName(s.subject), text: `${JSON.stringify(s, null, 2)}\n` })),
      )),
    );
  }
  return written;
}

export async function readPulled(
  config: ProjectConfig,
  registryName: string | undefined,
): Promise<{ subject: string; file: SourceFile; versions: { version: number; schema: LocatedSchema }[] }[]> {
  const base = join(config.projectRoot, pulledFolder);
  let name = registryName;
  if (name === undefined) {
    const found = await readdir(base).catch(() => [] as string[]);
    if (found.length !== 1)
      throw new RegistryCommandError(
        'usage',
        found.length === 0
          ? 'Nothing pulled from AWS yet: run evtgen registry pull --registry-name <name> first.'
          : `Several registries were pulled (${found.join(', ')}): pass --registry-name.`,
      );
    name = found[0] as string;
  }
  const dir = join(base, name);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0)
    throw new RegistryCommandError(
      'usage',
      `Nothing pulled from AWS registry ${name}: run evtgen registry pull first.`,
    );
  const out = [];
  for (const f of files) {
    const path = join(dir, f);
    const displayPath = relative(config.projectRoot, path).split(sep).join('/');
    const { file } = parseSource(await readFile(path, 'utf8'), path, displayPath);
    const v = file.value;
    if (!isObject(v) || typeof v.subject !== 'string' || !Array.isArray(v.versions)) continue;
    out.push({
      subject: v.subject,
      file,
      versions: v.versions.map((version, i) => ({
        version: isObject(version) && typeof version.version === 'number' ? version.version : i + 1,
        schema: {
          file,
          root: `/versions/${i}/content`,
          label: `aws v${isObject(version) ? String(version.version) : i + 1}`,
        },
      })),
    });
  }
  return out;
}
