import type { Ajv } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { SchemaDialect } from '../model/contract.js';

/** An ajv instance the validators were compiled in: the plain (not coercing) group of one dialect. */
export interface CompiledAjv {
  readonly ajv: Ajv | Ajv2020;
  /** `$id` of its schema bundle: `<bundleId>#/definitions/<Name>` is each schema of the model. */
  readonly bundleId: string;
  /** The bundle's definitions, and the name of each definition's schema object. */
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly names: ReadonlyMap<unknown, string>;
}

/**
 * Hands the validators' ajv instances (emit/compile-validators.ts) to the example check of the same
 * run (model/example-check.ts), so a schema both need is compiled once: on GitHub's REST API
 * description the example check compiled again most of what the validators had (~3 s). An instance
 * is offered only after its standalone code was generated, so that what the check compiles into it
 * cannot shift the names in the emitted code.
 */
export class SharedValidatorAjv {
  private readonly offered = new Map<SchemaDialect, CompiledAjv>();
  private settled = false;
  private readonly waiting: { dialect: SchemaDialect; resolve: (found?: CompiledAjv) => void }[] = [];

  offer(dialect: SchemaDialect, compiled: CompiledAjv): void {
    this.offered.set(dialect, compiled);
    for (const waiter of this.waiting.filter((w) => w.dialect === dialect)) waiter.resolve(compiled);
  }

  /** No more instances will come: compilation finished or failed. */
  settle(): void {
    this.settled = true;
    for (const waiter of this.waiting.splice(0)) waiter.resolve(this.offered.get(waiter.dialect));
  }

  /**
   * Lets go of the instances: they hold every compiled function with its source (hundreds of MB on a
   * big spec), which the rest of the run must not keep alive.
   */
  release(): void {
    this.offered.clear();
    this.settle();
  }

  /** The instance of `dialect`, once offered; undefined when compilation ends without one. */
  get(dialect: SchemaDialect): Promise<CompiledAjv | undefined> {
    const found = this.offered.get(dialect);
    if (found || this.settled) return Promise.resolve(found);
    return new Promise((resolve) => this.waiting.push({ dialect, resolve }));
  }
}
