import type { SourcePosition } from '../diagnostics.js';
import { getAtPointer, isObject, joinPointer } from '../load/json-pointer.js';
import type { SourceFile } from '../load/source-file.js';
import { isDiagnostic, type SpecWorkspace } from '../load/workspace.js';
import type { ContractModel } from '../model/contract.js';
import type { FindingInput, Mode, Place } from './findings.js';
import { type Finding, makeFinding, schemaChangeInput } from './findings.js';
import { compareSchemas, type SchemaChange } from './schema-compat/compare.js';
import type { SchemaContext, SchemaNode } from './schema-compat/node.js';
import { SubsetChecker } from './schema-compat/subset.js';

/** One version of the specs, loaded with the generator's loader. */
export interface Snapshot {
  /** `HEAD~1`, `baseline/`, `working tree`. */
  readonly label: string;
  readonly model: ContractModel;
  readonly workspace: SpecWorkspace;
}

/** A located value inside a snapshot's files. */
export interface At {
  readonly file: SourceFile;
  readonly pointer: string;
  readonly value: unknown;
}

export function at(file: SourceFile, pointer: string): At {
  return { file, pointer, value: getAtPointer(file.value, pointer) };
}

/** Follows `$ref`s of non-schema objects (parameters, responses, messages). */
export function deref(workspace: SpecWorkspace, node: At): At {
  let current = node;
  for (let i = 0; i < 32; i++) {
    if (!isObject(current.value) || typeof current.value.$ref !== 'string') return current;
    const target = workspace.resolveRef(current.file, current.value.$ref, current.pointer);
    if (isDiagnostic(target)) return current;
    current = target;
  }
  return current;
}

/** The value below `node` (stepping down from its value: the same as looking it up from the root). */
export function childAt(node: At, ...segments: (string | number)[]): At {
  let value = node.value;
  for (const segment of segments) {
    const key = String(segment);
    value = Array.isArray(value)
      ? value[Number(key)]
      : isObject(value) && Object.hasOwn(value, key)
        ? value[key]
        : undefined;
  }
  return { file: node.file, pointer: joinPointer(node.pointer, ...segments), value };
}

export function schemaContext(
  workspace: SpecWorkspace,
  dialect: SchemaContext['dialect'],
  openapi30: boolean,
): SchemaContext {
  const cache = new Map<string, SchemaNode | undefined>();
  return {
    dialect,
    openapi30,
    resolve: (file, ref, pointer) => {
      // A reference resolves the same wherever it is written in a file.
      const key = `${file.path}|${ref}`;
      if (cache.has(key)) return cache.get(key);
      const target = workspace.resolveRef(file, ref, pointer);
      const node = isDiagnostic(target)
        ? undefined
        : { file: target.file, pointer: target.pointer, value: target.value };
      cache.set(key, node);
      return node;
    },
  };
}

/**
 * Collects findings of one comparison: schema pairs are compared with one subset checker per
 * pair of documents (its memo is shared by every operation and message of them).
 */
export class FindingSink {
  readonly findings: Finding[] = [];
  private readonly checkers = new Map<string, SubsetChecker>();

  constructor(
    readonly oldSnap: Snapshot,
    readonly newSnap: Snapshot,
  ) {}

  checker(key: string, oldCtx: SchemaContext, newCtx: SchemaContext): SubsetChecker {
    let c = this.checkers.get(key);
    if (!c) {
      c = new SubsetChecker(oldCtx, newCtx);
      this.checkers.set(key, c);
    }
    return c;
  }

  add(input: FindingInput): void {
    const finding = makeFinding(input);
    if (finding) this.findings.push(finding);
  }

  /** Position of `pointer` in the new file `file` (its nearest existing ancestor). */
  position(file: SourceFile, pointer: string): SourcePosition {
    return file.locate(pointer);
  }

  /** The new-spec file with the same path as an old one, for locating removals. */
  newFileFor(oldFile: SourceFile): SourceFile | undefined {
    return this.newSnap.workspace.fileByDisplayPath(oldFile.displayPath);
  }

  /** Compares two schemas and records every change, projected by `place` and `mode`. */
  compareSchema(
    checker: SubsetChecker,
    oldNode: SchemaNode,
    newNode: SchemaNode,
    context: { subject: string; where: string; place: Place; mode: Mode },
  ): SchemaChange[] {
    const changes = compareSchemas(checker, oldNode, newNode);
    for (const c of changes) {
      this.add(schemaChangeInput(c, context, `${c.new.file.displayPath}#${c.newPointer}`));
    }
    return changes;
  }
}
