import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { renderReportText } from '../../loadtest/report-text.js';
import { LoadSetupError, runLoad } from '../../loadtest/run-load.js';
import type { ScenarioName } from '../../loadtest/scenario.js';
import { renderDiagnostics, useColour } from '../render.js';

export default class Load extends Command {
  static override summary =
    "Run the architecture's load tests (baseline, ramp, soak, faults) and count every event they cause.";

  static override description =
    `Derives the traffic from the contract — every OpenAPI route, valid bodies from the spec's
examples (or sampled from the request schemas), a fresh idempotency key and correlation id per
request, path parameters captured from earlier answers, the local token on secured routes — and
sends it open-loop at a fixed arrival rate (latency counts from each request's scheduled time, so
an overloaded service cannot hide its queue). Against \`evtgen dev\` (the default target) every event
the run causes is followed by its producer id: published, processed by each consumer, dead-lettered
or still in flight, and lost = published − processed − dead-lettered − in flight must be 0.

Phases: baseline (steady load, p50/p99 against the objectives), ramp (rising until an objective
breaks), soak (steady load for long: leaks, DLQ growth), faults (consumer errors and latency,
throttled or slow DynamoDB/EventBridge calls, poison events: retries recover, poison is
dead-lettered, nothing is lost). Shape them with flags or evtgen.load.json (JSON Schema:
generator/loadtest/load-config.schema.json).

Writes load-report.json and a self-contained load-report.html to --out.

Exit codes: 0 every objective (x-slo) and expectation met; 1 one was missed or an event was lost;
2 usage or configuration error (no evtgen dev running, bad config, unusable target).`;

  static override examples = [
    {
      command: '<%= config.bin %> load',
      description: 'A 30-second baseline at 10 req/s against the evtgen dev running in this project.',
    },
    {
      command: '<%= config.bin %> load --scenario faults --duration 20s',
      description: 'Consumer errors, and poison events, for 20 s: lost must stay 0.',
    },
    {
      command: '<%= config.bin %> load --scenario ramp --rate 200',
      description: 'Rise to 200 req/s; report the rate at which an objective first broke.',
    },
    {
      command: "<%= config.bin %> load --target https://api.example.com --header 'Authorization: Bearer …'",
      description: 'A deployed stage (HTTP figures and objectives).',
    },
    {
      command:
        '<%= config.bin %> load --target https://abc123.execute-api.eu-west-1.amazonaws.com --stack OrdersService --profile staging',
      description:
        'A deployed stage, its events counted from the stack (CloudWatch and the DLQs; waits for the metrics to settle).',
    },
  ];

  static override flags = {
    scenario: Flags.string({
      char: 's',
      description: 'Which phases to run.',
      options: ['baseline', 'ramp', 'soak', 'faults', 'all'],
    }),
    target: Flags.string({
      char: 't',
      description: '`dev` (the evtgen dev running in this project) or a URL.',
      default: 'dev',
    }),
    duration: Flags.string({ char: 'd', description: 'Length of each selected phase: 30s, 2m, 500ms.' }),
    rate: Flags.integer({
      char: 'r',
      description: 'Requests per second of the selected phases (the ramp: its top rate).',
      min: 1,
      max: 100_000,
    }),
    out: Flags.string({ char: 'o', description: 'Folder for the report.', default: '.evtgen/load' }),
    config: Flags.string({ description: 'Scenario file (default: evtgen.load.json when present).' }),
    header: Flags.string({
      char: 'H',
      description: "NAME: VALUE sent with every request (e.g. 'Authorization: Bearer …'). Repeatable.",
      multiple: true,
    }),
    'drain-timeout': Flags.string({
      description: 'How long to wait for events to finish after each phase (default 120s).',
    }),
    profile: Flags.string({
      description: 'Sign the IAM (SigV4) routes of a URL target with this AWS profile.',
    }),
    region: Flags.string({
      description:
        'Region of a URL target: its IAM routes are signed for it, its --stack is read there (default: from the URL, else AWS_REGION).',
    }),
    stack: Flags.string({
      description:
        "Count a URL target's events from its CloudFormation stack (CloudWatch metrics and DLQ depths, with --profile's credentials).",
    }),
    'metrics-settle': Flags.string({
      description:
        "With --stack: how long the stack's CloudWatch counts must stay unchanged before they are final (default 90s).",
    }),
    warmup: Flags.string({
      description:
        'Unrecorded traffic before the first phase, to start the functions (default 5s; 0 for none).',
    }),
    'max-requests': Flags.integer({ description: 'Upper bound of requests for the whole run.', min: 1 }),
    json: Flags.boolean({ description: 'Print the report as JSON instead of the summary.' }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Load);
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const headers: Record<string, string> = {};
    for (const header of flags.header ?? []) {
      const match = /^([^:\s]+)\s*:\s*(.*)$/.exec(header);
      if (!match?.[1]) this.error(`--header ${header}: expected 'NAME: VALUE'.`, { exit: 2 });
      headers[match[1]] = match[2] ?? '';
    }
    const projectRoot = resolve(flags.project);
    const colour = !flags.json && useColour(process.stderr);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    const live = process.stderr.isTTY && !flags.json;
    try {
      const run = await runLoad({
        projectRoot,
        target: flags.target,
        flags: {
          ...(flags.scenario ? { scenario: flags.scenario as ScenarioName } : {}),
          ...(flags.rate ? { rate: flags.rate } : {}),
          ...(flags.duration ? { duration: flags.duration } : {}),
          ...(flags['drain-timeout'] ? { drainTimeout: flags['drain-timeout'] } : {}),
          ...(flags['max-requests'] ? { maxRequests: flags['max-requests'] } : {}),
          ...(flags.warmup ? { warmup: flags.warmup } : {}),
        },
        ...(flags.config ? { configFile: flags.config } : {}),
        headers,
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.region ? { region: flags.region } : {}),
        ...(flags.stack ? { stack: flags.stack } : {}),
        ...(flags['metrics-settle'] ? { metricsSettle: flags['metrics-settle'] } : {}),
        outDir: resolve(projectRoot, flags.out),
        version: this.config.version,
        onProgress: (line) => {
          if (flags.json) return;
          process.stderr.write(live ? `\r\x1b[2K${line}` : `${line}\n`);
        },
        signal: abort.signal,
      });
      if (live) process.stderr.write('\r\x1b[2K');
      if (flags.json) process.stdout.write(`${JSON.stringify(run.report, null, 2)}\n`);
      else {
        process.stdout.write(renderReportText(run.report, { colour }));
        process.stdout.write(`\nReport: ${run.files.html}\n        ${run.files.json}\n`);
      }
      process.exitCode = run.report.verdict === 'met' ? 0 : 1;
    } catch (error) {
      if (error instanceof LoadSetupError) {
        if (error.diagnostics.length > 0) process.stderr.write(renderDiagnostics(error.diagnostics, colour));
        this.error(error.message, { exit: 2 });
      }
      throw error;
    } finally {
      process.off('SIGINT', stop);
    }
  }
}
