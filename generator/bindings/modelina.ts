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
