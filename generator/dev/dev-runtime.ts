/**
 * The running part of `evtgen dev`: one function pool per function of the plan, and one poller per
 * event source — an SQS poller per queue consumer, a stream poller per DynamoDB stream source (the
 * outbox relay), an async invoker per function a rule targets directly. Built from the plan and from
 * what provisioning created; `update` applies a new plan after an edit, keeping pollers whose source
 * did not change (a stream poller keeps its position in the stream).
 */
import { dirname } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AsyncInvoker } from './async-invoker.js';
import type { DevCounters } from './counters.js';
import { type FunctionFaults, functionInjection } from './dev-faults.js';
import { type EventJournal, eventIdentity } from './event-journal.js';
import { FunctionPool } from './function-pool.js';
import type { InjectedFailure } from './function-protocol.js';
import { resolveEnvironment } from './intrinsics.js';
import { lambdaEnvironment } from './lambda-env.js';
import type { DevFunction, DevPlan, ProvisionedResources } from './plan.js';
import { QueuePoller } from './queue-poller.js';
import { StreamPoller } from './stream-poller.js';

export interface RuntimeSettings {
  readonly endpoint: string;
  readonly region: string;
  readonly stackName: string;
  /** Seconds before a failed record or event is retried (undefined: the queue's visibility timeout). */
  readonly retryDelaySeconds: number | undefined;
  /** Environments per function that no event source limits (HTTP functions, async invokes). */
  readonly defaultConcurrency: number;
  /** function contract name → fraction of invocations to fail, and where. */
  readonly injectFailures: Readonly<
    Record<string, { readonly rate: number; readonly where: InjectedFailure }>
  >;
  readonly counters: DevCounters;
  /** Where consumers' outcomes are recorded per event (for `evtgen load`). */
  readonly journal?: EventJournal;
  /** Put before consumer names in the journal (`shipping-service/`: several services share it). */
  readonly journalPrefix?: string;
  readonly onOutput: (functionName: string, line: string) => void;
  readonly onError: (message: string) => void;
}

interface Poller {
  start(): void;
  stop(): Promise<void>;
}

export interface RuntimeInputs {
  readonly plan: DevPlan;
  readonly resources: ProvisionedResources;
  /** Function contract name → its bundle's path. */
  readonly bundles: Readonly<Record<string, string>>;
}

export class DevRuntime {
  readonly #settings: RuntimeSettings;
  readonly #sqs: SQSClient;
  readonly #streams: DynamoDBStreamsClient;
  readonly pools = new Map<string, FunctionPool>();
  /** source key → poller (the key holds everything that makes the poller what it is). */
  readonly #pollers = new Map<string, Poller>();
  #plan: DevPlan | undefined;
  /** Faults requested at run time (`PUT /_evtgen/faults`), by function name. */
  #faults: Readonly<Record<string, FunctionFaults>> = {};

  constructor(settings: RuntimeSettings, clients: { sqs: SQSClient; streams: DynamoDBStreamsClient }) {
    this.#settings = settings;
    this.#sqs = clients.sqs;
    this.#streams = clients.streams;
  }

  /** The pool of a function by logical id. */
  pool(logicalId: string): FunctionPool | undefined {
    const fn = this.#plan?.functions.find((f) => f.logicalId === logicalId);
    return fn ? this.pools.get(fn.name) : undefined;
  }

  /** Starts (or brings up to date) the pools and pollers of a plan. */
  async update(inputs: RuntimeInputs): Promise<void> {
    const { plan } = inputs;
    this.#plan = plan;
    for (const fn of plan.functions) this.#updatePool(fn, inputs);
    for (const [name, pool] of this.pools)
      if (!plan.functions.some((f) => f.name === name)) {
        this.pools.delete(name);
        await pool.close();
      }
    const wanted = this.#pollersFor(inputs);
    for (const [key, poller] of this.#pollers)
      if (!wanted.has(key)) {
        this.#pollers.delete(key);
        await poller.stop();
      }
    for (const [key, create] of wanted)
      if (!this.#pollers.has(key)) {
        const poller = create();
        this.#pollers.set(key, poller);
        poller.start();
      }
  }

  /** Replaces the run-time function faults (`{}`: back to the `--inject-failure` flags). */
  injectFaults(faults: Readonly<Record<string, FunctionFaults>>): void {
    this.#faults = faults;
    for (const [name, pool] of this.pools)
      pool.injectFaults(functionInjection(faults[name], this.#settings.injectFailures[name]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pollers.values()].map((p) => p.stop()));
    this.#pollers.clear();
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }

  #updatePool(fn: DevFunction, { plan, resources, bundles }: RuntimeInputs): void {
    const bundlePath = bundles[fn.name];
    if (!bundlePath) throw new Error(`${fn.name}: no bundle was built for ${fn.entry}`);
    const variables = resolveEnvironment(fn, resources, {
      stackName: plan.stackName,
      parameters: plan.parameters,
    });
    const environment = lambdaEnvironment({
      functionName: fn.functionName,
      memorySize: fn.memorySize,
      region: this.#settings.region,
      endpoint: this.#settings.endpoint,
      variables,
      taskRoot: dirname(bundlePath),
    });
    const existing = this.pools.get(fn.name);
    if (existing) {
      existing.reload({ bundlePath, environment });
      return;
    }
    const source = plan.queueSources.find((s) => s.function === fn.logicalId);
    const streamSource = plan.streamSources.find((s) => s.function === fn.logicalId);
    const maxInstances = streamSource ? 1 : (source?.maximumConcurrency ?? this.#settings.defaultConcurrency);
    const injection = functionInjection(this.#faults[fn.name], this.#settings.injectFailures[fn.name]);
    this.pools.set(
      fn.name,
      new FunctionPool(
        {
          name: fn.name,
          functionName: fn.functionName,
          functionArn: resources.attributes[fn.logicalId]?.Arn ?? fn.functionName,
          handlerExport: fn.handlerExport,
          timeoutSeconds: fn.timeoutSeconds,
          memorySize: fn.memorySize,
          maxInstances,
          onOutput: (line) => this.#settings.onOutput(fn.name, line),
          ...(injection ? { failureInjection: injection } : {}),
        },
        { bundlePath, environment },
      ),
    );
  }

  #pollersFor({ plan, resources }: RuntimeInputs): Map<string, () => Poller> {
    const { counters, retryDelaySeconds, onError, journal } = this.#settings;
    const record = (consumer: string, kind: 'processed' | 'failed' | 'given-up', event: unknown): void =>
      journal?.append({
        kind,
        consumer: (this.#settings.journalPrefix ?? '') + consumer,
        at: Date.now(),
        ...eventIdentity(event),
      });
    const wanted = new Map<string, () => Poller>();
    const nameOf = (logicalId: string): string =>
      plan.functions.find((f) => f.logicalId === logicalId)?.name ?? logicalId;
    const url = (logicalId: string | undefined): string | undefined =>
      logicalId ? resources.refs[logicalId] : undefined;
    const report = (name: string) => (error: unknown) =>
      onError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    const invokeOf = (name: string) => (event: unknown) => {
      const pool = this.pools.get(name);
      if (!pool) throw new Error(`${name}: the function is gone`);
      return pool.invoke(event);
    };

    for (const source of plan.queueSources) {
      const name = nameOf(source.function);
      const queueUrl = url(source.queue) ?? '';
      const queueArn = resources.attributes[source.queue]?.Arn ?? '';
      wanted.set(`queue:${JSON.stringify([source, queueUrl])}`, () => {
        return new QueuePoller({
          sqs: this.#sqs,
          queueUrl,
          queueArn,
          region: this.#settings.region,
          batchSize: source.batchSize,
          maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
          // Lambda's floor for MaximumConcurrency is 2; without one, a few batches at once locally.
          maximumConcurrency: source.maximumConcurrency ?? this.#settings.defaultConcurrency,
          reportBatchItemFailures: source.reportBatchItemFailures,
          retryDelaySeconds,
          invoke: invokeOf(name),
          counts: counters.consumer(name),
          onError: report(name),
          onOutcome: (done, failed) => {
            for (const body of done) record(name, 'processed', body);
            for (const body of failed) record(name, 'failed', body);
          },
        });
      });
    }
    for (const source of plan.streamSources) {
      const name = nameOf(source.function);
      const streamArn = resources.attributes[source.table]?.StreamArn;
      if (!streamArn) throw new Error(`${name}: the table ${source.table} has no stream`);
      wanted.set(`stream:${JSON.stringify([source, streamArn])}`, () => {
        return new StreamPoller({
          streams: this.#streams,
          sqs: this.#sqs,
          streamArn,
          region: this.#settings.region,
          batchSize: source.batchSize,
          startingPosition: source.startingPosition,
          filterPatterns: source.filterPatterns,
          bisectBatchOnFunctionError: source.bisectBatchOnFunctionError,
          reportBatchItemFailures: source.reportBatchItemFailures,
          maximumRetryAttempts: source.maximumRetryAttempts ?? -1,
          maximumRecordAgeInSeconds: source.maximumRecordAgeInSeconds ?? 86_400,
          onFailureQueueUrl: url(source.onFailureQueue),
          functionArn: resources.attributes[source.function]?.Arn ?? name,
          retryDelaySeconds: retryDelaySeconds ?? 1,
          invoke: invokeOf(name),
          counts: counters.consumer(name),
          onError: report(name),
        });
      });
    }
    for (const [functionId, invokeQueueUrl] of Object.entries(resources.invokeQueues ?? {})) {
      const name = nameOf(functionId);
      const config = plan.asyncInvokeConfigs.find((c) => c.function === functionId);
      wanted.set(`async:${JSON.stringify([functionId, invokeQueueUrl, config])}`, () => {
        return new AsyncInvoker({
          sqs: this.#sqs,
          invokeQueueUrl,
          functionArn: resources.attributes[functionId]?.Arn ?? name,
          maximumRetryAttempts: config?.maximumRetryAttempts ?? 2,
          maximumEventAgeInSeconds: config?.maximumEventAgeInSeconds ?? 21_600,
          onFailureQueueUrl: url(config?.onFailureQueue),
          retryDelaySeconds: retryDelaySeconds ?? 60,
          concurrency: this.#settings.defaultConcurrency,
          invoke: invokeOf(name),
          counts: counters.consumer(name),
          onError: report(name),
          onOutcome: (outcome, event) => record(name, outcome, event),
          onGiveUp: (_event, reason) =>
            onError(`${name}: an event was given up on (${reason}) and sent to its on-failure destination`),
        });
      });
    }
    return wanted;
  }
}
