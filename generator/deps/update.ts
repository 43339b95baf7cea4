// `evtgen deps update` and `evtgen deps check`: choose the producer's version each dependency's range
// allows, compare it with the pinned one through the check engine, and (update) write the new pins —
// all of them or none.

import { join } from 'node:path';
import { type Finding, sortFindings } from '../check/findings.js';
import { type Dependency, formatRange, type ProjectConfig } from '../config.js';
import { blocking, compareVersions, type LocatedSchema } from '../registry/compat.js';
import { RegistryCommandError } from '../registry/project.js';
import { writeSubjectFiles } from '../registry/store.js';
import { externalFolder, type Pin, pinFileName, readPins, renderPin } from './pin.js';
import { inRange } from './range.js';
import { type SchemaChange, schemaChanges } from './schema-diff.js';
import { type ProducerSubject, type ProducerVersion, readProducerSubject } from './source.js';

export interface DependencyPlan {
  readonly subject: string;
  readonly range: string;
  readonly mode: Dependency['mode'];
  /** The pinned version before (absent: not pinned yet). */
  readonly pinned?: number;
  /** The version the range chooses from what the producer published. */
  readonly chosen: number;
  /** The producer's latest version (it may be outside the range). */
  readonly latest: number;
  /** `new`: first pin; `changed`: another version; `unchanged`; `refused`: incompatible with the pin. */
  readonly status: 'new' | 'changed' | 'unchanged' | 'refused';
  /** What changed between the pinned and the chosen version (every level: the review diff). */
  readonly findings: readonly Finding[];
  /** Every place the two schemas differ, descriptions and examples included. */
  readonly changes: readonly SchemaChange[];
}

export interface DepsResult {
  readonly ok: boolean;
  readonly consumer: string;
  readonly plans: readonly DependencyPlan[];
  /** Files written (absolute); empty for a dry run, a check or a refusal. */
  readonly written: readonly string[];
}

/** The pinned schema with positions in the pin file (`detail` holds the root, `definitions` beside it). */
export function pinLocated(pin: Pin, label = `pinned v${pin.record.version}`): LocatedSchema {
  return {
    file: {
      ...pin.file,
      value: pin.schema,
      locate: (pointer: string) =>
        pin.file.locate(pointer.startsWith('/definitions') ? pointer : `/detail${pointer}`),
    },
    root: '',
    label,
  };
}

/**
 * What `from` (a reader's pinned version) and `to` (a version the producer published) differ in,
 * under the dependency's mode: the check engine's findings, worded for the consumer.
 */
export function compareForConsumer(
  consumer: string,
  subject: string,
  from: LocatedSchema,
  to: LocatedSchema,
  mode: Dependency['mode'],
): Finding[] {
  return compareVersions(subject, from, to, { mode, place: 'event' }).map((f) => ({
    ...f,
    subject: `${consumer} reads ${subject}`,
    message: `${consumer}: ${f.message}`,
  }));
}

function choose(producer: ProducerSubject, dependency: Dependency): ProducerVersion {
  const allowed = producer.versions.filter((v) => inRange(v.version, dependency.range));
  const chosen = allowed.at(-1);
  if (!chosen)
    throw new RegistryCommandError(
      'usage',
      `${dependency.subject}: no version in range ${formatRange(dependency.range)} at ${producer.from}${producer.rev ? `@${producer.rev}` : ''} (it has ${producer.versions.map((v) => `v${v.version}`).join(', ') || 'none'}).`,
    );
  return chosen;
}

/**
 * Plans every configured dependency (or those named): `check` compares the pin with the producer's
 * latest version instead of the range's choice — "can the code I run read what they now publish?".
 */
export async function planDependencies(
  config: ProjectConfig,
  consumer: string,
  options: { subjects?: readonly string[]; against: 'range' | 'latest' },
): Promise<{
  plans: DependencyPlan[];
  pins: Pin[];
  chosen: Map<string, { producer: ProducerSubject; version: ProducerVersion }>;
}> {
  const wanted = options.subjects?.length ? new Set(options.subjects) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((s) => !config.dependencies.some((d) => d.subject === s));
    if (unknown.length > 0)
      throw new RegistryCommandError(
        'usage',
        `Not a dependency of this project: ${unknown.join(', ')}. Add it under "dependencies" in evtgen.config.json (subject → {"registry": "<producer's specs/registry>"}).`,
      );
  }
  const { pins, diagnostics } = await readPins(config.projectRoot, config.specsDir);
  if (diagnostics.length > 0)
    throw new RegistryCommandError(
      'store',
      'The pinned external events are damaged: nothing was changed.',
      diagnostics,
    );
  const pinBySubject = new Map(pins.map((p) => [p.record.subject, p]));
  const plans: DependencyPlan[] = [];
  const chosen = new Map<string, { producer: ProducerSubject; version: ProducerVersion }>();
  for (const dependency of config.dependencies) {
    if (wanted && !wanted.has(dependency.subject)) continue;
    const producer = await readProducerSubject(config, dependency);
    const latest = producer.versions.at(-1);
    if (!latest)
      throw new RegistryCommandError(
        'usage',
        `${dependency.subject}: the producer has published no version yet.`,
      );
    const target = options.against === 'latest' ? latest : choose(producer, dependency);
    chosen.set(dependency.subject, { producer, version: target });
    const pin = pinBySubject.get(dependency.subject);
    const base = {
      subject: dependency.subject,
      range: formatRange(dependency.range),
      mode: dependency.mode,
      chosen: target.version,
      latest: latest.version,
    };
    if (!pin) {
      plans.push({ ...base, status: 'new', findings: [], changes: [] });
      continue;
    }
    const findings =
      pin.record.contentHash === target.contentHash
        ? []
        : sortFindings(
            compareForConsumer(
              consumer,
              dependency.subject,
              pinLocated(pin),
              { ...target.located, label: `${producer.from} v${target.version}` },
              // A check asks one thing: does the deployed reader (the pin) accept what is published now?
              options.against === 'latest' ? 'forward' : dependency.mode,
            ),
          );
    const status =
      blocking(findings).length > 0
        ? 'refused'
        : pin.record.version === target.version && pin.record.contentHash === target.contentHash
          ? 'unchanged'
          : 'changed';
    const changes =
      pin.record.contentHash === target.contentHash ? [] : schemaChanges(pin.schema, target.schema);
    plans.push({ ...base, pinned: pin.record.version, status, findings, changes });
  }
  return { plans, pins, chosen };
}

/** `evtgen deps update`: pins the chosen versions, or nothing when one of them is refused. */
export async function updateDependencies(
  config: ProjectConfig,
  consumer: string,
  options: { subjects?: readonly string[]; dryRun: boolean },
): Promise<DepsResult> {
  const { plans, chosen } = await planDependencies(config, consumer, { ...options, against: 'range' });
  const ok = plans.every((p) => p.status !== 'refused');
  if (!ok || options.dryRun) return { ok, consumer, plans, written: [] };
  const files = plans
    .filter((p) => p.status === 'new' || p.status === 'changed')
    .map((p) => {
      const { producer, version } = chosen.get(p.subject) as {
        producer: ProducerSubject;
        version: ProducerVersion;
      };
      return {
        name: pinFileName(p.subject),
        text: renderPin(
          {
            subject: p.subject,
            version: version.version,
            contentHash: version.contentHash,
            producerMode: producer.mode,
            publishedAt: version.publishedAt,
            from: producer.from,
            ...(producer.rev !== undefined ? { rev: producer.rev } : {}),
          },
          version.schema,
        ),
      };
    });
  const written =
    files.length > 0 ? await writeSubjectFiles(join(config.specsDir, externalFolder), files) : [];
  return { ok, consumer, plans, written };
}
