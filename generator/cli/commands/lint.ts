import { Command, Flags } from '@oclif/core';
import { type LintResult, lint } from '../../lint.js';
import { paint, renderDiagnostics, summarize, useColour } from '../render.js';

export default class Lint extends Command {
  static override summary =
    'Validate the specs: AsyncAPI parser, Redocly lint, evtgen extension schemas, naming, validators.';

  static override description = `Reports every diagnostic, sorted by file, line and column, as
"file:line:col  severity  code  message" with the JSON pointer and a fix. Writes nothing.

Redocly's findings carry the code "redocly/<rule>". The ruleset is the project's redocly.yaml when
there is one, else evtgen's default (generator/rulesets/redocly.yaml in the evtgen package).

Exit codes: 0 no errors (warnings allowed); 1 at least one error; 2 usage or configuration error.`;

  static override examples = [
    { command: '<%= config.bin %> lint', description: 'Check the specs before generating.' },
    { command: '<%= config.bin %> lint --format json', description: 'Diagnostics as JSON for tools.' },
    { command: '<%= config.bin %> lint -C services/orders', description: 'Lint another project folder.' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    format: Flags.string({
      description: 'Output format (`json` is the same as --json).',
      options: ['text', 'json'],
      default: 'text',
    }),
    project: Flags.directory({
      char: 'C',
      description: 'Project folder (holds specs/).',
      default: '.',
      exists: true,
    }),
  };

  async run(): Promise<LintResult> {
    const { flags } = await this.parse(Lint);
    const result = await lint(flags.project);
    if (flags.format === 'json' && !this.jsonEnabled()) {
      this.log(JSON.stringify(result, null, 2));
    } else if (!this.jsonEnabled()) {
      const colour = useColour(process.stdout);
      if (result.diagnostics.length > 0) this.log(renderDiagnostics(result.diagnostics, colour));
      this.log(
        result.ok
          ? paint(`specs are valid (${summarize(result.diagnostics)}).`, 'green', colour)
          : summarize(result.diagnostics),
      );
    }
    if (!result.ok) process.exitCode = result.failure === 'config' ? 2 : 1;
    return result;
  }
}
