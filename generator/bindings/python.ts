import type { ConstrainedMetaModel, ConstrainedObjectModel, OutputModel } from '@asyncapi/modelina';
import type { GeneratedFile } from '../emit/generated-file.js';
import {
  type Backend,
  bindingHeader,
  type LanguageOutput,
  type ManifestEntry,
  snake,
  versionLabel,
} from './backend.js';
import {
  byName,
  descriptionOf,
  enumKeyWords,
  formatOf,
  type Modelina,
  modelina,
  processorOptions,
  specialCharsAsWords,
} from './modelina.js';
import { pythonRuntime } from './python-runtime.js';
import { commentSafe, eventNames, modelinaInput } from './schema.js';
import type { BindingSubject } from './subjects.js';

const pkg = 'evtgen_bindings';

/**
 * Python: stdlib dataclasses (Python 3.10+, no packages to install). Modelina decides the names —
 * models, snake_case fields, enum members, Python's reserved words — but its renderers fall short
 * here (5.10.1): PYTHON_DATACLASS_PRESET prints `[object Promise]` instead of the class body, and
 * the default preset reads `input['event_id']` where the JSON key is `eventId`, leaves nested lists
 * unconverted and drops descriptions. So evtgen renders the classes from Modelina's constrained
 * models, with a `from_json` that checks every value against the schema.
 */
export const python: Backend = async (subjects) => {
  const m = await modelina();
  const generator = new m.PythonGenerator({
    processorOptions,
    constraints: {
      propertyKey: m.pythonDefaultPropertyKeyConstraints({
        NO_SPECIAL_CHAR: specialCharsAsWords,
        // `self` is no keyword, but a dataclass field named `self` breaks the generated __init__.
        NO_RESERVED_KEYWORDS: (value: string) =>
          value.toLowerCase() === 'self'
            ? `reserved_${value}`
            : m.PythonDefaultPropertyKeyConstraints.NO_RESERVED_KEYWORDS(value),
      }),
      enumKey: m.pythonDefaultEnumKeyConstraints({ NO_SPECIAL_CHAR: enumKeyWords(m) }),
    },
  });
  const files: GeneratedFile[] = [{ path: `${pkg}/_runtime.py`, content: runtimeFile() }];
  const entries: ManifestEntry[] = [];
  const modules: { s: BindingSubject; module: string; envelope: string }[] = [];
  for (const s of subjects) {
    const names = eventNames(s);
    const models = byName(await generator.generate(modelinaInput(s)));
    const module = `${snake(names.base)}_v${s.version}`;
    const envelope =
      models.find((o) => o.model.originalInput?.title === names.envelope)?.model.name ?? names.envelope;
    files.push({ path: `${pkg}/${module}.py`, content: moduleFile(m, s, models) });
    entries.push({
      subject: s.subject,
      version: s.version,
      file: `${pkg}/${module}.py`,
      type: `${pkg}.${module}.${envelope}`,
    });
    modules.push({ s, module, envelope });
  }
  files.push({ path: `${pkg}/__init__.py`, content: initFile(modules) });
  return { files, entries } satisfies LanguageOutput;
};

/** A Python string literal: JSON's escapes are all valid Python escapes. */
const lit = (text: string) => JSON.stringify(text);

/**
 * A docstring of comment-safe text (schema.ts `commentSafe`: every backslash already escaped), with
 * quotes escaped so the spec's text cannot end it.
 */
function doc(text: string | undefined, indent: string): string[] {
  if (!text) return [];
  const body = text.replace(/"""/g, '\\"\\"\\"').replace(/"$/, '\\"');
  const lines = body.split(/\r\n|\n|\r/);
  return lines.length === 1
    ? [`${indent}"""${body}"""`]
    : [`${indent}"""${lines[0]}`, ...lines.slice(1).map((l) => (l ? `${indent}${l}` : '')), `${indent}"""`];
}

function runtimeFile(): string {
  return `${bindingHeader('#', 'Runtime checks shared by every event module.', 'python')}\n${pythonRuntime}`;
}

function moduleFile(m: Modelina, s: BindingSubject, models: OutputModel[]): string {
  const enums = models.filter((o) => o.model instanceof m.ConstrainedEnumModel);
  const objects = models.filter((o) => o.model instanceof m.ConstrainedObjectModel);
  const out = [
    bindingHeader('#', `${s.subject}, ${versionLabel(s)}.`, 'python'),
    ...doc(commentSafe(`Bindings of the ${s.detailType} event: ${s.subject}, ${versionLabel(s)}.`), ''),
    'from __future__ import annotations',
    '',
    'from dataclasses import dataclass',
    'from datetime import datetime',
    'from enum import Enum',
    'from typing import Any',
    '',
    'from . import _runtime as rt',
    '',
    `SUBJECT = ${lit(s.subject)}`,
    `SOURCE = ${lit(s.source)}`,
    `DETAIL_TYPE = ${lit(s.detailType)}`,
    `SCHEMA_VERSION = ${s.version}`,
    ...doc(
      s.version === 0
        ? 'The schema is not published in the registry yet: 0 stands for "unpublished".'
        : undefined,
      '',
    ),
  ];
  for (const e of enums) {
    const model = e.model as InstanceType<Modelina['ConstrainedEnumModel']>;
    out.push('', '', `class ${model.name}(Enum):`, ...doc(descriptionOf(model), '    '));
    for (const v of model.values) out.push(`    ${v.key} = ${pyValue(v.originalInput)}`);
  }
  for (const o of objects) out.push('', '', ...dataclass(m, o.model as ConstrainedObjectModel));
  out.push('', '', `# Every name a consumer imports, so \`from ${pkg}.<module> import *\` stays tidy.`);
  out.push(
    `__all__ = [${[...enums, ...objects]
      .map((o) => lit(o.model.name))
      .concat(['"SUBJECT"', '"SOURCE"', '"DETAIL_TYPE"', '"SCHEMA_VERSION"'])
      .join(', ')}]`,
  );
  return `${out.join('\n')}\n`;
}

function pyValue(value: unknown): string {
  if (typeof value === 'string') return lit(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  return JSON.stringify(value);
}

function dataclass(m: Modelina, model: ConstrainedObjectModel): string[] {
  const props = Object.values(model.properties);
  // Dataclass fields with defaults must come last: required ones first, each group in schema order.
  const ordered = [...props.filter((p) => p.required), ...props.filter((p) => !p.required)];
  const lines = ['@dataclass(frozen=True)', `class ${model.name}:`, ...doc(descriptionOf(model), '    ')];
  for (const p of ordered) {
    const type = pyType(m, p.property);
    const optional = !p.required || isNullable(p.property);
    lines.push(`    ${p.propertyName}: ${type}${optional ? ' | None' : ''}${p.required ? '' : ' = None'}`);
    lines.push(...doc(descriptionOf(p.property), '    '));
  }
  if (ordered.length === 0) lines.push('    pass');
  lines.push('', '    @classmethod', `    def from_json(cls, value: Any, path: str = "") -> ${model.name}:`);
  lines.push('        """Checks `value` (parsed JSON) against the schema and builds the object."""');
  lines.push('        o = rt.obj(value, path)');
  // Positional arguments: a field named `cls` or `path` cannot clash with a keyword argument.
  lines.push('        return cls(');
  for (const p of ordered) {
    const key = lit(p.unconstrainedPropertyName);
    const at = `rt.at(path, ${key})`;
    const conv = convert(m, p.property, isNullable(p.property));
    lines.push(
      p.required
        ? `            ${conv(`rt.required(o, ${key}, path)`, at)},  # ${p.propertyName}`
        : `            ${conv(`o[${key}]`, at)} if ${key} in o else None,  # ${p.propertyName}`,
    );
  }
  lines.push('        )');
  return lines;
}

function isNullable(model: ConstrainedMetaModel): boolean {
  return model.options.isNullable === true;
}

function pyType(m: Modelina, model: ConstrainedMetaModel): string {
  if (model instanceof m.ConstrainedReferenceModel) return model.ref.name;
  if (model instanceof m.ConstrainedObjectModel || model instanceof m.ConstrainedEnumModel) return model.name;
  if (model instanceof m.ConstrainedStringModel) return formatOf(model) === 'date-time' ? 'datetime' : 'str';
  if (model instanceof m.ConstrainedIntegerModel) return 'int';
  if (model instanceof m.ConstrainedFloatModel) return 'float';
  if (model instanceof m.ConstrainedBooleanModel) return 'bool';
  if (model instanceof m.ConstrainedArrayModel) return `list[${pyType(m, model.valueModel)}]`;
  if (model instanceof m.ConstrainedDictionaryModel) return `dict[str, ${pyType(m, model.value)}]`;
  return 'Any';
}

/** `(valueExpr, pathExpr) → expression` converting parsed JSON to the field's Python type. */
function convert(
  m: Modelina,
  model: ConstrainedMetaModel,
  nullable: boolean,
): (v: string, p: string) => string {
  const inner = converter(m, model);
  return nullable ? (v, p) => `rt.nullable(${v}, ${p}, lambda x, xp: ${inner('x', 'xp')})` : inner;
}

function converter(m: Modelina, model: ConstrainedMetaModel): (v: string, p: string) => string {
  const target = model instanceof m.ConstrainedReferenceModel ? model.ref : model;
  if (target instanceof m.ConstrainedObjectModel) return (v, p) => `${target.name}.from_json(${v}, ${p})`;
  if (target instanceof m.ConstrainedEnumModel) return (v, p) => `rt.enum(${target.name}, ${v}, ${p})`;
  if (target instanceof m.ConstrainedStringModel)
    return formatOf(target) === 'date-time'
      ? (v, p) => `rt.date_time(${v}, ${p})`
      : (v, p) => `rt.string(${v}, ${p})`;
  if (target instanceof m.ConstrainedIntegerModel) return (v, p) => `rt.integer(${v}, ${p})`;
  if (target instanceof m.ConstrainedFloatModel) return (v, p) => `rt.number(${v}, ${p})`;
  if (target instanceof m.ConstrainedBooleanModel) return (v, p) => `rt.boolean(${v}, ${p})`;
  if (target instanceof m.ConstrainedArrayModel) {
    const item = convert(m, target.valueModel, isNullable(target.valueModel));
    return (v, p) => `rt.array(${v}, ${p}, lambda i, ip: ${item('i', 'ip')})`;
  }
  if (target instanceof m.ConstrainedDictionaryModel) {
    const item = convert(m, target.value, isNullable(target.value));
    return (v, p) => `rt.mapping(${v}, ${p}, lambda i, ip: ${item('i', 'ip')})`;
  }
  return (v, p) => `rt.anything(${v}, ${p})`;
}

function initFile(modules: readonly { s: BindingSubject; module: string; envelope: string }[]): string {
  const out = [
    bindingHeader(
      '#',
      'The envelope parser: which event type an EventBridge event is, as a typed object.',
      'python',
    ),
    '"""Typed EventBridge events of this registry, and `parse_event` to read one.',
    '',
    'parse_event accepts the event as EventBridge delivers it to a target (a dict or its JSON text),',
    'or an SQS message carrying it (a Lambda SQS record with `body`, or a ReceiveMessage message with',
    '`Body`). It raises InvalidEvent, naming the JSON pointer, for anything else.',
    '"""',
    'from __future__ import annotations',
    '',
    'import json',
    'from dataclasses import dataclass',
    'from typing import Any, Union',
    '',
    'from ._runtime import InvalidEvent',
    ...modules.map((x) => `from .${x.module} import ${x.envelope} as ${x.envelope}V${x.s.version}`),
    '',
    `Event = Union[${modules.map((x) => `${x.envelope}V${x.s.version}`).join(', ') || 'None'}]`,
    '',
    '',
    '@dataclass(frozen=True)',
    'class ParsedEvent:',
    '    """An event of a known type: its subject, registry version and typed envelope."""',
    '',
    '    subject: str',
    '    detail_type: str',
    '    version: int',
    '    event: Event',
    '',
    '',
    '# (source, detail-type) → (subject, version, envelope class)',
    'EVENT_TYPES: dict[tuple[str, str], tuple[str, int, Any]] = {',
    ...modules.map(
      (x) =>
        `    (${lit(x.s.source)}, ${lit(x.s.detailType)}): (${lit(x.s.subject)}, ${x.s.version}, ${x.envelope}V${x.s.version}),`,
    ),
    '}',
    '',
    '',
    'def parse_event(raw: str | bytes | dict[str, Any]) -> ParsedEvent:',
    '    """The typed event in `raw`; InvalidEvent when it is not a valid event of a known type."""',
    '    event = _json(raw, "the event")',
    '    if isinstance(event, dict) and "detail-type" not in event:',
    '        body = event.get("body", event.get("Body"))',
    '        if isinstance(body, str):',
    '            event = _json(body, "the SQS message body")',
    '    if not isinstance(event, dict):',
    '        raise InvalidEvent("/: expected an EventBridge event (an object), got " + type(event).__name__)',
    '    source, detail_type = event.get("source"), event.get("detail-type")',
    '    if not isinstance(source, str) or not isinstance(detail_type, str):',
    '        raise InvalidEvent("/: not an EventBridge event: it needs the strings source and detail-type")',
    '    known = EVENT_TYPES.get((source, detail_type))',
    '    if known is None:',
    '        names = ", ".join(f"{s}@{d}" for s, d in sorted(EVENT_TYPES))',
    '        raise InvalidEvent(f"/: unknown event type {source}@{detail_type} (known: {names})")',
    '    subject, version, envelope = known',
    '    return ParsedEvent(subject, detail_type, version, envelope.from_json(event))',
    '',
    '',
    'def _json(raw: Any, what: str) -> Any:',
    '    if not isinstance(raw, (str, bytes)):',
    '        return raw',
    '    try:',
    '        return json.loads(raw)',
    '    except ValueError as error:',
    '        raise InvalidEvent(f"{what} is not JSON: {error}") from None',
    '',
    '',
    `__all__ = ["EVENT_TYPES", "Event", "InvalidEvent", "ParsedEvent", "parse_event"]`,
  ];
  return `${out.join('\n')}\n`;
}
