import { Command } from '@oclif/core';
import { listQueues, type QueueSummary } from '../../../dlq/inspect.js';
import { renderQueues } from '../../../dlq/render.js';
import { dlqFlags, inventoryOf, reportDlqFailure } from '../../dlq-shared.js';
import { useColour } from '../../render.js';

export default class DlqList extends Command {
  static override summary =
    'List every dead-letter queue of the service: depth, oldest message, and the consumer and hop it belongs to.';

  static override description =
    `The queues come from the service's own resources, so no name is typed: the running
\`evtgen dev\` of the project (its status endpoint), or a deployed stack with --stack (read through
CloudFormation, with --profile and --region). Nothing is taken out of a queue: messages are read
and put back at once. The oldest message is found among the first ${1000} of a queue.

Exit codes: 0 listed; 1 an AWS call failed; 2 no evtgen dev running, or the stack cannot be read.`;

  static override examples = [
    { command: '<%= config.bin %> dlq list', description: 'The queues of the running evtgen dev.' },
    {
      command: '<%= config.bin %> dlq list --stack OrdersService --profile prod --region eu-west-1',
      description: 'The queues of a deployed stack.',
    },
  ];

  static override enableJsonFlag = true;
  static override flags = dlqFlags;

  async run(): Promise<{ where: string; queues: QueueSummary[] } | undefined> {
    const { flags } = await this.parse(DlqList);
    try {
      const inventory = await inventoryOf(flags);
      try {
        const queues = await listQueues(inventory);
        if (!this.jsonEnabled())
          process.stdout.write(renderQueues(inventory.where, queues, Date.now(), useColour(process.stdout)));
        return { where: inventory.where, queues };
      } finally {
        inventory.close();
      }
    } catch (error) {
      return reportDlqFailure(error);
    }
  }
}
