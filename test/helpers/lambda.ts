/**
 * Running handlers as Lambda runs them: bundled by the generated CDK app's own bundler
 * (generated/cdk/bundles.ts: the bytes `cdk synth` deploys, from its cache when unchanged),
 * imported fresh, and invoked with a Lambda context. The context object is a stand-in (there is no
 * Lambda runtime here) with the fields the runtime sets.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FunctionBundler } from '../../generated/cdk/bundles.js';
import { repoRoot } from './project.js';

export interface Bundle {
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
}

/** Bundles the entries (absolute paths) together, exactly as the CDK constructs do for a deployment. */
export async function bundleHandlers(entries: readonly string[]): Promise<Bundle[]> {
  const bundler = new FunctionBundler(repoRoot, { minify: true });
  for (const entry of entries) bundler.plan(entry);
  return Promise.all(
    entries.map(async (entry) => {
      const file = join(bundler.bundleDir(entry), 'index.mjs');
      return { entry, file, bytes: (await stat(file)).size };
    }),
  );
}

/**
 * Imports a bundle's `handler`: a fresh instance of the function's own code (index.mjs) per call, as
 * in a new execution environment; the shared package chunks it imports load once per process.
 */
export async function loadHandler<T>(bundle: Bundle): Promise<T> {
  const module = (await import(`${pathToFileURL(bundle.file).href}?instance=${Math.random()}`)) as {
    handler: T;
  };
  return module.handler;
}

let invocation = 0;

export function lambdaContext(functionName: string): Context {
  invocation++;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `00000000-0000-4000-8000-${String(invocation).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Runs `action` and returns what it wrote to stdout and stderr as JSON lines: Powertools logs
 * (warnings and errors go to stderr) and EMF metrics, in the order they were written.
 */
export async function captureLogs<T>(
  action: () => Promise<T>,
): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  try {
    const result = await action();
    return { result, lines: parseLines(chunks.join('')) };
  } finally {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
  }
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
