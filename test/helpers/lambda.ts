/**
 * Running handlers as Lambda runs them: bundled by esbuild into one ES module per entry (what
 * `NodejsFunction` deploys), imported fresh, and invoked with a Lambda context. The context object
 * is a stand-in (there is no Lambda runtime here) with the fields the runtime sets.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';

export interface Bundle {
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
}

/** Bundles each entry like a deployment: ESM for Node 22, every dependency (AWS SDK included) inlined. */
export async function bundleHandlers(entries: readonly string[]): Promise<Bundle[]> {
  const outdir = await mkdtemp(join(tmpdir(), 'evtgen-bundle-'));
  const result = await build({
    entryPoints: Object.fromEntries(entries.map((e) => [basename(e, '.ts'), e])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    // CommonJS dependencies call require() for Node built-ins; ESM output needs one to exist.
    banner: {
      js: "import { createRequire as __evtgenRequire } from 'node:module'; const require = __evtgenRequire(import.meta.url);",
    },
  });
  return entries.map((entry) => {
    const file = join(outdir, `${basename(entry, '.ts')}.mjs`);
    const output = Object.entries(result.metafile.outputs).find(([path]) =>
      file.endsWith(path.replace(/^.*\//, '/')),
    );
    return { entry, file, bytes: output?.[1].bytes ?? 0 };
  });
}

/** Imports a bundle's `handler` (a fresh module instance per call: a new execution environment). */
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
