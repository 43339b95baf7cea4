import { basename, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Args, Command, Flags, ux } from '@oclif/core';
import { renderChecklist } from '../../init/checklist.js';
import { type InitResult, initService } from '../../init/init.js';
import {
  defaultName,
  defaultSource,
  nameProblem,
  type StarterSettings,
  sourceProblem,
} from '../../init/starter.js';
import { paint, renderDiagnostics, summarize, useColour } from '../render.js';

export default class Init extends Command {
  static override summary =
    'Scaffold a new service, or set a project up around AsyncAPI/OpenAPI documents you already have.';

  static override description =
    `Writes a working starter service into DIR (default: the current folder): an OpenAPI and an
AsyncAPI document (one operation, POST /items, that publishes one event, ItemCreated, which one
consumer, audit, receives through an SQS queue), the handler code, vitest tests, tsconfig.json,
evtgen.config.json, a README, a GitHub Actions workflow running evtgen generate --check and
evtgen check with annotations, and package.json (merged into an existing one: only missing
members are added). Then it runs evtgen generate, which adds the CDK app (app/cdk/, cdk.json) and
generated/.

A folder that already holds AsyncAPI/OpenAPI documents (in specs/ or any folder) is adopted
instead: no starter specs, handlers, tests or README; evtgen.config.json points at their folder;
files you have are kept; and init prints a checklist of what the specs still lack (operation ids,
security, EventBridge settings).

An npm init -y package.json is fine: its "type": "commonjs" becomes "module" (said so) when the
folder has no JavaScript of its own. An evtgen tarball installed from outside the folder is
copied to vendor/ so that the service's CI can install it. init also writes .vscode/settings.json:
validation and completion of the x- extensions in the specs.

On a terminal it asks for the service name and event source; --name, --source and --yes answer
without asking. Any other non-empty folder is refused and left untouched unless --force is given.

Exit codes: 0 ok; 1 the generate step failed; 2 usage error, or the folder was refused.`;

  static override examples = [
    {
      command: '<%= config.bin %> init',
      description: 'In a new folder after `npm install -D evtgen`: answer the questions.',
    },
    {
      command: '<%= config.bin %> init inventory --name inventory --source com.acme.inventory --yes',
      description: 'Without questions (CI, scripts).',
    },
    {
      command: '<%= config.bin %> init --yes',
      description: 'In a repository that already has specs: set up around them and list what they lack.',
    },
  ];

  static override enableJsonFlag = true;

  static override args = {
    dir: Args.directory({ description: 'Folder of the new service (created when missing).', default: '.' }),
  };

  static override flags = {
    name: Flags.string({ description: 'Service name, kebab-case (default: the folder name).' }),
    source: Flags.string({ description: 'EventBridge source of its events (default: com.example.<name>).' }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Accept the defaults for everything not given; never ask.',
    }),
    force: Flags.boolean({
      description: 'Write into a folder that is not empty: the starter files replace files of the same name.',
    }),
    quiet: Flags.boolean({ char: 'q', description: 'Print only errors.' }),
  };

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const dir = resolve(args.dir);
    const interactive =
      Boolean(process.stdin.isTTY && process.stdout.isTTY) && !flags.yes && !this.jsonEnabled();
    const settings = await this.settings(dir, flags, interactive);
    const showProgress = Boolean(process.stderr.isTTY) && !this.jsonEnabled() && !flags.quiet;
    if (showProgress) ux.action.start(`Scaffolding ${settings.name}`);
    const result = await initService(dir, {
      settings,
      force: flags.force,
      onStep: (step) => {
        if (showProgress) ux.action.status = step;
      },
    });
    if (showProgress) ux.action.stop(result.ok ? 'done' : 'failed');
    if (!this.jsonEnabled()) this.report(result, flags.quiet);
    if (!result.ok) process.exitCode = result.refused ? 2 : 1;
    return result;
  }

  /** The name and source: from flags, else asked on a terminal, else the defaults. */
  private async settings(
    dir: string,
    flags: { name?: string | undefined; source?: string | undefined },
    interactive: boolean,
  ): Promise<StarterSettings> {
    const check = (value: string | undefined, problem: (v: string) => string | undefined, flag: string) => {
      const message = value === undefined ? undefined : problem(value);
      if (message) this.error(`--${flag}: ${message}.`, { exit: 2 });
    };
    check(flags.name, nameProblem, 'name');
    check(flags.source, sourceProblem, 'source');
    if (!interactive) {
      const name = flags.name ?? defaultName(dir);
      return { name, source: flags.source ?? defaultSource(name) };
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const ask = async (question: string, fallback: string, problem: (v: string) => string | undefined) => {
        for (;;) {
          const answer = (await prompt.question(`${question} (${fallback}): `)).trim() || fallback;
          const message = problem(answer);
          if (!message) return answer;
          this.log(paint(message, 'red', useColour(process.stdout)));
        }
      };
      const name =
        flags.name ?? (await ask(`Service name for ${basename(dir)}/`, defaultName(dir), nameProblem));
      const source =
        flags.source ?? (await ask('EventBridge source of its events', defaultSource(name), sourceProblem));
      return { name, source };
    } finally {
      prompt.close();
    }
  }

  private report(result: InitResult, quiet: boolean): void {
    const colour = useColour(process.stderr);
    if (result.refused) {
      const listed = result.refused.entries.slice(0, 10).map((e) => `  ${e}`);
      const more =
        result.refused.entries.length > 10 ? [`  … and ${result.refused.entries.length - 10} more`] : [];
      process.stderr.write(`${paint(`evtgen init: ${result.refused.reason}`, 'red', colour)}\n`);
      if (listed.length > 0) process.stderr.write(`Found:\n${[...listed, ...more].join('\n')}\n`);
      return;
    }
    const diagnostics = result.generate?.diagnostics ?? [];
    if (diagnostics.length > 0) {
      process.stderr.write(`${renderDiagnostics(diagnostics, colour)}\n${summarize(diagnostics)}\n`);
    }
    const adopted = result.adopted;
    if (adopted && !quiet) {
      this.log(`Found ${adopted.specs.length} spec(s); ${adopted.specsDir}/ is the project's specs folder:`);
      for (const spec of adopted.specs) this.log(`  ${spec.path}  (${spec.kind} ${spec.version})`);
      this.log('What they have and still lack ([x] in place, [ ] needed, [~] a default applies):');
      for (const line of renderChecklist(adopted.checklist)) this.log(line);
    }
    if (!quiet)
      for (const note of result.notes) this.log(paint(`note: ${note}.`, 'yellow', useColour(process.stdout)));
    if (!result.ok) {
      process.stderr.write(
        paint(
          adopted
            ? 'The project was set up around your specs, but evtgen generate refused them: fix the errors above (the checklist says what evtgen needs) and run npx evtgen generate.\n'
            : 'The starter was written but evtgen generate failed: see above.\n',
          'red',
          colour,
        ),
      );
      return;
    }
    if (quiet) return;
    for (const file of result.files) this.log(`  ${file.change.padEnd(11)} ${file.path}`);
    for (const skeleton of result.generate?.skeletons ?? [])
      if (skeleton.change === 'created') this.log(`  ${'created'.padEnd(11)} ${skeleton.path}`);
    const generatedCount = result.generate?.files.filter((f) => f.change !== 'unchanged').length ?? 0;
    this.log(`  ${'generated'.padEnd(11)} ${generatedCount} file(s) in generated/`);
    const where = relative(process.cwd(), result.dir) || '.';
    const cd = where === '.' ? '' : `cd ${where} && `;
    this.log(
      [
        '',
        paint('Next:', 'bold', useColour(process.stdout)),
        `  ${cd}npm install`,
        '  npm test            # the service tests',
        '  npx cdk synth       # CloudFormation + cdk-nag, offline',
        `  npx evtgen generate # after each spec edit${result.adopted ? '' : ' (see README.md)'}`,
      ].join('\n'),
    );
  }
}
