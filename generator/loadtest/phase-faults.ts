/**
 * A fault phase's faults in the two shapes they are needed: the body `evtgen dev` applies
 * (`PUT /_evtgen/faults`) and the lines the report shows.
 */
import type { DevFaults } from '../dev/dev-faults.js';
import type { FaultInjection } from './report-types.js';
import type { ResolvedPhase } from './scenario.js';

export function devFaults(phase: ResolvedPhase): DevFaults {
  const faults = phase.faults;
  if (!faults) return {};
  const names = new Set([...Object.keys(faults.consumerErrors), ...Object.keys(faults.consumerLatencyMs)]);
  const functions = Object.fromEntries(
    [...names].map((name) => [
      name,
      {
        errorRate: faults.consumerErrors[name] ?? 0,
        where: 'after' as const,
        ...(faults.consumerLatencyMs[name] ? { latencyMs: faults.consumerLatencyMs[name] } : {}),
      },
    ]),
  );
  const aws = Object.fromEntries(
    Object.entries(faults.aws)
      .filter(([service]) => service === 'dynamodb' || service === 'events')
      .map(([service, f]) => [service, { throttleRate: f.throttleRate, latencyMs: f.latencyMs }]),
  );
  return { functions, aws };
}

export function describeFaults(phase: ResolvedPhase): FaultInjection[] {
  const faults = phase.faults;
  if (!faults) return [];
  const list: FaultInjection[] = [];
  for (const [name, rate] of Object.entries(faults.consumerErrors))
    if (rate > 0)
      list.push({
        kind: 'consumer-errors',
        description: `${name}: ${pct(rate)} of invocations fail after their work`,
      });
  for (const [name, ms] of Object.entries(faults.consumerLatencyMs))
    if (ms > 0)
      list.push({ kind: 'consumer-latency', description: `${name}: ${ms} ms added to every invocation` });
  for (const [service, f] of Object.entries(faults.aws)) {
    if (f.throttleRate > 0)
      list.push({
        kind: 'aws-throttling',
        description: `${service}: ${pct(f.throttleRate)} of calls throttled`,
      });
    if (f.latencyMs > 0)
      list.push({ kind: 'aws-latency', description: `${service}: ${f.latencyMs} ms added to every call` });
  }
  if (faults.poison > 0)
    list.push({
      kind: 'poison',
      description: `${faults.poison} poison events the consumers' validation refuses`,
    });
  return list;
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10} %`;
}
