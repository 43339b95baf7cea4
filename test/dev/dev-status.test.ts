/**
 * The dead-letter queues `evtgen dev`'s status endpoint reports (dev-status.ts `deadLetterQueues`),
 * on the example's plan read from its real synthesized template (a copy of the CDK app, see
 * helpers/example-app.ts): every DLQ of the service, with the consumer whose failures land there and
 * each way they get there — the queue's redrive, EventBridge's target DLQ, Lambda's on-failure
 * destination, the handler's own send (`DEAD_LETTER_QUEUE_URL`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeadLetterHop, deadLetterQueues } from '../../generator/dev/dev-status.js';
import type { DevPlan } from '../../generator/dev/plan.js';
import { synthesizeForDev } from '../../generator/dev/synth.js';
import { planFromTemplate } from '../../generator/dev/template-plan.js';
import { exampleAppCopy } from '../helpers/example-app.js';

let appDir: string;
let outDir: string;
let plan: DevPlan;

beforeAll(async () => {
  [appDir, outDir] = await Promise.all([
    exampleAppCopy('dev-status-'),
    mkdtemp(join(tmpdir(), 'evtgen-dev-status-')),
  ]);
  const synthesized = await synthesizeForDev(appDir, outDir);
  plan = planFromTemplate(synthesized.template, synthesized.stackName);
}, 120_000);

afterAll(async () => {
  for (const dir of [appDir, outDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

interface Found {
  readonly consumers: string[];
  readonly hops: DeadLetterHop[];
}

/** The dead-letter queues by queue name (or logical id when the template names none). */
function byQueue(): Record<string, Found> {
  return Object.fromEntries(
    deadLetterQueues(plan).map((ref) => [
      plan.queues.find((q) => q.logicalId === ref.logicalId)?.queueName ?? ref.logicalId,
      { consumers: [...ref.consumers].sort(), hops: [...ref.hops].sort() },
    ]),
  );
}

const logicalIdOf = (name: string) => plan.queues.find((q) => q.queueName === name)?.logicalId;

describe('the dead-letter queues of the example', () => {
  it('are every queue some failure reaches, each once', () => {
    const refs = deadLetterQueues(plan);
    expect(new Set(refs.map((r) => r.logicalId)).size).toBe(refs.length);
    for (const ref of refs) expect(plan.queues.map((q) => q.logicalId)).toContain(ref.logicalId);
    // The consumers' own queues and the internal ones are not dead-letter queues.
    for (const name of ['orders-fulfilment', 'orders-notifications', 'orders-shipments'])
      expect(refs.map((r) => r.logicalId)).not.toContain(logicalIdOf(name));
    // Three queue consumers: queue DLQ + rule-target DLQ each; audit's target DLQ; the relay's DLQ.
    expect(refs).toHaveLength(8);
  });

  it("has the fulfilment queue's DLQ reached by its redrive and by the handler's poison events", () => {
    const fulfilmentDlq = plan.queues.find((q) => q.queueName === 'orders-fulfilment')?.redrive
      ?.deadLetterQueue;
    expect(deadLetterQueues(plan).find((r) => r.logicalId === fulfilmentDlq)).toBeDefined();
    expect(byQueue()['orders-fulfilment-dlq']).toEqual({
      consumers: ['fulfilment'],
      hops: ['handler', 'queue-redrive'],
    });
  });

  it("has the notifications queue's DLQ reached the same two ways", () => {
    const notificationsDlq = plan.queues.find((q) => q.queueName === 'orders-notifications')?.redrive
      ?.deadLetterQueue;
    expect(notificationsDlq).toBe(logicalIdOf('orders-notifications-dlq'));
    expect(byQueue()['orders-notifications-dlq']).toEqual({
      consumers: ['notifications'],
      hops: ['handler', 'queue-redrive'],
    });
  });

  it("has each queue consumer's rule-target DLQ reached by EventBridge only", () => {
    const queues = byQueue();
    expect(queues['orders-fulfilment-target-dlq']).toEqual({
      consumers: ['fulfilment'],
      hops: ['rule-target'],
    });
    expect(queues['orders-notifications-target-dlq']).toEqual({
      consumers: ['notifications'],
      hops: ['rule-target'],
    });
  });

  it("has audit's target DLQ reached by EventBridge, Lambda's on-failure destination and the handler", () => {
    const auditTargetDlq = plan.asyncInvokeConfigs[0]?.onFailureQueue ?? '';
    expect(auditTargetDlq).toMatch(/^ServiceEventsAuditTargetDeadLetterQueue/);
    const ref = deadLetterQueues(plan).find((r) => r.logicalId === auditTargetDlq);
    expect({ consumers: [...(ref?.consumers ?? [])], hops: [...(ref?.hops ?? [])].sort() }).toEqual({
      consumers: ['audit'],
      hops: ['handler', 'on-failure', 'rule-target'],
    });
  });

  it("has the outbox relay's DLQ reached by the stream's on-failure destination", () => {
    const relayDlq = plan.streamSources[0]?.onFailureQueue ?? '';
    expect(relayDlq).toMatch(/^ServiceOutboxRelayDeadLetterQueue/);
    const ref = deadLetterQueues(plan).find((r) => r.logicalId === relayDlq);
    expect({ consumers: [...(ref?.consumers ?? [])], hops: [...(ref?.hops ?? [])] }).toEqual({
      consumers: ['outboxRelay'],
      hops: ['on-failure'],
    });
  });
});
