/**
 * The event `evtgen events send` publishes, as `{data, metadata}` (the detail the generated
 * publisher wraps): from a spec example (the payload and headers the docs show), or from a file the
 * user wrote, with `--set` changes on top. Each part remembers where it came from, so a value the
 * contract refuses is reported at its file, line and column, not only as a detail pointer.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourcePosition } from '../diagnostics.js';
import { isObject, joinPointer } from '../load/json-pointer.js';
import { parseSource } from '../load/source-file.js';
import type { SpecWorkspace } from '../load/workspace.js';
import type { EventType, MessageExample } from '../model/contract.js';
import { SendEventError } from './send-error.js';
import { applySets, parseSet, type SetAssignment } from './set-path.js';

/** Where one part of the detail (`data` or `metadata`) was read. */
export interface PartSource {
  /** As shown in diagnostics: project-relative for specs, as given for `--file`. */
  readonly file: string;
  /** Pointer of the part inside `file`. */
  readonly pointer: string;
  readonly locate: (pointer: string) => SourcePosition | undefined;
}

export interface EventInput {
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `example "twoLinesWithNotes"` or `file order.json`: what the event was built from. */
  readonly origin: string;
  readonly sources: { readonly data?: PartSource; readonly metadata?: PartSource };
  readonly sets: readonly SetAssignment[];
}

export interface InputOptions {
  /** An example's name or 1-based position (`#2` in lint messages is `--example 2`). */
  readonly example?: string;
  /** A JSON (or YAML) file: the payload, or `{data, metadata}`. */
  readonly file?: string;
  readonly set?: readonly string[];
  /** Where `file` is relative to (the shell's folder). */
  readonly cwd: string;
}

/** Builds the event from the options; throws `SendEventError` (usage or invalid) on bad input. */
export async function buildEventInput(
  event: EventType,
  workspace: SpecWorkspace,
  options: InputOptions,
): Promise<EventInput> {
  const sets = (options.set ?? []).map(parseSet);
  const chosen = selectExample(event, options.example, options.file === undefined);
  const example = chosen && exampleSource(event, workspace, chosen.index);
  const fromFile = options.file === undefined ? undefined : await readEventFile(options.file, options.cwd);
  const data = fromFile ? fromFile.data : chosen?.example.payload;
  const metadata: unknown = fromFile?.metadata ?? chosen?.example.headers;
  const detail: Record<string, unknown> = structuredClone({ data, metadata });
  applySets(detail, sets);
  if (detail.metadata !== undefined && !isObject(detail.metadata)) {
    throw new SendEventError('invalid', 'The event metadata must be an object (the message headers).');
  }
  return {
    data: detail.data,
    ...(isObject(detail.metadata) ? { metadata: detail.metadata } : {}),
    origin: fromFile ? `file ${options.file}` : `example ${chosen?.label ?? ''}`,
    sources: {
      ...(fromFile ? { data: fromFile.dataSource } : example ? { data: example('payload') } : {}),
      ...(fromFile?.metadataSource
        ? { metadata: fromFile.metadataSource }
        : example && chosen?.example.headers !== undefined
          ? { metadata: example('headers') }
          : {}),
    },
    sets,
  };
}

interface ChosenExample {
  readonly example: MessageExample;
  /** Position in the message's `examples` list. */
  readonly index: number;
  readonly label: string;
}

/**
 * The example to use: the named or numbered one, else the first. Without `--file` an example is
 * required (it is the event); with one, it only lends its headers when the file has none.
 */
function selectExample(
  event: EventType,
  which: string | undefined,
  required: boolean,
): ChosenExample | undefined {
  const list = event.examples.map((example, index) => ({
    example,
    index,
    label: example.name !== undefined ? `"${example.name}"` : `#${index + 1}`,
  }));
  const available = () =>
    list.length === 0
      ? `${event.messageName} has no examples in the spec.`
      : `Examples of ${event.messageName}: ${list.map((e) => `${e.index + 1} ${e.example.name ?? '(unnamed)'}`).join(', ')}.`;
  if (which === undefined) {
    if (list[0] || !required) return list[0];
    throw new SendEventError(
      'usage',
      `${event.messageName} has no examples to build the event from.`,
      [],
      [
        'Pass --file event.json (the payload, or {"data": …, "metadata": …}), or add an example to the message in the spec.',
      ],
    );
  }
  const found = /^\d+$/.test(which)
    ? list[Number(which) - 1]
    : (list.find((e) => e.example.name === which) ??
      list.find((e) => e.example.name?.toLowerCase() === which.toLowerCase()));
  if (found) return found;
  throw new SendEventError('usage', `${event.messageName} has no example "${which}".`, [], [available()]);
}

/** `payload` or `headers` of example `index`, located in the spec file that holds the message. */
function exampleSource(
  event: EventType,
  workspace: SpecWorkspace,
  index: number,
): (part: 'payload' | 'headers') => PartSource {
  return (part) => ({
    file: event.origin.file,
    pointer: joinPointer(event.origin.pointer, 'examples', index, part),
    locate: (pointer) => workspace.locate(event.origin.file, pointer),
  });
}

interface FileInput {
  readonly data: unknown;
  readonly dataSource: PartSource;
  readonly metadata?: Record<string, unknown>;
  readonly metadataSource?: PartSource;
}

/**
 * Reads `--file`: `{data, metadata?}` when those are its only keys, else the payload itself.
 * Parsed by the spec reader (YAML 1.2, a superset of JSON), so a syntax error has a position.
 */
async function readEventFile(path: string, cwd: string): Promise<FileInput> {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new SendEventError('usage', `Cannot read ${path} (${reason}).`);
  }
  const { file, diagnostics } = parseSource(text, absolute, path);
  if (diagnostics.length > 0)
    throw new SendEventError('invalid', `${path} is not valid JSON: nothing was sent.`, diagnostics);
  const source = (pointer: string): PartSource => ({ file: path, pointer, locate: file.locate });
  const value = file.value;
  const keys = isObject(value) ? Object.keys(value) : [];
  const wrapped =
    isObject(value) && keys.includes('data') && keys.every((k) => k === 'data' || k === 'metadata');
  if (!wrapped) return { data: value, dataSource: source('') };
  if (value.metadata !== undefined && !isObject(value.metadata))
    throw new SendEventError('invalid', `${path}: "metadata" must be an object (the message headers).`, [
      {
        severity: 'error',
        code: 'event-invalid',
        message: `"metadata" is ${JSON.stringify(value.metadata)}; the event metadata must be an object.`,
        file: path,
        position: file.locate('/metadata'),
        pointer: '/metadata',
        hint: 'Write the message headers as an object, or leave "metadata" out to use the example\'s.',
      },
    ]);
  return {
    data: value.data,
    dataSource: source('/data'),
    ...(isObject(value.metadata) ? { metadata: value.metadata, metadataSource: source('/metadata') } : {}),
  };
}
