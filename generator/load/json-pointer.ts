/** RFC 6901 JSON pointers. */

export function encodePointerSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function decodePointerSegment(segment: string): string {
  if (!segment.includes('~')) return segment;
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const s of segments) out += `/${encodePointerSegment(String(s))}`;
  return out;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Invalid JSON pointer: ${pointer}`);
  const parts = pointer.slice(1).split('/');
  if (pointer.includes('~'))
    for (let i = 0; i < parts.length; i++) parts[i] = decodePointerSegment(parts[i] as string);
  return parts;
}

/** The value at `pointer`, or undefined when any step is missing. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) throw new Error(`Invalid JSON pointer: ${pointer}`);
  const escaped = pointer.includes('~');
  let current: unknown = root;
  let start = 1;
  for (;;) {
    const end = pointer.indexOf('/', start);
    const raw = end === -1 ? pointer.slice(start) : pointer.slice(start, end);
    const segment = escaped ? decodePointerSegment(raw) : raw;
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
    if (end === -1) return current;
    start = end + 1;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
