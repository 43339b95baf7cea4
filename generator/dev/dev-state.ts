/**
 * The state file a running `evtgen dev` leaves in the project (`.evtgen/dev/state.json`): where its
 * emulator listens and which bus it provisioned. Other commands (`evtgen events send`, later `dlq`
 * and `load`) read it so that, with `evtgen dev` running in another terminal, they need no flags.
 * A file whose process has exited is stale (a crash leaves it behind): it is reported, never used.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { isObject } from '../load/json-pointer.js';
import { parseSource } from '../load/source-file.js';

/** The state file, relative to the project root. */
export const devStateFile = '.evtgen/dev/state.json';

/** What `evtgen dev` writes once its resources are provisioned. */
export interface DevState {
  /** The emulator's endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  readonly region: string;
  /** The bus the service publishes to, as provisioned. */
  readonly eventBusName: string;
  /** The `evtgen dev` process. */
  readonly pid: number;
  /** The local HTTP API, e.g. `http://127.0.0.1:3000`. */
  readonly http?: string;
  /** Its status endpoint (`GET`): counters and dead-letter queue depths. */
  readonly status?: string;
  /** A token the JWT routes accept (this session's development key). */
  readonly token?: string;
}

/** The state file's verdict: a running session, a stale file, an unusable file, or none. */
export type DevStateLookup =
  | { readonly status: 'running'; readonly state: DevState; readonly file: string }
  | { readonly status: 'stale'; readonly state: DevState; readonly file: string }
  | { readonly status: 'invalid'; readonly file: string; readonly diagnostics: Diagnostic[] }
  | { readonly status: 'absent'; readonly file: string };

/** Reads the state file of the project and checks that its process is still alive. */
export async function readDevState(projectRoot: string): Promise<DevStateLookup> {
  const file = devStateFile;
  const text = await readFile(join(projectRoot, file), 'utf8').catch(() => undefined);
  if (text === undefined) return { status: 'absent', file };
  const parsed = parseSource(text, join(projectRoot, file), file);
  if (parsed.diagnostics.length > 0) return { status: 'invalid', file, diagnostics: parsed.diagnostics };
  const value = parsed.file.value;
  const problem = (pointer: string, expected: string): DevStateLookup => ({
    status: 'invalid',
    file,
    diagnostics: [
      {
        severity: 'error',
        code: 'dev-state-invalid',
        message: `The evtgen dev state file has no usable ${pointer.slice(1) || 'object'}: expected ${expected}.`,
        file,
        position: parsed.file.locate(pointer),
        pointer,
        hint: 'Restart `evtgen dev` (it rewrites the file), or delete the file and pass --endpoint.',
      },
    ],
  });
  if (!isObject(value)) return problem('', 'an object');
  const { endpoint, region, eventBusName, pid } = value;
  if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint))
    return problem('/endpoint', 'an http(s) URL');
  if (typeof region !== 'string' || region === '') return problem('/region', 'a region name');
  if (typeof eventBusName !== 'string' || eventBusName === '') return problem('/eventBusName', 'a bus name');
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return problem('/pid', 'a process id');
  const optional = (key: 'http' | 'status' | 'token'): Partial<DevState> =>
    typeof value[key] === 'string' ? { [key]: value[key] } : {};
  const state: DevState = {
    endpoint,
    region,
    eventBusName,
    pid,
    ...optional('http'),
    ...optional('status'),
    ...optional('token'),
  };
  return { status: isAlive(pid) ? 'running' : 'stale', state, file };
}

/** Signal 0 tests for existence: EPERM means the process exists but belongs to someone else. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
