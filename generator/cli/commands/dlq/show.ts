import { Args, Command, Flags } from '@oclif/core';
import { type ConsumerDeadLetters, showConsumer } from '../../../dlq/inspect.js';
import { renderConsumer } from '../../../dlq/render.js';
import { dlqFlags, inventoryOf, reportDlqFailure } from '../../dlq-shared.js';
import { useColour } from '../../render.js';

export default class DlqShow extends Command {
  static override summary =
    "Show a consumer's dead-lettered events: type, ids, schema version, and why each one failed.";

  static override description =
    `Each message is decoded as an evtgen event (event type, producer event id, correlation id,
schema version) with the reason its hop attached: the consumer's validation issues or the error of
its last attempt (the generated runtime attaches them), Lambda's error for an asynchronous
invocation, EventBridge's error code for an undeliverable event — or, for SQS's own redrive, that
no reason was attached. Messages stay in the queue (read, then made visible again at once). Oldest
first.

Exit codes: 0 shown; 1 an AWS call failed; 2 unknown consumer, no evtgen dev running, or the stack
cannot be read.`;

  static override examples = [
    { command: '<%= config.bin %> dlq show fulfilment', description: "fulfilment's dead-lettered events." },
    {
      command: '<%= config.bin %> dlq show audit --limit 5 --json',
      description: 'The five oldest, as JSON.',
    },
  ];

  static override args = {
    consumer: Args.string({ description: 'The consumer (its name in the contract).', required: true }),
  };

  static override enableJsonFlag = true;
  static override flags = {
    ...dlqFlags,
    limit: Flags.integer({ description: 'At most this many events per queue.', default: 20, min: 1 }),
  };

  async run(): Promise<ConsumerDeadLetters | undefined> {
    const { args, flags } = await this.parse(DlqShow);
    try {
      const inventory = await inventoryOf(flags);
      try {
        const shown = await showConsumer(inventory, args.consumer, flags.limit);
        if (!this.jsonEnabled())
          process.stdout.write(renderConsumer(shown, Date.now(), useColour(process.stdout)));
        return shown;
      } finally {
        inventory.close();
      }
    } catch (error) {
      return reportDlqFailure(error);
    }
  }
}
