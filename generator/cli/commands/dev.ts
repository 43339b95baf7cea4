import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { parseInjectFailures, parseRetryDelay } from '../../dev/dev-flags.js';
import { DevUsageError, startDev } from '../../dev/dev-server.js';
import { renderDevLine, renderFunctionLine } from '../../dev/log-render.js';
import { findMotoServer, motoInstallHint } from '../../dev/moto-server.js';
import { useColour } from '../render.js';

export default class Dev extends Command {
  static override summary =
    'Run the service locally on an AWS emulator: HTTP API, consumers, bus, queues, DLQs and tables.';

  static override description =
    `Regenerates when the output is stale, starts moto's server on a free loopback port
(or uses --endpoint), synthesizes the CDK app without bundling and provisions what its template
declares — the bus, one rule per consumer with the generated pattern, queues with their DLQs and
redrive policies, rule-target DLQs, the idempotency and outbox tables and the tables your stack adds.
Then it serves the HTTP API (API Gateway payload 2.0 events, JWT routes checked against a local
development key) and runs every consumer with Lambda's event-source semantics, each function in its
own worker threads. Edits to specs/ or app/ reload what they affect. Ctrl-C stops everything it
started.

GET /_evtgen/status on the HTTP port returns per-route and per-consumer counters and the depth of
every dead-letter queue.

Exit codes: 0 stopped by Ctrl-C; 1 could not start (the message says why); 2 usage error.`;

  static override examples = [
    { command: '<%= config.bin %> dev', description: 'Run the service on http://127.0.0.1:3000.' },
    {
      command: '<%= config.bin %> dev --endpoint http://localhost:4566',
      description: 'Use an emulator that is already running (LocalStack, a moto container).',
    },
    {
      command: '<%= config.bin %> dev --service ../shipping',
      description:
        'Run the shipping service beside this one: both on one emulator, each rule on its bus (functions of shipping are named shipping-service/<name> in the log and in --inject-failure).',
    },
    {
      command: '<%= config.bin %> dev --inject-failure fulfilment=0.3',
      description:
        'Fail 30 % of the fulfilment invocations (after the handler ran) to watch retries and DLQs.',
    },
    { command: '<%= config.bin %> dev --json | jq .', description: 'The raw log lines, as JSON.' },
  ];

  static override flags = {
    port: Flags.integer({
      char: 'p',
      description: 'Port of the local HTTP API (0: any free port).',
      default: 3000,
      min: 0,
      max: 65535,
    }),
    endpoint: Flags.url({
      description: 'An AWS-compatible endpoint already running; moto is started when absent.',
    }),
    region: Flags.string({ description: 'Region of the emulated resources.', default: 'us-east-1' }),
    watch: Flags.boolean({
      description: 'Reload on edits to specs/ and app/.',
      default: true,
      allowNo: true,
    }),
    json: Flags.boolean({
      description: 'Print every log line as JSON (with the function name) instead of rendering it.',
    }),
    'retry-delay': Flags.string({
      description:
        "Seconds before a failed message or event is retried. AWS waits for the queue's visibility timeout (minutes); `aws` does the same here.",
      default: '1',
    }),
    concurrency: Flags.integer({
      description:
        'Environments per function where no event source sets a maximum (HTTP routes, async invokes).',
      default: 4,
      min: 1,
      max: 64,
    }),
    'inject-failure': Flags.string({
      description:
        "NAME=RATE[:before|after]: fail that fraction of the function's invocations, before the handler runs or after it did its work (default). Repeatable.",
      multiple: true,
    }),
    service: Flags.directory({
      description:
        "Another service's project to run beside this one against the same emulator (repeatable): its rules on this service's bus receive what this one publishes, and the other way round.",
      multiple: true,
      exists: true,
    }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/ and cdk.json).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev);
    // The SDK clients of evtgen dev itself: its warning about Node 20 is about this tool, not the service.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const render = { json: flags.json, color: !flags.json && useColour(process.stdout) };
    let retryDelaySeconds: number | undefined;
    let injectFailures: ReturnType<typeof parseInjectFailures>;
    try {
      retryDelaySeconds = parseRetryDelay(flags['retry-delay']);
      injectFailures = parseInjectFailures(flags['inject-failure'] ?? []);
    } catch (error) {
      this.error((error as Error).message, { exit: 2 });
    }
    if (!flags.endpoint && !findMotoServer())
      this.error(`moto_server is not installed, and no --endpoint was given. ${motoInstallHint}`, {
        exit: 1,
      });

    const print = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    let session: Awaited<ReturnType<typeof startDev>>;
    try {
      session = await startDev({
        projectRoot: resolve(flags.project),
        services: (flags.service ?? []).map((dir) => resolve(dir)),
        port: flags.port,
        ...(flags.endpoint ? { endpoint: flags.endpoint.toString().replace(/\/$/, '') } : {}),
        region: flags.region,
        watch: flags.watch,
        retryDelaySeconds,
        defaultConcurrency: flags.concurrency,
        injectFailures,
        onFunctionOutput: (name, line) => print(renderFunctionLine(name, line, render)),
        onEvent: (level, message) => print(renderDevLine(level, message, render)),
      });
    } catch (error) {
      this.error(`evtgen dev could not start: ${(error as Error).message}`, {
        exit: error instanceof DevUsageError ? 2 : 1,
      });
    }
    const ready = [
      `HTTP API   ${session.httpUrl}`,
      `status     ${session.httpUrl}/_evtgen/status`,
      `emulator   ${session.endpoint}`,
      ...session.services.map(
        (service) =>
          `service    ${service.name} (${service.projectRoot})${service.httpUrl ? ` HTTP API ${service.httpUrl}` : ''}`,
      ),
      ...session.tokensText.split('\n').filter(Boolean),
      flags.watch
        ? 'watching   specs/ and app/ — edits reload; Ctrl-C stops everything'
        : 'Ctrl-C stops everything',
    ];
    for (const line of ready)
      print(render.json ? JSON.stringify({ source: 'evtgen-dev', level: 'INFO', message: line }) : line);

    await new Promise<void>((done) => {
      const stop = (): void => {
        print(renderDevLine('INFO', 'stopping', render));
        void session.stop().then(done, done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.exitCode = 0;
  }
}
