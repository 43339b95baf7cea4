import { isObject, joinPointer } from '../load/json-pointer.js';

export interface SchemaChange {
  readonly pointer: string;
  readonly change: 'added' | 'removed' | 'changed';
}

/**
 * Where two versions of a schema differ, as JSON pointers (deepest differing value, keys in order):
 * the review diff of `deps update` beside the check engine's verdicts, which say nothing about
 * descriptions, titles or examples.
 */
export function schemaChanges(before: unknown, after: unknown, at = ''): SchemaChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const pointer = joinPointer(at, key);
      if (!(key in after)) return [{ pointer, change: 'removed' as const }];
      if (!(key in before)) return [{ pointer, change: 'added' as const }];
      return schemaChanges(before[key], after[key], pointer);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ pointer: at, change: 'changed' }];
}
