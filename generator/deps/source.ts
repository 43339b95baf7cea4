// Reads one subject of a producer's registry: its store folder in the working tree, the same folder at
// a git revision (`git show`, so another branch or tag needs no checkout), or what `evtgen registry
// pull` cached from an AWS EventBridge Schema Registry.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Dependency, ProjectConfig } from '../config.js';
import { isObject } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import type { LocatedSchema } from '../registry/compat.js';
import { RegistryCommandError } from '../registry/project.js';
import { readPulled } from '../registry/pulled.js';
import { contentHash, parseSubject, subjectFileName } from '../registry/store.js';

/** One version of the producer's subject, as a pin is made from it. */
export interface ProducerVersion {
  readonly version: number;
  readonly contentHash: string;
  readonly publishedAt: string;
  readonly schema: Record<string, unknown>;
  /** The schema with positions in the producer's file, for findings. */
  readonly located: LocatedSchema;
}

export interface ProducerSubject {
  readonly subject: string;
  readonly mode: string;
  readonly versions: readonly ProducerVersion[];
  /** How the source is written in pins and messages: `../orders/specs/registry`, `…@main`, `aws:orders`. */
  readonly from: string;
  readonly rev?: string;
}

function git(cwd: string, args: string[]): Promise<{ ok: boolean; out: string; err: string }> {
  return new Promise((done) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ ok: !error, out: stdout, err: String(stderr).trim() }),
    );
  });
}

function displayFrom(config: ProjectConfig, dependency: Dependency): string {
  if (dependency.from.kind === 'aws') return `aws:${dependency.from.registryName}`;
  return relative(config.projectRoot, dependency.from.dir).split(sep).join('/') || '.';
}

/** The producer's subject file text, from the working tree or at a revision. */
async function subjectText(config: ProjectConfig, dependency: Dependency & { from: { kind: 'store' } }) {
  const name = subjectFileName(dependency.subject);
  const where = displayFrom(config, dependency);
  if (dependency.from.rev === undefined) {
    const path = join(dependency.from.dir, name);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined)
      throw new RegistryCommandError(
        'usage',
        `${dependency.subject}: the producer's registry at ${where} has no ${name} (is the path its specs/registry folder, and has it published the event?).`,
      );
    return { text, path };
  }
  const rev = dependency.from.rev;
  const top = await git(dependency.from.dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok)
    throw new RegistryCommandError(
      'usage',
      `${dependency.subject}: ${where} is not inside a git repository, so "rev": "${rev}" cannot be read (${top.err || 'git failed'}).`,
    );
  const shown = await git(dependency.from.dir, ['show', `${rev}:./${name}`]);
  if (!shown.ok)
    throw new RegistryCommandError(
      'usage',
      `${dependency.subject}: ${where} at ${rev} has no ${name}: ${shown.err.split('\n')[0]}`,
    );
  return { text: shown.out, path: `${join(dependency.from.dir, name)}@${rev}` };
}

/**
 * The producer's versions of a dependency's subject, verified as the producer's own commands verify
 * them (a tampered store is refused, not pinned).
 */
export async function readProducerSubject(
  config: ProjectConfig,
  dependency: Dependency,
): Promise<ProducerSubject> {
  const from = displayFrom(config, dependency);
  if (dependency.from.kind === 'aws') {
    const pulled = await readPulled(config, dependency.from.registryName);
    const found = pulled.find((s) => s.subject === dependency.subject);
    if (!found)
      throw new RegistryCommandError(
        'usage',
        `${dependency.subject} was not pulled from AWS registry ${dependency.from.registryName}: run evtgen registry pull --registry-name ${dependency.from.registryName}.`,
      );
    return {
      subject: dependency.subject,
      mode: 'none',
      from,
      versions: found.versions.map((v, i) => {
        const schema = awsDetailSchema(found.file.value, i);
        return {
          version: v.version,
          contentHash: contentHash(schema),
          publishedAt: '',
          schema,
          located: locatedIn(found.file, `/versions/${i}/content`, schema, `${from} v${v.version}`),
        };
      }),
    };
  }
  const store = dependency as Dependency & { from: { kind: 'store' } };
  const { text, path } = await subjectText(config, store);
  const parsed = parseSubject(text, path, `${from}/${subjectFileName(dependency.subject)}`);
  if (!parsed.subject)
    throw new RegistryCommandError(
      'store',
      `${dependency.subject}: the producer's registry file is damaged; nothing was pinned.`,
      parsed.diagnostics,
    );
  const stored = parsed.subject;
  return {
    subject: stored.subject,
    mode: stored.mode,
    from,
    ...(store.from.rev !== undefined ? { rev: store.from.rev } : {}),
    versions: stored.versions.map((v, i) => ({
      version: v.version,
      contentHash: v.contentHash,
      publishedAt: v.publishedAt,
      schema: v.schema,
      located: { file: stored.file, root: `/versions/${i}/schema`, label: `v${v.version}` },
    })),
  };
}

/**
 * A schema built from part of a file (`schema`), whose findings point into that file under `base`
 * (nearest ancestor: the AWS form nests definitions differently).
 */
export function locatedIn(file: SourceFile, base: string, schema: unknown, label: string): LocatedSchema {
  return {
    file: { ...file, value: schema, locate: (pointer: string) => file.locate(base + pointer) },
    root: '',
    label,
  };
}

/**
 * The `detail` schema inside an AWS registry version (JSON Schema draft 4, AWSEvent form: the event
 * envelope with `detail` referring to a definition), rebased so `definitions` sit at its root as in
 * evtgen's store. Draft-4 boolean exclusives become draft-07 numbers: pins are read as draft-07.
 */
function awsDetailSchema(pulled: unknown, index: number): Record<string, unknown> {
  const versions = isObject(pulled) && Array.isArray(pulled.versions) ? pulled.versions : [];
  const entry = versions[index];
  const content = isObject(entry) && isObject(entry.content) ? entry.content : {};
  const definitions = isObject(content.definitions) ? content.definitions : {};
  const properties = isObject(content.properties) ? content.properties : {};
  const detail = isObject(properties.detail) ? properties.detail : {};
  const ref = typeof detail.$ref === 'string' ? detail.$ref.replace(/^#\/definitions\//, '') : undefined;
  const target = ref !== undefined && isObject(definitions[ref]) ? definitions[ref] : detail;
  const { [ref ?? '']: _detail, ...rest } = definitions;
  return draft7({ ...target, definitions: rest }) as Record<string, unknown>;
}

/** `{minimum: 0, exclusiveMinimum: true}` (draft 4) → `{exclusiveMinimum: 0}` (draft 6 and later), everywhere. */
function draft7(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(draft7);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = draft7(item);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  return out;
}
