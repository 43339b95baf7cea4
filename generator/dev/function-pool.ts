/**
 * The execution environments of one function: worker threads (function-worker.ts), each running one
 * invocation at a time like a Lambda sandbox, created on demand up to the function's concurrency.
 * A slow handler occupies its own thread, never the HTTP server's or a poller's. The function's
 * timeout is enforced as Lambda does: the invocation fails with `Sandbox.Timedout` and the
 * environment is discarded (its module state with it).
 *
 * `reload` swaps the code or environment (after an edit): idle environments stop at once, busy ones
 * after their invocation; later invocations start fresh environments with the new bundle.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { compiledModulePath } from '../package-root.js';
import type {
  InjectedFailure,
  InvokeResult,
  WorkerInvocation,
  WorkerReply,
  WorkerSetup,
} from './function-protocol.js';

export interface FunctionCode {
  readonly bundlePath: string;
  /** The whole `process.env` of the function's environments. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface FunctionPoolOptions {
  readonly name: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly handlerExport: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** How many environments may run at once (Lambda's concurrency for this function). */
  readonly maxInstances: number;
  /** Every line the handler writes (Powertools' JSON log lines, EMF metrics, console output). */
  readonly onOutput: (line: string) => void;
  /** A fraction of invocations to fail on purpose (`--inject-failure`), and where. */
  readonly failureInjection?: FailureInjection;
  readonly random?: () => number;
}

/** Faults injected into a function's invocations (`--inject-failure`, `evtgen load`'s fault phase). */
export interface FailureInjection {
  /** Fraction (0–1) of invocations that fail. */
  readonly rate: number;
  readonly where: InjectedFailure;
  /** Added before the handler runs, inside the invocation (it counts against the timeout). */
  readonly latencyMs?: number;
}

interface Instance {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly generation: number;
  busy: boolean;
  pending?: {
    readonly id: number;
    readonly resolve: (reply: WorkerReply) => void;
  };
}

/** The compiled worker script (package-root.ts `compiledModulePath`). */
function workerScript(): string {
  return compiledModulePath('dev', 'function-worker.js');
}

export class FunctionPool {
  readonly #options: FunctionPoolOptions;
  #code: FunctionCode;
  #generation = 0;
  #nextId = 1;
  readonly #instances = new Set<Instance>();
  readonly #waiting: (() => void)[] = [];
  #closed = false;
  #injection: FailureInjection | undefined;

  constructor(options: FunctionPoolOptions, code: FunctionCode) {
    this.#options = options;
    this.#code = code;
    this.#injection = options.failureInjection;
  }

  /** Changes the injected faults from the next invocation on (undefined: none). */
  injectFaults(injection: FailureInjection | undefined): void {
    this.#injection = injection;
  }

  get injectedFaults(): FailureInjection | undefined {
    return this.#injection;
  }

  get name(): string {
    return this.#options.name;
  }

  /** Runs one invocation in a free environment (waiting for one when all are busy). */
  async invoke(event: unknown): Promise<InvokeResult> {
    const requestId = randomUUID();
    const started = performance.now();
    const openAtStart = !this.#closed;
    let instance: Instance;
    try {
      instance = await this.#acquire();
    } catch (error) {
      // Closed while its environment was starting: it fails like a busy invocation, not as a crash.
      if (!openAtStart || !this.#closed) throw error;
      return {
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: `${this.#options.name}: evtgen dev is stopping`,
        requestId,
        durationMs: performance.now() - started,
      };
    }
    const id = this.#nextId++;
    const timeoutMs = this.#options.timeoutSeconds * 1000;
    const injection = this.#injection;
    const message: WorkerInvocation = {
      id,
      requestId,
      event,
      deadline: Date.now() + timeoutMs,
      ...(injection && injection.rate > 0 && (this.#options.random ?? Math.random)() < injection.rate
        ? { injectFailure: injection.where }
        : {}),
      ...(injection?.latencyMs ? { delayMs: injection.latencyMs } : {}),
    };
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<WorkerReply | 'timeout'>((resolve) => {
      instance.pending = { id, resolve };
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      instance.worker.postMessage(message);
    });
    clearTimeout(timer);
    instance.pending = undefined;
    const durationMs = performance.now() - started;
    if (reply === 'timeout') {
      // Lambda discards a timed-out sandbox: the next invocation gets a fresh one.
      this.#discard(instance);
      return {
        ok: false,
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${this.#options.timeoutSeconds.toFixed(2)} seconds`,
        requestId,
        durationMs,
      };
    }
    this.#release(instance);
    return reply.ok
      ? { ok: true, result: reply.result, requestId, durationMs }
      : { ok: false, errorType: reply.errorType, errorMessage: reply.errorMessage, requestId, durationMs };
  }

  /** New code or environment: later invocations run in fresh environments. */
  reload(code: FunctionCode): void {
    this.#code = code;
    this.#generation++;
    for (const instance of this.#instances) if (!instance.busy) this.#discard(instance);
  }

  /** Stops every environment (busy invocations fail). */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = [...this.#instances].map((instance) => instance.worker.terminate());
    this.#instances.clear();
    for (const wake of this.#waiting.splice(0)) wake();
    await Promise.all(workers);
  }

  async #acquire(): Promise<Instance> {
    for (;;) {
      if (this.#closed) throw new Error(`${this.#options.name}: evtgen dev is stopping`);
      const idle = [...this.#instances].find((i) => !i.busy && i.generation === this.#generation);
      if (idle) {
        idle.busy = true;
        await idle.ready;
        return idle;
      }
      if (this.#instances.size < this.#options.maxInstances) {
        const created = this.#spawn();
        created.busy = true;
        await created.ready;
        return created;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #release(instance: Instance): void {
    instance.busy = false;
    if (instance.generation !== this.#generation) this.#discard(instance);
    this.#waiting.shift()?.();
  }

  #discard(instance: Instance): void {
    this.#instances.delete(instance);
    void instance.worker.terminate();
    this.#waiting.shift()?.();
  }

  #spawn(): Instance {
    const setup: WorkerSetup = {
      bundlePath: this.#code.bundlePath,
      handlerExport: this.#options.handlerExport,
      functionName: this.#options.functionName,
      functionArn: this.#options.functionArn,
      memorySize: this.#options.memorySize,
      instanceId: randomUUID().replaceAll('-', ''),
    };
    const worker = new Worker(workerScript(), {
      workerData: setup,
      env: { ...this.#code.environment },
      stdout: true,
      stderr: true,
    });
    const instance: Instance = {
      worker,
      generation: this.#generation,
      busy: false,
      ready: new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) =>
          reject(
            new Error(`${this.#options.name}: the environment exited while starting (exit status ${code})`),
          ),
        );
        worker.on('message', (message: WorkerReply | { ready: true }) => {
          if ('ready' in message) resolve();
          else if (instance.pending?.id === message.id) instance.pending.resolve(message);
        });
      }),
    };
    // An uncaught error kills the environment: the invocation in it fails, as on Lambda.
    worker.on('error', (error: Error) => {
      const pending = instance.pending;
      if (pending)
        pending.resolve({
          id: pending.id,
          ok: false,
          errorType: error.name || 'Runtime.UnhandledError',
          errorMessage: error.message,
          trace: [],
        });
      this.#discard(instance);
    });
    // An environment that ends otherwise (the handler exits it, or close() stops it) fails its invocation at once.
    worker.on('exit', (code: number) => {
      instance.pending?.resolve({
        id: instance.pending.id,
        ok: false,
        errorType: 'Runtime.ExitError',
        errorMessage: this.#closed
          ? `${this.#options.name}: evtgen dev is stopping`
          : `Runtime exited with error: exit status ${code}`,
        trace: [],
      });
      this.#discard(instance);
    });
    instance.ready.catch(() => undefined);
    pipeLines(worker.stdout, this.#options.onOutput);
    pipeLines(worker.stderr, this.#options.onOutput);
    this.#instances.add(instance);
    return instance;
  }
}

function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered);
    buffered = '';
  });
}
