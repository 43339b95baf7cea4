// A pinned external event: one registry version of another service's event type, copied into this
// project's `specs/external/` so builds are offline and every update is reviewed in a pull request.
// The file is both an AsyncAPI message the consumer's documents reference
// (`$ref: './external/<subject>.json#/message'`) and the producer's registry schema, verbatim.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { isObject } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';
import { contentHash, subjectFileName } from '../registry/store.js';

/** Folder under specs/ holding the pinned copies. */
export const externalFolder = 'external';

/** The marker key of a pinned file: what makes the generator treat its message as external. */
export const pinKey = 'x-evtgen-pin';

/** Where a pinned version came from and what it is. */
export interface PinRecord {
  readonly subject: string;
  readonly version: number;
  /** The producer's `contentHash` of the version: the schema below must still hash to it. */
  readonly contentHash: string;
  /** The producer's compatibility mode for the subject when it was pinned. */
  readonly producerMode: string;
  readonly publishedAt: string;
  /** As configured: the producer's store folder relative to this project (or `aws:<name>`), and the git revision. */
  readonly from: string;
  readonly rev?: string;
}

/** A pin as read from `specs/external/`. */
export interface Pin {
  readonly record: PinRecord;
  /** The producer's registry schema of the version (the EventBridge `detail`, draft-07, self-contained). */
  readonly schema: Record<string, unknown>;
  readonly file: SourceFile;
  readonly path: string;
}

export function pinFileName(subject: string): string {
  return subjectFileName(subject);
}

/** `source` and `detail-type` of a subject `{source}@{DetailType}`. */
export function splitSubject(subject: string): { source: string; detailType: string } {
  const at = subject.lastIndexOf('@');
  return { source: subject.slice(0, at), detailType: subject.slice(at + 1) };
}

function refName(schema: unknown): string | undefined {
  const ref = isObject(schema) ? schema.$ref : undefined;
  return typeof ref === 'string' && ref.startsWith('#/definitions/')
    ? ref.slice('#/definitions/'.length)
    : undefined;
}

/**
 * The pinned file's content. `message` is an AsyncAPI 3.0 Message Object: headers and payload point
 * at the schema's own definitions, so the consumer's types keep the producer's names.
 */
export function renderPin(record: PinRecord, schema: Record<string, unknown>): string {
  const { definitions, ...detail } = schema;
  const properties = isObject(detail.properties) ? detail.properties : {};
  const { source, detailType } = splitSubject(record.subject);
  const payloadName = refName(properties.data);
  const metadataName = refName(properties.metadata);
  const metadata = metadataName && isObject(definitions) ? definitions[metadataName] : undefined;
  const hasCorrelationId =
    isObject(metadata) && isObject(metadata.properties) && 'correlationId' in metadata.properties;
  const payloadSchema = payloadName && isObject(definitions) ? definitions[payloadName] : undefined;
  const description =
    isObject(payloadSchema) && typeof payloadSchema.description === 'string'
      ? payloadSchema.description
      : undefined;
  const message = {
    name: detailType,
    title: `${detailType} (${source}, registry v${record.version})`,
    summary: `Published by ${source}; pinned to version ${record.version} of ${record.subject}.`,
    ...(description ? { description } : {}),
    contentType: 'application/json',
    'x-eventbridge': { source, detailType },
    ...(hasCorrelationId ? { correlationId: { location: '$message.header#/correlationId' } } : {}),
    ...(metadataName ? { headers: { $ref: `#/definitions/${metadataName}` } } : {}),
    payload: payloadName ? { $ref: `#/definitions/${payloadName}` } : (properties.data ?? {}),
  };
  return `${JSON.stringify({ [pinKey]: record, message, detail, definitions: definitions ?? {} }, null, 2)}\n`;
}

/** The registry schema a pinned file holds (`detail` with `definitions`), as the producer stored it. */
function schemaOf(value: Record<string, unknown>): Record<string, unknown> {
  const detail = isObject(value.detail) ? value.detail : {};
  return { ...detail, definitions: isObject(value.definitions) ? value.definitions : {} };
}

function isPinRecord(value: unknown): value is PinRecord {
  return (
    isObject(value) &&
    typeof value.subject === 'string' &&
    typeof value.version === 'number' &&
    typeof value.contentHash === 'string' &&
    typeof value.from === 'string'
  );
}

/** True for a parsed spec file that is a pinned external event (the loader reads it as any shared file). */
export function pinOf(file: SourceFile): PinRecord | undefined {
  const value = file.value;
  return isObject(value) && isPinRecord(value[pinKey]) ? value[pinKey] : undefined;
}

function problem(
  file: string,
  pointer: string,
  code: string,
  message: string,
  hint: string,
  at?: SourceFile,
) {
  return {
    severity: 'error' as const,
    code,
    message,
    file,
    position: at ? at.locate(pointer) : { line: 1, column: 1 },
    pointer,
    hint,
  };
}

/**
 * Every pin of the project, verified: a pinned schema that no longer hashes to the producer's
 * content hash was edited by hand (the consumer would silently read a contract nobody published).
 */
export async function readPins(
  projectRoot: string,
  specsDir: string,
): Promise<{ pins: Pin[]; diagnostics: Diagnostic[] }> {
  const dir = join(specsDir, externalFolder);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const pins: Pin[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const displayPath = relative(projectRoot, path).split(sep).join('/');
    const parsed = parseSource(await readFile(path, 'utf8'), path, displayPath);
    if (parsed.diagnostics.length > 0) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const record = pinOf(parsed.file);
    if (!record) {
      diagnostics.push(
        problem(
          displayPath,
          '',
          'pin-malformed',
          `Not a pinned external event: expected {"${pinKey}": {subject, version, contentHash, from}, message, detail, definitions}.`,
          `specs/${externalFolder}/ holds what evtgen deps update writes; move other files elsewhere.`,
        ),
      );
      continue;
    }
    const schema = schemaOf(parsed.file.value as Record<string, unknown>);
    if (contentHash(schema) !== record.contentHash) {
      diagnostics.push(
        problem(
          displayPath,
          '/detail',
          'pin-tampered',
          `The pinned schema of ${record.subject} v${record.version} differs from what its producer published (content hash ${record.contentHash}).`,
          'Pinned copies are not edited by hand: restore the file (git checkout -- <file>) or run evtgen deps update.',
          parsed.file,
        ),
      );
      continue;
    }
    if (pinFileName(record.subject) !== name) {
      diagnostics.push(
        problem(
          displayPath,
          `/${pinKey}/subject`,
          'pin-file-name',
          `The pin of ${record.subject} must be named ${pinFileName(record.subject)}.`,
          'Rename the file back (evtgen deps update finds pins by file name).',
          parsed.file,
        ),
      );
      continue;
    }
    pins.push({ record, schema, file: parsed.file, path });
  }
  return { pins, diagnostics };
}
