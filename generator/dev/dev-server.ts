/**
 * `evtgen dev`: the whole service on one machine. In order: regenerate when the output is stale,
 * start (or connect to) the emulator, synthesize the user's CDK app without bundling and read the
 * plan from its template, provision the plan into the emulator, bundle every function in one
 * esbuild build, start the function pools and event-source pollers, serve the HTTP API. Edits to
 * specs, handlers or the CDK app reload what they affect without restarting the emulator. `stop`
 * stops everything that was started, the emulator included (never one it did not start).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '../config.js';
import { serviceName } from '../deps/service-name.js';
import { type FileWatcher, watchFiles } from '../file-watcher.js';
import { startAwsProxy } from './aws-proxy.js';
import { controlRoutes } from './dev-control.js';
import type { DevFaults } from './dev-faults.js';
import type { RuntimeSettings } from './dev-runtime.js';
import { type DevState, devStateFile } from './dev-state.js';
import { type DevStatus, readStatus } from './dev-status.js';
import { EventJournal, eventIdentity } from './event-journal.js';
import { type RunningHttpServer, startHttpServer } from './http-server.js';
import { createSigningKey } from './jwt.js';
import { emulatorCredentials } from './lambda-env.js';
import { createLocalAuth, describeDevTokens, type LocalAuth } from './local-auth.js';
import { type MotoServer, startMotoServer } from './moto-server.js';
import { DevUsageError, devDir, type HostShared, ServiceHost } from './service-host.js';

export { DevUsageError, devDir };

export interface DevOptions {
  readonly projectRoot: string;
  /** Other services' projects to run beside it, against the same emulator (`--service`). */
  readonly services?: readonly string[];
  /** HTTP port (0: any free one). */
  readonly port: number;
  /** An emulator already running; without it, moto's server is started. */
  readonly endpoint?: string;
  readonly region: string;
  readonly watch: boolean;
  readonly retryDelaySeconds: number | undefined;
  readonly defaultConcurrency: number;
  /** By function name; `<service>/<function>` for a function of a `--service`. */
  readonly injectFailures: RuntimeSettings['injectFailures'];
  /** Every line to show (rendered by the caller). */
  readonly onFunctionOutput: (functionName: string, line: string) => void;
  readonly onEvent: (level: 'INFO' | 'WARN' | 'ERROR', message: string) => void;
}

export interface DevSession {
  readonly httpUrl: string;
  readonly endpoint: string;
  /** A token the JWT routes accept (signed by this session's development key). */
  readonly token: string;
  /** What to print about the tokens: which routes each opens, its scopes and expiry. */
  readonly tokensText: string;
  readonly stateFile: string;
  /** The other services (`--service`): name, project and HTTP API (when it has routes). */
  readonly services: readonly {
    readonly name: string;
    readonly projectRoot: string;
    readonly httpUrl?: string;
  }[];
  status(): Promise<DevStatus>;
  stop(): Promise<void>;
}

export async function startDev(options: DevOptions): Promise<DevSession> {
  const { projectRoot, onEvent } = options;
  await mkdir(devDir(projectRoot), { recursive: true });
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const others = await otherServices(projectRoot, options.services ?? []);
    const unknownService = Object.keys(options.injectFailures)
      .filter((key) => key.includes('/'))
      .filter((key) => !others.some((o) => key.startsWith(o.prefix)));
    if (unknownService.length > 0)
      throw new DevUsageError(
        `--inject-failure names a service that is not running: ${unknownService.join(', ')}. Services: ${others.map((o) => o.prefix.slice(0, -1)).join(', ') || '(none: add --service DIR)'}.`,
      );

    let moto: MotoServer | undefined;
    if (!options.endpoint) {
      moto = await startMotoServer();
      cleanup.push(() => (moto as MotoServer).stop());
      onEvent('INFO', `moto server on ${moto.endpoint}`);
    }
    const endpoint = options.endpoint ?? (moto as MotoServer).endpoint;
    const clientConfig = { endpoint, region: options.region, credentials: emulatorCredentials };
    const clients = {
      sqs: new SQSClient(clientConfig),
      streams: new DynamoDBStreamsClient(clientConfig),
      // What the functions publish is journalled with the consumers the emulator routes it to.
      events: new EventBridgeClient(clientConfig),
    };
    const journal = new EventJournal();
    const hosts: ServiceHost[] = [];
    let journalling = Promise.resolve();
    const proxy = await startAwsProxy({
      target: endpoint,
      onPublished: (entries) => {
        const running = [...hosts];
        journalling = journalling.then(async () => {
          for (const entry of entries) {
            const consumers: string[] = [];
            for (const host of running)
              consumers.push(
                ...(await host.consumersOf(entry).catch((error: Error) => {
                  onEvent(
                    'WARN',
                    `could not match a published ${entry.detailType} to rules: ${error.message}`,
                  );
                  return [];
                })),
              );
            const { eventId, correlationId } = eventIdentity({ detail: entry.detail });
            journal.append({
              kind: 'published',
              at: entry.at,
              source: entry.source,
              detailType: entry.detailType,
              eventBusName: entry.eventBusName,
              consumers: consumers.sort(),
              ...(eventId ? { eventId } : {}),
              ...(correlationId ? { correlationId } : {}),
            });
          }
        });
      },
    });
    cleanup.push(() => proxy.close());
    const shared: HostShared = {
      endpoint,
      // The functions reach the emulator through the proxy (publications, injected AWS faults).
      functionsEndpoint: proxy.url,
      region: options.region,
      retryDelaySeconds: options.retryDelaySeconds,
      defaultConcurrency: options.defaultConcurrency,
      journal,
      clients,
      onFunctionOutput: options.onFunctionOutput,
      onEvent,
    };
    // The service dev was started in first: its bus exists before the others put rules on it.
    for (const service of [{ projectRoot, prefix: '' }, ...others]) {
      const host = await ServiceHost.open(
        { ...service, injectFailures: failuresOf(options.injectFailures, service.prefix) },
        shared,
      );
      hosts.push(host);
      cleanup.push(() => host.close());
    }
    const [primary] = hosts as [ServiceHost, ...ServiceHost[]];

    let faults: DevFaults = {};
    const signingKey = createSigningKey();
    const startedAt = Date.now();
    const servers = new Map<ServiceHost, { server: RunningHttpServer; auth: LocalAuth }>();
    const statusOf = (host: ServiceHost): Promise<DevStatus> =>
      readStatus(
        {
          plan: host.plan,
          resources: host.resources,
          counters: host.counters,
          endpoint,
          functionsEndpoint: proxy.url,
          http: servers.get(host)?.server.url ?? '',
          startedAt,
          reloads: host.reloads,
          faults: host === primary ? faults : {},
          journalSeq: journal.last,
        },
        clients.sqs,
      );
    const status = async (): Promise<DevStatus> => {
      const own = await statusOf(primary);
      if (hosts.length === 1) return own;
      return { ...own, services: await Promise.all(hosts.slice(1).map(statusOf)) };
    };
    for (const host of hosts) {
      // Each service with routes has its own HTTP API; the first one's also serves /_evtgen/.
      if (host !== primary && host.plan.routes.length === 0) continue;
      const auth = createLocalAuth({ routes: host.plan.routes, region: options.region, signingKey });
      const server = await startHttpServer({
        port: host === primary ? options.port : 0,
        host: '127.0.0.1',
        routes: host.plan.routes,
        auth,
        invoke: async (functionId, event) => {
          const pool = host.runtime.pool(functionId);
          if (!pool)
            return {
              ok: false,
              errorType: 'ResourceNotFoundException',
              errorMessage: `No function ${functionId}`,
            };
          return pool.invoke(event);
        },
        onRequest: (record) => {
          if (!record.routeKey) return;
          const counts = host.counters.route(record.routeKey);
          counts.received++;
          counts.statuses[record.status] = (counts.statuses[record.status] ?? 0) + 1;
          if (record.status >= 500) counts.failed++;
          else counts.succeeded++;
          if (record.error)
            onEvent(
              'ERROR',
              `${host.prefix}${record.routeKey} failed: ${record.error.errorType}: ${record.error.errorMessage}`,
            );
        },
        ...(host === primary
          ? {
              extraRoutes: controlRoutes({
                status,
                journal,
                functionNames: () => primary.plan.functions.map((f) => f.name),
                faults: () => faults,
                setFaults: (next) => {
                  faults = next;
                  primary.runtime.injectFaults(next.functions ?? {});
                  proxy.faults = next.aws ?? {};
                  onEvent(
                    'INFO',
                    Object.keys(next).length === 0
                      ? 'injected faults cleared'
                      : `faults injected: ${JSON.stringify(next)}`,
                  );
                },
              }),
            }
          : {}),
      });
      cleanup.push(() => server.close());
      servers.set(host, { server, auth });
    }
    const served = servers.get(primary);
    if (!served) throw new Error('The HTTP API of the service did not start.');
    const httpUrl = served.server.url;
    const tokens = served.auth.devTokens();
    const token = tokens[0]?.token ?? served.auth.createDevToken();
    const stateFile = join(projectRoot, devStateFile);
    // Every service's project gets a state file, so `evtgen events send -C <project>` finds the session.
    for (const host of hosts) {
      const bus = host.plan.buses.find((b) => !b.foreign) ?? host.plan.buses[0];
      const http = servers.get(host)?.server.url ?? httpUrl;
      const state: DevState = {
        pid: process.pid,
        endpoint,
        region: options.region,
        eventBusName: bus ? (host.resources.refs[bus.logicalId] ?? bus.busName) : 'default',
        http,
        status: `${httpUrl}/_evtgen/status`,
        token,
      };
      const file = join(host.projectRoot, devStateFile);
      await mkdir(devDir(host.projectRoot), { recursive: true });
      await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
      cleanup.push(() => rm(file, { force: true }));
    }

    if (options.watch)
      for (const host of hosts) {
        const watcher = await watchHost(
          host,
          () => {
            const entry = servers.get(host);
            if (!entry) return;
            entry.auth = createLocalAuth({ routes: host.plan.routes, region: options.region, signingKey });
            entry.server.update({ routes: host.plan.routes, auth: entry.auth });
          },
          onEvent,
        );
        cleanup.push(() => watcher.close());
      }

    return {
      httpUrl,
      endpoint,
      token,
      tokensText: describeDevTokens(tokens),
      stateFile,
      services: hosts.slice(1).map((host) => ({
        name: host.prefix.slice(0, -1),
        projectRoot: host.projectRoot,
        ...(servers.get(host) ? { httpUrl: servers.get(host)?.server.url } : {}),
      })),
      status,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The `--service` projects with the prefix their names get (`shipping-service/`), checked. */
async function otherServices(
  projectRoot: string,
  dirs: readonly string[],
): Promise<{ projectRoot: string; prefix: string }[]> {
  const out: { projectRoot: string; prefix: string }[] = [];
  const seen = new Map<string, string>([[resolve(projectRoot), '(this project)']]);
  for (const dir of dirs) {
    const root = resolve(dir);
    if (seen.has(root)) throw new DevUsageError(`--service ${dir}: that project runs already.`);
    const { config, diagnostics } = await loadConfig(root);
    if (!config)
      throw new DevUsageError(
        `--service ${dir}: not a usable evtgen project (${diagnostics[0]?.message ?? 'no configuration'}).`,
      );
    const name = (await serviceName(config)) || basename(root);
    if ([...seen.values()].includes(name))
      throw new DevUsageError(`--service ${dir}: a service named ${name} runs already.`);
    seen.set(root, name);
    out.push({ projectRoot: root, prefix: `${name}/` });
  }
  return out;
}

/** The `--inject-failure` entries of one service, by its own function names. */
function failuresOf(
  all: RuntimeSettings['injectFailures'],
  prefix: string,
): RuntimeSettings['injectFailures'] {
  return Object.fromEntries(
    Object.entries(all)
      .filter(([key]) => (prefix ? key.startsWith(prefix) : !key.includes('/')))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/** Reloads a service on edits to its specs, app, cdk.json or configuration. */
async function watchHost(
  host: ServiceHost,
  onReloaded: () => void,
  onEvent: DevOptions['onEvent'],
): Promise<FileWatcher> {
  let reloading = Promise.resolve();
  const root = host.projectRoot;
  const watcher = watchFiles(
    [join(root, 'specs'), join(root, 'app'), join(root, 'cdk.json'), join(root, 'evtgen.config.json')],
    {
      root,
      debounceMs: 200,
      ignored: (path) => /(^|[/\\])(node_modules|\.git|cdk\.out)([/\\]|$)/.test(path),
      onChange: (paths) => {
        reloading = reloading.then(async () => {
          try {
            if (await host.reload(paths)) onReloaded();
          } catch (error) {
            onEvent(
              'ERROR',
              `${host.prefix}reload failed, still running the previous version: ${(error as Error).message}`,
            );
          }
        });
      },
    },
  );
  await watcher.ready;
  return watcher;
}
