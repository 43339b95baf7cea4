import { Args, Command, Flags } from '@oclif/core';
import type { Diagnostic } from '../../../diagnostics.js';
import { exitCodeOf, SendEventError, type SendFailure } from '../../../send/send-error.js';
import { type SentEvent, sendEvent } from '../../../send/send-event.js';
import { paint, renderDiagnostics, summarize, useColour } from '../../render.js';

/** `--json` output: what was sent, or why nothing was. */
export type SendCommandResult =
  | ({ readonly ok: true } & SentEvent)
  | {
      readonly ok: false;
      readonly failure: SendFailure;
      readonly message: string;
      readonly diagnostics: readonly Diagnostic[];
      readonly suggestions: readonly string[];
    };

export default class EventsSend extends Command {
  static override summary =
    "Publish a test event, built from the spec's examples or a file, through the generated publisher.";

  static override description =
    `Builds the event from the message's first example in the AsyncAPI document (payload as
detail.data, headers as detail.metadata), another one with --example, or a file with --file (the
payload, or {"data": …, "metadata": …}; metadata defaults to the example's headers), applies --set,
and publishes it with the project's own generated publisher: the envelope, eventId, schemaVersion and
correlation id (generated when the event has none) are what the service itself would send. The event
is validated first; an invalid one is reported with its pointers and nothing is sent.

Target: --endpoint (an emulator: moto, LocalStack; region us-east-1, credentials test/test unless
AWS credentials are set), --profile/--region (real AWS, the SDK's credential chain), or else the
running \`evtgen dev\` of the project (its .evtgen/dev/state.json). The bus is --bus, else evtgen dev's,
else the contract's.

Exit codes: 0 sent; 1 the event is invalid, the file malformed, or the bus did not accept it;
2 usage or configuration error (unknown message or example, no target, generated/ missing).`;

  static override examples = [
    {
      command: '<%= config.bin %> events send OrderPlaced',
      description: 'The first example, to the running evtgen dev.',
    },
    {
      command:
        '<%= config.bin %> events send OrderPlaced --example phoneOrderWithoutEmail --set data.customer.name=Ada',
      description: 'Another example, with one value changed.',
    },
    {
      command:
        '<%= config.bin %> events send PaymentFailed --file failed.json --endpoint http://127.0.0.1:4566',
      description: 'The payload from a file, to LocalStack.',
    },
    {
      command: '<%= config.bin %> events send OrderPlaced --profile staging --bus orders-bus-staging',
      description: 'To a real bus in AWS.',
    },
  ];

  static override enableJsonFlag = true;

  static override args = {
    message: Args.string({
      description: 'AsyncAPI message name or event type name (any case).',
      required: true,
    }),
  };

  static override flags = {
    example: Flags.string({
      char: 'e',
      description: "The example's name or 1-based position (default: the first).",
    }),
    file: Flags.string({
      char: 'f',
      description: 'A JSON file: the payload, or {"data": …, "metadata": …}.',
    }),
    set: Flags.string({
      description: 'PATH=VALUE from the detail (data.… or metadata.…); VALUE is JSON or text. Repeatable.',
      multiple: true,
    }),
    endpoint: Flags.string({
      description: 'An AWS emulator (moto, LocalStack, evtgen dev): http://127.0.0.1:4566.',
      exclusive: ['profile'],
    }),
    profile: Flags.string({ description: 'Real AWS with this profile of the shared AWS config.' }),
    region: Flags.string({ description: 'The region (real AWS: default from the profile or AWS_REGION).' }),
    bus: Flags.string({ description: "The event bus (default: evtgen dev's, else the contract's)." }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/ and generated/).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<SendCommandResult> {
    const { args, flags } = await this.parse(EventsSend);
    try {
      const sent = await sendEvent({
        ...flags,
        messageName: args.message,
        cwd: process.cwd(),
        env: process.env,
      });
      if (!this.jsonEnabled())
        this.log(`sent ${sent.messageName} ${sent.eventId} to ${sent.bus} (${where(sent)})`);
      return { ok: true, ...sent };
    } catch (error) {
      if (!(error instanceof SendEventError)) throw error;
      process.exitCode = exitCodeOf(error.failure);
      if (!this.jsonEnabled()) this.report(error);
      return {
        ok: false,
        failure: error.failure,
        message: error.message,
        diagnostics: error.diagnostics,
        suggestions: error.suggestions,
      };
    }
  }

  private report(error: SendEventError): void {
    const colour = useColour(process.stderr);
    if (error.diagnostics.length > 0)
      process.stderr.write(
        `${renderDiagnostics(error.diagnostics, colour)}\n${summarize(error.diagnostics)}\n`,
      );
    process.stderr.write(`${paint(error.message, 'red', colour)}\n`);
    for (const line of error.suggestions) process.stderr.write(`${line}\n`);
  }
}

/** The emulator's URL, or the AWS region (and profile). */
function where(sent: SentEvent): string {
  if (sent.endpoint) return sent.endpoint;
  return sent.profile ? `${sent.region}, profile ${sent.profile}` : sent.region;
}
