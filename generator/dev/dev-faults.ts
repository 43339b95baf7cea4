/**
 * Faults a running `evtgen dev` injects on request (`PUT /_evtgen/faults`, what `evtgen load`'s
 * fault phase sends), on top of the `--inject-failure` flags it started with: a share of a
 * function's invocations failing, latency added to them, and throttled, failing or slow DynamoDB and
 * EventBridge calls from the functions (the AWS proxy answers those as AWS would). Nothing here
 * touches user code; `DELETE /_evtgen/faults` returns to the flags.
 */
import type { AwsFaults, AwsServiceFaults, FaultableService } from './aws-proxy.js';
import type { FailureInjection } from './function-pool.js';

export interface FunctionFaults {
  /** Fraction (0–1) of invocations that fail. */
  readonly errorRate?: number;
  /** Where an injected failure happens: before the handler, or after it did its work (default). */
  readonly where?: 'before' | 'after';
  /** Added to every invocation. */
  readonly latencyMs?: number;
}

export interface DevFaults {
  /** Function contract name → its faults. */
  readonly functions?: Readonly<Record<string, FunctionFaults>>;
  readonly aws?: AwsFaults;
}

/** Reads a `PUT /_evtgen/faults` body; throws an Error saying what was expected. */
export function parseDevFaults(value: unknown, functionNames: readonly string[]): DevFaults {
  if (!isRecord(value)) throw new Error('expected an object {functions?, aws?}');
  for (const key of Object.keys(value))
    if (key !== 'functions' && key !== 'aws')
      throw new Error(`unknown field "${key}": expected functions or aws`);
  const functions: Record<string, FunctionFaults> = {};
  if (value.functions !== undefined) {
    if (!isRecord(value.functions))
      throw new Error('functions: expected an object of function name → faults');
    for (const [name, faults] of Object.entries(value.functions)) {
      if (!functionNames.includes(name))
        throw new Error(
          `functions.${name}: no such function; the service's functions: ${functionNames.join(', ')}`,
        );
      if (!isRecord(faults)) throw new Error(`functions.${name}: expected {errorRate?, where?, latencyMs?}`);
      const where = faults.where;
      if (where !== undefined && where !== 'before' && where !== 'after')
        throw new Error(`functions.${name}.where: expected "before" or "after"`);
      functions[name] = {
        ...fraction(faults, 'errorRate', `functions.${name}`),
        ...(where ? { where } : {}),
        ...milliseconds(faults, 'latencyMs', `functions.${name}`),
      };
    }
  }
  const aws: Partial<Record<FaultableService, AwsServiceFaults>> = {};
  if (value.aws !== undefined) {
    if (!isRecord(value.aws)) throw new Error('aws: expected an object {dynamodb?, events?}');
    for (const [service, faults] of Object.entries(value.aws)) {
      if (service !== 'dynamodb' && service !== 'events')
        throw new Error(
          `aws.${service}: expected dynamodb or events (the services faults can be injected into)`,
        );
      if (!isRecord(faults))
        throw new Error(`aws.${service}: expected {throttleRate?, errorRate?, latencyMs?}`);
      aws[service] = {
        ...fraction(faults, 'throttleRate', `aws.${service}`),
        ...fraction(faults, 'errorRate', `aws.${service}`),
        ...milliseconds(faults, 'latencyMs', `aws.${service}`),
      };
    }
  }
  return { functions, aws };
}

/** A function's injection: the requested faults, else what `--inject-failure` set at start. */
export function functionInjection(
  faults: FunctionFaults | undefined,
  fromFlags: FailureInjection | undefined,
): FailureInjection | undefined {
  if (!faults) return fromFlags;
  return {
    rate: faults.errorRate ?? 0,
    where: faults.where ?? 'after',
    ...(faults.latencyMs ? { latencyMs: faults.latencyMs } : {}),
  };
}

function fraction(value: Record<string, unknown>, key: string, at: string): Record<string, number> {
  const x = value[key];
  if (x === undefined) return {};
  if (typeof x !== 'number' || !(x >= 0 && x <= 1))
    throw new Error(`${at}.${key}: expected a fraction from 0 to 1, e.g. 0.05`);
  return { [key]: x };
}

function milliseconds(value: Record<string, unknown>, key: string, at: string): Record<string, number> {
  const x = value[key];
  if (x === undefined) return {};
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 60_000)
    throw new Error(`${at}.${key}: expected whole milliseconds from 0 to 60000`);
  return { [key]: x };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
