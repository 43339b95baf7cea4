/**
 * What the `evtgen dlq` commands share: where the queues are (the running evtgen dev, or a deployed
 * stack), and how a failure is reported (the message, exit 2 when the user must change something).
 */
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { type DlqInventory, DlqSetupError, openInventory } from '../dlq/inventory.js';

export const dlqFlags = {
  stack: Flags.string({
    description: "A deployed stack's name: its dead-letter queues instead of the running evtgen dev's.",
  }),
  profile: Flags.string({ description: 'With --stack: the AWS profile to use.' }),
  region: Flags.string({ description: "With --stack: the stack's region (default: AWS_REGION)." }),
  project: Flags.directory({
    char: 'C',
    description: 'Project folder (holds specs/).',
    default: '.',
    exists: true,
  }),
};

export interface DlqFlagValues {
  readonly stack?: string | undefined;
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly project: string;
}

export function inventoryOf(flags: DlqFlagValues): Promise<DlqInventory> {
  return openInventory({
    projectRoot: resolve(flags.project),
    ...(flags.stack ? { stack: flags.stack } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
  });
}

/** Setup errors: the message and exit 2; anything else (an AWS error mid-way) exit 1. */
export function reportDlqFailure(error: unknown): undefined {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exitCode = error instanceof DlqSetupError ? 2 : 1;
  return undefined;
}
