import type { ConstrainedMetaModel, OutputModel } from '@asyncapi/modelina';
import { asciiWord, splitWords } from '../model/naming.js';

/** Modelina costs ~1.2 s to import (STACK.md): loaded only when bindings are built. */
export type Modelina = typeof import('@asyncapi/modelina');

let loaded: Promise<Modelina> | undefined;
export function modelina(): Promise<Modelina> {
  loaded ??= import('@asyncapi/modelina');
  return loaded;
}

/**
 * Options every back-end shares. `ignoreAdditionalProperties`: without it every model gets an
 * `additionalProperties` map field the registry schema never declared (STACK.md).
 */
export const processorOptions = { interpreter: { ignoreAdditionalProperties: true } };

/** Generator output in a stable order (by model name), whatever order Modelina walked the schema in. */
export function byName(models: readonly OutputModel[]): OutputModel[] {
  return [...models].sort((a, b) => (a.modelName < b.modelName ? -1 : a.modelName > b.modelName ? 1 : 0));
}

/** The spec text behind a constrained model or property, when it has one. */
export function descriptionOf(model: ConstrainedMetaModel): string | undefined {
  const input: unknown = model.originalInput;
  if (typeof input !== 'object' || input === null) return undefined;
  const d = (input as { description?: unknown }).description;
  return typeof d === 'string' && d.trim() !== '' ? d.trim() : undefined;
}

/** `format` of the schema behind a model (`date-time`, `uuid`, …). */
export function formatOf(model: ConstrainedMetaModel): string | undefined {
  const input: unknown = model.originalInput;
  if (typeof input !== 'object' || input === null) return undefined;
  const f = (input as { format?: unknown }).format;
  return typeof f === 'string' ? f : undefined;
}

/**
 * Modelina's NO_SPECIAL_CHAR spells punctuation out (`detail-type` → `detailMinusType`,
 * `a.b` → `aDotB`). evtgen's naming pass splits on it instead and keeps identifiers ASCII
 * (`Café` → `Cafe`, `注文` → `U6ce8U6587`), so a key reads the same in every language; Modelina
 * still applies the language's case, reserved words, leading digits and de-duplication after it.
 */
export function specialCharsAsWords(value: string): string {
  return splitWords(value).map(asciiWord).join(' ');
}

/**
 * Enum keys: words as above; a value with no letters or digits at all (`*\/`) falls back to
 * Modelina's spelling (`ASTERISK_SLASH`), which is better than an empty key. Modelina alone drops
 * non-ASCII letters and prints an empty key for `ü`, a syntax error in every language.
 */
export function enumKeyWords(m: Modelina): (value: string) => string {
  return (value) =>
    specialCharsAsWords(value) ||
    m.FormatHelpers.replaceSpecialCharacters(value, { exclude: [' ', '_'], separator: '_' });
}

/** A string literal valid in Java and C# source (no raw line breaks; Java reads `\\u` escapes first). */
export function cStyleString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const code = text.charCodeAt(i);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/**
 * Enum values as source literals. Modelina prints string values between quotes without escaping
 * (`"tail\\"` for `tail\\`), which does not compile; `literal` escapes them for the language.
 */
export function enumValueLiteral(literal: (text: string) => string) {
  return ({ enumValue }: { enumValue: unknown }): unknown =>
    typeof enumValue === 'string' ? literal(enumValue) : enumValue;
}
