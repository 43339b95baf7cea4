/**
 * The scenario file of `evtgen load` (`evtgen.load.json` at the project root, or `--config FILE`;
 * JSON or YAML): read, checked against load-config.schema.json, and every violation reported as a
 * diagnostic at its file, line and column, like every other input evtgen reads. What the phases
 * then run — the file over evtgen's defaults, under the flags — is decided in scenario.ts.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type Diagnostic, sortDiagnostics } from '../diagnostics.js';
import { getAtPointer, joinPointer, splitPointer } from '../load/json-pointer.js';
import { parseSource, type SourceFile } from '../load/source-file.js';
import { packagePath } from '../package-root.js';

/** The scenario file's default name, at the project root. */
export const loadConfigFileName = 'evtgen.load.json';

/** A duration as written: seconds, or `"500ms"`, `"30s"`, `"2m"`, `"1h"`. */
export type DurationText = string | number;

/** Faults of one AWS service's calls. */
export interface AwsFaults {
  readonly throttleRate?: number;
  readonly latencyMs?: number;
}

/** `evtgen.load.json`, as validated (see load-config.schema.json for each key's meaning). */
export interface LoadConfig {
  readonly $schema?: string;
  readonly rate?: number;
  readonly duration?: DurationText;
  readonly drainTimeout?: DurationText;
  readonly warmup?: DurationText;
  /** `METHOD /path` or `*` → objectives that replace the spec's for this run. */
  readonly objectives?: Readonly<
    Record<string, { readonly p99Ms?: number; readonly errorRatePercent?: number }>
  >;
  readonly maxRequests?: number;
  readonly routes?: Readonly<Record<string, { readonly weight: number }>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly phases?: {
    readonly baseline?: { readonly rate?: number; readonly duration?: DurationText };
    readonly ramp?: {
      readonly from?: number;
      readonly to?: number;
      readonly duration?: DurationText;
      readonly stopOnMiss?: boolean;
    };
    readonly soak?: { readonly rate?: number; readonly duration?: DurationText };
    readonly faults?: {
      readonly rate?: number;
      readonly duration?: DurationText;
      readonly consumerErrors?: Readonly<Record<string, number>>;
      readonly consumerLatencyMs?: Readonly<Record<string, number>>;
      readonly aws?: { readonly dynamodb?: AwsFaults; readonly events?: AwsFaults };
      readonly poison?: number;
    };
  };
}

/** The file's settings, or why there are none. */
export interface LoadConfigResult {
  /** `{}` when there is no file (and none was asked for); undefined when the file is unusable. */
  readonly config?: LoadConfig;
  /** The file as shown in diagnostics; undefined when there is none. */
  readonly file?: string;
  readonly diagnostics: Diagnostic[];
}

/** The schema's path inside the package. */
export const loadConfigSchemaPath = packagePath('generator', 'loadtest', 'load-config.schema.json');

let validator: ValidateFunction | undefined;

function validatorOf(): ValidateFunction {
  // verbose: errors carry their schema, so a failed `oneOf` can say what was expected.
  validator ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(
    JSON.parse(readFileSync(loadConfigSchemaPath, 'utf8')) as object,
  );
  return validator;
}

/**
 * Reads the scenario file: `file` (relative to the project root, or absolute) when given, else
 * `evtgen.load.json` when the project has one. No file at all is fine (`{}`: every default).
 */
export async function readLoadConfig(projectRoot: string, file?: string): Promise<LoadConfigResult> {
  const root = resolve(projectRoot);
  const path = file === undefined ? join(root, loadConfigFileName) : resolve(root, file);
  const shown = displayPath(root, path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (file === undefined && code === 'ENOENT') return { config: {}, diagnostics: [] };
    return {
      file: shown,
      diagnostics: [
        {
          severity: 'error',
          code: 'file-unreadable',
          message: `Cannot read the load scenario ${shown} (${code ?? String(error)}).`,
          file: shown,
          position: { line: 1, column: 1 },
          pointer: '',
          hint: '--config takes a path relative to the project root; without it evtgen reads evtgen.load.json when present.',
        },
      ],
    };
  }
  const parsed = parseSource(text, path, shown);
  if (parsed.diagnostics.length > 0) return { file: shown, diagnostics: parsed.diagnostics };
  const validate = validatorOf();
  if (validate(parsed.file.value))
    return { config: parsed.file.value as LoadConfig, file: shown, diagnostics: [] };
  return { file: shown, diagnostics: toDiagnostics(validate.errors ?? [], parsed.file) };
}

function displayPath(root: string, path: string): string {
  const inside = relative(root, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside.split(sep).join('/');
}

/** One diagnostic per problem, at the offending value (an unknown key: at the key). */
function toDiagnostics(errors: readonly ErrorObject[], file: SourceFile): Diagnostic[] {
  // A value that fails a `oneOf` also fails each branch: the `oneOf` says what was expected.
  const alternatives = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && alternatives.has(error.instancePath)) continue;
    // A bad key fails the key's schema too (`propertyName` set): the `propertyNames` error says it.
    if (error.keyword !== 'propertyNames' && error.propertyName !== undefined) continue;
    const unknown =
      error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
    const badName = error.keyword === 'propertyNames' ? String(error.params.propertyName) : undefined;
    const pointer =
      unknown !== undefined || badName !== undefined
        ? joinPointer(error.instancePath, (unknown ?? badName) as string)
        : error.instancePath;
    const where = pointer === '' ? 'the scenario' : dotted(pointer);
    const found = getAtPointer(file.value, pointer);
    const shown =
      unknown === undefined && (found === null || typeof found !== 'object')
        ? ` ${JSON.stringify(found)}`
        : '';
    const expected = expectation(error, unknown);
    const key = `${pointer}|${expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      severity: 'error',
      code: 'load-config-invalid',
      message: `Invalid ${where}${badName === undefined ? shown : ''}: ${expected}.`,
      file: file.displayPath,
      position: file.locate(pointer),
      pointer,
      hint: 'See the keys and their meaning in generator/loadtest/load-config.schema.json (or the README, `evtgen load`).',
    });
  }
  return sortDiagnostics(out);
}

function expectation(error: ErrorObject, unknown: string | undefined): string {
  const schema = error.parentSchema as
    | { description?: string; properties?: Record<string, unknown> }
    | undefined;
  if (unknown !== undefined) {
    const known = Object.keys(schema?.properties ?? {}).filter((k) => k !== '$schema');
    return `unknown key${known.length > 0 ? ` (known: ${known.map((k) => JSON.stringify(k)).join(', ')})` : ''}`;
  }
  if (error.keyword === 'propertyNames')
    return error.instancePath.endsWith('/routes')
      ? 'a route key is `METHOD /path`, as the OpenAPI document writes it (e.g. "POST /orders")'
      : 'not a valid header name';
  if (error.keyword === 'oneOf' && schema?.description) return `expected ${lowerFirst(schema.description)}`;
  if (error.keyword === 'enum')
    return `${error.message ?? 'not allowed'} (${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  return error.message ?? 'not allowed';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}

function dotted(pointer: string): string {
  return splitPointer(pointer)
    .map((s, i) =>
      /^\d+$/.test(s)
        ? `[${s}]`
        : /^[A-Za-z_$][\w$]*$/.test(s)
          ? `${i === 0 ? '' : '.'}${s}`
          : `[${JSON.stringify(s)}]`,
    )
    .join('');
}
