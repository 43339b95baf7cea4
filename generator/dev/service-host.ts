/**
 * One service run by `evtgen dev`: its project is regenerated, its CDK app synthesized and planned,
 * the plan provisioned into the shared emulator, its functions bundled and run with their event
 * sources. `evtgen dev --service DIR` runs several of them against one emulator: each keeps its own
 * plan, bundles, function pools and counters; the emulator, the proxy the functions publish
 * through and the event journal are shared, so an event one service publishes reaches another's
 * rule on its bus exactly as on AWS.
 */
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { formatDiagnostic } from '../diagnostics.js';
import { keepWorkersLoaded } from '../eval-worker.js';
import { generate } from '../generate.js';
import type { PublishedEntry } from './aws-proxy.js';
import { type FunctionBundles as Bundles, bundleFunctions } from './bundle.js';
import { DevCounters } from './counters.js';
import { DevRuntime, type RuntimeSettings } from './dev-runtime.js';
import type { EventJournal } from './event-journal.js';
import type { DevPlan, ProvisionedResources } from './plan.js';
import { provision } from './provision.js';
import { RuleMatcher, ruleSubscriptions } from './rule-match.js';
import { synthesizeForDev } from './synth.js';
import { planFromTemplate } from './template-plan.js';

/** A flag that does not fit the service (known only once its plan is read): exit 2. */
export class DevUsageError extends Error {
  override name = 'DevUsageError';
}

/** What every service of one `evtgen dev` shares. */
export interface HostShared {
  /** The emulator (provisioning, pollers). */
  readonly endpoint: string;
  /** What the functions use: the proxy in front of the emulator. */
  readonly functionsEndpoint: string;
  readonly region: string;
  readonly retryDelaySeconds: number | undefined;
  readonly defaultConcurrency: number;
  readonly journal: EventJournal;
  readonly clients: {
    readonly sqs: SQSClient;
    readonly streams: DynamoDBStreamsClient;
    readonly events: EventBridgeClient;
  };
  readonly onFunctionOutput: (functionName: string, line: string) => void;
  readonly onEvent: (level: 'INFO' | 'WARN' | 'ERROR', message: string) => void;
}

export interface HostOptions {
  readonly projectRoot: string;
  /**
   * How this service's consumers and functions are named in the shared journal and the log
   * (`shipping-service/`); empty for the service `evtgen dev` was started in.
   */
  readonly prefix: string;
  readonly injectFailures: RuntimeSettings['injectFailures'];
}

/** Where dev keeps a service's synthesized template, bundles and state, inside its project. */
export function devDir(projectRoot: string): string {
  return join(projectRoot, '.evtgen', 'dev');
}

export class ServiceHost {
  readonly counters: DevCounters;
  readonly projectRoot: string;
  readonly prefix: string;
  plan: DevPlan;
  resources: ProvisionedResources;
  reloads = 0;
  readonly runtime: DevRuntime;
  readonly #shared: HostShared;
  #bundles: Bundles;
  #matcher: RuleMatcher;

  private constructor(
    options: HostOptions,
    shared: HostShared,
    state: {
      plan: DevPlan;
      resources: ProvisionedResources;
      bundles: Bundles;
      runtime: DevRuntime;
      counters: DevCounters;
    },
  ) {
    this.counters = state.counters;
    this.projectRoot = options.projectRoot;
    this.prefix = options.prefix;
    this.#shared = shared;
    this.plan = state.plan;
    this.resources = state.resources;
    this.#bundles = state.bundles;
    this.runtime = state.runtime;
    this.#matcher = this.#newMatcher();
  }

  /** Regenerates, plans, provisions, bundles and starts the service's functions and pollers. */
  static async open(options: HostOptions, shared: HostShared): Promise<ServiceHost> {
    const { projectRoot, prefix } = options;
    if (!(await regenerate(projectRoot, prefix, shared.onEvent)))
      throw new Error(`${prefix || 'The specs'} have errors (above): fix them and start evtgen dev again.`);
    const { plan, resources } = await planAndProvision(projectRoot, prefix, shared);
    const unknown = Object.keys(options.injectFailures).filter(
      (name) => !plan.functions.some((f) => f.name === name),
    );
    if (unknown.length > 0)
      throw new DevUsageError(
        `--inject-failure names no function of ${prefix ? prefix.slice(0, -1) : 'the service'}: ${unknown.map((n) => prefix + n).join(', ')}. Its functions: ${plan.functions.map((f) => prefix + f.name).join(', ')}.`,
      );
    const bundles = await bundleFunctions(
      projectRoot,
      plan.functions,
      join(devDir(projectRoot), 'functions'),
    );
    const counters = new DevCounters();
    const runtime = new DevRuntime(
      {
        endpoint: shared.functionsEndpoint,
        region: shared.region,
        stackName: plan.stackName,
        retryDelaySeconds: shared.retryDelaySeconds,
        defaultConcurrency: shared.defaultConcurrency,
        injectFailures: options.injectFailures,
        counters,
        journal: shared.journal,
        journalPrefix: prefix,
        onOutput: (name, line) => shared.onFunctionOutput(prefix + name, line),
        onError: (message) => shared.onEvent('ERROR', prefix + message),
      },
      shared.clients,
    );
    const host = new ServiceHost(options, shared, { plan, resources, bundles, runtime, counters });
    try {
      await runtime.update({ plan, resources, bundles: bundles.paths });
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  /** The consumers (prefixed) whose rule on the entry's bus matches a published entry. */
  async consumersOf(entry: PublishedEntry): Promise<string[]> {
    return (await this.#matcher.consumersOf(entry)).map((name) => this.prefix + name);
  }

  /** Applies an edit: regenerate and re-plan for specs and the CDK app; rebundle for code. */
  async reload(paths: readonly string[]): Promise<boolean> {
    const { onEvent } = this.#shared;
    onEvent('INFO', `${this.prefix}changed: ${paths.join(', ')}`);
    const structural = paths.some(
      (p) => p.startsWith('specs/') || p.startsWith('app/cdk/') || !p.startsWith('app/'),
    );
    if (structural) {
      if (!(await regenerate(this.projectRoot, this.prefix, onEvent))) return false;
      const next = await planAndProvision(this.projectRoot, this.prefix, this.#shared);
      const sameFunctions =
        JSON.stringify(next.plan.functions.map((f) => [f.name, f.entry])) ===
        JSON.stringify(this.plan.functions.map((f) => [f.name, f.entry]));
      if (!sameFunctions) {
        await this.#bundles.dispose();
        this.#bundles = await bundleFunctions(
          this.projectRoot,
          next.plan.functions,
          join(devDir(this.projectRoot), 'functions'),
        );
      } else await this.#bundles.rebuild();
      ({ plan: this.plan, resources: this.resources } = next);
      this.#matcher = this.#newMatcher();
    } else await this.#bundles.rebuild();
    await this.runtime.update({ plan: this.plan, resources: this.resources, bundles: this.#bundles.paths });
    this.reloads++;
    onEvent('INFO', `${this.prefix}reloaded`);
    return true;
  }

  async close(): Promise<void> {
    await this.runtime.close().catch(() => undefined);
    await this.#bundles.dispose().catch(() => undefined);
  }

  #newMatcher(): RuleMatcher {
    return new RuleMatcher(
      ruleSubscriptions(this.plan, this.resources),
      this.#shared.clients.events,
      this.resources,
    );
  }
}

async function planAndProvision(
  projectRoot: string,
  prefix: string,
  shared: HostShared,
): Promise<{ plan: DevPlan; resources: ProvisionedResources }> {
  const synth = await synthesizeForDev(projectRoot, join(devDir(projectRoot), 'cdk.out'));
  const plan = planFromTemplate(synth.template, synth.stackName);
  const resources = await provision(plan, {
    endpoint: shared.endpoint,
    region: shared.region,
    // Creations are summed up below; what replaces local data or is not emulated is worth a line.
    onEvent: (event) => {
      if (event.action === 'replace' || event.action === 'delete' || event.action === 'warn')
        shared.onEvent('WARN', prefix + event.message);
      else if (event.kind === 'bus' && event.action === 'create' && event.message !== 'created')
        shared.onEvent('INFO', `${prefix}bus ${event.name}: ${event.message}`);
    },
  });
  shared.onEvent(
    'INFO',
    `${prefix}provisioned ${plan.tables.length} tables, ${plan.queues.length} queues, ${plan.buses.length} bus(es), ${plan.rules.length} rules; ${plan.functions.length} functions`,
  );
  return { plan, resources };
}

/** Runs `evtgen generate` (a no-op when the output is up to date); false when the specs have errors. */
async function regenerate(
  projectRoot: string,
  prefix: string,
  onEvent: HostShared['onEvent'],
): Promise<boolean> {
  // `dev` regenerates on each change: the workers stay loaded between runs.
  keepWorkersLoaded();
  const result = await generate(projectRoot);
  for (const d of result.diagnostics.filter((x) => x.severity === 'error'))
    onEvent('ERROR', prefix + formatDiagnostic(d));
  if (!result.ok) {
    onEvent('ERROR', `${prefix}the specs have errors: nothing was regenerated`);
    return false;
  }
  const changed = result.files.filter((f) => f.change !== 'unchanged').length;
  if (changed > 0) onEvent('INFO', `${prefix}generated/ updated (${changed} files)`);
  return true;
}
