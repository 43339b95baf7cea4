/**
 * What a run of `evtgen load` does, every value resolved: the phases the `--scenario` flag selects,
 * each with its rate, duration and faults. Precedence: flags over the scenario file (a phase's own
 * settings over the file's top-level `rate`/`duration`) over evtgen's defaults, which are the
 * architecture's:
 *
 * - baseline: 10 requests/s for 30 s — every objective must hold;
 * - ramp: 2 → 50 requests/s over 60 s, stopping at the first second an objective is missed;
 * - soak: 5 requests/s for 10 min;
 * - faults: 5 requests/s for 30 s, 5 % of the invocations of every queue consumer fail (after
 *   their work), 3 poison events;
 * - drain timeout 120 s; at most 100,000 requests per run; scenario `baseline` when none is given.
 *
 * `--rate` and `--duration` apply to every selected phase (for the ramp, `--rate` is the top rate;
 * its start rate is lowered to it when higher). `all` runs baseline, ramp, soak, faults in that order.
 */

import type { AwsFaults, DurationText, LoadConfig } from './config.js';
import { parseDuration } from './duration.js';
import type { PhaseName } from './report-types.js';

/** `--scenario`: one phase, or every phase in order. */
export type ScenarioName = PhaseName | 'all';

export const phaseOrder: readonly PhaseName[] = ['baseline', 'ramp', 'soak', 'faults'];

/** evtgen's defaults (see the file comment). */
export const scenarioDefaults = {
  scenario: 'baseline' as ScenarioName,
  baseline: { rate: 10, durationMs: 30_000 },
  ramp: { from: 2, to: 50, durationMs: 60_000, stopOnMiss: true },
  soak: { rate: 5, durationMs: 600_000 },
  faults: { rate: 5, durationMs: 30_000, consumerErrorRate: 0.05, poison: 3 },
  drainTimeoutMs: 120_000,
  warmupMs: 5_000,
  maxRequests: 100_000,
} as const;

/** The command-line flags that shape a run. */
export interface ScenarioFlags {
  readonly scenario?: ScenarioName;
  readonly rate?: number;
  readonly duration?: string;
  readonly drainTimeout?: string;
  readonly warmup?: string;
  readonly maxRequests?: number;
}

/** The consumers of the contract, for the faults phase's defaults and to check the file's names. */
export interface ScenarioContract {
  /** Every consumer's name. */
  readonly consumers: readonly string[];
  /** Consumers fed by a queue (`delivery: queue`): the default consumer errors apply to them. */
  readonly queueConsumers: readonly string[];
}

export interface ResolvedFaults {
  /** Consumer → share of its invocations that fail (0 to 1). */
  readonly consumerErrors: Readonly<Record<string, number>>;
  /** Consumer → latency added to each invocation, ms. */
  readonly consumerLatencyMs: Readonly<Record<string, number>>;
  /** AWS service (`dynamodb`, `events`, `sqs`) → its faults, both values filled (0 when unset). */
  readonly aws: Readonly<Record<string, Required<AwsFaults>>>;
  readonly poison: number;
}

export interface ResolvedPhase {
  readonly name: PhaseName;
  readonly durationMs: number;
  /** Requests per second at the start and at the end (equal except for the ramp). */
  readonly rate: { readonly start: number; readonly end: number };
  /** Ramp: stop at the first second an objective is missed. False for the other phases. */
  readonly stopOnMiss: boolean;
  /** The faults phase only. */
  readonly faults?: ResolvedFaults;
}

export interface Scenario {
  readonly phases: readonly ResolvedPhase[];
  readonly drainTimeoutMs: number;
  /** Unrecorded traffic before the first phase (0: none). */
  readonly warmupMs: number;
  /** Objectives replacing the spec's for this run, by route key or `*`. */
  readonly objectives: LoadConfig['objectives'];
  readonly maxRequests: number;
  /** `METHOD /path` → weight (routes not listed: 1). */
  readonly weights: Readonly<Record<string, number>>;
  /** Headers for every request. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The phases to run with every value resolved. Throws an Error for a bad flag (rate, duration,
 * maxRequests) or, given the contract, a consumer name the contract does not have.
 */
export function resolveScenario(
  config: LoadConfig,
  flags: ScenarioFlags = {},
  contract?: ScenarioContract,
): Scenario {
  const selected = flags.scenario ?? scenarioDefaults.scenario;
  if (selected !== 'all' && !phaseOrder.includes(selected))
    throw new Error(`Unknown scenario "${selected}": expected ${[...phaseOrder, 'all'].join(', ')}.`);
  if (flags.rate !== undefined && !(Number.isFinite(flags.rate) && flags.rate > 0))
    throw new Error(`Invalid --rate ${flags.rate}: expected requests per second above 0.`);
  if (flags.maxRequests !== undefined && !(Number.isInteger(flags.maxRequests) && flags.maxRequests >= 1))
    throw new Error(`Invalid --max-requests ${flags.maxRequests}: expected a whole number of at least 1.`);
  const flagDuration = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
  const duration = (own: DurationText | undefined, fallback: number): number =>
    flagDuration ??
    (own !== undefined
      ? parseDuration(own)
      : config.duration !== undefined
        ? parseDuration(config.duration)
        : fallback);
  const rate = (own: number | undefined, fallback: number): number =>
    flags.rate ?? own ?? config.rate ?? fallback;
  const phases = config.phases ?? {};
  const d = scenarioDefaults;

  const build: Record<PhaseName, () => ResolvedPhase> = {
    baseline: () =>
      steady(
        'baseline',
        rate(phases.baseline?.rate, d.baseline.rate),
        duration(phases.baseline?.duration, d.baseline.durationMs),
      ),
    soak: () =>
      steady(
        'soak',
        rate(phases.soak?.rate, d.soak.rate),
        duration(phases.soak?.duration, d.soak.durationMs),
      ),
    ramp: () => {
      const to = rate(phases.ramp?.to, d.ramp.to);
      return {
        name: 'ramp',
        durationMs: duration(phases.ramp?.duration, d.ramp.durationMs),
        rate: { start: Math.min(phases.ramp?.from ?? d.ramp.from, to), end: to },
        stopOnMiss: phases.ramp?.stopOnMiss ?? d.ramp.stopOnMiss,
      };
    },
    faults: () => ({
      ...steady(
        'faults',
        rate(phases.faults?.rate, d.faults.rate),
        duration(phases.faults?.duration, d.faults.durationMs),
      ),
      faults: resolveFaults(config, contract),
    }),
  };
  return {
    phases: (selected === 'all' ? phaseOrder : [selected]).map((name) => build[name]()),
    drainTimeoutMs:
      flags.drainTimeout !== undefined
        ? parseDuration(flags.drainTimeout, '--drain-timeout')
        : config.drainTimeout !== undefined
          ? parseDuration(config.drainTimeout, 'drainTimeout')
          : d.drainTimeoutMs,
    warmupMs:
      flags.warmup !== undefined
        ? parseDuration(flags.warmup, '--warmup')
        : config.warmup !== undefined
          ? parseDuration(config.warmup, 'warmup')
          : d.warmupMs,
    objectives: config.objectives ?? {},
    maxRequests: flags.maxRequests ?? config.maxRequests ?? d.maxRequests,
    weights: Object.fromEntries(
      Object.entries(config.routes ?? {}).map(([key, route]) => [key, route.weight]),
    ),
    headers: { ...config.headers },
  };
}

function steady(name: PhaseName, rate: number, durationMs: number): ResolvedPhase {
  return { name, durationMs, rate: { start: rate, end: rate }, stopOnMiss: false };
}

function resolveFaults(config: LoadConfig, contract: ScenarioContract | undefined): ResolvedFaults {
  const own = config.phases?.faults ?? {};
  const consumerErrors =
    own.consumerErrors ??
    Object.fromEntries(
      (contract?.queueConsumers ?? []).map((name) => [name, scenarioDefaults.faults.consumerErrorRate]),
    );
  const consumerLatencyMs = own.consumerLatencyMs ?? {};
  if (contract) {
    const known = new Set(contract.consumers);
    const unknown = [...Object.keys(consumerErrors), ...Object.keys(consumerLatencyMs)].filter(
      (n) => !known.has(n),
    );
    if (unknown.length > 0)
      throw new Error(
        `The faults phase names consumers the contract does not have: ${[...new Set(unknown)].join(', ')} (consumers: ${contract.consumers.join(', ') || 'none'}).`,
      );
  }
  const aws: Record<string, Required<AwsFaults>> = {};
  for (const [service, faults] of Object.entries(own.aws ?? {}))
    if (faults) aws[service] = { throttleRate: faults.throttleRate ?? 0, latencyMs: faults.latencyMs ?? 0 };
  return { consumerErrors, consumerLatencyMs, aws, poison: own.poison ?? scenarioDefaults.faults.poison };
}
