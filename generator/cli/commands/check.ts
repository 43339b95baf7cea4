import { Command, Flags } from '@oclif/core';
import { type CheckResult, check } from '../../check/check.js';
import { modes } from '../../check/findings.js';
import { type Format, formats, render } from '../../check/formats/index.js';
import { renderDiagnostics, summarize, useColour } from '../render.js';

export default class Check extends Command {
  static override summary = 'Find breaking changes of the specs against a git revision or a folder.';

  static override description =
    `Compares the AsyncAPI and OpenAPI documents in specs/ with an older version and reports
every change with the readers it breaks: request bodies and parameters must stay readable by the
new server (backward), responses by old clients (forward), sent events by existing consumers
(forward), received events by the new consumer (backward); an event both sent and received needs
both (full). x-compatibility.mode on a message overrides its default; --mode overrides everything.
Changes are judged the way the generated validators read (see docs/check.md: reading policy).

Exit codes: 0 no finding at or above --fail-on; 1 breaking changes (or specs that do not load);
2 usage or configuration error.`;

  static override examples = [
    { command: '<%= config.bin %> check', description: 'Against the merge base with the default branch.' },
    { command: '<%= config.bin %> check --against HEAD~1', description: 'Against the previous commit.' },
    {
      command: '<%= config.bin %> check --against ../released/specs',
      description: 'Against a folder laid out like specs/.',
    },
    {
      command: '<%= config.bin %> check --format sarif > check.sarif',
      description: 'For GitHub code scanning.',
    },
    {
      command: '<%= config.bin %> check --format github',
      description: 'Annotations in a GitHub Actions job.',
    },
    {
      command: '<%= config.bin %> check --mode full-transitive --fail-on warn',
      description: 'Strictest: both directions, every earlier version.',
    },
  ];

  static override flags = {
    against: Flags.string({
      char: 'a',
      description:
        'Baseline: a git revision, a folder laid out like specs/, or "registry". Default: merge base with the default branch.',
    }),
    mode: Flags.string({
      char: 'm',
      description:
        'Apply this compatibility mode to every schema (overrides the per-kind defaults and x-compatibility).',
      options: [...modes],
    }),
    format: Flags.string({
      char: 'f',
      description: 'Output format.',
      options: [...formats],
      default: 'text',
    }),
    'fail-on': Flags.string({
      description: 'Exit 1 when a finding has this level or a higher one.',
      options: ['error', 'warn', 'info'],
      default: 'error',
    }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/).',
      default: '.',
      exists: true,
    }),
    today: Flags.string({
      description: 'The date sunsets are judged against (YYYY-MM-DD, default today).',
      hidden: true,
    }),
  };

  async run(): Promise<CheckResult> {
    const { flags } = await this.parse(Check);
    const result = await check({
      project: flags.project,
      ...(flags.against !== undefined ? { against: flags.against } : {}),
      ...(flags.mode !== undefined ? { mode: flags.mode as never } : {}),
      failOn: flags['fail-on'] as 'error' | 'warn' | 'info',
      ...(flags.today !== undefined ? { today: flags.today } : {}),
    });
    const colour = useColour(process.stdout);
    if (result.diagnostics.length > 0)
      process.stderr.write(
        `${renderDiagnostics(result.diagnostics, useColour(process.stderr))}\n${summarize(result.diagnostics)}\n`,
      );
    if (result.failure === 'usage' || result.failure === 'config' || result.failure === 'spec') {
      if (result.message) process.stderr.write(`${result.message}\n`);
      process.exitCode = result.failure === 'spec' ? 1 : 2;
      return result;
    }
    const out = render(result, flags.format as Format, { colour, version: this.config.version });
    if (out) this.log(out);
    if (!result.ok) process.exitCode = 1;
    return result;
  }
}
