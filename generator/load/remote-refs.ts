import { isObject, joinPointer } from './json-pointer.js';

/** Every `$ref` to a URL inside `value` (at `pointer`), with the pointer of the object holding it. */
export function remoteRefs(value: unknown, pointer: string): { ref: string; pointer: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => remoteRefs(v, joinPointer(pointer, i)));
  if (!isObject(value)) return [];
  const own =
    typeof value.$ref === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value.$ref)
      ? [{ ref: value.$ref, pointer }]
      : [];
  return [
    ...own,
    ...Object.entries(value).flatMap(([k, v]) =>
      k === '$ref' ? [] : remoteRefs(v, joinPointer(pointer, k)),
    ),
  ];
}
