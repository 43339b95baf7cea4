/**
 * Every dead-letter queue of the service, with the consumers and hops that fill it, and where each
 * consumer's events arrive (so a replay knows where to send them) — from the contract's own
 * resources, so no queue name is ever typed: the running `evtgen dev` of the project (its status
 * endpoint), or a deployed stack read through CloudFormation (`--stack`, with `--profile` and
 * `--region`).
 */

import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { readDevState } from '../dev/dev-state.js';
import { emulatorCredentials } from '../dev/lambda-env.js';
import { DevSession } from '../loadtest/dev-session.js';
import { readDeployedTopology } from '../loadtest/stack/deployed-stack.js';
import { queueNameOf, type StackDeadLetterQueue } from '../loadtest/stack/stack-topology.js';

/** The service's DLQs cannot be found: exit 2, with what to do. */
export class DlqSetupError extends Error {
  override name = 'DlqSetupError';
}

/** A dead-letter queue: its name and URL, the consumers whose failures land there, and how. */
export type DeadLetterQueueInfo = StackDeadLetterQueue;

/** Where a consumer's events arrive, and how to put one back there. */
export interface ReplayTarget {
  /** `queue orders-fulfilment`, `function OrdersService-Audit…` */
  readonly description: string;
  /** Sends the event; `key` is unique per dead-lettered message (FIFO deduplication). */
  send(event: Readonly<Record<string, unknown>>, key: string, groupId?: string): Promise<void>;
}

export interface DlqInventory {
  /** `evtgen dev at http://127.0.0.1:3000` or `stack OrdersService (eu-west-1)`. */
  readonly where: string;
  readonly queues: readonly DeadLetterQueueInfo[];
  /** Consumer → where a replay goes (consumers whose events arrive through a rule). */
  readonly targets: Readonly<Record<string, ReplayTarget>>;
  readonly sqs: SQSClient;
  close(): void;
}

export interface InventoryOptions {
  readonly projectRoot: string;
  /** A deployed stack's name (else the running evtgen dev). */
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
}

export async function openInventory(options: InventoryOptions): Promise<DlqInventory> {
  return options.stack === undefined ? devInventory(options.projectRoot) : stackInventory(options);
}

async function devInventory(projectRoot: string): Promise<DlqInventory> {
  const lookup = await readDevState(projectRoot);
  if (lookup.status === 'absent')
    throw new DlqSetupError(
      `No evtgen dev is running in this project (${lookup.file} is missing). Start it with \`npx evtgen dev\`, or pass --stack NAME for a deployed stack.`,
    );
  if (lookup.status !== 'running')
    throw new DlqSetupError(
      `${lookup.file} is ${lookup.status === 'stale' ? 'left from an evtgen dev that is no longer running' : 'not usable'}: start \`npx evtgen dev\` again, or pass --stack NAME.`,
    );
  const { http, endpoint, region } = lookup.state;
  if (!http) throw new DlqSetupError(`${lookup.file} has no HTTP address: restart evtgen dev.`);
  const session = new DevSession(http, { endpoint, region });
  try {
    const status = await session.status();
    const sqs = new SQSClient({ endpoint, region, credentials: emulatorCredentials });
    const targets: Record<string, ReplayTarget> = {};
    for (const [consumer, source] of Object.entries(status.sources))
      targets[consumer] = queueTarget(
        sqs,
        source.queueUrl,
        source.kind === 'queue'
          ? `queue ${queueNameOf(source.queueUrl)}`
          : `function ${consumer} (evtgen dev's invoke queue)`,
      );
    return {
      where: `evtgen dev at ${http}`,
      queues: status.deadLetterQueues.map((q) => ({
        name: q.queueName,
        url: q.queueUrl,
        consumers: q.consumers,
        hops: q.hops,
      })),
      targets,
      sqs,
      close: () => sqs.destroy(),
    };
  } finally {
    session.close();
  }
}

async function stackInventory(options: InventoryOptions): Promise<DlqInventory> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    throw new DlqSetupError(`--stack ${options.stack}: the stack's region is unknown: pass --region.`);
  const stackName = options.stack ?? '';
  const settings = {
    region,
    credentials: defaultProvider(options.profile ? { profile: options.profile } : {}),
  };
  const cloudFormation = new CloudFormationClient(settings);
  const sqs = new SQSClient(settings);
  const lambda = new LambdaClient(settings);
  const close = (): void => {
    for (const client of [cloudFormation, sqs, lambda]) client.destroy();
  };
  try {
    const topology = await readDeployedTopology(cloudFormation, stackName, region);
    const targets: Record<string, ReplayTarget> = {};
    for (const consumer of topology.consumers)
      targets[consumer.name] = consumer.queue
        ? queueTarget(sqs, consumer.queue.url, `queue ${consumer.queue.name}`)
        : functionTarget(lambda, consumer.functionName);
    return {
      where: `stack ${stackName} (${region})`,
      queues: topology.deadLetterQueues,
      targets,
      sqs,
      close,
    };
  } catch (error) {
    close();
    throw error instanceof DlqSetupError ? error : new DlqSetupError((error as Error).message);
  }
}

function queueTarget(sqs: SQSClient, url: string, description: string): ReplayTarget {
  const fifo = url.endsWith('.fifo');
  return {
    description,
    async send(event, key, groupId) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: JSON.stringify(event),
          // A FIFO queue drops a repeated deduplication id for 5 minutes: each replay gets its own.
          ...(fifo
            ? {
                MessageGroupId: groupId ?? 'evtgen-redrive',
                MessageDeduplicationId: `redrive-${key}`.slice(0, 128),
              }
            : {}),
        }),
      );
    },
  };
}

/** A function a rule invokes: the event goes back the way EventBridge delivered it (async invoke). */
function functionTarget(lambda: LambdaClient, functionName: string): ReplayTarget {
  return {
    description: `function ${functionName}`,
    async send(event) {
      const answer = await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode} to the invoke`);
    },
  };
}
