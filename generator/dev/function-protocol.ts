/**
 * The messages between a function pool (main thread) and its worker threads, and what an
 * invocation returns to the caller (the HTTP server, a poller).
 */

/** What a worker is created with (`workerData`). */
export interface WorkerSetup {
  readonly bundlePath: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memorySize: number;
  /** Distinguishes the execution environments of one function in log stream names. */
  readonly instanceId: string;
}

/** Where `--inject-failure` makes an invocation fail: before the handler runs, or after it did its work. */
export type InjectedFailure = 'before' | 'after';

export interface WorkerInvocation {
  readonly id: number;
  readonly requestId: string;
  readonly event: unknown;
  /** Epoch ms when the function's timeout expires (`context.getRemainingTimeInMillis()`). */
  readonly deadline: number;
  readonly injectFailure?: InjectedFailure;
  /** Injected latency: the worker waits this long before the handler runs. */
  readonly delayMs?: number;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly trace: readonly string[];
    };

/** The outcome of one invocation, as Lambda reports it. */
export type InvokeResult =
  | { readonly ok: true; readonly result: unknown; readonly requestId: string; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly requestId: string;
      readonly durationMs: number;
    };
