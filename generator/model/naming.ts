import type { Diagnostic } from '../diagnostics.js';
import type { SourceRef } from './contract.js';

/**
 * The one naming pass: every spec name becomes a TypeScript name here and nowhere else. The steps
 * follow Modelina's constrainers — split into words, drop characters that cannot appear in an
 * identifier, fix a leading digit, avoid reserved and global names, then case — so a name is
 * stable (a pure function of the spec name) and readable (never `AnonymousSchema_N`).
 */

/** Names a generated declaration must not take: TS keywords and the globals generated code uses. */
// biome-ignore format: a word list reads best packed
const reservedTypeNames = new Set([
  'Array', 'Boolean', 'Date', 'Error', 'Function', 'Map', 'Number', 'Object', 'Promise', 'Readonly',
  'Record', 'RegExp', 'Set', 'String', 'Symbol', 'Partial', 'Required', 'Pick', 'Omit', 'Exclude',
  'Extract', 'NonNullable', 'ReturnType', 'Uint8Array', 'JSON', 'Math', 'Intl', 'Any', 'Unknown', 'Never',
]);
// biome-ignore format: a word list reads best packed
const reservedWords = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'as', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public',
  'static', 'yield', 'any', 'boolean', 'constructor', 'declare', 'get', 'module', 'require', 'number',
  'set', 'string', 'symbol', 'type', 'from', 'of', 'unknown', 'never', 'object', 'undefined', 'await',
]);

/** Splits `order-placed.v2`, `orderPlacedV2`, `ORDER_PLACED` and `2fa code` into words. */
export function splitWords(name: string): string[] {
  return name
    .normalize('NFC')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

function capitalize(word: string): string {
  const [first = '', ...rest] = word;
  return first.toUpperCase() + rest.join('');
}

/**
 * Identifiers are kept ASCII: accents are dropped (`Café` → `Cafe`, as json-schema-to-typescript
 * would) and other letters are spelled by code point (`注文` → `U6ce8U6587`), so every tool that reads
 * the output agrees on the name.
 */
export function asciiWord(word: string): string {
  return [...word.normalize('NFKD').replace(/\p{M}/gu, '')]
    .map((ch) => (/[A-Za-z0-9]/.test(ch) ? ch : `U${(ch.codePointAt(0) ?? 0).toString(16)}`))
    .join('');
}

/** PascalCase name for a type; empty string when the input has no letters or digits. */
export function toTypeName(specName: string): string {
  const words = splitWords(specName).map(asciiWord);
  if (words.length === 0) return '';
  const allCaps = (w: string) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();
  let name = words.map((w) => capitalize(allCaps(w) ? w.toLowerCase() : w)).join('');
  if (/^\p{N}/u.test(name)) name = `N${name}`;
  // A letter after digits is upper-cased (`N2faCode` → `N2FaCode`), as json-schema-to-typescript
  // does to every name it prints: the two must agree, or references would not resolve.
  name = name.replace(
    /(\d)([a-z])/g,
    (_, digit: string, letter: string) => `${digit}${letter.toUpperCase()}`,
  );
  if (reservedTypeNames.has(name)) name = `${name}Model`;
  return name;
}

/** camelCase name for a value (function, property of a generated object). */
export function toValueName(specName: string): string {
  const type = toTypeName(specName);
  if (type === '') return '';
  const value = type.replace(/^(\p{Lu}+)(?=\p{Lu}\p{Ll}|$)|^\p{Lu}/u, (m) => m.toLowerCase());
  return reservedWords.has(value) ? `${value}Value` : value;
}

/** kebab-case, for file names, resource names and default EventBridge sources. */
export function toKebabName(specName: string): string {
  return splitWords(specName)
    .map((w) => w.toLowerCase())
    .join('-');
}

interface Claim {
  readonly origin: SourceRef;
  readonly what: string;
}

/**
 * Hands out TypeScript names and refuses a name twice. A collision is an error naming both places:
 * silently suffixing `2` would make a type's name depend on the order specs were read in.
 */
export class NameRegistry {
  private readonly claims = new Map<string, Claim>();
  readonly diagnostics: Diagnostic[] = [];

  /**
   * Claims `name` for the thing at `origin`. Claiming again from the same origin key is fine (the same
   * schema reached twice). Returns false (and records a diagnostic) on a collision or an unusable name.
   */
  claim(name: string, origin: SourceRef, what: string, specName: string): boolean {
    if (name === '') {
      this.diagnostics.push({
        severity: 'error',
        code: 'name-unusable',
        message: `The ${what} name "${specName}" has no letters or digits to build a TypeScript name from.`,
        file: origin.file,
        position: origin.position,
        pointer: origin.pointer,
        hint: 'Give it a name containing letters, e.g. "OrderPlaced".',
      });
      return false;
    }
    const existing = this.claims.get(name);
    if (!existing) {
      this.claims.set(name, { origin, what });
      return true;
    }
    if (sameOrigin(existing.origin, origin) && existing.what === what) return true;
    const first = existing.origin;
    this.diagnostics.push({
      severity: 'error',
      code: 'name-collision',
      message:
        `The ${what} "${specName}" and the ${existing.what} at ${first.file}:${first.position.line}:` +
        `${first.position.column} (${first.pointer}) both become the TypeScript name \`${name}\`.`,
      file: origin.file,
      position: origin.position,
      pointer: origin.pointer,
      hint: 'Rename one of them so their names differ after conversion to PascalCase.',
    });
    return false;
  }
}

function sameOrigin(a: SourceRef, b: SourceRef): boolean {
  return a.file === b.file && a.pointer === b.pointer;
}
