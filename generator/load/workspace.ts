import { dirname, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { getAtPointer, isObject, joinPointer } from './json-pointer.js';
import { readSourceFile, type SourceFile } from './source-file.js';

/** A `$ref` resolved to the file and pointer it names. */
export interface RefTarget {
  readonly file: SourceFile;
  readonly pointer: string;
  readonly value: unknown;
}

/**
 * The set of spec files of one project: each file read and parsed once, `$ref`s resolved across
 * files. All external files are loaded up front (`loadWithReferences`) so that model building can
 * stay synchronous.
 */
export class SpecWorkspace {
  private readonly files = new Map<string, SourceFile>();
  private readonly readDiagnostics: Diagnostic[] = [];
  /** Files a `$ref` named that could not be read, already reported at that `$ref`. */
  private readonly reportedMissing = new Set<string>();
  /**
   * Resolved references per file: a `$ref` resolves the same wherever it is written, and files are
   * never replaced once read (`check` on GitHub's descriptions resolved refs ~37,000 times, mostly
   * the same ones). Failures are not kept: each is reported where it is written.
   */
  private readonly resolved = new WeakMap<SourceFile, Map<string, RefTarget>>();

  constructor(readonly projectRoot: string) {}

  /**
   * Problems reading and parsing files. A missing `$ref` target is reported once, at the `$ref`
   * (resolveRef), not again as an unreadable file at 1:1.
   */
  get diagnostics(): Diagnostic[] {
    return this.readDiagnostics.filter(
      (d) => d.code !== 'file-unreadable' || !this.reportedMissing.has(d.file),
    );
  }

  displayPath(absolutePath: string): string {
    return relative(this.projectRoot, absolutePath).split(sep).join('/');
  }

  /** Every file read so far, sorted. */
  loadedPaths(): string[] {
    return [...this.files.keys()].sort();
  }

  get(absolutePath: string): SourceFile | undefined {
    return this.files.get(absolutePath);
  }

  /** The loaded file shown as `displayPath`. */
  fileByDisplayPath(displayPath: string): SourceFile | undefined {
    for (const file of this.files.values()) if (file.displayPath === displayPath) return file;
    return undefined;
  }

  /** Position of `pointer` in the loaded file shown as `displayPath`, if that file is loaded. */
  locate(displayPath: string, pointer: string) {
    for (const file of this.files.values()) if (file.displayPath === displayPath) return file.locate(pointer);
    return undefined;
  }

  /** Reads a file and, transitively, every file its `$ref`s name. */
  async loadWithReferences(absolutePath: string): Promise<SourceFile | undefined> {
    const pending = [absolutePath];
    while (pending.length > 0) {
      const path = pending.pop() as string;
      if (this.files.has(path)) continue;
      const { file, diagnostics } = await readSourceFile(path, this.displayPath(path));
      this.files.set(path, file);
      this.readDiagnostics.push(...diagnostics);
      for (const ref of externalRefs(file.value)) {
        // A path that does not decode is left to resolveRef, which reports it at the $ref.
        const decoded = safeDecode(decodeURI, ref);
        if (decoded === undefined) continue;
        const target = resolve(dirname(path), decoded);
        if (!this.files.has(target)) pending.push(target);
      }
    }
    const file = this.files.get(absolutePath);
    return file?.value === undefined ? undefined : file;
  }

  /**
   * Resolves `ref` written at `refPointer` in `from`. Returns the target, or a diagnostic located at
   * the `$ref` itself saying what could not be found.
   */
  resolveRef(from: SourceFile, ref: string, refPointer: string): RefTarget | Diagnostic {
    let known = this.resolved.get(from);
    if (!known) {
      known = new Map();
      this.resolved.set(from, known);
    }
    const hit = known.get(ref);
    if (hit) return hit;
    const target = this.resolveNow(from, ref, refPointer);
    if (!isDiagnostic(target)) known.set(ref, target);
    return target;
  }

  private resolveNow(from: SourceFile, ref: string, refPointer: string): RefTarget | Diagnostic {
    const hashAt = ref.indexOf('#');
    const filePart = hashAt === -1 ? ref : ref.slice(0, hashAt);
    const fragment = hashAt === -1 ? '' : ref.slice(hashAt + 1);
    const fail = (code: string, message: string, hint: string): Diagnostic => ({
      severity: 'error',
      code,
      message,
      file: from.displayPath,
      position: from.locate(joinPointer(refPointer, '$ref')),
      pointer: joinPointer(refPointer, '$ref'),
      hint,
    });
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      return fail(
        'ref-remote',
        `$ref "${ref}" points at a URL; evtgen resolves only files next to the spec (it runs offline).`,
        'Download the referenced document into specs/ and refer to it by a relative path.',
      );
    }
    const decodedPath = safeDecode(decodeURI, filePart);
    const pointer = safeDecode(decodeURIComponent, fragment);
    if (decodedPath === undefined || pointer === undefined) {
      return fail(
        'ref-invalid',
        `$ref "${ref}" is not a valid URI reference: a "%" must start a percent-escape such as "%25".`,
        'Write a literal "%" as "%25" (and a space as "%20"), or rename the file or key.',
      );
    }
    const file = filePart === '' ? from : this.files.get(resolve(dirname(from.path), decodedPath));
    if (!file || file.value === undefined) {
      if (file) this.reportedMissing.add(file.displayPath);
      return fail(
        'ref-unresolved',
        `$ref "${ref}" names the file "${filePart}", which does not exist or could not be parsed.`,
        'Fix the relative path (it is resolved from the folder of the file holding the $ref).',
      );
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      return fail(
        'ref-unsupported',
        `$ref "${ref}" uses a plain-name fragment; only JSON-pointer fragments ("#/...") are supported.`,
        'Refer to the schema by its JSON pointer, e.g. "#/components/schemas/Order".',
      );
    }
    const value = getAtPointer(file.value, pointer);
    if (value === undefined) {
      return fail(
        'ref-unresolved',
        `$ref "${ref}" cannot be resolved: ${file.displayPath} has nothing at "${pointer || '/'}".`,
        'Check the spelling of the pointer; it must name an existing entry (e.g. "#/components/schemas/Order").',
      );
    }
    return { file, pointer, value };
  }
}

export function isDiagnostic(value: RefTarget | Diagnostic): value is Diagnostic {
  return 'severity' in value;
}

/**
 * The value at `pointer` in `file`, following `$ref`s (across files) until one that is not a
 * reference; undefined for an unresolvable one (reported where refs are resolved for the model) or
 * a chain longer than 32 hops.
 */
export function followRefs(
  workspace: SpecWorkspace,
  file: SourceFile,
  pointer: string,
): RefTarget | undefined {
  let at: RefTarget = { file, pointer, value: getAtPointer(file.value, pointer) };
  for (let hops = 0; hops < 32; hops++) {
    if (!isObject(at.value) || typeof at.value.$ref !== 'string') return at;
    const target = workspace.resolveRef(at.file, at.value.$ref, at.pointer);
    if (isDiagnostic(target)) return undefined;
    at = target;
  }
  return undefined;
}

/** `decode(text)`, or undefined when `text` holds a malformed percent-escape (decode throws URIError). */
function safeDecode(decode: (text: string) => string, text: string): string | undefined {
  try {
    return decode(text);
  } catch {
    return undefined;
  }
}

/** The file parts of every `$ref` in `value` that names another file. */
function externalRefs(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === 'string') {
        const filePart = ref.split('#')[0] ?? '';
        if (filePart !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(filePart)) found.add(filePart);
      }
      for (const child of Object.values(node)) visit(child);
    }
  };
  visit(value);
  return [...found];
}
