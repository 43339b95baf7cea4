/**
 * Where `evtgen load` sends its requests. `--target dev` (the default) is the `evtgen dev` running
 * in this project, found through its state file: its HTTP API, its token for secured routes, and
 * its status and journal for the event accounting. `--target URL` is anything the user names (a
 * deployed stage, another local server): the only way to aim a load anywhere but loopback.
 */
import { readDevState } from '../dev/dev-state.js';
import { DevSession } from './dev-session.js';

/** A target that cannot be used: exit 2, with what to do. */
export class LoadTargetError extends Error {
  override name = 'LoadTargetError';
}

export type LoadTarget =
  | {
      readonly kind: 'dev';
      readonly url: string;
      /** A token the dev session's JWT routes accept. */
      readonly token?: string;
      /** The bus the service publishes to. */
      readonly eventBusName: string;
      /** The emulator's region (IAM routes are signed for it). */
      readonly region: string;
      readonly session: DevSession;
    }
  | { readonly kind: 'url'; readonly url: string };

export async function resolveLoadTarget(projectRoot: string, target: string): Promise<LoadTarget> {
  if (target !== 'dev') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new LoadTargetError(
        `--target ${target}: expected "dev" or an http(s) URL, e.g. http://127.0.0.1:3000.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new LoadTargetError(`--target ${target}: expected an http(s) URL.`);
    return { kind: 'url', url: url.toString().replace(/\/$/, '') };
  }
  const lookup = await readDevState(projectRoot);
  if (lookup.status === 'absent')
    throw new LoadTargetError(
      `No evtgen dev is running in this project (${lookup.file} is missing). Start it in another terminal with \`npx evtgen dev\`, or pass --target URL.`,
    );
  if (lookup.status === 'invalid')
    throw new LoadTargetError(
      `${lookup.file} is not usable: ${lookup.diagnostics.map((d) => d.message).join(' ')}`,
    );
  if (lookup.status === 'stale')
    throw new LoadTargetError(
      `evtgen dev (pid ${lookup.state.pid}) is no longer running; ${lookup.file} is left from it. Start \`npx evtgen dev\` again, or pass --target URL.`,
    );
  const { http, endpoint, region, token, eventBusName } = lookup.state;
  if (!http) throw new LoadTargetError(`${lookup.file} has no HTTP address: restart evtgen dev.`);
  if (!isLoopback(http))
    throw new LoadTargetError(
      `${lookup.file} points at ${http}, not at this machine. evtgen load only aims at loopback unless you pass --target URL.`,
    );
  return {
    kind: 'dev',
    url: http.replace(/\/$/, ''),
    ...(token ? { token } : {}),
    eventBusName,
    region,
    session: new DevSession(http, { endpoint, region }),
  };
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
