import { Command, Flags, ux } from '@oclif/core';
import type { Diagnostic } from '../../diagnostics.js';
import { type GenerateResult, generate } from '../../generate.js';
import { paint, renderDiagnostics, summarize, useColour } from '../render.js';

export default class Generate extends Command {
  static override summary = 'Regenerate generated/ from the AsyncAPI and OpenAPI documents in specs/.';

  static override description =
    `Reads every AsyncAPI 3.0 and OpenAPI 3.0/3.1 document under specs/ (multi-file $refs included),
builds the contract model and writes typed event models, EventBridge envelopes, HTTP types and
precompiled validators to generated/. Only files whose content changed are written, atomically;
files evtgen no longer generates are deleted. Nothing is written when any spec has an error.

Exit codes: 0 ok; 1 invalid specs, or (with --check) generated/ is out of date; 2 usage or configuration error.`;

  static override examples = [
    { command: '<%= config.bin %> generate', description: 'Regenerate after editing a spec.' },
    {
      command: '<%= config.bin %> generate --check',
      description: 'In CI: fail when generated/ is not up to date.',
    },
    {
      command: '<%= config.bin %> generate --watch',
      description: 'Regenerate on every spec change while you edit.',
    },
    {
      command: '<%= config.bin %> generate --dry-run',
      description: 'List what would change without writing.',
    },
    { command: '<%= config.bin %> generate --json', description: 'Machine-readable result.' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    check: Flags.boolean({
      description: 'Write nothing; exit 1 and list the files that would change.',
      exclusive: ['dry-run'],
    }),
    'dry-run': Flags.boolean({ description: 'Write nothing; list the files that would change.' }),
    force: Flags.boolean({ description: 'Regenerate even when inputs look unchanged since the last run.' }),
    watch: Flags.boolean({
      description:
        'Regenerate whenever a file under specs/ or the config changes (150 ms debounce); report each run and keep watching after errors. Ctrl-C stops.',
      exclusive: ['check', 'dry-run'],
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'Print only errors (and, with --check, the drift): nothing when all is well.',
    }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<GenerateResult> {
    const { flags } = await this.parse(Generate);
    if (flags.watch) return this.watch(flags.project);
    const mode = flags.check ? 'check' : flags['dry-run'] ? 'dry-run' : 'write';
    // Progress only for a person watching: not in pipes, CI logs, JSON or quiet mode.
    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled() && !flags.quiet;
    if (showProgress) ux.action.start('Generating from specs/');
    const result = await generate(flags.project, {
      mode,
      force: flags.force,
      ...(showProgress
        ? {
            onStage: (stage: string) => {
              ux.action.status = stage;
            },
          }
        : {}),
    });
    if (showProgress) ux.action.stop(result.ok ? 'done' : 'failed');
    if (!this.jsonEnabled()) this.report(result, flags.quiet);
    if (!result.ok) process.exitCode = result.failure === 'config' ? 2 : 1;
    return result;
  }

  /** Runs until interrupted; each run is reported (one JSON line per run with --json). */
  private async watch(project: string): Promise<GenerateResult> {
    let last: GenerateResult | undefined;
    const json = this.jsonEnabled();
    const { watchAndGenerate } = await import('../../watch.js');
    const watcher = await watchAndGenerate(project, {
      onResult: (result, trigger) => {
        last = result;
        if (json) {
          process.stdout.write(`${JSON.stringify({ trigger: trigger ?? null, ...result })}\n`);
          return;
        }
        const time = new Date().toLocaleTimeString('en-GB', { hour12: false });
        this.log(
          paint(
            `[${time}] ${trigger ? `${trigger} changed` : 'watching specs/'}`,
            'dim',
            useColour(process.stdout),
          ),
        );
        this.report(result, false);
      },
      onCrash: (error) =>
        process.stderr.write(`evtgen: the run failed: ${(error as Error).stack ?? String(error)}\n`),
    });
    const stop = () => watcher.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await watcher.closed;
    // Watching ended on request: a run that failed earlier is not a failure of the session.
    process.exitCode = 0;
    return last as GenerateResult;
  }

  private report(result: GenerateResult, quiet: boolean): void {
    const colour = useColour(process.stderr);
    const shown: Diagnostic[] = quiet
      ? result.diagnostics.filter((d) => d.severity === 'error')
      : result.diagnostics;
    if (shown.length > 0) {
      process.stderr.write(`${renderDiagnostics(shown, colour)}\n${summarize(shown)}\n`);
    }
    if (result.failure === 'spec' || result.failure === 'config') {
      process.stderr.write(
        paint('Nothing was written: fix the errors above and run again.\n', 'red', colour),
      );
      return;
    }
    const created = result.skeletons.filter((s) => s.change === 'created');
    const changes = [...result.files.filter((f) => f.change !== 'unchanged'), ...created];
    if (quiet && (result.mode !== 'check' || changes.length === 0)) return;
    for (const file of result.files.filter((f) => f.change !== 'unchanged'))
      this.log(`  ${file.change.padEnd(9)} ${file.path}`);
    // Skeletons are the user's from now on: say so where they appear.
    for (const file of created)
      this.log(
        `  ${(result.mode === 'write' ? 'created' : 'missing').padEnd(9)} ${file.path} (yours to edit)`,
      );
    const verb = result.mode === 'write' ? 'updated' : 'would change';
    if (result.mode === 'check' && changes.length > 0) {
      process.stderr.write(
        paint(
          `generated/ is out of date: ${changes.length} file(s) ${verb}. Run \`evtgen generate\` and commit.\n`,
          'red',
          colour,
        ),
      );
    } else if (changes.length === 0) {
      this.log(paint('generated/ is up to date.', 'green', useColour(process.stdout)));
    } else {
      this.log(`${changes.length} file(s) ${verb}.`);
    }
  }
}
