/**
 * One Lambda execution environment of `evtgen dev`: a worker thread that imports one function's
 * bundle once (module scope survives warm invocations, as on Lambda) and runs one invocation at a
 * time. Its `process.env` is the function's Lambda environment (set by the pool), so the handler's
 * SDK clients reach the emulator and its tables, queues and bus by the names the template gives.
 *
 * Results cross the thread boundary as JSON, as Lambda serializes them; errors as Lambda reports
 * them (`errorType`, `errorMessage`, `trace`).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInvocation, WorkerReply, WorkerSetup } from './function-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('function-worker.js runs only as a worker thread');

type Handler = (event: unknown, context: object) => unknown;

const loaded = await import(pathToFileURL(setup.bundlePath).href).then(
  (module: Record<string, unknown>) => module[setup.handlerExport],
  (error: unknown) => error,
);

function lambdaContext(invocation: WorkerInvocation): object {
  const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${setup.instanceId}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: String(setup.memorySize),
    awsRequestId: invocation.requestId,
    logGroupName: `/aws/lambda/${setup.functionName}`,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function failure(id: number, error: unknown): WorkerReply {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    id,
    ok: false,
    errorType: err.name || 'Error',
    errorMessage: err.message,
    trace: (err.stack ?? '').split('\n'),
  };
}

port.on('message', async (invocation: WorkerInvocation) => {
  if (typeof loaded !== 'function') {
    const reason =
      loaded instanceof Error
        ? loaded
        : new Error(`${setup.bundlePath} does not export a function named ${setup.handlerExport}`);
    port.postMessage(failure(invocation.id, reason));
    return;
  }
  try {
    if (invocation.delayMs) await new Promise((resolve) => setTimeout(resolve, invocation.delayMs));
    if (invocation.injectFailure === 'before') throw injected();
    const result = await (loaded as Handler)(invocation.event, lambdaContext(invocation));
    if (invocation.injectFailure === 'after') throw injected();
    // Lambda hands the caller the JSON of the result (undefined becomes null).
    const json = JSON.stringify(result ?? null);
    port.postMessage({ id: invocation.id, ok: true, result: JSON.parse(json) } satisfies WorkerReply);
  } catch (error) {
    port.postMessage(failure(invocation.id, error));
  }
});

function injected(): Error {
  const error = new Error(
    `Failure injected by evtgen dev (--inject-failure or evtgen load), invocation ${randomUUID()}`,
  );
  error.name = 'InjectedFailure';
  return error;
}

port.postMessage({ ready: true });
