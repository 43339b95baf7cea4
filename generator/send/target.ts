/**
 * Where `evtgen events send` publishes: an emulator (`--endpoint`, or the running `evtgen dev`
 * found through its state file) or real AWS (`--profile`/`--region`, the SDK's credential chain).
 * Real AWS is never the silent default: without flags and without `evtgen dev` the command stops
 * and says what to pass, so a test event cannot land on a production bus by accident.
 */
import { type DevStateLookup, readDevState } from '../dev/dev-state.js';
import { SendEventError } from './send-error.js';

/** EventBridge client settings, as plain data (the client itself is made inside the bundle). */
export interface ClientSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly profile?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface SendTarget {
  readonly client: ClientSettings;
  /** `endpoint`: --endpoint; `evtgen dev`: its state file; `aws`: --profile/--region. */
  readonly via: 'endpoint' | 'evtgen dev' | 'aws';
  /** The bus of the running `evtgen dev` (what it provisioned). */
  readonly bus?: string;
}

export interface TargetOptions {
  readonly endpoint?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly projectRoot: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Emulators take any credentials; the SDK still needs some, and must not go looking for them. */
const emulatorCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function resolveTarget(options: TargetOptions): Promise<SendTarget> {
  const { endpoint, profile, region, env } = options;
  if (endpoint !== undefined)
    return emulator(checkEndpoint(endpoint), region ?? 'us-east-1', env, 'endpoint');
  if (profile !== undefined || region !== undefined)
    return {
      client: { ...(region ? { region } : {}), ...(profile ? { profile } : {}) },
      via: 'aws',
    };
  const lookup = await readDevState(options.projectRoot);
  if (lookup.status === 'running') {
    const { state } = lookup;
    return { ...emulator(state.endpoint, state.region, env, 'evtgen dev'), bus: state.eventBusName };
  }
  throw noTarget(lookup);
}

function emulator(
  endpoint: string,
  region: string,
  env: NodeJS.ProcessEnv,
  via: SendTarget['via'],
): SendTarget {
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return {
    client: { endpoint, region, ...(hasCredentials ? {} : { credentials: emulatorCredentials }) },
    via,
  };
}

function checkEndpoint(endpoint: string): string {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new SendEventError(
      'usage',
      `--endpoint ${endpoint} is not an http(s) URL.`,
      [],
      ['Example: --endpoint http://127.0.0.1:4566'],
    );
  return endpoint;
}

function noTarget(lookup: Exclude<DevStateLookup, { status: 'running' }>): SendEventError {
  const how = [
    'Start `evtgen dev` in another terminal (this command then finds it),',
    'or pass --endpoint URL (moto, LocalStack) or --profile NAME / --region REGION (real AWS).',
  ];
  if (lookup.status === 'stale')
    return new SendEventError(
      'config',
      `evtgen dev is not running: ${lookup.file} names process ${lookup.state.pid}, which has exited.`,
      [],
      how,
    );
  if (lookup.status === 'invalid')
    return new SendEventError(
      'config',
      `The evtgen dev state file ${lookup.file} is not usable.`,
      lookup.diagnostics,
      how,
    );
  return new SendEventError(
    'config',
    `No target: evtgen dev is not running here (no ${lookup.file}).`,
    [],
    how,
  );
}
