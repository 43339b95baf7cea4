import { Worker } from 'node:worker_threads';

let keepLoaded = false;

/** For long-running commands: workers stay loaded between runs, even those that stop when idle. */
export function keepWorkersLoaded(): void {
  keepLoaded = true;
}

/**
 * The young generation of each worker's heap, in MB (V8's default on this machine: 48 MB, three
 * 16 MB semi-spaces).
 *
 * Why: the peak RSS of a big spec is where the workers' heaps overlap the main thread's (GitHub's
 * REST API description: the OpenAPI worker printing its types while the bundler's worker holds the
 * validators' bundle). Each isolate's young generation is memory that a scavenge empties but the
 * process keeps. With 8 MB each, GitHub's peak was 566–594 MB instead of 618–637 MB (four runs
 * each, interleaved), at the same time (7.45–7.67 s against 7.32–7.73 s); the 500-event spec and
 * the example were no slower (docs/performance.md, eighth pass). The main thread keeps V8's default:
 * its flags are fixed before evtgen runs.
 */
const youngGenerationMb = 8;

/**
 * A worker thread that answers requests, one message each: `{id, …request}` in, `{id, result}` or
 * `{id, error}` out. Its script is short CommonJS evaluated from a string, so the same code runs
 * from the TypeScript sources (tests) and from the compiled package. Used for the work that overlaps
 * the main thread's: the AsyncAPI parser (load/asyncapi-validate.ts), Redocly's validation and
 * openapi-typescript (openapi-worker.ts), json-schema-to-typescript (emit/event-models-worker.ts)
 * and the validators' bundling (emit/validator-bundle.ts).
 *
 * Only outstanding requests keep the process alive: an idle worker never holds up exit. A worker
 * that fails rejects what it was asked and is started afresh by the next request.
 *
 * A worker used once per run (`stopWhenIdle`) is stopped as soon as it has answered everything, so
 * that its heap is given back while the main thread still works: openapi-typescript's worker holds
 * ~250 MB after typing GitHub's REST API description, which otherwise counted in the run's peak.
 * Long-running commands (`generate --watch`, `dev`) keep every worker loaded instead
 * (`keepWorkersLoaded`): they would pay its start again on each run.
 */
export class EvalWorker<Request extends object, Result> {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();

  /** `workerData` is computed when the worker starts (module paths are resolved then, not at import). */
  constructor(
    private readonly source: string,
    private readonly workerData: () => unknown,
    private readonly options: { readonly stopWhenIdle?: boolean } = {},
  ) {}

  /** Whether the worker is loaded (started, and not stopped or failed since). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Starts the worker now (its module loading overlaps whatever the caller does next). */
  start(): Worker {
    if (this.worker) return this.worker;
    const created = new Worker(this.source, {
      eval: true,
      workerData: this.workerData(),
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
    });
    created.on('message', (reply: { id: number; result?: Result; error?: string }) => {
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.idle(created);
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.result as Result);
    });
    created.on('error', (error) => {
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
      this.worker = undefined;
    });
    created.unref();
    this.worker = created;
    return created;
  }

  private idle(worker: Worker): void {
    worker.unref();
    if (!this.options.stopWhenIdle || keepLoaded) return;
    this.worker = undefined;
    void worker.terminate();
  }

  /**
   * A message that gets no answer, to the worker answering the requests made so far (more input
   * for one of them): dropped when no worker runs, as that request has already failed.
   */
  post(message: object): void {
    this.worker?.postMessage(message);
  }

  request(message: Request): Promise<Result> {
    const target = this.start();
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      target.ref();
      target.postMessage({ ...message, id });
    });
  }
}
