import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Args, Command, Flags } from '@oclif/core';
import { loadConfig } from '../../../config.js';
import { contractCheck } from '../../../dlq/contract-check.js';
import { DlqSetupError } from '../../../dlq/inventory.js';
import { type RedrivePlan, type RedriveResult, redrive } from '../../../dlq/redrive.js';
import { renderPlan, renderRedrive } from '../../../dlq/render.js';
import { parseSince } from '../../../dlq/since.js';
import { loadContract } from '../../../model/build-model.js';
import type { ContractModel } from '../../../model/contract.js';
import { closestNames } from '../../../send/find-event.js';
import { dlqFlags, inventoryOf, reportDlqFailure } from '../../dlq-shared.js';
import { renderDiagnostics, useColour } from '../../render.js';

export default class DlqRedrive extends Command {
  static override summary =
    "Replay a consumer's dead-lettered events into its queue or function, rate limited, after a fix.";

  static override description =
    `Each event is sent back as it was dead-lettered — to the consumer's queue, or (a function a rule
invokes) as an asynchronous invocation — and deleted from the DLQ once sent. It keeps its producer
id (detail.eventId), so the consumer's idempotency skips what it had already finished. Events the
*current* contract rejects (an unknown type, a detail its validators refuse, a type the consumer
does not receive) are listed with the reason and left in place unless --force. --event-type,
--since and --limit choose what to replay; the rest stays. A plan is shown first; on a terminal it
asks before replaying (--yes skips the question, and is needed when not on a terminal).

Exit codes: 0 everything chosen was replayed (or a dry run); 1 some events were rejected or failed,
or the prompt was declined; 2 usage or setup error (unknown consumer or event type, bad --since,
no evtgen dev running, no --yes without a terminal).`;

  static override examples = [
    {
      command: '<%= config.bin %> dlq redrive fulfilment --dry-run',
      description: 'What would be replayed, and why not the rest.',
    },
    {
      command: '<%= config.bin %> dlq redrive fulfilment --event-type OrderPlaced --since 2h --rate 5 --yes',
      description: 'The OrderPlaced events of the last two hours, five a second, without a prompt.',
    },
  ];

  static override args = {
    consumer: Args.string({ description: 'The consumer (its name in the contract).', required: true }),
  };

  static override enableJsonFlag = true;
  static override flags = {
    ...dlqFlags,
    'event-type': Flags.string({ description: 'Only events of this type (message name or detail-type).' }),
    since: Flags.string({
      description: 'Only events queued since then: a duration back from now (30m, 2h) or an ISO 8601 time.',
    }),
    rate: Flags.integer({ description: 'Events replayed per second.', default: 10, min: 1, max: 1000 }),
    limit: Flags.integer({ description: 'At most this many events.', min: 1 }),
    'dry-run': Flags.boolean({ description: 'Show the plan; replay nothing.' }),
    force: Flags.boolean({ description: 'Replay the events the current contract rejects too.' }),
    yes: Flags.boolean({ char: 'y', description: 'Replay without asking.' }),
  };

  async run(): Promise<RedriveResult | undefined> {
    const { args, flags } = await this.parse(DlqRedrive);
    const colour = !this.jsonEnabled() && useColour(process.stdout);
    try {
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !this.jsonEnabled();
      if (!flags.yes && !flags['dry-run'] && !interactive)
        throw new DlqSetupError(
          'Not on a terminal, so there is no one to ask: pass --yes to replay, or --dry-run to see the plan.',
        );
      const since = flags.since === undefined ? undefined : parseSince(flags.since, Date.now());
      const model = await contractOf(resolve(flags.project), colour);
      const eventType =
        flags['event-type'] === undefined ? undefined : eventTypeOf(model, flags['event-type']);
      const inventory = await inventoryOf(flags);
      try {
        const result = await redrive(inventory, {
          consumer: args.consumer,
          ...(eventType ? { eventType } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(flags.limit ? { limit: flags.limit } : {}),
          rate: flags.rate,
          dryRun: flags['dry-run'],
          force: flags.force,
          check: await contractCheck(model),
          ...(flags.yes ? {} : { confirm: (plan) => ask(plan, colour) }),
          onProgress: (line) => {
            if (interactive) process.stderr.write(`\r\u001b[2K${line}`);
          },
        });
        if (interactive) process.stderr.write('\r\u001b[2K');
        if (!this.jsonEnabled()) process.stdout.write(renderRedrive(result, colour));
        process.exitCode = result.confirmed && result.failed.length === 0 && result.rejected === 0 ? 0 : 1;
        return result;
      } finally {
        inventory.close();
      }
    } catch (error) {
      return reportDlqFailure(error);
    }
  }
}

/** The contract's detail-type for `typed` (a message name or detail-type, any case). */
function eventTypeOf(model: ContractModel, typed: string): string {
  const found = model.events.find(
    (e) =>
      e.messageName.toLowerCase() === typed.toLowerCase() ||
      e.detailType.toLowerCase() === typed.toLowerCase(),
  );
  if (found) return found.detailType;
  const names = model.events.map((e) => e.messageName);
  const close = closestNames(typed, names);
  throw new DlqSetupError(
    `--event-type ${typed} is not an event type of the contract.${close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : ''} Event types: ${names.join(', ')}.`,
  );
}

async function contractOf(projectRoot: string, colour: boolean): Promise<ContractModel> {
  const { config, diagnostics } = await loadConfig(projectRoot);
  const loaded = config
    ? await loadContract(config.projectRoot, config.specsDir, {
        validate: false,
        requireSecurity: false,
        checkDeployability: false,
      })
    : { model: undefined, diagnostics };
  if (loaded.model) return loaded.model;
  if (loaded.diagnostics.length > 0)
    process.stderr.write(`${renderDiagnostics(loaded.diagnostics, colour)}\n`);
  throw new DlqSetupError(
    'The specs do not load, so the events cannot be checked against the contract: fix the errors above.',
  );
}

async function ask(plan: RedrivePlan, colour: boolean): Promise<boolean> {
  const count = plan.letters.filter((l) => l.action === 'replay').length;
  process.stdout.write(renderPlan(plan, colour));
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(
      `Replay ${count} event${count === 1 ? '' : 's'} into ${plan.target}? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
