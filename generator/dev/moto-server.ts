/**
 * moto's server (`moto_server`, Python) as a child process on a free loopback port: an AWS emulator
 * that speaks the real SQS, EventBridge, DynamoDB (with Streams) and CloudWatch APIs, so rule
 * matching, visibility timeouts, redrive to dead-letter queues and FIFO semantics are moto's, not a
 * hand-written imitation. Used by the flow tests and by `evtgen dev`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
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
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
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
