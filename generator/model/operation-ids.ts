import type { Diagnostic } from '../diagnostics.js';
import { joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { toValueName } from './naming.js';

/**
 * The name of an operation without `operationId`, from its method and path alone (so it stays the
 * same when other operations change): `GET /pets/{petId}` → `getPetsByPetId`, `GET /` → `getRoot`.
 */
export function derivedOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/\{([^}]*)\}/g, ' by $1 '));
  return toValueName([method.toLowerCase(), ...(words.length > 0 ? words : ['root'])].join(' '));
}

/**
 * One warning per document listing every operation named by `derivedOperationId`, at the first of
 * them; undefined when every operation has its own `operationId`.
 */
export function derivedIdsWarning(
  file: SourceFile,
  derived: readonly { method: string; path: string; name: string }[],
): Diagnostic | undefined {
  const [first] = derived;
  if (!first) return undefined;
  const pointer = joinPointer('/paths', first.path, first.method.toLowerCase());
  const shown = derived.slice(0, 3).map((d) => `${d.method.toUpperCase()} ${d.path} → ${d.name}`);
  const more = derived.length > shown.length ? `, and ${derived.length - shown.length} more` : '';
  return {
    severity: 'warning',
    code: 'operation-id-derived',
    message: `${derived.length} operation(s) have no operationId; evtgen names them from method and path: ${shown.join(', ')}${more}.`,
    file: file.displayPath,
    position: file.locate(pointer),
    pointer,
    hint: 'A derived name changes only when its method or path does; add an operationId to choose the name of the handler, route and types yourself.',
  };
}
