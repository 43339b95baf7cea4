/**
 * Redocly's bundling, done by evtgen where it can be: openapi-typescript bundles every document with
 * Redocly before typing it, and the OpenAPI worker (openapi-worker.ts) gives it the document the
 * validation (openapi-validate.ts) read and bundled instead, when `bundleRule` saw nothing in the
 * validation's walk that only Redocly's bundle does.
 */
import { isObject } from './json-pointer.js';

type Location = { readonly source: object; readonly pointer?: string };
interface Resolved {
  readonly location?: Location;
  readonly node?: unknown;
}
interface VisitorContext {
  readonly location: Location;
  readonly type: { readonly name: string };
  readonly parent: Record<string, unknown>;
  readonly key: string | number;
  resolve(ref: { $ref: unknown }): Resolved;
}

/** What Redocly's bundling would do to one document, as `bundleRule` saw it in the validation walk. */
interface BundleWork {
  /** Something evtgen does not redo (see `bundleRule`): the document must go through Redocly's bundle. */
  other: boolean;
  /** `$ref`s where Redocly expects a plain value: bundling puts the target in their place. */
  readonly inlined: {
    readonly ref: Record<string, unknown>;
    readonly parent: Record<string, unknown>;
    readonly key: string | number;
    readonly target: unknown;
  }[];
}

/** The bundling work of each document validated, by its root value (from `collectSpecData`). */
const bundleWork = new WeakMap<object, BundleWork>();

/**
 * `bundle`: records, during the validation's walk, what Redocly's bundling would change in the
 * document. openapi-typescript bundles every document with Redocly before typing it, which walks the
 * whole document once more (~1.4 s of GitHub's REST API description). When all that bundling would
 * do is inline `$ref`s that sit where Redocly expects a plain value (GitHub's REST API description
 * has one, a schema's `example`), evtgen does the same to the document it validated
 * (`bundledLikeRedocly`), and the OpenAPI worker (openapi-worker.ts) types it without Redocly's
 * bundling: read once, walked once. Anything else sends the document through Redocly as before. The
 * conditions are those of Redocly 1.34's bundle visitor (`makeBundleVisitor` in bundle.js, without
 * dereferencing) and of the one decorator evtgen bundles with (openapi-worker.ts):
 * - a `$ref` that is not resolved or resolves into another file;
 * - an Example with an `externalValue` and no `value` (the file is read in);
 * - a discriminator `mapping` entry other than a direct reference to a schema of the document's
 *   `components` (Redocly saves each target as a component and writes the reference anew);
 * - an `allOf` with a boolean member (the decorator rewrites it).
 * test/unit/openapi-bundle.test.ts checks each case against Redocly's bundle, and every OpenAPI
 * document of the fixtures, examples and corpora.
 */
export const bundleRule = () => {
  let root: object | undefined;
  let work: BundleWork = { other: false, inlined: [] };
  const internal = (ctx: VisitorContext, resolved: Resolved) =>
    resolved.location !== undefined &&
    resolved.node !== undefined &&
    resolved.location.source === root &&
    ctx.location.source === root;
  return {
    Root: {
      enter(document: object, ctx: VisitorContext) {
        root = ctx.location.source;
        work = { other: false, inlined: [] };
        bundleWork.set(document, work);
      },
    },
    ref: {
      leave(ref: Record<string, unknown>, ctx: VisitorContext, resolved: Resolved) {
        if (!internal(ctx, resolved)) work.other = true;
        else if (ctx.type.name === 'scalar')
          work.inlined.push({ ref, parent: ctx.parent, key: ctx.key, target: resolved.node });
      },
    },
    Example: {
      leave(example: Record<string, unknown>) {
        if (typeof example.externalValue === 'string' && example.value === undefined) work.other = true;
      },
    },
    DiscriminatorMapping: {
      enter(mapping: Record<string, unknown>, ctx: VisitorContext) {
        for (const target of Object.values(mapping)) {
          const resolved = ctx.resolve({ $ref: target });
          const direct =
            typeof target === 'string' &&
            /^#\/components\/schemas\/[^/~%]+$/.test(target) &&
            internal(ctx, resolved) &&
            resolved.location?.pointer === target;
          if (!direct) work.other = true;
        }
      },
    },
    Schema: {
      leave(schema: Record<string, unknown>) {
        if (Array.isArray(schema.allOf) && schema.allOf.some((m) => typeof m === 'boolean'))
          work.other = true;
      },
    },
  };
};

/**
 * The document as Redocly's bundling would leave it, made without Redocly, or undefined when
 * `bundleRule` found work only Redocly's bundle does. Changes `document` in place.
 */
export function bundledLikeRedocly(document: unknown): unknown {
  const work = isObject(document) ? bundleWork.get(document) : undefined;
  if (!isObject(document) || !work || work.other) return undefined;
  for (const { ref, parent, key, target } of work.inlined) {
    // Redocly's `replaceRef`, as it is written: the target's fields under the `$ref`'s own siblings,
    // or the target itself.
    if (isObject(target)) {
      delete ref.$ref;
      Object.assign(ref, Object.assign({}, target, ref));
    } else parent[key] = target;
  }
  // Its visitor's `Root.enter`: every OpenAPI 3 document gets a `components`.
  document.components = document.components || {};
  return document;
}
