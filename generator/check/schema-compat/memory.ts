import { getAtPointer } from '../../load/json-pointer.js';
import { parseSource, type SourceFile } from '../../load/source-file.js';
import type { SchemaDialect } from '../../model/contract.js';
import type { SchemaContext, SchemaNode } from './node.js';

/**
 * A standalone schema document (refs are local: `#/definitions/X`), as a located node with its
 * context: how tests and the property test feed the engine without spec files.
 */
export function memorySchema(
  value: unknown,
  options: { dialect?: SchemaDialect; openapi30?: boolean; name?: string } = {},
): { node: SchemaNode; ctx: SchemaContext; file: SourceFile } {
  const name = options.name ?? 'schema.json';
  const { file } = parseSource(JSON.stringify(value, null, 2), `/memory/${name}`, name);
  const ctx: SchemaContext = {
    dialect: options.dialect ?? 'draft-07',
    openapi30: options.openapi30 ?? false,
    resolve: (from, ref) => {
      if (!ref.startsWith('#')) return undefined;
      const pointer = decodeURIComponent(ref.slice(1));
      const target = getAtPointer(from.value, pointer);
      return target === undefined ? undefined : { file: from, pointer, value: target };
    },
  };
  return { node: { file, pointer: '', value: file.value }, ctx, file };
}
