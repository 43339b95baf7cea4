/**
 * moto's server (`moto_server`, Python) as a child process on a free loopback port: an AWS emulator
 * that speaks the real SQS, EventBridge, DynamoDB (with Streams) and CloudWatch APIs, so rule
 * matching, visibility timeouts, redrive to dead-letter queues and FIFO semantics are moto's, not a
 * hand-written imitation. Used by the flow tests and by `evtgen dev`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the process and waits until it has exited. */
  stop(): Promise<void>;
}

/** How to get moto where it is missing (shown in errors and test skips). */
export const motoInstallHint =
  "Install moto's server: pip install 'moto[server]' (or run its Docker image and pass --endpoint).";

/** The `moto_server` executable on PATH, or undefined. */
export function findMotoServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/** A port nobody listens on right now (moto's CLI takes no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto on a free loopback port and resolves once it answers. */
export async function startMotoServer(options: { readonly timeoutMs?: number } = {}): Promise<MotoServer> {
  const executable = findMotoServer();
  if (!executable) throw new Error(`moto_server is not installed. ${motoInstallHint}`);
  const port = await freePort();
  const python = pythonWithMoto(executable);
  const child = spawn(
    python ?? executable,
    python ? ['-c', fastLauncher, '127.0.0.1', String(port)] : ['-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop(child);
      throw new Error(`moto_server did not start on ${endpoint}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, port, stop: () => stop(child) };
}

/**
 * moto's server, started with changes to how it *serves* requests, none to what the services do.
 * Measured here under `evtgen dev`'s load (sampling moto's stacks), stock `moto_server` served
 * ~40 requests/s and sometimes answered 500:
 * 1. EventBridge delivery to each target compiles its JSONPath expressions with jsonpath_ng, which
 *    builds a PLY parser every time: three quarters of moto's time. The compiled expressions are
 *    memoized (same expression, same result).
 * 2. Every request lists moto's package folder (`list_of_moto_modules`, ~200 stat calls) under the
 *    server's global lock. The list never changes while it runs: it is read once.
 * 3. Requests run on parallel threads, and TransactWriteItems deep-copies whole tables while other
 *    threads write them ("dictionary changed size during iteration"). Requests are served one at a
 *    time (the GIL allowed no parallelism anyway; callers therefore must not long-poll).
 * 4. moto's `TestEventPattern` answers nothing. The launcher answers it with moto's own rule
 *    matcher (the one its buses route with), so `evtgen dev` and `evtgen load` can ask which rules an
 *    event matches through the real EventBridge API and get the emulator's verdict.
 * Request logging is off; errors are still printed.
 */
const fastLauncher = [
  'import logging, os, sys',
  'import moto.backends as backends',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'from werkzeug.serving import run_simple',
  'import functools, jsonpath_ng.ext',
  'jsonpath_ng.ext.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.ext.parse)',
  'modules = tuple(backends.list_of_moto_modules())',
  'backends.list_of_moto_modules = lambda: modules',
  'import json',
  'from moto.events.models import EventPattern',
  'from moto.events.responses import EventsHandler',
  'def test_event_pattern(self):',
  "    pattern = EventPattern.load(self._get_param('EventPattern'))",
  "    event = json.loads(self._get_param('Event'))",
  "    return json.dumps({'Result': pattern.matches_event(event)}), self.response_headers",
  'EventsHandler.test_event_pattern = test_event_pattern',
  "logging.getLogger('werkzeug').setLevel(logging.ERROR)",
  'host, port = sys.argv[1], int(sys.argv[2])',
  "os.environ.setdefault('MOTO_PORT', str(port))",
  'app = DomainDispatcherApplication(create_backend_app)',
  'app.debug = True',
  'run_simple(host, port, app, threaded=False)',
].join('\n');

/**
 * The Python that runs `moto_server` (its script's shebang), or `python3`, when it can import
 * moto; undefined otherwise (then the executable runs as is, e.g. a wrapper without a shebang).
 */
export function pythonWithMoto(executable: string): string | undefined {
  const candidates: string[] = [];
  try {
    const firstLine = readFileSync(executable, 'utf8').split('\n', 1)[0] ?? '';
    const shebang = /^#!\s*(\S*python[\d.]*)\s*$/.exec(firstLine)?.[1];
    if (shebang) candidates.push(shebang);
  } catch {
    // Not readable: try python3 below.
  }
  candidates.push('python3');
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0,
  );
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (child.exitCode !== null || pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      // The whole process group: moto's server may run its own children.
      process.kill(-pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  });
}
