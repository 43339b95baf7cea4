/**
 * `evtgen dev`: the whole service on one machine. In order: regenerate when the output is stale,
 * start (or connect to) the emulator, synthesize the user's CDK app without bundling and read the
 * plan from its template, provision the plan into the emulator, bundle every function in one
 * esbuild build, start the function pools and event-source pollers, serve the HTTP API. Edits to
 * specs, handlers or the CDK app reload what they affect without restarting the emulator. `stop`
 * stops everything that was started, the emulator included (never one it did not start).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { formatDiagnostic } from '../diagnostics.js';
import { type FileWatcher, watchFiles } from '../file-watcher.js';
import { generate } from '../generate.js';
import { startAwsProxy } from './aws-proxy.js';
import { bundleFunctions } from './bundle.js';
import { DevCounters } from './counters.js';
import { controlRoutes } from './dev-control.js';
import type { DevFaults } from './dev-faults.js';
import { DevRuntime, type RuntimeSettings } from './dev-runtime.js';
import { type DevState, devStateFile } from './dev-state.js';
import { type DevStatus, readStatus } from './dev-status.js';
import { EventJournal, eventIdentity } from './event-journal.js';
import { startHttpServer } from './http-server.js';
import { createSigningKey } from './jwt.js';
import { emulatorCredentials } from './lambda-env.js';
import { createLocalAuth, describeDevTokens } from './local-auth.js';
import { type MotoServer, startMotoServer } from './moto-server.js';
import type { DevPlan, ProvisionedResources } from './plan.js';
import { provision } from './provision.js';
import { RuleMatcher, ruleSubscriptions } from './rule-match.js';
import { synthesizeForDev } from './synth.js';
import { planFromTemplate } from './template-plan.js';

/** A flag that does not fit the service (known only once its plan is read): exit 2. */
export class DevUsageError extends Error {
  override name = 'DevUsageError';
}

export interface DevOptions {
  readonly projectRoot: string;
  /** HTTP port (0: any free one). */
  readonly port: number;
  /** An emulator already running; without it, moto's server is started. */
  readonly endpoint?: string;
  readonly region: string;
  readonly watch: boolean;
  readonly retryDelaySeconds: number | undefined;
  readonly defaultConcurrency: number;
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
  status(): Promise<DevStatus>;
  stop(): Promise<void>;
}

/** Where dev keeps its synthesized template, bundles and state, inside the project. */
export function devDir(projectRoot: string): string {
  return join(projectRoot, '.evtgen', 'dev');
}

export async function startDev(options: DevOptions): Promise<DevSession> {
  const { projectRoot, onEvent } = options;
  const dir = devDir(projectRoot);
  await mkdir(dir, { recursive: true });
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    if (!(await regenerate(projectRoot, onEvent)))
      throw new Error('The specs have errors (above): fix them and start evtgen dev again.');

    let moto: MotoServer | undefined;
    if (!options.endpoint) {
      moto = await startMotoServer();
      cleanup.push(() => (moto as MotoServer).stop());
      onEvent('INFO', `moto server on ${moto.endpoint}`);
    }
    const endpoint = options.endpoint ?? (moto as MotoServer).endpoint;
    const clientConfig = { endpoint, region: options.region, credentials: emulatorCredentials };
    const sqs = new SQSClient(clientConfig);
    const streams = new DynamoDBStreamsClient(clientConfig);

    let { plan, resources } = await planAndProvision(projectRoot, dir, endpoint, options);
    const unknown = Object.keys(options.injectFailures).filter(
      (name) => !plan.functions.some((f) => f.name === name),
    );
    if (unknown.length > 0)
      throw new DevUsageError(
        `--inject-failure names no function of the service: ${unknown.join(', ')}. Its functions: ${plan.functions.map((f) => f.name).join(', ')}.`,
      );
    let bundles = await bundleFunctions(projectRoot, plan.functions, join(dir, 'functions'));
    cleanup.push(() => bundles.dispose());
    const counters = new DevCounters();
    const journal = new EventJournal();
    // What the functions publish is journalled with the consumers the emulator routes it to.
    const matcherClient = new EventBridgeClient(clientConfig);
    let matcher = new RuleMatcher(ruleSubscriptions(plan, resources), matcherClient, resources);
    let journalling = Promise.resolve();
    const proxy = await startAwsProxy({
      target: endpoint,
      onPublished: (entries) => {
        const using = matcher;
        journalling = journalling.then(async () => {
          for (const entry of entries) {
            const consumers = await using.consumersOf(entry).catch((error: Error) => {
              onEvent('WARN', `could not match a published ${entry.detailType} to rules: ${error.message}`);
              return [];
            });
            const { eventId, correlationId } = eventIdentity({ detail: entry.detail });
            journal.append({
              kind: 'published',
              at: entry.at,
              source: entry.source,
              detailType: entry.detailType,
              eventBusName: entry.eventBusName,
              consumers,
              ...(eventId ? { eventId } : {}),
              ...(correlationId ? { correlationId } : {}),
            });
          }
        });
      },
    });
    cleanup.push(() => proxy.close());
    let faults: DevFaults = {};
    const runtime = new DevRuntime(
      {
        // The functions reach the emulator through the proxy (publications, injected AWS faults).
        endpoint: proxy.url,
        region: options.region,
        stackName: plan.stackName,
        retryDelaySeconds: options.retryDelaySeconds,
        defaultConcurrency: options.defaultConcurrency,
        injectFailures: options.injectFailures,
        counters,
        journal,
        onOutput: options.onFunctionOutput,
        onError: (message) => onEvent('ERROR', message),
      },
      { sqs, streams },
    );
    cleanup.push(() => runtime.close());
    await runtime.update({ plan, resources, bundles: bundles.paths });

    const signingKey = createSigningKey();
    let auth = createLocalAuth({ routes: plan.routes, region: options.region, signingKey });
    const startedAt = Date.now();
    let reloads = 0;
    let httpUrl = '';
    const status = (): Promise<DevStatus> =>
      readStatus(
        {
          plan,
          resources,
          counters,
          endpoint,
          functionsEndpoint: proxy.url,
          http: httpUrl,
          startedAt,
          reloads,
          faults,
          journalSeq: journal.last,
        },
        sqs,
      );
    const server = await startHttpServer({
      port: options.port,
      host: '127.0.0.1',
      routes: plan.routes,
      auth,
      invoke: async (functionId, event) => {
        const pool = runtime.pool(functionId);
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
        const counts = counters.route(record.routeKey);
        counts.received++;
        counts.statuses[record.status] = (counts.statuses[record.status] ?? 0) + 1;
        if (record.status >= 500) counts.failed++;
        else counts.succeeded++;
        if (record.error)
          onEvent(
            'ERROR',
            `${record.routeKey} failed: ${record.error.errorType}: ${record.error.errorMessage}`,
          );
      },
      extraRoutes: controlRoutes({
        status,
        journal,
        functionNames: () => plan.functions.map((f) => f.name),
        faults: () => faults,
        setFaults: (next) => {
          faults = next;
          runtime.injectFaults(next.functions ?? {});
          proxy.faults = next.aws ?? {};
          onEvent(
            'INFO',
            Object.keys(next).length === 0
              ? 'injected faults cleared'
              : `faults injected: ${JSON.stringify(next)}`,
          );
        },
      }),
    });
    cleanup.push(() => server.close());
    httpUrl = server.url;

    const tokens = auth.devTokens();
    const token = tokens[0]?.token ?? auth.createDevToken();
    const stateFile = join(projectRoot, devStateFile);
    const bus = plan.buses.find((b) => !b.foreign) ?? plan.buses[0];
    const state: DevState = {
      pid: process.pid,
      endpoint,
      region: options.region,
      eventBusName: bus ? (resources.refs[bus.logicalId] ?? bus.busName) : 'default',
      http: httpUrl,
      status: `${httpUrl}/_evtgen/status`,
      token,
    };
    await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    cleanup.push(() => rm(stateFile, { force: true }));

    if (options.watch) {
      let reloading = Promise.resolve();
      const watcher: FileWatcher = watchFiles(
        [
          join(projectRoot, 'specs'),
          join(projectRoot, 'app'),
          join(projectRoot, 'cdk.json'),
          join(projectRoot, 'evtgen.config.json'),
        ],
        {
          root: projectRoot,
          debounceMs: 200,
          ignored: (path) => /(^|[/\\])(node_modules|\.git|cdk\.out)([/\\]|$)/.test(path),
          onChange: (paths) => {
            reloading = reloading.then(async () => {
              try {
                const next = await reload(paths);
                if (next) reloads++;
              } catch (error) {
                onEvent(
                  'ERROR',
                  `reload failed, still running the previous version: ${(error as Error).message}`,
                );
              }
            });
          },
        },
      );
      await watcher.ready;
      cleanup.push(() => watcher.close());
    }

    /** Applies an edit: regenerate and re-plan for specs and the CDK app; rebundle for code. */
    async function reload(paths: readonly string[]): Promise<boolean> {
      onEvent('INFO', `changed: ${paths.join(', ')}`);
      const structural = paths.some(
        (p) => p.startsWith('specs/') || p.startsWith('app/cdk/') || !p.startsWith('app/'),
      );
      if (structural) {
        if (!(await regenerate(projectRoot, onEvent))) return false;
        const next = await planAndProvision(projectRoot, dir, endpoint, options);
        const sameFunctions =
          JSON.stringify(next.plan.functions.map((f) => [f.name, f.entry])) ===
          JSON.stringify(plan.functions.map((f) => [f.name, f.entry]));
        if (!sameFunctions) {
          await bundles.dispose();
          bundles = await bundleFunctions(projectRoot, next.plan.functions, join(dir, 'functions'));
        } else await bundles.rebuild();
        ({ plan, resources } = next);
        matcher = new RuleMatcher(ruleSubscriptions(plan, resources), matcherClient, resources);
      } else await bundles.rebuild();
      await runtime.update({ plan, resources, bundles: bundles.paths });
      auth = createLocalAuth({ routes: plan.routes, region: options.region, signingKey });
      server.update({ routes: plan.routes, auth });
      onEvent('INFO', 'reloaded');
      return true;
    }

    return {
      httpUrl,
      endpoint,
      token,
      tokensText: describeDevTokens(tokens),
      stateFile,
      status,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function planAndProvision(
  projectRoot: string,
  dir: string,
  endpoint: string,
  options: DevOptions,
): Promise<{ plan: DevPlan; resources: ProvisionedResources }> {
  const synth = await synthesizeForDev(projectRoot, join(dir, 'cdk.out'));
  const plan = planFromTemplate(synth.template, synth.stackName);
  const resources = await provision(plan, {
    endpoint,
    region: options.region,
    // Creations are summed up below; what replaces local data or is not emulated is worth a line.
    onEvent: (event) => {
      if (event.action === 'replace' || event.action === 'delete') options.onEvent('WARN', event.message);
      else if (event.action === 'warn') options.onEvent('WARN', event.message);
    },
  });
  options.onEvent(
    'INFO',
    `provisioned ${plan.tables.length} tables, ${plan.queues.length} queues, ${plan.buses.length} bus(es), ${plan.rules.length} rules; ${plan.functions.length} functions`,
  );
  return { plan, resources };
}

/** Runs `evtgen generate` (a no-op when the output is up to date); false when the specs have errors. */
async function regenerate(projectRoot: string, onEvent: DevOptions['onEvent']): Promise<boolean> {
  const result = await generate(projectRoot);
  for (const d of result.diagnostics.filter((x) => x.severity === 'error'))
    onEvent('ERROR', formatDiagnostic(d));
  if (!result.ok) {
    onEvent('ERROR', 'the specs have errors: nothing was regenerated');
    return false;
  }
  const changed = result.files.filter((f) => f.change !== 'unchanged').length;
  if (changed > 0) onEvent('INFO', `generated/ updated (${changed} files)`);
  return true;
}
